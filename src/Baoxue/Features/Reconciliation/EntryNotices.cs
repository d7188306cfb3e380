using System.Globalization;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Casework;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Baoxue.Infrastructure.Localization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Reconciliation;

/// <summary>
/// 入学通知书 (decision 0031): every household child of entry age gets one from their catchment school (the village's,
/// else the township's primary school, as the school line of 两线劝返 chooses it), numbered 〔年份〕N号 per school and
/// year without gaps, printed in batch per school (print page and DOCX from one sheet). The village cadre hands it
/// over and records the receipt's return; enrolment is read from the registry (a grade-1 student with the child's ID).
/// </summary>
public static class EntryNotices
{
    public sealed record DueChild(
        Guid ChildId, string Name, string NameKey, Gender Gender, DateOnly BirthDate, string? IdNumberMasked, string DivisionCode, string? Village,
        string? Address, string? Guardian, Guid? SchoolId, string? SchoolName, Guid? NoticeId, string? Number, EntryNoticeState? State, DateOnly? ReturnedOn,
        int NoticeVersion, bool Enrolled, string Path);

    public sealed record SchoolRow(Guid SchoolId, string SchoolName, int Due, int Issued, int Returned, int Enrolled);

    /// <summary>
    /// The children of entry age under the user's jurisdiction with their catchment school, notice and enrolment (one
    /// query for page, API and print). A school's users see the children it is the catchment school of, wherever they live.
    /// <paramref name="village"/> (a village's division code) keeps the children registered in that village: the village
    /// cadre hands the notices over door to door, whichever school issued them.
    /// </summary>
    public static async Task<List<DueChild>> DueAsync(BaoxueDb db, ReconciliationOptions options, int year, Guid? schoolId, CancellationToken ct = default, string? village = null)
    {
        var (bornAfter, bornBy) = TransitionChecks.EntryBirths(options.CutOffOf(year), options);
        var schoolScope = ReconciliationQueries.SchoolScope(db);
        var children = db.HouseholdChildren.AsNoTracking();
        Guid? ownSchool = null;
        if (schoolScope is not null)
        {
            var own = await db.Schools.AsNoTracking().Where(s => s.Path == schoolScope).Select(s => new { s.Id, s.Path }).FirstOrDefaultAsync(ct);
            ownSchool = own?.Id;
            var county = PlacePath.County(schoolScope) ?? schoolScope;
            children = db.HouseholdChildren.IgnoreQueryFilters().AsNoTracking().Where(h => h.Path.StartsWith(county));
        }
        if (village is { Length: > 0 })
        {
            children = children.Where(h => h.DivisionCode == village);
        }
        var rows = await children.Where(h => h.BirthDate > bornAfter && h.BirthDate <= bornBy)
            .Select(h => new { h.Id, h.Name, h.NameKey, h.Gender, h.BirthDate, h.IdNumberMasked, h.IdNumberHash, h.DivisionCode, h.HouseholdAddress, h.GuardianName, h.Path })
            .ToListAsync(ct);
        var divisions = await db.Divisions.IgnoreQueryFilters().AsNoTracking().Select(d => new { d.Id, d.Code, d.Name }).ToListAsync(ct);
        var byCode = divisions.ToDictionary(d => d.Code, StringComparer.Ordinal);
        var schools = await db.Schools.IgnoreQueryFilters().AsNoTracking()
            .Select(s => new RunReconciliation.SchoolInfo(s.Id, s.Name, s.Path, s.Kind, s.TownshipId, s.VillageId, s.IsActive)).ToListAsync(ct);
        var nearest = new RunReconciliation.NearestSchools(schools);
        var schoolName = schools.ToDictionary(s => s.Id, s => s.Name);
        var ids = rows.Select(r => r.Id).ToList();
        var notices = (await db.EntryNotices.IgnoreQueryFilters().AsNoTracking().Where(n => n.Year == year && ids.Contains(n.HouseholdChildId)).ToListAsync(ct))
            .ToDictionary(n => n.HouseholdChildId);
        var hashes = rows.Where(r => r.IdNumberHash != null).Select(r => r.IdNumberHash!).ToList();
        var enrolled = (await db.Students.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.Grade == 1 && (s.Status == StudentStatus.InSchool || s.Status == StudentStatus.Suspended) && s.IdNumberHash != null && hashes.Contains(s.IdNumberHash))
            .Select(s => s.IdNumberHash!).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var result = new List<DueChild>(rows.Count);
        foreach (var r in rows)
        {
            Guid? villageId = r.DivisionCode.Length == 12 && byCode.TryGetValue(r.DivisionCode, out var v) ? v.Id : null;
            Guid? township = r.DivisionCode.Length >= 9 && byCode.TryGetValue(r.DivisionCode[..9], out var t) ? t.Id : null;
            notices.TryGetValue(r.Id, out var n);
            var school = n?.SchoolId ?? nearest.For(villageId, township, AgeBand.PreSchool);
            if ((schoolId is { } wanted && school != wanted) || (ownSchool is { } mine && school != mine))
            {
                continue;
            }
            result.Add(new DueChild(r.Id, r.Name, r.NameKey, r.Gender, r.BirthDate, r.IdNumberMasked, r.DivisionCode,
                byCode.TryGetValue(r.DivisionCode, out var place) ? place.Name : null, r.HouseholdAddress, r.GuardianName,
                school, school is { } sid ? schoolName.GetValueOrDefault(sid) : null, n?.Id, n?.Number, n?.State, n?.ReturnedOn, n?.Version ?? 0,
                r.IdNumberHash is { } h && enrolled.Contains(h), r.Path));
        }
        return [.. result.OrderBy(x => x.NameKey, StringComparer.Ordinal).ThenBy(x => x.ChildId)];
    }

    public static IReadOnlyList<SchoolRow> BySchool(IEnumerable<DueChild> due) =>
        [.. due.Where(d => d.SchoolId is not null).GroupBy(d => (d.SchoolId!.Value, d.SchoolName ?? ""))
            .Select(g => new SchoolRow(g.Key.Value, g.Key.Item2, g.Count(), g.Count(x => x.NoticeId is not null), g.Count(x => x.State == EntryNoticeState.Returned), g.Count(x => x.Enrolled)))
            .OrderBy(s => s.SchoolName, StringComparer.Ordinal)];

    public sealed record IssueCommand(Guid? SchoolId, int? Year, string? Village = null);

    /// <summary>
    /// Issues a notice to every child due at the school (or registered in the village, or both) who has none this year,
    /// numbered per school in pinyin order, in one transaction.
    /// </summary>
    public static async Task<Outcome<int>> IssueAsync(BaoxueDb db, ReconciliationOptions options, IssueCommand c, CancellationToken ct = default)
    {
        if (c.SchoolId is null && c.Village is not { Length: > 0 })
        {
            return Outcome<int>.Invalid("SchoolId", "EntryNotice.SchoolRequired");
        }
        if (c.SchoolId is { } sid && !await db.Schools.AsNoTracking().AnyAsync(s => s.Id == sid, ct))
        {
            return Outcome<int>.Missing();
        }
        if (c.Village is { Length: > 0 } code && !await db.Divisions.AsNoTracking().AnyAsync(d => d.Code == code && d.Level == DivisionLevel.Village, ct))
        {
            return Outcome<int>.Invalid("Village", "EntryNotice.VillageUnknown");
        }
        var today = db.County.Today;
        var year = c.Year ?? DefaultYear(options, today);
        if (year < today.Year - 1 || year > today.Year + 1)
        {
            return Outcome<int>.Invalid("Year", "Transition.YearRange");
        }
        var due = (await DueAsync(db, options, year, c.SchoolId, ct, c.Village)).Where(d => d.NoticeId is null && d.SchoolId is not null).ToList();
        if (due.Count == 0)
        {
            return Outcome<int>.Invalid(c.SchoolId is null ? "Village" : "SchoolId", "EntryNotice.NoneDue");
        }
        var schoolIds = due.Select(d => d.SchoolId!.Value).Distinct().ToList();
        var paths = await db.Schools.IgnoreQueryFilters().AsNoTracking().Where(s => schoolIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Path, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        using (db.AuditAsBatch($"入学通知书 {c.Village ?? ""}{(c.SchoolId is null ? "" : " " + paths[c.SchoolId.Value])} {year}"))
        {
            foreach (var d in due)
            {
                var n = await DocumentNumbers.NextAsync(db, paths[d.SchoolId!.Value] + "#entry", year, ct);
                db.EntryNotices.Add(new EntryNotice
                {
                    HouseholdChildId = d.ChildId, SchoolId = d.SchoolId.Value, Year = year, Sequence = n, Number = $"〔{year}〕{n}号",
                    IssuedOn = today, IssuedBy = db.CurrentUser.UserName ?? "system", Path = d.Path,
                });
            }
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return Outcome<int>.Ok(due.Count);
    }

    /// <summary>Notices go out in spring and summer for the autumn: the entry year is this year until the cut-off, then next year.</summary>
    public static int DefaultYear(ReconciliationOptions options, DateOnly today) => today <= options.CutOffOf(today.Year) ? today.Year : today.Year + 1;

    public sealed record ReturnCommand(Guid Id, int? Version);

    /// <summary>The receipt came back signed: recorded once.</summary>
    public static async Task<Outcome<EntryNotice>> ReturnedAsync(BaoxueDb db, ReturnCommand c, CancellationToken ct = default)
    {
        var n = await db.EntryNotices.FirstOrDefaultAsync(x => x.Id == c.Id, ct);
        if (n is null)
        {
            return Outcome<EntryNotice>.Missing();
        }
        if (n.State != EntryNoticeState.Issued || (c.Version is { } v && v != n.Version))
        {
            return Outcome<EntryNotice>.Conflicted();
        }
        n.State = EntryNoticeState.Returned;
        n.ReturnedOn = db.County.Today;
        n.ReturnedBy = db.CurrentUser.UserName;
        return await db.SaveAsync(n, ct);
    }

    public sealed record Sheet(string School, string Number, string Addressee, IReadOnlyList<string> Body, string Sign, string DateLine, string Receipt);

    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo(TextTable.Chinese);

    /// <summary>
    /// The issued notices of a school, a village or both, and a year, as printed (in Chinese whatever the reader's
    /// language: it goes to the family); by school, then number.
    /// </summary>
    public static async Task<List<Sheet>> SheetsAsync(BaoxueDb db, TextTable table, ReconciliationOptions options, Guid? schoolId, int year, CancellationToken ct = default, string? village = null)
    {
        string Zh(string key, params object[] args) => string.Format(Chinese, table.Find(key, Chinese) ?? key, args);
        if (schoolId is null && village is not { Length: > 0 })
        {
            return [];
        }
        var due = (await DueAsync(db, options, year, schoolId, ct, village)).Where(d => d.NoticeId is not null).ToList();
        var noticeIds = due.Select(d => d.NoticeId!.Value).ToList();
        var issued = await db.EntryNotices.IgnoreQueryFilters().AsNoTracking().Where(n => noticeIds.Contains(n.Id)).ToDictionaryAsync(n => n.Id, ct);
        var schoolIds = issued.Values.Select(n => n.SchoolId).Distinct().ToList();
        var schoolNames = await db.Schools.IgnoreQueryFilters().AsNoTracking().Where(s => schoolIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        return [.. due.OrderBy(d => schoolNames.GetValueOrDefault(issued[d.NoticeId!.Value].SchoolId), StringComparer.Ordinal).ThenBy(d => issued[d.NoticeId!.Value].Sequence).Select(d =>
        {
            var n = issued[d.NoticeId!.Value];
            var school = schoolNames.GetValueOrDefault(n.SchoolId) ?? "";
            var birth = $"{d.BirthDate.Year}年{d.BirthDate.Month}月{d.BirthDate.Day}日";
            var masked = db.Disclosure.IdNumber(d.IdNumberMasked);
            return new Sheet(school, n.Number, Zh("EntryNotice.Addressee", d.Guardian ?? d.Name),
                [
                    masked is null ? Zh("EntryNotice.Child", d.Name, Zh("Gender." + d.Gender), birth, (d.Village ?? "") + (d.Address ?? ""))
                        : Zh("EntryNotice.ChildWithId", d.Name, Zh("Gender." + d.Gender), birth, (d.Village ?? "") + (d.Address ?? ""), masked),
                    Zh("EntryNotice.Demand", $"{year}年{options.TransitionDeadline(year).Month}月1日", school),
                    Zh("EntryNotice.Basis"),
                ],
                Zh("EntryNotice.Sign", school),
                CaseworkRules.OfficialDate(n.IssuedOn),
                Zh("EntryNotice.Receipt", n.Number, d.Name, school));
        })];
    }

    /// <summary>All the notices of a batch in one Word file, one A4 page each, the receipt at the foot to cut off.</summary>
    public static byte[] Docx(IReadOnlyList<Sheet> sheets, string title)
    {
        using var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var body = new Body();
            for (var i = 0; i < sheets.Count; i++)
            {
                var s = sheets[i];
                body.Append(Para(s.School, 44, bold: true, align: JustificationValues.Center, color: "C00000"));
                body.Append(Para(s.Number, 32, align: JustificationValues.Center));
                body.Append(Para(title, 44, bold: true, align: JustificationValues.Center));
                body.Append(Para(s.Addressee, 32));
                foreach (var line in s.Body)
                {
                    body.Append(Para(line, 32, indent: true));
                }
                body.Append(Para(s.Sign, 32, align: JustificationValues.Right));
                body.Append(Para(s.DateLine, 32, align: JustificationValues.Right));
                body.Append(Para("- - - - - - - - - - - - - - - - - - - - - - - - - - - - - -", 24, align: JustificationValues.Center));
                body.Append(Para(s.Receipt, 28));
                if (i < sheets.Count - 1)
                {
                    body.Append(new Paragraph(new Run(new Break { Type = BreakValues.Page })));
                }
            }
            body.Append(new SectionProperties(
                new PageSize { Width = 11906, Height = 16838 },
                new PageMargin { Top = 1440, Bottom = 1440, Left = 1588, Right = 1474, Header = 851, Footer = 992, Gutter = 0 }));
            main.Document = new Document(body);
            main.Document.Save();
        }
        return stream.ToArray();
    }

    private static Paragraph Para(string text, int size, bool bold = false, JustificationValues? align = null, string? color = null, bool indent = false)
    {
        var props = new ParagraphProperties(new SpacingBetweenLines { Line = "480", LineRule = LineSpacingRuleValues.Exact });
        if (indent)
        {
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
