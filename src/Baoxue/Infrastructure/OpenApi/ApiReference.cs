using System.IO.Compression;
using System.Net;

namespace Baoxue.Infrastructure.OpenApi;

/// <summary>
/// The interactive API reference (Scalar), served by the app itself: the page, Scalar's browser bundle from the
/// Scalar.AspNetCore package, and wwwroot/js/api-reference.js that starts it. No CDN, no inline script — the
/// package's own page (MapScalarApiReference) starts Scalar with an inline script, which the Content-Security-Policy
/// forbids, so only its bundle is used (decision 0023).
/// </summary>
public static class ApiReference
{
    public const string Path = "/api-reference";
    private const string BundleResource = "ScalarStaticAssets.scalar.js";

    private static readonly Lazy<byte[]> Bundle = new(() =>
    {
        var assembly = typeof(Scalar.AspNetCore.ScalarOptions).Assembly;
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => n == BundleResource)
            ?? assembly.GetManifestResourceNames().First(n => n.EndsWith(".scalar.js", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        // The package may ship the bundle gzipped.
        if (bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            bytes = plain.ToArray();
        }
        // The bundle's stylesheet declares its web fonts on fonts.scalar.com: point them nowhere, so the browser never
        // asks (the Content-Security-Policy would refuse it) and the page uses local fonts.
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        text = System.Text.RegularExpressions.Regex.Replace(text, @"url\((['""]?)https://fonts\.scalar\.com/[^)'""]*\1\)", "local(\"baoxue-no-web-font\")");
        return System.Text.Encoding.UTF8.GetBytes(text);
    });

    public static void MapApiReference(this WebApplication app)
    {
        // Public, like the document it shows: a department's developer reads it before they have any account.
        app.MapGet(Path, () => Results.Content(Page(), "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(Path + "/scalar.js", () => Results.Bytes(Bundle.Value, "text/javascript; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
    }

    private static string Page() => $$"""
        <!doctype html>
        <html lang="zh-CN">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>保学 Baoxue API</title>
        </head>
        <body>
          <noscript><a href="/openapi/{{WebUtility.HtmlEncode(ApiDocument.DocumentName)}}.json">/openapi/{{ApiDocument.DocumentName}}.json</a></noscript>
          <div id="api-reference" data-url="/openapi/{{ApiDocument.DocumentName}}.json"></div>
          <script src="{{Path}}/scalar.js"></script>
          <script src="/js/api-reference.js"></script>
        </body>
        </html>
        """;
}
