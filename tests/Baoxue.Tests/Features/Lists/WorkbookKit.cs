using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;

namespace Baoxue.Tests.Features.Organisation;

internal static partial class OrganisationKit
{
    /// <summary>A downloaded workbook as a user opens it: the sheet's name (its title), the header row and the data rows.</summary>
    public static (string Title, IReadOnlyList<string> Headers, List<string[]> Rows) Workbook(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes));
        using var workbook = new StreamReader(zip.GetEntry("xl/workbook.xml")!.Open());
        var title = WebUtility.HtmlDecode(Regex.Match(workbook.ReadToEnd(), "<(?:\\w+:)?sheet [^>]*name=\"([^\"]*)\"").Groups[1].Value);
        var (headers, rows) = ReadSheet(bytes);
        return (title, headers, [.. rows.Select(r => r.Select(c => c.Text).ToArray())]);
    }
}
