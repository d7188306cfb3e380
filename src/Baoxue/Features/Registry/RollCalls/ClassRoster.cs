using System.Globalization;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Localization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Registry.RollCalls;

/// <summary>
/// The class's registry roster (花名册) and attendance book (点名册), printed from the same roll so that the
/// two agree with the registry (REG-4). Identifying numbers are masked.
/// </summary>
public static class ClassRoster
{
    /// <summary>A roster line as the user may see it: <see cref="Born"/> is the birth date, or its year and month (<see cref="IdDisclosure"/>).</summary>
    public sealed record Row(int Number, string RegistryNumber, string Name, Gender Gender, string Born, string Ethnicity, string IdNumber, string Address, string Guardian, string Phone);

    public sealed record Sheet(SchoolClass Class, string SchoolName, int StartYear, DateOnly PrintedOn, IReadOnlyList<Row> Rows);

    /// <summary>The class's sheet, or null when the class is out of the user's reach.</summary>
    public static async Task<Sheet?> LoadAsync(BaoxueDb db, Guid classId, CancellationToken ct = default)
    {
        var c = await db.Classes.AsNoTracking().Include(x => x.School).Include(x => x.SchoolYear).FirstOrDefaultAsync(x => x.Id == classId, ct);
        // Structural records are visible on the way up; a class above the user's place is not theirs to print.
        if (c is null || !db.Covers(c.Path))
        {
            return null;
        }
        var students = await RollCallQueries.RosterAsync(db, classId, ct, withGuardians: true);
        var disclosure = db.Disclosure;
        var rows = students.Select((s, i) =>
        {
            var guardian = s.Guardians.OrderBy(g => g.Relation).FirstOrDefault();
            return new Row(i + 1, MaskRegistryNumber(disclosure.RegistryNumber(s.RegistryNumber)), s.Name, s.Gender, ChineseFormat.Birth(s.BirthDate, disclosure), Ethnicities.Name(s.Ethnicity), disclosure.IdNumber(s.IdNumberMasked) ?? "",
                s.HouseholdAddress ?? s.Residence ?? "", guardian?.Name ?? "", guardian?.Phone is { } p ? PhoneNumber.Mask(p) : "");
        }).ToList();
        var today = db.County.Today;
        return new Sheet(c, c.School?.Name ?? "", c.SchoolYear?.StartYear ?? SchoolYear.StartYearOf(today), today, rows);
    }

    /// <summary>
    /// 学籍号 for print: G numbers are stored as G + the masked ID already; J and L numbers keep their first
    /// seven and last four characters.
    /// </summary>
    public static string MaskRegistryNumber(string number) =>
        number.Contains('*', StringComparison.Ordinal) ? number
        : number.Length > 11 ? string.Concat(number.AsSpan(0, 7), new string('*', number.Length - 11), number.AsSpan(number.Length - 4))
        : new string('*', number.Length);

    /// <summary>The days of a month as columns of the attendance book.</summary>
    public static IReadOnlyList<DateOnly> Days(int year, int month) =>
        [.. Enumerable.Range(1, DateTime.DaysInMonth(year, month)).Select(d => new DateOnly(year, month, d))];

    /// <summary>Reads "2026-11" (a month input's value); anything else is the given default.</summary>
    public static (int Year, int Month) ParseMonth(string? text, DateOnly fallback) =>
        text is { Length: 7 } && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? (d.Year, d.Month)
            : (fallback.Year, fallback.Month);

    public static string Title(Sheet sheet, IStringLocalizer text) => $"{sheet.SchoolName} {ChineseFormat.ClassName(sheet.Class)} {text["Roster.Title"]}";

    /// <summary>The roster as a Word document: A4 landscape, a heading, the class line and one table.</summary>
    public static byte[] Docx(Sheet sheet, IStringLocalizer text)
    {
        using var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var body = new Body();
            body.Append(Paragraph(text["Roster.Title"], bold: true, size: 32, centred: true));
            body.Append(Paragraph(text["Print.Header", sheet.SchoolName, ChineseFormat.ClassName(sheet.Class), ChineseFormat.SchoolYear(sheet.StartYear), ChineseFormat.Date(sheet.PrintedOn)], size: 21));

            var table = new Table(new TableProperties(
                new TableWidth { Type = TableWidthUnitValues.Pct, Width = "5000" },
                new TableBorders(
                    new TopBorder { Val = BorderValues.Single, Size = 4 }, new BottomBorder { Val = BorderValues.Single, Size = 4 },
                    new LeftBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
                    new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 })));
            table.Append(TableRow(Headers(text), header: true));
            foreach (var r in sheet.Rows)
            {
                table.Append(TableRow([r.Number.ToString(CultureInfo.InvariantCulture), r.RegistryNumber, r.Name, text["Gender." + r.Gender], r.Born, r.Ethnicity, r.IdNumber, r.Address, r.Guardian, r.Phone], header: false));
            }
            body.Append(table);
            body.Append(Paragraph(text["Roster.Count", sheet.Rows.Count], size: 21));
            // The foot a filed roster carries: 制表人, 审核人, the school's seal, the date.
            body.Append(Paragraph(string.Join("　　", Components.Shared.SignatureLines.Lines(text)), size: 21));
            body.Append(new SectionProperties(
                new PageSize { Width = 16838, Height = 11906, Orient = PageOrientationValues.Landscape },
                new PageMargin { Top = 850, Bottom = 850, Left = 850, Right = 850, Header = 425, Footer = 425, Gutter = 0 }));
            main.Document = new Document(body);
            main.Document.Save();
        }
        return stream.ToArray();
    }

    public static string[] Headers(IStringLocalizer text) =>
        [text["Roster.Number"], text["Student.RegistryNumber"], text["Student.Name"], text["Student.Gender"], text["Student.BirthDate"], text["Student.Ethnicity"],
         text["Student.IdNumber"], text["Roster.Address"], text["Roster.Guardian"], text["Roster.Phone"]];

    private static RunProperties Font(bool bold, int size)
    {
        var props = new RunProperties(new RunFonts { EastAsia = "SimSun", Ascii = "SimSun", HighAnsi = "SimSun" }, new FontSize { Val = size.ToString(CultureInfo.InvariantCulture) });
        if (bold)
        {
            props.Append(new Bold());
        }
        return props;
    }

    private static Paragraph Paragraph(string value, bool bold = false, int size = 21, bool centred = false)
    {
        var p = new Paragraph();
        if (centred)
        {
            p.Append(new ParagraphProperties(new Justification { Val = JustificationValues.Center }));
        }
        p.Append(new Run(Font(bold, size), new Text(value) { Space = SpaceProcessingModeValues.Preserve }));
        return p;
    }

    private static TableRow TableRow(IEnumerable<string> cells, bool header)
    {
        var row = new TableRow();
        if (header)
        {
            row.Append(new TableRowProperties(new TableHeader()));
        }
        foreach (var cell in cells)
        {
            row.Append(new TableCell(Paragraph(cell, bold: header, size: 18)));
        }
        return row;
    }
}
