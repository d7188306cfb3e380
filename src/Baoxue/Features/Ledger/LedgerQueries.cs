using System.Text.Json;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Accounts;
using Baoxue.Infrastructure.Paging;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Ledger;

/// <summary>A stage of the funnel 疑似 → 确认 → 返校 → 销号 (all time): each counts the children who got at least that far.</summary>
public enum LedgerFunnelStage
{
    /// <summary>Put on the suspected-dropout or dropout list.</summary>
    Suspected = 1,
    /// <summary>Confirmed a dropout: a case was opened.</summary>
    Confirmed = 2,
    /// <summary>Back in school.</summary>
    Returned = 3,
    /// <summary>The case closed (销号).</summary>
    Closed = 4,
}

/// <summary>The step an open entry waits for (<see cref="LedgerCounts.Waiting"/>): 核查, 审核, 分配, 劝返.</summary>
public enum LedgerStep
{
    Verify = 1,
    Approve = 2,
    Assign = 3,
    Attempt = 4,
}

/// <summary>
/// The ledger as users read it: one query for the three lists (page, API and export), one entry's detail with its case
/// and history. Scoped by the database's filters (the school's path, or where the child lives); IDs and birth dates as
/// the registry shows them to this user (IdDisclosure).
/// </summary>
public static class LedgerQueries
{
    /// <summary>Whether a filter narrows the list the way a dashboard figure does (beyond the form's own fields), so the page says so.</summary>
    public static bool IsDrillDown(Filter f) =>
        f.OpenOnly || f.Grade is not null || f.Reason is not null || f.Group is not null || f.Disability is not null || f.OpenCase || f.Stage is not null || f.Overdue
        || f.Step is not null || f.Division is not null;

    public sealed record Filter(
        LedgerList? List = null, LedgerEntryState? State = null, string? Township = null, Guid? SchoolId = null, LedgerSource? Source = null,
        bool NewThisMonth = false, bool OpenOnly = false,
        // The figures' drill-down (decision 0027): grade, cause, priority group, 残疾类别 and open cases, as the prepared rows count them.
        int? Grade = null, string? Reason = null, GroupKind? Group = null, string? Disability = null, bool OpenCase = false,
        // The funnel's stages and the overdue steps, counted by the same conditions (InStage, LedgerCounts.OverdueAsync).
        LedgerFunnelStage? Stage = null, bool Overdue = false, LedgerStep? Step = null,
        // A county's or city's division code: a city or province user's drill-down into one place of theirs.
        string? Division = null);

    public sealed record Row(
        Guid Id, string Name, Gender Gender, string? IdNumber, string Born, LedgerList List, LedgerEntryState State, LedgerSource Source, bool IsNew,
        DateOnly ReportedOn, string Reason, Guid? StudentId, string? School, int? Grade, string? Residence, string? HouseholdAddress,
        VerificationOutcome? Outcome, Guid? CaseId, LedgerCaseState? CaseState, string? EducationLine, string? GovernmentLine);

    /// <summary>The most rows one export holds.</summary>
    public const int MaxExportRows = 100_000;

    /// <summary>The entries a stage of the funnel counts: every child ever put on the suspected or dropout lists, closed ones too.</summary>
    public static IQueryable<LedgerEntry> InStage(IQueryable<LedgerEntry> q, LedgerFunnelStage stage)
    {
        q = q.Where(e => e.List != LedgerList.NotEnrolled);
        return stage switch
        {
            LedgerFunnelStage.Confirmed => q.Where(e => e.Case != null),
            LedgerFunnelStage.Returned => q.Where(e => e.Case != null && e.Case.ReturnedOn != null),
            LedgerFunnelStage.Closed => q.Where(e => e.Case != null && e.Case.State == LedgerCaseState.Closed),
            _ => q,
        };
    }

    private static async Task<IQueryable<LedgerEntry>> QueryAsync(BaoxueDb db, Filter f, LedgerOptions? options, CancellationToken ct)
    {
        var q = Query(db, f);
        if (f.Overdue || f.Step is not null)
        {
            // Overdue counts working days of the county calendar, which SQL cannot: the ledger's own rule picks the
            // entries (a few thousand a county), the list then reads just those.
            var overdue = await LedgerCounts.OverdueAsync(db, options ?? throw new ArgumentNullException(nameof(options), "The overdue filter needs the ledger's deadlines."), ct);
            var ids = overdue.Where(o => f.Step is null || o.Step == f.Step).Select(o => o.Item.EntryId).ToList();
            q = q.Where(e => ids.Contains(e.Id));
        }
        return q;
    }

    private static IQueryable<LedgerEntry> Query(BaoxueDb db, Filter f)
    {
        var q = db.LedgerEntries.AsNoTracking();
        if (f.Stage is { } stage)
        {
            q = InStage(q, stage);
        }
        if (!string.IsNullOrEmpty(f.Division))
        {
            var code = f.Division;
            var division = db.Divisions.IgnoreQueryFilters().Where(d => d.Code == code && d.Level <= DivisionLevel.County).Select(d => d.Path);
            q = q.Where(e => division.Any(p => e.Path.StartsWith(p) || (e.ResidencePath != null && e.ResidencePath.StartsWith(p))));
        }
        if (f.List is { } list)
        {
            q = q.Where(e => e.List == list);
        }
        if (f.State is { } state)
        {
            q = q.Where(e => e.State == state);
        }
        else if (f.OpenOnly)
        {
            q = q.Where(e => e.State != LedgerEntryState.Closed);
        }
        if (!string.IsNullOrEmpty(f.Township))
        {
            var code = f.Township;
            var township = db.Divisions.IgnoreQueryFilters().Where(d => d.Code == code && d.Level == DivisionLevel.Township).Select(d => d.Path);
            q = q.Where(e => township.Any(p => e.Path.StartsWith(p) || (e.ResidencePath != null && e.ResidencePath.StartsWith(p))));
        }
        if (f.SchoolId is { } school)
        {
            q = q.Where(e => e.SchoolId == school);
        }
        if (f.Source is { } source)
        {
            q = q.Where(e => e.Source == source);
        }
        if (f.Grade is { } grade)
        {
            q = q.Where(e => e.Grade == grade);
        }
        if (!string.IsNullOrEmpty(f.Reason))
        {
            q = q.Where(e => e.Reason == f.Reason);
        }
        if (f.Group is { } group)
        {
            q = q.Where(e => e.Student != null && e.Student.Tags.Any(t => t.Kind == group && t.EndedOn == null));
        }
        if (!string.IsNullOrEmpty(f.Disability))
        {
            q = q.Where(e => e.Student != null && e.Student.Tags.Any(t => t.Kind == GroupKind.Disabled && t.EndedOn == null && t.DisabilityType == f.Disability));
        }
        if (f.OpenCase)
        {
            q = q.Where(e => e.Case != null && e.Case.State != LedgerCaseState.Closed);
        }
        if (f.NewThisMonth)
        {
            var today = db.County.Today;
            var first = new DateOnly(today.Year, today.Month, 1);
            q = q.Where(e => e.IsNew && e.ReportedOn >= first);
        }
        return q;
    }

    private static IQueryable<LedgerEntry> Ordered(IQueryable<LedgerEntry> q) =>
        q.OrderBy(e => e.List).ThenBy(e => e.NameKey).ThenBy(e => e.Id);

    /// <param name="options">The ledger's deadlines: needed only by the overdue filter.</param>
    public static async Task<PagedResult<Row>> PageAsync(BaoxueDb db, Filter f, PageRequest page, CancellationToken ct = default, LedgerOptions? options = null)
    {
        var q = await QueryAsync(db, f, options, ct);
        var total = await q.CountAsync(ct);
        var rows = await RowsAsync(db, Ordered(q).Skip(page.Skip).Take(page.PageSize), ct);
        return page.Of(rows, total);
    }

    public static async Task<List<Row>> ListAsync(BaoxueDb db, Filter f, CancellationToken ct = default, LedgerOptions? options = null) =>
        await RowsAsync(db, Ordered(await QueryAsync(db, f, options, ct)).Take(MaxExportRows), ct);

    private static async Task<List<Row>> RowsAsync(BaoxueDb db, IQueryable<LedgerEntry> q, CancellationToken ct)
    {
        var raw = await q.Select(e => new
        {
            e.Id, e.Name, e.Gender, e.IdNumberMasked, e.BirthDate, e.List, e.State, e.Source, e.IsNew, e.ReportedOn, e.Reason, e.StudentId,
            School = e.School == null ? null : e.School.Name, e.Grade, e.HouseholdDivisionCode, e.HouseholdAddress, e.Outcome,
            CaseId = e.Case == null ? (Guid?)null : e.Case.Id,
            CaseState = e.Case == null ? (LedgerCaseState?)null : e.Case.State,
            Education = e.Case == null || e.Case.EducationStaff == null ? null : e.Case.EducationStaff.Name,
            Government = e.Case == null || e.Case.GovernmentStaff == null ? null : e.Case.GovernmentStaff.Name,
        }).ToListAsync(ct);
        var places = await PlaceNamesAsync(db, raw.Select(r => r.HouseholdDivisionCode), ct);
        var disclosure = db.Disclosure;
        return [.. raw.Select(r => new Row(r.Id, r.Name, r.Gender, disclosure.IdNumber(r.IdNumberMasked), Born(r.BirthDate, disclosure), r.List, r.State, r.Source, r.IsNew,
            r.ReportedOn, r.Reason, r.StudentId, r.School, r.Grade, r.HouseholdDivisionCode is { } code ? places.GetValueOrDefault(code) : null, r.HouseholdAddress,
            r.Outcome, r.CaseId, r.CaseState, r.Education, r.Government))];
    }

    public static string Born(DateOnly birth, IdDisclosure disclosure) =>
        disclosure.BirthDate(birth) is { } day ? Infrastructure.Localization.ChineseFormat.Date(day) : IdDisclosure.BirthMonth(birth);

    /// <summary>"凤山镇 · 东岭村" for a village code; the township's name for a township code.</summary>
    public static async Task<Dictionary<string, string>> PlaceNamesAsync(BaoxueDb db, IEnumerable<string?> codes, CancellationToken ct)
    {
        var wanted = codes.OfType<string>().Distinct().ToList();
        if (wanted.Count == 0)
        {
            return [];
        }
        var found = await db.Divisions.IgnoreQueryFilters().AsNoTracking().Where(d => wanted.Contains(d.Code))
            .Select(d => new { d.Code, d.Name, Parent = d.Parent == null ? null : d.Parent.Name, d.Level }).ToListAsync(ct);
        return found.ToDictionary(d => d.Code, d => d.Level == DivisionLevel.Village && d.Parent is not null ? d.Parent + " · " + d.Name : d.Name);
    }

    public sealed record Receipt(LedgerSource Source, LedgerList List, string Reason, DateOnly ReportedOn, LedgerIntakeOutcome Outcome);

    public sealed record HistoryLine(DateTime At, string By, string Record, string? From, string? To);

    public sealed record CaseView(
        Guid Id, int Version, LedgerCaseState State, DateTime OpenedAt, Guid? EducationStaffId, string? EducationLine, Guid? GovernmentStaffId, string? GovernmentLine,
        string? AssignedBy, DateTime? AssignedAt, EscalationStep Escalation, DateOnly? ReturnedOn, PlacementKind? Placement, DateOnly? FollowUpUntil,
        int ReopenCount, int Attempts, DateOnly? LastAttemptOn, DateOnly? NextAttemptDue);

    public sealed record Detail(
        Row Row, int Version, string? HouseholdDivisionCode, string ReportedBy, string? ElsewhereSchool, bool? ElsewhereInCounty, string? VerificationNote,
        string? VerifiedBy, DateTime? VerifiedAt, string? ApprovedBy, DateTime? ApprovedAt, string? ApprovalNote, LedgerClosure? Closure, DateOnly? ClosedOn,
        string Path, string? ResidencePath, CaseView? Case, IReadOnlyList<Receipt> Receipts, IReadOnlyList<HistoryLine> History,
        bool CanVerify, bool CanApprove, bool CanAssign, DisplayNames Names);

    public static async Task<Detail?> DetailAsync(BaoxueDb db, Guid id, LedgerOptions options, CancellationToken ct = default)
    {
        var e = await db.LedgerEntries.AsNoTracking().Include(x => x.Case).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (e is null)
        {
            return null;
        }
        var row = (await RowsAsync(db, db.LedgerEntries.AsNoTracking().Where(x => x.Id == id), ct)).Single();
        var receipts = await db.LedgerReportReceipts.IgnoreQueryFilters().AsNoTracking().Where(r => r.EntryId == id).OrderBy(r => r.ReceivedAt)
            .Select(r => new Receipt(r.Source, r.List, r.Reason, r.ReportedOn, r.Outcome)).ToListAsync(ct);
        CaseView? view = null;
        var records = new List<string> { id.ToString() };
        if (e.Case is { } c)
        {
            records.Add(c.Id.ToString());
            var attempts = await db.PersuasionAttempts.IgnoreQueryFilters().AsNoTracking().Where(a => a.CaseId == c.Id).OrderBy(a => a.On).ThenBy(a => a.RecordedAt)
                .Select(a => new { a.On, a.NextOn }).ToListAsync(ct);
            var people = await db.Staff.IgnoreQueryFilters().AsNoTracking().Where(s => s.Id == c.EducationStaffId || s.Id == c.GovernmentStaffId)
                .Select(s => new { s.Id, s.Name, s.Post }).ToListAsync(ct);
            string? Person(Guid? staffId) => people.FirstOrDefault(p => p.Id == staffId) is { } p ? $"{p.Name}（{p.Post}）" : null;
            var assignedOn = c.AssignedAt is { } at ? db.County.DateOf(at) : (DateOnly?)null;
            view = new CaseView(c.Id, c.Version, c.State, c.OpenedAt, c.EducationStaffId, Person(c.EducationStaffId), c.GovernmentStaffId, Person(c.GovernmentStaffId),
                c.AssignedBy, c.AssignedAt, c.Escalation, c.ReturnedOn, c.Placement, c.FollowUpUntil, c.ReopenCount, attempts.Count, attempts.LastOrDefault()?.On,
                LedgerRules.NextAttemptDue(c.State, attempts.LastOrDefault()?.NextOn, assignedOn, options.FirstAttemptDays));
        }
        // The record's own audit lines: read past the log's filter, since the entry itself is in the user's reach.
        var lines = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking()
            .Where(a => (a.EntityType == nameof(LedgerEntry) || a.EntityType == nameof(LedgerCase)) && records.Contains(a.EntityId!))
            .OrderBy(a => a.Sequence).Select(a => new { a.At, a.UserName, a.EntityType, a.Before, a.After }).ToListAsync(ct);
        var history = lines.Select(l => new HistoryLine(l.At, l.UserName, l.EntityType, StateIn(l.Before, l.EntityType), StateIn(l.After, l.EntityType)))
            .Where(h => h.To is not null)
            // One save writes the entry's confirmation and the case's opening at the same instant: the entry first.
            .OrderBy(h => h.At).ThenBy(h => h.Record == nameof(LedgerCase) ? 1 : 0).ToList();
        var actor = LedgerCommands.ActorOf(db);
        var names = await DisplayNames.LoadAsync(db, [e.ReportedBy, e.VerifiedBy, e.ApprovedBy, e.Case?.AssignedBy, .. history.Select(h => h.By)], ct);
        return new Detail(row, e.Version, e.HouseholdDivisionCode, e.ReportedBy, e.ElsewhereSchool, e.ElsewhereInCounty, e.VerificationNote, e.VerifiedBy, e.VerifiedAt,
            e.ApprovedBy, e.ApprovedAt, e.ApprovalNote, e.Closure, e.ClosedOn, e.Path, e.ResidencePath, view, receipts, history,
            LedgerEntryFlow.Allows(e.State, LedgerEntryTrigger.Verify) && LedgerRules.MayVerify(actor, e.Path, e.ResidencePath),
            e.State == LedgerEntryState.AwaitingApproval && LedgerRules.MayApprove(actor, e.Path, e.ResidencePath, e.VerifiedBy),
            e.Case is { } open && LedgerCaseFlow.Allows(open.State, LedgerCaseTrigger.Assign) && LedgerRules.MayAssign(actor, open.Path, open.ResidencePath),
            names);
    }

    /// <summary>The state a change line recorded ("State" in its before/after), as the state's name.</summary>
    private static string? StateIn(string? json, string record)
    {
        if (json is null)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("State", out var state) || state.ValueKind != JsonValueKind.Number)
            {
                return null;
            }
            var n = state.GetInt32();
            return record == nameof(LedgerCase) ? ((LedgerCaseState)n).ToString() : ((LedgerEntryState)n).ToString();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Schools in the user's reach, for the filter and the counts.</summary>
    public static async Task<List<(Guid Id, string Name)>> SchoolsAsync(BaoxueDb db, CancellationToken ct) =>
        [.. (await db.LedgerEntries.AsNoTracking().Where(e => e.SchoolId != null).Select(e => new { Id = e.SchoolId!.Value, e.School!.Name }).Distinct().ToListAsync(ct))
            .OrderBy(s => Domain.PinyinOrder.Key(s.Name), StringComparer.Ordinal).Select(s => (s.Id, s.Name))];

    public static async Task<List<(string Code, string Name)>> TownshipsAsync(BaoxueDb db, CancellationToken ct) =>
        [.. (await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Township).Select(d => new { d.Code, d.Name, d.Path }).ToListAsync(ct))
            .Where(d => db.ScopePath is null || d.Path.StartsWith(db.ScopePath, StringComparison.Ordinal) || db.ScopePath.StartsWith(d.Path, StringComparison.Ordinal))
            .OrderBy(d => d.Code, StringComparer.Ordinal).Select(d => (d.Code, d.Name))];
}
