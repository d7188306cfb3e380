using System.Net;
using System.Text.RegularExpressions;

namespace Baoxue.Tests.Support;

/// <summary>Reads server-rendered pages and posts their forms, anti-forgery token included.</summary>
public static partial class Pages
{
    public static async Task<(HttpStatusCode Status, string Html)> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GETs the page, then posts the named form with the page's anti-forgery token and the given fields.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, string formName, IDictionary<string, string> fields)
    {
        var (_, html) = await GetAsync(client, url);
        var token = TokenPattern().Match(html).Groups[1].Value;
        var content = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = formName,
        };
        return await client.PostAsync(url, new FormUrlEncodedContent(content));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
