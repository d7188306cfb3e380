using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Baoxue.Features.Organisation;
using Baoxue.Infrastructure.Spreadsheets;

namespace Baoxue.Tests.Features.Organisation;

/// <summary>Calls to the organisation API and pages, read the way a client or a user reads them.</summary>
internal static partial class OrganisationKit
{
    /// <summary>The API's own JSON conventions: camelCase names, enums as strings.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public const string CountyAdmin = "county.admin";

    public static readonly string[] SchoolHeaders = ["学校标识码", "学校名称", "办学类型", "所属乡镇", "所在村（社区）", "地址", "校长", "联系电话", "中心校标识码"];
    public static readonly string[] ClassHeaders = ["学校标识码", "学校名称", "学年", "年级", "班号", "班主任", "额定人数"];

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, Json);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body) =>
        client.PutAsJsonAsync(url, body, Json);

    /// <summary>Asserts 200 and reads the body.</summary>
    public static async Task<T> OkAsync<T>(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public static async Task<T> GetOkAsync<T>(this HttpClient client, string url) => await (await client.GetAsync(url)).OkAsync<T>();

    /// <summary>Asserts 400 (a validation problem) and returns its messages by field.</summary>
    public static async Task<Dictionary<string, string[]>> RefusedAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        Assert.Equal("提交的内容有误", document.RootElement.GetProperty("title").GetString());
        return document.RootElement.GetProperty("errors").Deserialize<Dictionary<string, string[]>>(Json)!;
    }

    /// <summary>Asserts a 400 whose only refused field is <paramref name="field"/>, saying exactly <paramref name="message"/>.</summary>
    public static async Task AssertRefusedAsync(this HttpResponseMessage response, string field, string message)
    {
        var errors = await response.RefusedAsync();
        Assert.True(errors.ContainsKey(field), $"no error for {field}; got {string.Join("; ", errors.Select(e => e.Key + ": " + string.Join(" | ", e.Value)))}");
        Assert.Contains(message, errors[field]);
    }

    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, string url, byte[] file, string fileName)
    {
        using var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "file", fileName);
        return await client.PostAsync(url, content);
    }

    /// <summary>Posts an import and reads its report, asserting the status the report deserves.</summary>
    public static async Task<OrganisationApi.ImportResultDto> ImportAsync(this HttpClient client, string url, byte[] file, string fileName, HttpStatusCode expected)
    {
        using var response = await client.UploadAsync(url, file, fileName);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<OrganisationApi.ImportResultDto>(body, Json)!;
    }

    public static byte[] Xlsx(IReadOnlyList<string> headers, params IReadOnlyList<string?>[] rows) => XlsxWriter.Build("Sheet1", headers, rows);

    /// <summary>A CSV file as officials save one from Excel: comma-separated, CRLF, quoted only where needed.</summary>
    public static string Csv(IReadOnlyList<string> headers, params IReadOnlyList<string?>[] rows) =>
        string.Concat(new[] { headers }.Concat(rows).Select(r => string.Join(",", r.Select(c => c ?? "")) + "\r\n"));

    /// <summary>Reads every row of a downloaded workbook: the header and the data rows as text cells.</summary>
    public static (IReadOnlyList<string> Headers, List<SheetCell[]> Rows) ReadSheet(byte[] file)
    {
        using var reader = SpreadsheetReader.Open(new MemoryStream(file), "download.xlsx");
        var rows = new List<SheetCell[]>();
        while (reader.TryReadRow(out var row))
        {
            rows.Add([.. Enumerable.Range(0, reader.Headers.Count).Select(i => row[i])]);
        }
        return (reader.Headers, rows);
    }

    /// <summary>A page as a user reads it: the text without markup, entities decoded, whitespace collapsed.</summary>
    public static async Task<string> PageTextAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode}");
        return TextOf(html);
    }

    public static string TextOf(string html)
    {
        var withoutHead = HeadPattern().Replace(html, " ");
        var text = WebUtility.HtmlDecode(TagPattern().Replace(withoutHead, " "));
        return SpacePattern().Replace(text, " ");
    }

    [GeneratedRegex("<head>.*?</head>", RegexOptions.Singleline)]
    private static partial Regex HeadPattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex SpacePattern();
}
