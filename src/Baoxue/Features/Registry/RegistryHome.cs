using Baoxue.Domain;
using Baoxue.Features.Home;
using Baoxue.Features.Registry.RollCalls;
using Baoxue.Features.Registry.StatusChanges;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Registry;

/// <summary>Status changes on the home page: those waiting for the user's decision, and transfers the receiving side has not confirmed.</summary>
public sealed class StatusChangeTasks(IOptions<RegistryOptions> options) : ITaskSource
{
    public int Order => 100;

    public async Task<IReadOnlyList<HomeTask>> TasksAsync(HomeContext home, CancellationToken ct)
    {
        var (db, user) = (home.Db, home.User);
        var tasks = new List<HomeTask>();
        if (user.Can(Permission.StatusChangeApprove))
        {
            // The same rule as the list's "awaiting me" view: pending, at a stage this user's role and place decide.
            var actor = StatusChangeQueries.ActorOf(db);
            var pending = await db.StatusChanges.AsNoTracking().Where(c => c.State == StatusChangeState.Pending).ToListAsync(ct);
            tasks.Add(new("Home.Task.AwaitingMe", pending.Count(c => StatusChangeQueries.CanDecide(actor, c)), "/status-changes?view=AwaitingMe"));
        }
        if (user.Can(Permission.RegistryView))
        {
            tasks.Add(new("Home.Task.Unconfirmed", (await UnconfirmedTransfers.ListAsync(db, options, ct)).Count, "/status-changes/unconfirmed"));
        }
        return tasks;
    }
}

/// <summary>Roll calls on the home page: returns to submit or attest, anomalies to settle.</summary>
public sealed class RollCallTasks : ITaskSource
{
    public int Order => 200;

    public async Task<IReadOnlyList<HomeTask>> TasksAsync(HomeContext home, CancellationToken ct)
    {
        var (db, user) = (home.Db, home.User);
        var tasks = new List<HomeTask>();
        if (user.Can(Permission.RollCallConfirm))
        {
            var open = await db.RollCallReturns.AsNoTracking().Where(r => r.State == RollCallState.Open && r.Class!.SchoolYear!.IsCurrent)
                .Select(r => new { r.CampaignId, r.ClassId }).ToListAsync(ct);
            tasks.Add(new("Home.Task.ReturnsToSubmit", open.Count, open.Count == 1 ? $"/roll-calls/{open[0].CampaignId}/classes/{open[0].ClassId}" : OneCampaign(open.Select(o => o.CampaignId))));
            if (user.GetRole() == Role.SchoolAdmin)
            {
                var confirmed = await db.RollCallReturns.AsNoTracking().Where(r => r.State == RollCallState.Confirmed).Select(r => r.CampaignId).ToListAsync(ct);
                tasks.Add(new("Home.Task.ReturnsToAttest", confirmed.Count, OneCampaign(confirmed)));
            }
        }
        if (user.Can(Permission.RegistryEdit))
        {
            var anomalies = await db.RollCallMarks.AsNoTracking()
                .Where(m => m.ResolvedAt == null && (m.Kind == RollCallMarkKind.NotInSchool || m.Kind == RollCallMarkKind.PresentNotOnRoll))
                .Select(m => m.Return!.CampaignId).ToListAsync(ct);
            tasks.Add(new("Home.Task.OpenAnomalies", anomalies.Count, anomalies.Distinct().Count() == 1 ? $"/roll-calls/{anomalies[0]}/anomalies" : "/roll-calls"));
        }
        return tasks;
    }

    private static string OneCampaign(IEnumerable<Guid> campaigns) =>
        campaigns.Distinct().ToList() is [var only] ? $"/roll-calls/{only}" : "/roll-calls";
}

/// <summary>Students of the user's jurisdiction by status, each a link to the list filtered by it.</summary>
public sealed class StudentStatusTile : IHomeTile
{
    public int Order => 100;

    public async Task<HomeTile?> BuildAsync(HomeContext home, CancellationToken ct)
    {
        if (!home.User.Can(Permission.RegistryView))
        {
            return null;
        }
        var counts = await home.Db.Students.AsNoTracking().GroupBy(s => s.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        List<HomeFigure> figures = [new("Home.StudentsTotal", counts.Values.Sum(), "/students")];
        figures.AddRange(Enum.GetValues<StudentStatus>().Where(s => s == StudentStatus.InSchool || counts.GetValueOrDefault(s) > 0)
            .Select(s => new HomeFigure("StudentStatus." + s, counts.GetValueOrDefault(s), $"/students?status={s}")));
        return new HomeTile("Home.StudentsTile", figures, "/students");
    }
}

/// <summary>The latest roll-call campaign the user takes part in: classes confirmed, attested, anomalies still open.</summary>
public sealed class RollCallProgressTile : IHomeTile
{
    public int Order => 200;

    public async Task<HomeTile?> BuildAsync(HomeContext home, CancellationToken ct)
    {
        if (!home.User.Can(Permission.RegistryView))
        {
            return null;
        }
        var latest = (await RollCallQueries.CampaignsAsync(home.Db, ct)).FirstOrDefault();
        if (latest is null)
        {
            return null;
        }
        var openAnomalies = await home.Db.RollCallMarks.AsNoTracking()
            .CountAsync(m => m.Return!.CampaignId == latest.Id && m.ResolvedAt == null && (m.Kind == RollCallMarkKind.NotInSchool || m.Kind == RollCallMarkKind.PresentNotOnRoll), ct);
        var link = $"/roll-calls/{latest.Id}";
        return new HomeTile("Home.RollCallTile",
        [
            new("Home.RollCallClasses", latest.Classes, link),
            new("Home.RollCallConfirmed", latest.Confirmed, link),
            new("Home.RollCallAttested", latest.Attested, link),
            new("Home.RollCallOpenAnomalies", openAnomalies, $"/roll-calls/{latest.Id}/anomalies"),
        ], link, latest.Title);
    }
}

public static class RegistryHome
{
    public static void AddRegistryHome(this IServiceCollection services)
    {
        services.AddScoped<ITaskSource, StatusChangeTasks>();
        services.AddScoped<ITaskSource, RollCallTasks>();
        services.AddScoped<IHomeTile, StudentStatusTile>();
        services.AddScoped<IHomeTile, RollCallProgressTile>();
    }
}
