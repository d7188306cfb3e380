using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Home;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Baoxue.Features.Rates;

public sealed class RatesOptions
{
    /// <summary>Minutes between recomputes of the current figures (0: only on demand and at the monthly snapshot).</summary>
    public int RecomputeMinutes { get; set; } = 60;
}

/// <summary>Recomputes the current figures on a schedule (the first run at start-up). Quartz's clustered store runs it on one server.</summary>
[DisallowConcurrentExecution]
public sealed class RecomputeFiguresJob(FigureBuilder builder) : IJob
{
    public static readonly JobKey Key = new("figures-recompute", "rates");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await builder.BuildAsync(FigureSetKind.Current, "system", ct: cancellationToken);
}

/// <summary>
/// Freezes the month that ended, on the 1st at 00:30 county time. Clustered Quartz fires it on one server; should two
/// still race, the month's unique key lets one set stand (<see cref="FigureBuilder.MonthlyAsync"/>).
/// </summary>
[DisallowConcurrentExecution]
public sealed class MonthlySnapshotJob(FigureBuilder builder, CountyClock clock) : IJob
{
    public static readonly JobKey Key = new("figures-monthly", "rates");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await builder.MonthlyAsync(clock.Today, cancellationToken);
}

/// <summary>The use cases: targets, recompute, snapshots (each checks the user's reach; writes are audited by the database).</summary>
public static class RateCommands
{
    public sealed record TargetInput(string? Path, string? Rate, decimal? Percent);

    public static async Task<Outcome<RateTarget>> SetTargetAsync(BaoxueDb db, TargetInput input, CancellationToken ct = default)
    {
        var path = string.IsNullOrWhiteSpace(input.Path) ? FigureQueries.HomePath(db) : input.Path.Trim();
        if (!RateRules.IsRate(input.Rate))
        {
            return Outcome<RateTarget>.Invalid("Rate", "Rates.BadRate");
        }
        if (input.Percent is not { } percent || !RateRules.IsValidTarget(percent))
        {
            return Outcome<RateTarget>.Invalid("Percent", "Rates.BadPercent");
        }
        // Targets are set for the own jurisdiction, not for the places below it (they inherit it) nor above.
        if (path != FigureQueries.HomePath(db) || await FigureQueries.PlaceAsync(db, path, ct) is not { SchoolId: null })
        {
            return Outcome<RateTarget>.Invalid("Path", "Rates.BadPlace");
        }
        var target = await db.RateTargets.FirstOrDefaultAsync(t => t.Path == path && t.Rate == input.Rate, ct);
        if (target is null)
        {
            target = new RateTarget { Path = path, Rate = input.Rate!, UpdatedBy = db.CurrentUser.UserName };
            db.RateTargets.Add(target);
        }
        target.Percent = percent;
        target.UpdatedBy = db.CurrentUser.UserName;
        target.UpdatedAt = db.County.UtcNow;
        await db.SaveChangesAsync(ct);
        return Outcome<RateTarget>.Ok(target);
    }

    public static async Task<Outcome<FigureSet>> SnapshotAsync(FigureBuilder builder, BaoxueDb db, FigureSetKind kind, string? note, CancellationToken ct = default)
    {
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is { Length: > 200 })
        {
            return Outcome<FigureSet>.Invalid("Note", "Validation.TooLong", 200);
        }
        var set = await builder.BuildAsync(kind, db.CurrentUser.UserName, note, ct: ct);
        // The set itself is written as the system (every county's figures); this line says who asked, from where.
        db.Audit(AuditAction.Create, nameof(FigureSet), set.Id.ToString(), FigureQueries.HomePath(db), kind.ToString());
        await db.SaveChangesAsync(ct);
        return Outcome<FigureSet>.Ok(set);
    }
}

public static class RatesSetup
{
    public static void AddRates(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<RatesOptions>(builder.Configuration.GetSection("Rates"));
        builder.Services.AddSingleton<FigureBuilder>();
        builder.Services.AddScoped<IHomeTile, RatesTile>();
        var options = builder.Configuration.GetSection("Rates").Get<RatesOptions>() ?? new RatesOptions();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(builder.Configuration["Baoxue:TimeZone"]) ? CountyClock.DefaultZone : builder.Configuration["Baoxue:TimeZone"]!);
        // The one scheduler (set up by AttendanceSetup, clustered on PostgreSQL): these only add jobs and triggers to it.
        builder.Services.AddQuartz(q =>
        {
            q.AddJob<MonthlySnapshotJob>(j => j.WithIdentity(MonthlySnapshotJob.Key).StoreDurably(true).DisallowConcurrentExecution(true).WithDescription("Monthly snapshot of the figures"));
            q.AddTrigger(t => t.ForJob(MonthlySnapshotJob.Key).WithIdentity("figures-monthly", "rates")
                .WithSchedule(CronScheduleBuilder.Create("0 30 0 1 * ?").InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            q.AddJob<RecomputeFiguresJob>(j => j.WithIdentity(RecomputeFiguresJob.Key).StoreDurably(true).DisallowConcurrentExecution(true).WithDescription("Recompute the current figures"));
            if (options.RecomputeMinutes > 0)
            {
                q.AddTrigger(t => t.ForJob(RecomputeFiguresJob.Key).WithIdentity("figures-recompute", "rates").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(options.RecomputeMinutes)).RepeatForever()));
            }
        });
    }
}

/// <summary>The home page's 数据概览 tile: the user's rates at a glance, linking to the dashboard.</summary>
public sealed class RatesTile : IHomeTile
{
    // First: "how are we doing?" is what the home page answers before the areas' own figures.
    public int Order => 50;

    public async Task<HomeTile?> BuildAsync(HomeContext home, CancellationToken ct)
    {
        if (!Infrastructure.Security.BaoxueClaims.Can(home.User, Permission.RatesView) || await FigureQueries.SetAsync(home.Db, null, null, ct) is not { } set)
        {
            return null;
        }
        var path = FigureQueries.HomePath(home.Db);
        var rows = await home.Db.FigureRows.AsNoTracking().Where(r => r.SetId == set.Id && r.Path == path).ToDictionaryAsync(r => (r.Measure, r.Dimension), r => r.Value, ct);
        var link = "/rates";
        var place = await FigureQueries.PlaceAsync(home.Db, path, ct);
        // Each figure opens the list of its children (as on the dashboard), where the user may read that list.
        string? List(string measure) => place is not null && FigureLinks.For(place, home.Db.CurrentUser.ScopePath, measure, "") is { } drill
            && Infrastructure.Security.BaoxueClaims.Can(home.User, drill.Permission) ? drill.Page : link;
        return new HomeTile("Rates.Tile", [
            new HomeFigure("Rates.Enrolled", rows.GetValueOrDefault((Measures.Enrolled, "")), List(Measures.Enrolled)),
            new HomeFigure("Rates.OpenLedger", Enum.GetValues<Ledger.LedgerList>().Sum(l => rows.GetValueOrDefault((Measures.Ledger, Measures.Dim(("list", l))))), List(Measures.Ledger)),
            new HomeFigure("Rates.OpenCases", rows.GetValueOrDefault((Measures.Cases, "")), List(Measures.Cases)),
            new HomeFigure("Rates.Overdue", rows.GetValueOrDefault((Measures.Overdue, "")), List(Measures.Overdue)),
        ], link, Infrastructure.Localization.ChineseFormat.Date(set.AsOf));
    }
}
