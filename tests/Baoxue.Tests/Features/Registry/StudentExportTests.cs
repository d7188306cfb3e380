using System.Net;
using Baoxue.Domain;
using Baoxue.Infrastructure.Spreadsheets;
using Baoxue.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using static Baoxue.Tests.Features.Organisation.OrganisationKit;

namespace Baoxue.Tests.Features.Registry;

/// <summary>
/// Issue 8: the student list's xlsx is streamed to the response, and still carries what officials file: a title line
/// naming the jurisdiction and the county's date, a frozen and filtered header, set widths and text cells; the export is
/// audited with its row count.
/// </summary>
public abstract class StudentExportTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly HashSet<string> Seeded = [];

    /// <summary>The fixture's county has no students of its own: 40 at the test school and 5 at the registrar's, by import.</summary>
    private async Task SeedAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (!Seeded.Add(app.Provider))
            {
                return;
            }
            using var client = await app.ClientAsync(CountyAdmin);
            var birth = new DateOnly(2016, 9, 1);
            var rows = Enumerable.Range(0, 45).Select(i => Import.RegistryImportKit.Row("林" + "一二三四五六七八九十"[i % 10] + "一二三四五"[i / 10],
                Import.RegistryImportKit.Id(birth.AddDays(i / 20), i % 20, i % 2 == 0 ? Gender.Male : Gender.Female),
                school: i < 40 ? Import.RegistryImportKit.TestSchool : Import.RegistryImportKit.AdminsSchool, cls: i < 40 ? "2" : "1")).ToArray();
            await client.ImportAsync(Import.RegistryImportKit.Url, XlsxWriter.Build("学生", Import.RegistryImportKit.Headers, rows), "学生.xlsx", HttpStatusCode.OK);
        }
        finally
        {
            Once.Release();
        }
    }

    [Fact]
    public async Task The_county_export_is_a_titled_filtered_sheet_of_every_student_as_text_and_is_audited()
    {
        await SeedAsync();
        using var client = await app.ClientAsync(CountyAdmin);
        await using var db = app.Db();
        var students = await db.Students.IgnoreQueryFilters().CountAsync();
        var before = await db.AuditEntries.CountAsync(a => a.Action == AuditAction.Export && a.EntityType == nameof(Student));

        var response = await client.GetAsync("/api/v1/students/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(XlsxDownload.ContentType, response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(".xlsx", response.Content.Headers.ContentDisposition!.FileNameStar, StringComparison.Ordinal);
        using var document = SpreadsheetDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), false);
        var part = (WorksheetPart)document.WorkbookPart!.GetPartById(document.WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Single().Id!);
        var sheet = part.Worksheet;
        var rows = sheet.Descendants<Row>().ToList();
        string Text(Cell c) => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "";

        // 罗源县学生名单（截至2026年…）: the county by name and today's date on the county clock.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);
        Assert.Equal($"罗源县学生名单（截至{today.Year}年{today.Month}月{today.Day}日）", Text(rows[0].Elements<Cell>().Single()));
        Assert.Equal(9, rows[1].Elements<Cell>().Count());
        Assert.Equal("姓名", Text(rows[1].Elements<Cell>().ElementAt(1)));
        Assert.Equal("A3", sheet.Descendants<Pane>().Single().TopLeftCell!.Value);
        Assert.StartsWith("A2:I", sheet.Descendants<AutoFilter>().Single().Reference!.Value);
        Assert.Equal(22, sheet.Descendants<Column>().First().Width!.Value);
        Assert.Equal(students, rows.Count - 2);
        // Every data cell is a string (no number for Excel to turn into 3.5E+17), registry numbers whole.
        var cells = rows.Skip(2).SelectMany(r => r.Elements<Cell>()).ToList();
        Assert.All(cells, c => Assert.True(c.DataType?.Value == CellValues.InlineString || c.CellValue is null));
        Assert.All(rows.Skip(2).Take(50), r => Assert.Matches("^[GJL][0-9X*]{18,}", Text(r.Elements<Cell>().First())));

        var line = await db.AuditEntries.Where(a => a.Action == AuditAction.Export && a.EntityType == nameof(Student)).OrderByDescending(a => a.Sequence).FirstAsync();
        Assert.Equal(before + 1, await db.AuditEntries.CountAsync(a => a.Action == AuditAction.Export && a.EntityType == nameof(Student)));
        Assert.Contains($"\"rows\":{students}", line.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registrars_export_is_titled_with_their_school_and_holds_only_its_students()
    {
        await SeedAsync();
        using var client = await app.ClientAsync("school.admin");
        await using var db = app.Db();
        var school = await db.Schools.IgnoreQueryFilters().SingleAsync(s => s.Code == Import.RegistryImportKit.AdminsSchool);
        var count = await db.Students.IgnoreQueryFilters().CountAsync(s => s.SchoolId == school.Id);

        var bytes = await (await client.GetAsync("/api/v1/students/export")).Content.ReadAsByteArrayAsync();

        using var reader = SpreadsheetReader.Open(new MemoryStream(bytes), "学生名单.xlsx");
        Assert.Equal("姓名", reader.Headers[1]);
        var read = 0;
        while (reader.TryReadRow(out var row))
        {
            Assert.Equal(school.Name, row[6].Text);
            read++;
        }
        Assert.Equal(5, count);
        Assert.Equal(count, read);
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var title = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Cell>().First();
        Assert.StartsWith(school.Name + "学生名单（截至", title.InlineString!.InnerText, StringComparison.Ordinal);
    }
}

public sealed class StudentExportTests_Sqlite(SqliteApp app) : StudentExportTests<SqliteApp>(app);

public sealed class StudentExportTests_Postgres(PostgresApp app) : StudentExportTests<PostgresApp>(app);
