using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Baoxue.Domain;
using Baoxue.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Tests.Features.Accounts;

/// <summary>What the account tests do over and over: make accounts as the county administrator, ask for tokens, sign in on the pages.</summary>
public static partial class AccountKit
{
    /// <summary>Meets the policy: eight characters or more, three classes.</summary>
    public const string GoodPassword = "Luoyuan#2026";

    public static async Task<Guid> CountyIdAsync(BaoxueApp app)
    {
        await using var db = app.Db();
        return await db.Divisions.Where(d => d.Code == "350123").Select(d => d.Id).SingleAsync();
    }

    public static async Task<Guid> FirstClassIdAsync(BaoxueApp app)
    {
        await using var db = app.Db();
        return await db.Classes.OrderBy(c => c.Path).Select(c => c.Id).FirstAsync();
    }

    /// <summary>The body of POST/PUT /api/v1/accounts, as a client would write it (enums by name).</summary>
    public static object Body(string userName, Role role, PlaceKind placeKind, Guid placeId, string? password = GoodPassword, bool isDisabled = false, bool unlock = false) =>
        new { userName, displayName = "测试" + userName, role = role.ToString(), placeKind = placeKind.ToString(), placeId, password, isDisabled, unlock };

    /// <summary>POST /api/v1/accounts as the demo county administrator.</summary>
    public static async Task<HttpResponseMessage> PostAccountAsync(BaoxueApp app, object body)
    {
        using var admin = await app.ClientAsync("county.admin");
        return await admin.PostAsJsonAsync("/api/v1/accounts", body);
    }

    /// <summary>Creates an account in the demo county (bound to the county itself unless told otherwise); answers its id.</summary>
    public static async Task<Guid> CreateAsync(BaoxueApp app, string userName, Role role, string password = GoodPassword, bool isDisabled = false)
    {
        var placeId = await CountyIdAsync(app);
        using var response = await PostAccountAsync(app, Body(userName, role, PlaceKind.County, placeId, password, isDisabled));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"creating {userName}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    public static async Task<HttpResponseMessage> RequestTokenAsync(BaoxueApp app, string userName, string password, string? code = null)
    {
        using var client = app.AnonymousClient();
        return await client.PostAsJsonAsync("/api/v1/auth/token", new { userName, password, code });
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(BaoxueApp app, string userName, string password, string? code = null)
    {
        using var response = await RequestTokenAsync(app, userName, password, code);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>The <c>reason</c> a refused sign-in gives (Failed, LockedOut, NeedsCode), or null.</summary>
    public static string? Reason(JsonElement problem) =>
        problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("reason", out var r) ? r.GetString() : null;

    public static HttpClient BearerClient(BaoxueApp app, string accessToken)
    {
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>A browser: keeps cookies, does not follow redirects so the test sees them.</summary>
    public static HttpClient CookieClient(BaoxueApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Fills in and submits the login page.</summary>
    public static Task<HttpResponseMessage> SubmitLoginAsync(HttpClient browser, string userName, string password) =>
        Pages.PostFormAsync(browser, "/login", "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        });

    /// <summary>Signs in on the login page; asserts the page sent the browser on to where it asked.</summary>
    public static async Task<HttpClient> SignedInBrowserAsync(BaoxueApp app, string userName, string password = GoodPassword)
    {
        var browser = CookieClient(app);
        using var response = await SubmitLoginAsync(browser, userName, password);
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther,
            $"login as {userName}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("/", PathOf(response));
        return browser;
    }

    /// <summary>Opens the second-factor page and reads the key it shows for the authenticator app.</summary>
    public static async Task<string> SharedKeyAsync(HttpClient browser)
    {
        var (status, html) = await Pages.GetAsync(browser, "/account/two-factor");
        Assert.Equal(HttpStatusCode.OK, status);
        var match = SharedKeyPattern().Match(html);
        Assert.True(match.Success, "The two-factor page shows no key: " + html);
        var key = System.Net.WebUtility.HtmlDecode(match.Groups[1].Value).Trim();
        Assert.Matches("^[a-z2-7]{4}( [a-z2-7]{1,4})+$", key);
        return key;
    }

    /// <summary>Turns the second factor on through the page, as a user with an authenticator app would.</summary>
    public static async Task<string> EnrolAsync(HttpClient browser)
    {
        var key = await SharedKeyAsync(browser);
        using var response = await Pages.PostFormAsync(browser, "/account/two-factor", "enable", new Dictionary<string, string> { ["Input.Code"] = Totp.Now(key) });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"enable: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("/account", PathOf(response));
        return key;
    }

    /// <summary>The path a redirect points to, whether the Location header is absolute or relative.</summary>
    public static string PathOf(HttpResponseMessage response)
    {
        var location = response.Headers.Location;
        Assert.True(location is not null, $"{(int)response.StatusCode} without a Location header");
        var path = location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
        return path.Split('?')[0];
    }

    public static async Task<AppUser> StoredUserAsync(BaoxueApp app, string userName)
    {
        await using var db = app.Db();
        return await db.Users.AsNoTracking().SingleAsync(u => u.UserName == userName);
    }

    [GeneratedRegex("<code[^>]*id=\"shared-key\"[^>]*>([^<]*)</code>")]
    private static partial Regex SharedKeyPattern();
}
