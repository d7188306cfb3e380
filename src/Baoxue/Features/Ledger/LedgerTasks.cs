using Baoxue.Domain;
using Baoxue.Features.Home;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Ledger;

/// <summary>
/// The ledger's 待办: entries to verify, verifications to approve, cases to assign, attempts due. The people responsible
/// see all of theirs; supervisors (the bureau, the township) also see the ones overdue below them.
/// </summary>
public sealed class LedgerTasks(IOptions<LedgerOptions> options) : ITaskSource
{
    public int Order => 100;

    /// <summary>How far ahead an attempt shows as due.</summary>
    public const int AttemptHorizonDays = 3;

    public async Task<IReadOnlyList<HomeTask>> TasksAsync(HomeContext home, CancellationToken ct)
    {
        var (db, user) = (home.Db, home.User);
        if (!user.Can(Permission.LedgerView) && !user.Can(Permission.LedgerVerify))
        {
            return [];
        }
        var o = options.Value;
        var actor = LedgerCommands.ActorOf(db);
        var today = db.County.Today;
        var items = await LedgerCounts.ItemsAsync(db, ct);
        var days = await DeadlineDays.LoadAsync(db, today, ct);
        var staffId = db.CurrentUser.Id is { } userId
            ? await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => u.Id == userId).Select(u => u.StaffId).FirstOrDefaultAsync(ct)
            : null;
        var tasks = new List<HomeTask>();

        void Add(string key, string link, IEnumerable<LedgerCounts.Item> chosen)
        {
            var dues = chosen.Select(i => LedgerCounts.Waiting(db, i, o, days)).Where(w => w is not null).Select(w => w!.Value.Due).ToList();
            if (dues.Count > 0)
            {
                var first = dues.Min();
                tasks.Add(new HomeTask(key, dues.Count, link, first, first < today));
            }
        }
        bool Overdue(LedgerCounts.Item i) => LedgerCounts.Waiting(db, i, o, days) is { } w && w.Due < today;

        if (user.Can(Permission.LedgerVerify))
        {
            Add("Ledger.Task.Verify", "/ledger?state=Reported", items.Where(i => i.State is LedgerEntryState.Reported or LedgerEntryState.Verifying
                && LedgerRules.MayVerify(actor, i.Path, i.ResidencePath) && (!actor.IsSupervisor || Overdue(i))));
        }
        if (user.Can(Permission.LedgerApprove))
        {
            Add("Ledger.Task.Approve", "/ledger?state=AwaitingApproval", items.Where(i => i.State == LedgerEntryState.AwaitingApproval
                && LedgerRules.MayApprove(actor, i.Path, i.ResidencePath, i.VerifiedBy)));
        }
        if (user.Can(Permission.LedgerAssign))
        {
            Add("Ledger.Task.Assign", "/ledger?state=Confirmed", items.Where(i => i.CaseState == LedgerCaseState.Opened && LedgerRules.MayAssign(actor, i.Path, i.ResidencePath)));
        }
        var attempts = items.Where(i => LedgerCounts.Waiting(db, i, o, days) is { Step: "attempt" } w
            && (((i.EducationStaffId == staffId || i.GovernmentStaffId == staffId) && staffId is not null && w.Due <= today.AddDays(AttemptHorizonDays))
                || (actor.IsSupervisor && w.Due < today)));
        Add("Ledger.Task.Attempt", "/ledger?state=Confirmed", attempts);
        return tasks;
    }
}
