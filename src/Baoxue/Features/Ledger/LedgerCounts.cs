using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Ledger;

/// <summary>
/// "应劝尽劝，应返尽返" in figures, per township and per school: open entries by list and state, new this month, returned,
/// overdue steps, days since the last attempt, cases with no attempt for the set number of days. One read for the page
/// and the API; the ledger is small (hundreds to a few thousand children a county), so it is grouped in memory.
/// </summary>
public static class LedgerCounts
{
    public sealed record Line(
        string Key, string Name, int Open, int NotEnrolled, int Suspected, int Dropout, int Reported, int AwaitingApproval, int Confirmed,
        int Persuading, int NewThisMonth, int Returned, int Overdue, int? DaysSinceLastAttempt, int NoRecentAttempt);

    public sealed record Board(DateOnly AsOf, int NoAttemptDays, Line Total, IReadOnlyList<Line> Townships, IReadOnlyList<Line> Schools);

    /// <summary>One child's figures, and the facts the tasks read too.</summary>
    public sealed record Item(
        Guid EntryId, LedgerList List, LedgerEntryState State, bool IsNew, DateOnly ReportedOn, DateTime? VerifiedAt, string Path, string? ResidencePath,
        Guid? SchoolId, Guid? CaseId, LedgerCaseState? CaseState, DateTime? OpenedAt, DateTime? AssignedAt, DateOnly? ReturnedOn,
        Guid? EducationStaffId, Guid? GovernmentStaffId, DateOnly? LastAttemptOn, DateOnly? LastNextOn, string? VerifiedBy);

    public static async Task<List<Item>> ItemsAsync(BaoxueDb db, CancellationToken ct)
    {
        var raw = await db.LedgerEntries.AsNoTracking().Where(e => e.State != LedgerEntryState.Closed || (e.Case != null && e.Case.ReturnedOn != null))
            .Select(e => new
            {
                e.Id, e.List, e.State, e.IsNew, e.ReportedOn, e.VerifiedAt, e.Path, e.ResidencePath, e.SchoolId, e.VerifiedBy,
                CaseId = e.Case == null ? (Guid?)null : e.Case.Id,
                CaseState = e.Case == null ? (LedgerCaseState?)null : e.Case.State,
                OpenedAt = e.Case == null ? (DateTime?)null : e.Case.OpenedAt,
                AssignedAt = e.Case == null ? null : e.Case.AssignedAt,
                ReturnedOn = e.Case == null ? null : e.Case.ReturnedOn,
                EducationStaffId = e.Case == null ? null : e.Case.EducationStaffId,
                GovernmentStaffId = e.Case == null ? null : e.Case.GovernmentStaffId,
            }).ToListAsync(ct);
        var caseIds = raw.Where(r => r.CaseId is not null).Select(r => r.CaseId!.Value).ToList();
        var attempts = caseIds.Count == 0 ? [] : await db.PersuasionAttempts.IgnoreQueryFilters().AsNoTracking().Where(a => caseIds.Contains(a.CaseId))
            .Select(a => new { a.CaseId, a.On, a.NextOn, a.RecordedAt }).ToListAsync(ct);
        var last = attempts.GroupBy(a => a.CaseId).ToDictionary(g => g.Key, g => g.OrderBy(a => a.On).ThenBy(a => a.RecordedAt).Last());
        return [.. raw.Select(r =>
        {
            var a = r.CaseId is { } c ? last.GetValueOrDefault(c) : null;
            return new Item(r.Id, r.List, r.State, r.IsNew, r.ReportedOn, r.VerifiedAt, r.Path, r.ResidencePath, r.SchoolId, r.CaseId, r.CaseState, r.OpenedAt,
                r.AssignedAt, r.ReturnedOn, r.EducationStaffId, r.GovernmentStaffId, a?.On, a?.NextOn, r.VerifiedBy);
        })];
    }

    /// <summary>
    /// When the item's waiting step is due, and which step: verify, approve, assign (working days, 工作日) or the next
    /// attempt (the date the last attempt set, else calendar days after assignment).
    /// </summary>
    public static (string Step, DateOnly Due)? Waiting(BaoxueDb db, Item i, LedgerOptions o, DeadlineDays days) => i.State switch
    {
        LedgerEntryState.Reported or LedgerEntryState.Verifying => ("verify", days.AddWorkingDays(i.Path, i.ReportedOn, o.VerifyDays)),
        LedgerEntryState.AwaitingApproval => ("approve", days.AddWorkingDays(i.Path, db.County.DateOf(i.VerifiedAt ?? db.County.UtcNow), o.ApproveDays)),
        LedgerEntryState.Confirmed when i.CaseState == LedgerCaseState.Opened && i.OpenedAt is { } opened => ("assign", days.AddWorkingDays(i.Path, db.County.DateOf(opened), o.AssignDays)),
        LedgerEntryState.Confirmed when i.CaseState is { } s && LedgerRules.NextAttemptDue(s, i.LastNextOn, i.AssignedAt is { } at ? db.County.DateOf(at) : null, o.FirstAttemptDays) is { } due
            => ("attempt", due),
        _ => null,
    };

    /// <summary>The open entries whose waiting step is past due, and the step: what the figures count as overdue and the list's overdue filter shows.</summary>
    public static async Task<List<(Item Item, LedgerStep Step)>> OverdueAsync(BaoxueDb db, LedgerOptions o, CancellationToken ct)
    {
        var today = db.County.Today;
        var days = await DeadlineDays.LoadAsync(db, today, ct);
        return [.. (await ItemsAsync(db, ct)).Where(i => i.State != LedgerEntryState.Closed)
            .Select(i => (Item: i, Waiting: Waiting(db, i, o, days)))
            .Where(x => x.Waiting is { } w && w.Due < today)
            .Select(x => (x.Item, Enum.Parse<LedgerStep>(x.Waiting!.Value.Step, ignoreCase: true)))];
    }

    public static async Task<Board> BuildAsync(BaoxueDb db, LedgerOptions o, CancellationToken ct = default)
    {
        var items = await ItemsAsync(db, ct);
        var today = db.County.Today;
        var days = await DeadlineDays.LoadAsync(db, today, ct);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var schools = await db.Schools.IgnoreQueryFilters().AsNoTracking().Where(s => items.Select(i => i.SchoolId).Contains(s.Id))
            .Select(s => new { s.Id, s.Name }).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var townships = await db.Divisions.IgnoreQueryFilters().AsNoTracking().Where(d => d.Level == DivisionLevel.Township)
            .Select(d => new { d.Path, d.Name }).ToDictionaryAsync(d => d.Path, d => d.Name, ct);

        Line Sum(string key, string name, IEnumerable<Item> group)
        {
            var list = group.ToList();
            var open = list.Where(i => i.State != LedgerEntryState.Closed).ToList();
            var active = open.Where(i => i.CaseState is LedgerCaseState.Assigned or LedgerCaseState.Persuading or LedgerCaseState.Reopened).ToList();
            int SinceLast(Item i) => today.DayNumber - (i.LastAttemptOn ?? (i.AssignedAt is { } at ? db.County.DateOf(at) : db.County.DateOf(i.OpenedAt!.Value))).DayNumber;
            return new Line(key, name, open.Count,
                open.Count(i => i.List == LedgerList.NotEnrolled), open.Count(i => i.List == LedgerList.SuspectedDropout), open.Count(i => i.List == LedgerList.Dropout),
                open.Count(i => i.State is LedgerEntryState.Reported or LedgerEntryState.Verifying), open.Count(i => i.State == LedgerEntryState.AwaitingApproval),
                open.Count(i => i.State == LedgerEntryState.Confirmed), active.Count,
                list.Count(i => i.IsNew && i.ReportedOn >= monthStart), list.Count(i => i.ReturnedOn is not null),
                open.Count(i => Waiting(db, i, o, days) is { } w && w.Due < today),
                active.Count == 0 ? null : active.Max(SinceLast),
                active.Count(i => SinceLast(i) >= o.NoAttemptDays));
        }

        // A child counts for the township they live in, else their school's.
        string? TownshipOf(Item i) => LedgerRules.Township(i.ResidencePath) ?? LedgerRules.Township(i.Path);
        var byTownship = items.GroupBy(i => TownshipOf(i) ?? "").Where(g => g.Key.Length > 0)
            .Select(g => Sum(g.Key, townships.GetValueOrDefault(g.Key) ?? g.Key, g)).OrderBy(l => l.Key, StringComparer.Ordinal).ToList();
        var bySchool = items.Where(i => i.SchoolId is not null).GroupBy(i => i.SchoolId!.Value)
            .Select(g => Sum(g.Key.ToString(), schools.GetValueOrDefault(g.Key) ?? "", g)).OrderBy(l => PinyinOrder.Key(l.Name), StringComparer.Ordinal).ToList();
        return new Board(today, o.NoAttemptDays, Sum("", "", items), byTownship, bySchool);
    }
}
