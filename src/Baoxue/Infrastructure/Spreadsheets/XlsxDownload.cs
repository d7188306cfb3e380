using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace Baoxue.Infrastructure.Spreadsheets;

/// <summary>
/// An xlsx download written straight to the response as the rows arrive (no byte array, flat memory), with a title
/// line naming the user's jurisdiction and the county's date, then audited with the number of rows actually sent.
/// </summary>
/// <param name="fileName">The download's name without extension.</param>
/// <param name="title">What the list is ("学生名单"); the title line adds the jurisdiction and the as-of date.</param>
/// <param name="rows">The rows, typically a query's <c>AsAsyncEnumerable()</c> projected to text.</param>
/// <param name="audit">Records the export (filter and row count) once the rows are written, even when the client went away.</param>
public sealed class XlsxDownload(
    string fileName,
    string title,
    IReadOnlyList<ExportColumn> columns,
    IAsyncEnumerable<IReadOnlyList<string?>> rows,
    Func<int, CancellationToken, Task> audit) : IResult
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public async Task ExecuteAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var db = services.GetRequiredService<BaoxueDb>();
        var text = services.GetRequiredService<IStringLocalizer<Strings>>();
        var today = db.County.Today;
        var heading = text["Export.Heading", await JurisdictionAsync(db, http.RequestAborted), title, ChineseFormat.Date(today)].Value;

        // SpreadCheetah finishes the zip (entry headers, central directory) with a few small synchronous writes.
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>() is { } body)
        {
            body.AllowSynchronousIO = true;
        }
        http.Response.ContentType = ContentType;
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = fileName + ".xlsx" }.ToString();
        var written = 0;
        try
        {
            written = await XlsxWriter.WriteAsync(http.Response.Body, new XlsxSheet(title, heading, columns), Counted(rows, n => written = n), http.RequestAborted);
        }
        finally
        {
            // What left the server is audited, whole or not: the request's token may already be cancelled.
            await audit(written, CancellationToken.None);
        }
    }

    private static async IAsyncEnumerable<IReadOnlyList<string?>> Counted(IAsyncEnumerable<IReadOnlyList<string?>> rows, Action<int> count)
    {
        var n = 0;
        await foreach (var row in rows)
        {
            yield return row;
            count(++n);
        }
    }

    /// <summary>The name of the place the user's jurisdiction is (a county, township, village, school, class or department).</summary>
    public static async Task<string> JurisdictionAsync(BaoxueDb db, CancellationToken ct)
    {
        var path = db.ScopePath;
        if (path is null)
        {
            return await db.Divisions.IgnoreQueryFilters().AsNoTracking().Where(d => d.Level == DivisionLevel.County)
                .OrderBy(d => d.Code).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? "";
        }
        return await db.Divisions.IgnoreQueryFilters().AsNoTracking().Where(d => d.Path == path).Select(d => d.Name).FirstOrDefaultAsync(ct)
            ?? await db.Schools.IgnoreQueryFilters().AsNoTracking().Where(s => s.Path == path).Select(s => s.Name).FirstOrDefaultAsync(ct)
            ?? (await db.Classes.IgnoreQueryFilters().AsNoTracking().Where(c => c.Path == path).Select(c => new { School = c.School!.Name, c.Grade, c.Number }).FirstOrDefaultAsync(ct)
                is { } c ? c.School + ChineseFormat.ClassName(c.Grade, c.Number) : null)
            ?? await db.Departments.IgnoreQueryFilters().AsNoTracking().Where(d => d.Path == path).Select(d => d.Name).FirstOrDefaultAsync(ct)
            ?? "";
    }
}
