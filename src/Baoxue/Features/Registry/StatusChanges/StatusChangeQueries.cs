using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Paging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Registry.StatusChanges;

/// <summary>
/// Status changes the user can see (either side of a transfer), with what the user may do to each. A change's
/// student is named (name, masked ID) to both sides even when only one of them holds the student's record.
/// </summary>
public static class StatusChangeQueries
{
    public enum View
    {
        All = 0,
        AwaitingMe = 1,
        Mine = 2,
    }

    public sealed record Filter(View View = View.All, StatusChangeKind? Kind = null, StatusChangeState? State = null, Guid? StudentId = null);

    public sealed record Row(
        Guid Id, StatusChangeKind Kind, StatusChangeState State, Guid StudentId, string StudentName, string? IdNumberMasked,
        Guid FromSchoolId, string FromSchool, Guid? ToSchoolId, string? ToSchool, string? ExternalSchool,
        DateOnly EffectiveOn, DateTime RequestedAt, string RequestedBy, ApprovalStage? AwaitingStage, bool CanDecide)
    {
        /// <summary>The requester's display name (张三), for people to read; <see cref="RequestedBy"/> is the account.</summary>
        public string RequestedByName { get; init; } = RequestedBy;
    }

    public sealed record Step(int Number, ApprovalStage Stage, bool? Approved, string? DecidedBy, DateTime? DecidedAt, string? Comment)
    {
        public string? DecidedByName { get; init; } = DecidedBy;
    }

    public sealed record Detail(
        Row Row, string Reason, string? Evidence, DateOnly? ExpectedReturnOn, Guid? FromClassId, string? FromClass, Guid? ToClassId, string? ToClass,
        DateTime? DecidedAt, IReadOnlyList<Step> Steps, bool CanDecide, bool CanWithdraw, bool CanReject, bool CanChooseClass);

    public static ApprovalChain.Actor ActorOf(BaoxueDb db) => new(db.CurrentUser.Role, db.ScopePath);

    public static bool CanDecide(ApprovalChain.Actor actor, StatusChange c) =>
        c.State == StatusChangeState.Pending && c.AwaitingStage is { } stage && ApprovalChain.MayDecide(actor, c.Kind, stage, c.Path, c.TargetPath);

    /// <summary>The most rows one export holds: a county's changes over many years.</summary>
    public const int MaxExportRows = 100_000;

    private static IQueryable<StatusChange> Query(BaoxueDb db, Filter f)
    {
        var query = db.StatusChanges.AsNoTracking();
        if (f.Kind is { } kind)
        {
            query = query.Where(c => c.Kind == kind);
        }
        if (f.State is { } state)
        {
            query = query.Where(c => c.State == state);
        }
        if (f.StudentId is { } student)
        {
            query = query.Where(c => c.StudentId == student);
        }
        var userName = db.CurrentUser.UserName;
        query = f.View switch
        {
            View.Mine => query.Where(c => c.RequestedBy == userName),
            View.AwaitingMe => query.Where(c => c.State == StatusChangeState.Pending),
            _ => query,
        };
        return query.OrderByDescending(c => c.RequestedAt).ThenByDescending(c => c.Id);
    }

    /// <summary>
    /// One page of the list and how many match: the same read for /status-changes and GET /api/v1/status-changes.
    /// "Awaiting me" depends on the approval chain (code, not SQL), so it is decided over the pending changes in reach,
    /// which stay few because a pending change is one per student.
    /// </summary>
    public static async Task<PagedResult<Row>> PageAsync(BaoxueDb db, Filter f, PageRequest page, CancellationToken ct = default)
    {
        var actor = ActorOf(db);
        var query = Query(db, f);
        if (f.View == View.AwaitingMe)
        {
            var mine = (await query.ToListAsync(ct)).Where(c => CanDecide(actor, c)).ToList();
            return page.Of(await RowsAsync(db, actor, [.. mine.Skip(page.Skip).Take(page.PageSize)], ct), mine.Count);
        }
        var total = await query.CountAsync(ct);
        return page.Of(await RowsAsync(db, actor, await query.Skip(page.Skip).Take(page.PageSize).ToListAsync(ct), ct), total);
    }

    /// <summary>Every row the list shows for the filter, in its order (up to <see cref="MaxExportRows"/>): what the export writes.</summary>
    public static async Task<List<Row>> ListAsync(BaoxueDb db, Filter f, CancellationToken ct = default) =>
        [.. (await PageAsync(db, f, new PageRequest(1, MaxExportRows), ct)).Items];

    public static async Task<Detail?> DetailAsync(BaoxueDb db, Guid id, CancellationToken ct = default)
    {
        var change = await db.StatusChanges.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (change is null)
        {
            return null;
        }
        var actor = ActorOf(db);
        var row = (await RowsAsync(db, actor, [change], ct))[0];
        var approvals = await db.StatusApprovals.AsNoTracking().Where(a => a.StatusChangeId == id).OrderBy(a => a.DecidedAt).ToListAsync(ct);
        var steps = new List<Step>();
        var deciders = await Accounts.DisplayNames.LoadAsync(db, approvals.Select(a => a.DecidedBy), ct);
        var stages = ApprovalChain.Stages(change.Kind);
        for (var i = 0; i < stages.Count; i++)
        {
            var decided = approvals.LastOrDefault(a => a.Stage == stages[i]);
            steps.Add(new Step(i + 1, stages[i], decided?.Approved, decided?.DecidedBy, decided?.DecidedAt, decided?.Comment) { DecidedByName = decided is null ? null : deciders.Of(decided.DecidedBy) });
        }
        var classIds = new[] { change.FromClassId, change.ToClassId }.OfType<Guid>().ToList();
        var classes = await db.Classes.IgnoreQueryFilters().AsNoTracking().Where(c => classIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        string? ClassName(Guid? classId) => classId is { } x && classes.TryGetValue(x, out var cls) ? Infrastructure.Localization.ChineseFormat.ClassName(cls) : null;
        var canDecide = CanDecide(actor, change);
        return new Detail(
            row, change.Reason, change.Evidence, change.ExpectedReturnOn, change.FromClassId, ClassName(change.FromClassId), change.ToClassId, ClassName(change.ToClassId),
            change.DecidedAt, steps, canDecide, WithdrawStatusChange.MayWithdraw(change, db.CurrentUser.UserName),
            canDecide && ApprovalChain.MayReject(change.Kind, change.AwaitingStage!.Value),
            canDecide && change.AwaitingStage == ApprovalStage.ReceivingSchool && ApprovalChain.IsTransferWithinDeployment(change.Kind));
    }

    /// <summary>Rows for changes already visible to the user: the student's name and masked ID, and both schools' names.</summary>
    public static async Task<List<Row>> RowsAsync(BaoxueDb db, ApprovalChain.Actor actor, IReadOnlyList<StatusChange> changes, CancellationToken ct)
    {
        var studentIds = changes.Select(c => c.StudentId).Distinct().ToList();
        var students = await db.Students.IgnoreQueryFilters().AsNoTracking().Where(s => studentIds.Contains(s.Id))
            .Select(s => new { s.Id, s.Name, s.IdNumberMasked }).ToDictionaryAsync(s => s.Id, ct);
        var schoolIds = changes.Select(c => c.FromSchoolId).Concat(changes.Where(c => c.ToSchoolId != null).Select(c => c.ToSchoolId!.Value)).Distinct().ToList();
        var schools = await db.Schools.IgnoreQueryFilters().AsNoTracking().Where(s => schoolIds.Contains(s.Id)).Select(s => new { s.Id, s.Name }).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var requesters = await Accounts.DisplayNames.LoadAsync(db, changes.Select(c => c.RequestedBy), ct);
        return [.. changes.Select(c => new Row(
            c.Id, c.Kind, c.State, c.StudentId, students[c.StudentId].Name, db.Disclosure.IdNumber(students[c.StudentId].IdNumberMasked),
            c.FromSchoolId, schools.GetValueOrDefault(c.FromSchoolId) ?? "", c.ToSchoolId, c.ToSchoolId is { } to ? schools.GetValueOrDefault(to) : null, c.ExternalSchool,
            c.EffectiveOn, c.RequestedAt, c.RequestedBy, c.AwaitingStage, CanDecide(actor, c)) { RequestedByName = requesters.Of(c.RequestedBy) })];
    }
}

/// <summary>
/// Transfers whose receiving school has not confirmed within the set number of working days
/// (<see cref="RegistryOptions.TransferConfirmWorkingDays"/>): each side sees its own.
/// </summary>
public static class UnconfirmedTransfers
{
    public sealed record Item(StatusChangeQueries.Row Row, int WorkingDaysWaiting);

    public static async Task<List<Item>> ListAsync(BaoxueDb db, IOptions<RegistryOptions> options, CancellationToken ct = default)
    {
        var days = options.Value.TransferConfirmWorkingDays;
        var today = db.County.Today;
        var pending = await db.StatusChanges.AsNoTracking()
            .Where(c => c.State == StatusChangeState.Pending
                && (c.Kind == StatusChangeKind.TransferOut
                    || ((c.Kind == StatusChangeKind.TransferWithinCounty || c.Kind == StatusChangeKind.TransferAcrossCounty) && c.AwaitingStage == ApprovalStage.ReceivingSchool)))
            .OrderBy(c => c.RequestedAt)
            .ToListAsync(ct);
        var overdue = pending
            .Where(c => ApprovalChain.AwaitsReceivingConfirmation(c.Kind, c.State, c.AwaitingStage))
            .Select(c => (Change: c, Waiting: WorkingDays.Between(db.County.DateOf(c.RequestedAt), today)))
            .Where(x => x.Waiting >= days)
            .ToList();
        var rows = await StatusChangeQueries.RowsAsync(db, StatusChangeQueries.ActorOf(db), [.. overdue.Select(x => x.Change)], ct);
        return [.. rows.Zip(overdue, (row, x) => new Item(row, x.Waiting))];
    }
}
