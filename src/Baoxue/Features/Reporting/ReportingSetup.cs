using Baoxue.Domain;
using Baoxue.Features.Home;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Reporting;

public static class ReportingSetup
{
    public static void AddReporting(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ReportingOptions>(builder.Configuration.GetSection(ReportingOptions.Section));
        builder.Services.AddScoped<ITaskSource, ReportingTasks>();
        builder.Services.AddScoped<IHomeTile, CampaignTile>();
    }

    internal static void Configure(ModelBuilder builder)
    {
        builder.Entity<Report>(e =>
        {
            e.Property(x => x.UnitName).HasMaxLength(100);
            e.Property(x => x.Narrative).HasMaxLength(ReportCommands.NarrativeMax);
            e.Property(x => x.GeneratedBy).HasMaxLength(256);
            e.Property(x => x.SubmittedBy).HasMaxLength(256);
            e.Property(x => x.DecidedBy).HasMaxLength(256);
            e.Property(x => x.DecisionNote).HasMaxLength(ReportCommands.NoteMax);
            e.Property(x => x.Path).HasMaxLength(256);
            e.Property(x => x.ReviewerPath).HasMaxLength(256);
            // One report per unit, kind and period: generating twice cannot file two.
            e.HasIndex(x => new { x.Path, x.Kind, x.PeriodStart }).IsUnique();
            e.HasIndex(x => new { x.ReviewerPath, x.State });
            // A snapshot read by a report is never cleared away (only current sets are): found by it when asked.
            e.HasIndex(x => x.FigureSetId);
        });
        builder.Entity<Campaign>(e =>
        {
            e.Property(x => x.Title).HasMaxLength(Campaigns.TitleMax);
            e.Property(x => x.Description).HasMaxLength(Campaigns.TextMax);
            e.Property(x => x.CreatedBy).HasMaxLength(256);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => x.Path);
            e.HasMany(x => x.Phases).WithOne(x => x.Campaign).HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<CampaignPhase>(e => e.HasIndex(x => new { x.CampaignId, x.Kind }).IsUnique());
        builder.Entity<CampaignProgress>(e =>
        {
            e.Property(x => x.Note).HasMaxLength(Campaigns.NoteMax);
            e.Property(x => x.MarkedBy).HasMaxLength(256);
            e.Property(x => x.ReviewNote).HasMaxLength(Campaigns.NoteMax);
            e.Property(x => x.ReviewedBy).HasMaxLength(256);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => new { x.PhaseId, x.SchoolId }).IsUnique();
            e.HasIndex(x => new { x.CampaignId, x.SchoolId });
            e.HasIndex(x => x.Path);
            e.HasIndex(x => x.SchoolId);
            e.HasOne(x => x.Campaign).WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Phase).WithMany().HasForeignKey(x => x.PhaseId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}

/// <summary>
/// 待办 from the reporting rhythm and campaigns: the unit's report for the last period not yet submitted (or returned),
/// reports waiting for this user's decision, campaign phases due at the user's school, phases marked done waiting for
/// the county.
/// </summary>
public sealed class ReportingTasks(IOptions<ReportingOptions> options) : ITaskSource
{
    public int Order => 400;

    public async Task<IReadOnlyList<HomeTask>> TasksAsync(HomeContext home, CancellationToken ct)
    {
        var db = home.Db;
        var path = db.ScopePath ?? "";
        var today = db.County.Today;
        var tasks = new List<HomeTask>();
        if (home.User.Can(Permission.ReportingPrepare) && await ReportCommands.UnitAsync(db, path, ct) is { } unit)
        {
            foreach (var kind in ReportRhythm.KindsFor(unit.Level))
            {
                var (start, end) = ReportRhythm.PreviousPeriod(kind, today);
                var due = ReportRhythm.DueOn(kind, end, options.Value.DueDays);
                var state = await db.Reports.AsNoTracking().Where(r => r.Path == path && r.Kind == kind && r.PeriodStart == start).Select(r => (ReportState?)r.State).FirstOrDefaultAsync(ct);
                if (state is null or ReportState.Draft or ReportState.Returned)
                {
                    tasks.Add(new HomeTask("Reporting.Task.Due." + kind, 1, "/reports", due, today > due));
                }
            }
        }
        if (home.User.Can(Permission.ReportingReview))
        {
            tasks.Add(new HomeTask("Reporting.Task.ToReview", await ReportQueries.CountToReviewAsync(db, ct), "/reports?view=ToReview"));
        }
        if (home.User.Can(Permission.CampaignsMark))
        {
            var horizon = today.AddDays(options.Value.PhaseWarningDays);
            var open = await db.CampaignProgress.AsNoTracking().Where(p => p.Path == path && (p.State == PhaseState.Open || p.State == PhaseState.Returned) && p.Phase!.DueOn <= horizon)
                .Select(p => new { p.CampaignId, p.SchoolId, p.Phase!.Kind, p.Phase.DueOn }).ToListAsync(ct);
            // Only the phase the school can work now: the one before it is confirmed.
            var confirmed = await db.CampaignProgress.AsNoTracking().Where(p => p.Path == path && p.State == PhaseState.Confirmed)
                .Select(p => new { p.CampaignId, p.Phase!.Kind }).ToListAsync(ct);
            var workable = open.Where(p => p.Kind == CampaignPhaseKind.SelfCheck || confirmed.Any(c => c.CampaignId == p.CampaignId && c.Kind == p.Kind - 1)).ToList();
            if (workable.Count > 0)
            {
                var first = workable.Min(p => p.DueOn);
                tasks.Add(new HomeTask("Reporting.Task.PhaseDue", workable.Count, "/campaigns", first, today > first));
            }
        }
        if (home.User.Can(Permission.CampaignsManage))
        {
            tasks.Add(new HomeTask("Reporting.Task.PhaseToConfirm",
                await db.CampaignProgress.AsNoTracking().CountAsync(p => p.State == PhaseState.Marked && p.Campaign!.Path == path, ct), "/campaigns"));
        }
        return tasks;
    }
}

/// <summary>The running campaigns' progress on the home page: per phase, schools confirmed of all, and overdue.</summary>
public sealed class CampaignTile : IHomeTile
{
    public int Order => 400;

    public async Task<HomeTile?> BuildAsync(HomeContext home, CancellationToken ct)
    {
        if (!home.User.Can(Permission.CampaignsView) || (await CampaignQueries.RunningAsync(home.Db, ct)).FirstOrDefault() is not { } running)
        {
            return null;
        }
        List<HomeFigure> figures = [];
        foreach (var p in running.Phases)
        {
            figures.Add(new HomeFigure("Reporting.Tile.Confirmed." + p.Kind, p.Confirmed, $"/campaigns/{running.Id}"));
            figures.Add(new HomeFigure("Reporting.Tile.Overdue." + p.Kind, p.Overdue, $"/campaigns/{running.Id}"));
        }
        return new HomeTile("Reporting.Tile.Campaign", figures, $"/campaigns/{running.Id}", running.Title);
    }
}
