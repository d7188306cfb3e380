using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Home;
using Baoxue.Infrastructure.Paging;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Casework;

/// <summary>The casework lists (one query each, for the page and the API) and the tasks they feed.</summary>
public static class CaseworkQueries
{
    public enum View
    {
        /// <summary>Notices whose deadline passed unsettled.</summary>
        Overdue = 1,
        /// <summary>Close-outs waiting for the county.</summary>
        CloseOut = 2,
        /// <summary>Returned children being followed.</summary>
        FollowUp = 3,
        /// <summary>Cases closed out (still readable).</summary>
        Closed = 4,
    }

    public sealed record Row(Guid CaseId, string Name, string? School, LedgerCaseState State, EscalationStep Escalation, DateOnly? Due, string? Notice, DateOnly? LastAttemptOn);

    /// <summary>Superiors see their people's overdue deadlines; others see only the cases they answer for.</summary>
    public static bool IsSuperior(Role? role) => role is null or Role.CountyAdmin or Role.BureauStaff or Role.SchoolAdmin or Role.TownshipCadre or Role.Inspector or Role.ReadOnlyLeader or Role.RegionalStaff;

    private static async Task<IQueryable<LedgerCase>> CasesAsync(BaoxueDb db, CancellationToken ct)
    {
        var cases = db.LedgerCases.AsNoTracking();
        if (IsSuperior(db.CurrentUser.Role))
        {
            return cases;
        }
        var userId = db.CurrentUser.Id;
        var staffId = await db.Users.Where(u => u.Id == userId).Select(u => u.StaffId).FirstOrDefaultAsync(ct);
        return cases.Where(c => staffId != null && (c.EducationStaffId == staffId || c.GovernmentStaffId == staffId));
    }

    private static async Task<IQueryable<Row>> QueryAsync(BaoxueDb db, View view, CancellationToken ct)
    {
        var today = db.County.Today;
        var cases = await CasesAsync(db, ct);
        return view switch
        {
            View.Overdue => from n in db.CaseNotices.AsNoTracking()
                            join c in cases on n.CaseId equals c.Id
                            where n.DeadlineOn < today && n.SettledAt == null && c.State != LedgerCaseState.Closed
                            orderby n.DeadlineOn, n.Id
                            select new Row(c.Id, c.Entry!.Name, c.Entry.School!.Name, c.State, c.Escalation, n.DeadlineOn, n.NumberPrefix + "〔" + n.Year + "〕" + n.Number + "号",
                                db.PersuasionAttempts.Where(a => a.CaseId == c.Id).Max(a => (DateOnly?)a.On)),
            _ => from c in cases
                 where view == View.CloseOut ? c.State == LedgerCaseState.ClosingRequested
                     : view == View.FollowUp ? c.State == LedgerCaseState.FollowUp || c.State == LedgerCaseState.Returned
                     : c.State == LedgerCaseState.Closed
                 orderby c.Entry!.NameKey, c.Id
                 select new Row(c.Id, c.Entry!.Name, c.Entry.School!.Name, c.State, c.Escalation, view == View.FollowUp ? c.FollowUpUntil : null, null,
                     db.PersuasionAttempts.Where(a => a.CaseId == c.Id).Max(a => (DateOnly?)a.On)),
        };
    }

    public static async Task<PagedResult<Row>> PageAsync(BaoxueDb db, View view, PageRequest page, CancellationToken ct = default)
    {
        var query = await QueryAsync(db, view, ct);
        var total = await query.CountAsync(ct);
        return page.Of<Row>(await query.Skip(page.Skip).Take(page.PageSize).ToListAsync(ct), total);
    }

    public static async Task<int> CountAsync(BaoxueDb db, View view, CancellationToken ct = default) =>
        await (await QueryAsync(db, view, ct)).CountAsync(ct);

    /// <summary>Follow-ups whose period has run: the close-out may now be asked.</summary>
    public static async Task<int> FollowUpEndedAsync(BaoxueDb db, CancellationToken ct)
    {
        var today = db.County.Today;
        return await (await CasesAsync(db, ct)).CountAsync(c => c.State == LedgerCaseState.FollowUp && c.FollowUpUntil <= today, ct);
    }
}

/// <summary>待办 from casework: missed notice deadlines (the responsible people and their superiors), follow-ups ended, close-outs to approve.</summary>
public sealed class CaseworkTasks : ITaskSource
{
    public int Order => 210;

    public async Task<IReadOnlyList<HomeTask>> TasksAsync(HomeContext home, CancellationToken ct)
    {
        var tasks = new List<HomeTask>();
        if (home.User.Can(Permission.CaseworkView))
        {
            tasks.Add(new("Casework.Task.DeadlineMissed", await CaseworkQueries.CountAsync(home.Db, CaseworkQueries.View.Overdue, ct), "/casework?view=Overdue"));
        }
        if (home.User.Can(Permission.CaseworkEdit))
        {
            tasks.Add(new("Casework.Task.FollowUpEnded", await CaseworkQueries.FollowUpEndedAsync(home.Db, ct), "/casework?view=FollowUp"));
        }
        if (home.User.Can(Permission.CaseworkApprove))
        {
            tasks.Add(new("Casework.Task.ApproveCloseOut", await CaseworkQueries.CountAsync(home.Db, CaseworkQueries.View.CloseOut, ct), "/casework?view=CloseOut"));
        }
        return tasks;
    }
}
