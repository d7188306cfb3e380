using System.Globalization;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Localization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Casework;

/// <summary>
/// A notice as printed (红头文书): the unit's name in red over a red rule, the number, the title, the addressee, the
/// facts, the legal basis, the demand with its deadline, the unit and the date above the seal. The print page and the
/// Word file are made from this one sheet, so they say the same. The child's ID number is shown as the reader may see it.
/// </summary>
public static class NoticeSheet
{
    public sealed record Sheet(CaseNotice Notice, string Title, string? ChildId, IReadOnlyList<string> Body, string DateLine);

    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo(TextTable.Chinese);

    public static async Task<Sheet?> LoadAsync(BaoxueDb db, TextTable table, Guid id, CancellationToken ct = default)
    {
        var n = await db.CaseNotices.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (n is null)
        {
            return null;
        }
        var masked = await db.LedgerCases.IgnoreQueryFilters().AsNoTracking().Where(c => c.Id == n.CaseId).Select(c => c.Entry!.IdNumberMasked).FirstOrDefaultAsync(ct);
        string Zh(string key, params object[] args) => string.Format(Chinese, table.Find(key, Chinese) ?? key, args);
        var childId = db.Disclosure.IdNumber(masked);
        var body = new List<string>
        {
            childId is null ? Zh("Casework.Print.Child", n.ChildName) : Zh("Casework.Print.ChildWithId", n.ChildName, childId),
            n.Facts,
            n.LegalBasis,
            n.Demand,
        };
        if (n.DeadlineOn is { } due)
        {
            body.Add(Zh("Casework.Print.Deadline", $"{due.Year}年{due.Month}月{due.Day}日"));
        }
        if (n.Recipient is { } recipient)
        {
            body.Add(Zh("Casework.Print.Recipient", recipient));
        }
        return new Sheet(n, Zh("Casework.Title." + n.Kind), childId, body, CaseworkRules.OfficialDate(n.IssuedOn));
    }

    /// <summary>The notice as a Word document: A4 portrait, the red header, the body, the unit and date above the seal.</summary>
    public static byte[] Docx(Sheet sheet)
    {
        var n = sheet.Notice;
        using var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var body = new Body();
            body.Append(Para(n.IssuerName, size: 52, bold: true, align: JustificationValues.Center, color: "C00000"));
            body.Append(Para(n.DocumentNumber, size: 32, align: JustificationValues.Center));
            // The red rule under the header.
            body.Append(Para("", size: 8, border: new ParagraphBorders(new BottomBorder { Val = BorderValues.Single, Size = 18, Color = "C00000", Space = 1 })));
            body.Append(Para(sheet.Title, size: 44, bold: true, align: JustificationValues.Center));
            body.Append(Para(n.Addressee + "：", size: 32));
            foreach (var line in sheet.Body)
            {
                body.Append(Para(line, size: 32, indent: true));
            }
            body.Append(Para("", size: 32));
            body.Append(Para(n.IssuerName + "（盖章）", size: 32, align: JustificationValues.Right));
            body.Append(Para(sheet.DateLine, size: 32, align: JustificationValues.Right));
            body.Append(new SectionProperties(
                new PageSize { Width = 11906, Height = 16838 },
                new PageMargin { Top = 2098, Bottom = 1984, Left = 1588, Right = 1474, Header = 851, Footer = 992, Gutter = 0 }));
            main.Document = new Document(body);
            main.Document.Save();
        }
        return stream.ToArray();
    }

    private static Paragraph Para(string text, int size, bool bold = false, JustificationValues? align = null, string? color = null, bool indent = false, ParagraphBorders? border = null)
    {
        // Children in the schema's order: borders, spacing, indentation, justification.
        var props = new ParagraphProperties();
        if (border is not null)
        {
            props.Append(border);
        }
        props.Append(new SpacingBetweenLines { Line = "560", LineRule = LineSpacingRuleValues.Exact });
        if (indent)
        {
            // Two characters' indent at the start of each paragraph, as official documents set it.
            props.Append(new Indentation { FirstLineChars = 200 });
        }
        if (align is { } a)
        {
            props.Append(new Justification { Val = a });
        }
        var run = new RunProperties(new RunFonts { EastAsia = "FangSong", Ascii = "FangSong", HighAnsi = "FangSong" });
        if (bold)
        {
            run.Append(new Bold());
        }
        if (color is not null)
        {
            run.Append(new Color { Val = color });
        }
        run.Append(new FontSize { Val = size.ToString(CultureInfo.InvariantCulture) });
        return new Paragraph(props, new Run(run, new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
    }
}
