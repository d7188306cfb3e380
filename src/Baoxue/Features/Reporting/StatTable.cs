using System.Globalization;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Auditing;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Spreadsheets;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Reporting;

/// <summary>学年初 or 学年末.</summary>
public enum StatMoment
{
    YearStart = 1,
    YearEnd = 2,
}

/// <summary>
/// 学年初/末登记统计表: the user's jurisdiction by grade — classes, students on roll, girls, minority, left-behind,
/// disabled, migrant and poverty-registered children — as it stands on the day it is printed, and each grade's movement
/// this school year (transfers, suspensions, deaths and other leaving, dropouts, returns) by the grade at the change. The print page, the xlsx
/// and the Word file come from this one sheet, so they say the same.
/// </summary>
public static class StatTable
{
    public sealed record Sheet(string Unit, string Title, DateOnly AsOf, int SchoolYear, StatMoment Moment, IReadOnlyList<GradeRow> Rows, GradeRow Total);

    public static async Task<Sheet> LoadAsync(BaoxueDb db, IStringLocalizer text, StatMoment moment, CancellationToken ct = default)
    {
        var today = db.County.Today;
        var path = db.ScopePath ?? "";
        var rows = await FigureCounter.GradesAsync(db, path, today, ct);
        var year = SchoolYear.StartYearOf(today);
        var unit = await XlsxDownload.JurisdictionAsync(db, ct);
        return new Sheet(unit, text["Reporting.Table.Title." + moment, ChineseFormat.SchoolYear(year)], today, year, moment, rows, GradeRow.Sum(rows));
    }

    public static IReadOnlyList<string> Headers(IStringLocalizer text) =>
    [
        text["Reporting.Col.Grade"], text["Reporting.Col.Classes"], text["Reporting.Col.Students"], text["Reporting.Col.Girls"], text["Reporting.Col.Minority"],
        text["Reporting.Col.LeftBehind"], text["Reporting.Col.Disabled"], text["Reporting.Col.Migrant"], text["Reporting.Col.Poverty"],
        text["Reporting.Col.TransfersIn"], text["Reporting.Col.TransfersOut"], text["Reporting.Col.Suspended"], text["Reporting.Col.Resumed"],
        text["Reporting.Col.Died"], text["Reporting.Col.LeftOther"], text["Reporting.Col.Dropouts"], text["Reporting.Col.Returned"],
    ];

    public static IReadOnlyList<string> Cells(GradeRow r, string label) =>
        [label, ChineseFormat.Number(r.Classes), ChineseFormat.Number(r.Students), ChineseFormat.Number(r.Girls), ChineseFormat.Number(r.Minority),
            ChineseFormat.Number(r.LeftBehind), ChineseFormat.Number(r.Disabled), ChineseFormat.Number(r.Migrant), ChineseFormat.Number(r.Poverty),
            ChineseFormat.Number(r.TransfersIn), ChineseFormat.Number(r.TransfersOut), ChineseFormat.Number(r.Suspended), ChineseFormat.Number(r.Resumed),
            ChineseFormat.Number(r.Died), ChineseFormat.Number(r.OtherLeft), ChineseFormat.Number(r.Dropouts), ChineseFormat.Number(r.Returned)];

    public static IEnumerable<IReadOnlyList<string>> Lines(Sheet sheet, IStringLocalizer text) =>
        sheet.Rows.Select(r => Cells(r, ChineseFormat.Grade(r.Grade))).Append(Cells(sheet.Total, text["Reporting.Total"]));

    /// <summary>The xlsx: the title line with the jurisdiction and the date, header frozen and filtered, widths set; audited.</summary>
    public static XlsxDownload Xlsx(BaoxueDb db, Sheet sheet, IStringLocalizer text)
    {
        var headers = Headers(text);
        return new XlsxDownload(sheet.Title, sheet.Title,
            [new(headers[0], 12), .. headers.Skip(1).Select(h => new ExportColumn(h, 12))],
            XlsxWriter.ToAsync(Lines(sheet, text)), async (count, ct) =>
            {
                db.Audit(AuditAction.Export, "StatTable", sheet.Moment.ToString(), db.ScopePath ?? "", $"{{\"document\":\"table.xlsx\",\"rows\":{count}}}");
                await db.SaveChangesAsync(ct);
            });
    }

    /// <summary>The Word file: A4 landscape, title, unit and date line, the table with a header repeated on each page, signature line.</summary>
    public static byte[] Docx(Sheet sheet, IStringLocalizer text)
    {
        using var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var body = new Body();
            body.Append(Docs.Para(sheet.Title, 36, bold: true, align: JustificationValues.Center));
            body.Append(Docs.Para(text["Reporting.Table.UnitLine", sheet.Unit, ChineseFormat.Date(sheet.AsOf)], 24));
            body.Append(Docs.Table(Headers(text), Lines(sheet, text)));
            body.Append(Docs.Para(text["Reporting.SignLine"], 24));
            body.Append(Docs.Landscape());
            main.Document = new Document(body);
            main.Document.Save();
        }
        return stream.ToArray();
    }
}

/// <summary>Word building blocks shared by the statistical table and the reports (fonts as officials use them).</summary>
public static class Docs
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static Paragraph Para(string text, int size, bool bold = false, JustificationValues? align = null)
    {
        var props = new ParagraphProperties(new SpacingBetweenLines { After = "120" });
        if (align is { } a)
        {
            props.Append(new Justification { Val = a });
        }
        var run = new RunProperties(new RunFonts { EastAsia = "FangSong", Ascii = "FangSong", HighAnsi = "FangSong" });
        if (bold)
        {
            run.Append(new Bold());
        }
        run.Append(new FontSize { Val = size.ToString(CultureInfo.InvariantCulture) });
        return new Paragraph(props, new Run(run, new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
    }

    public static Table Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        static TableCell Cell(string value, bool bold) => new(
            new TableCellProperties(new TableCellVerticalAlignment { Val = TableVerticalAlignmentValues.Center }),
            Para(value, 21, bold, JustificationValues.Center));
        var border = new TableBorders(
            new TopBorder { Val = BorderValues.Single, Size = 4 }, new LeftBorder { Val = BorderValues.Single, Size = 4 },
            new BottomBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 });
        var table = new Table(new TableProperties(new TableWidth { Type = TableWidthUnitValues.Pct, Width = "5000" }, border));
        // The header row repeats on every page.
        var header = new TableRow(new TableRowProperties(new TableHeader()));
        header.Append(headers.Select(h => Cell(h, true)));
        table.Append(header);
        foreach (var row in rows)
        {
            table.Append(new TableRow(row.Select(v => Cell(v, false))));
        }
        return table;
    }

    public static SectionProperties Landscape() => new(
        new PageSize { Width = 16838, Height = 11906, Orient = PageOrientationValues.Landscape },
        new PageMargin { Top = 1134, Bottom = 1134, Left = 1134, Right = 1134, Header = 567, Footer = 567, Gutter = 0 });
}
