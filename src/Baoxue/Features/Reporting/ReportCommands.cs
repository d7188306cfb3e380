using Baoxue.Data;
using Baoxue.Features.Rates;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Reporting;

/// <summary>Settings of the reporting rhythm (section <c>Reporting</c>): days after a period's end until its report is due.</summary>
public sealed class ReportingOptions
{
    public const string Section = "Reporting";
    /// <summary>学校月报: by the 5th of the next month.</summary>
    public int MonthlyDueDays { get; set; } = 5;
    /// <summary>季度通报: within 15 days of the quarter.</summary>
    public int QuarterlyDueDays { get; set; } = 15;
    public int TermDueDays { get; set; } = 15;
    public int YearDueDays { get; set; } = 30;
    /// <summary>How many days before a campaign phase's deadline the school sees it as a task.</summary>
    public int PhaseWarningDays { get; set; } = 7;

    public ReportDueDays DueDays => new(MonthlyDueDays, QuarterlyDueDays, TermDueDays, YearDueDays);
}

/// <summary>The report's use cases: generate, edit, refresh the figures, submit, approve or return, archive. Pages and API call these.</summary>
public static class ReportCommands
{
    public const int NarrativeMax = 4000;
    public const int NoteMax = 500;

    public sealed record Generate(ReportKind? Kind, DateOnly? Period);
    public sealed record Edit(string? Narrative, int? Version);
    public sealed record Step(int? Version);
    public sealed record Decision(bool Approve, string? Note, int? Version);

    /// <summary>The filing unit of a path: a school, or a county, city or province division; null for other places.</summary>
    public static async Task<(ReportLevel Level, string Name)?> UnitAsync(BaoxueDb db, string? path, CancellationToken ct)
    {
        if (path is null)
        {
            return null;
        }
        if (await db.Schools.IgnoreQueryFilters().AsNoTracking().Where(s => s.Path == path).Select(s => s.Name).FirstOrDefaultAsync(ct) is { } school)
        {
            return (ReportLevel.School, school);
        }
        var division = await db.Divisions.IgnoreQueryFilters().AsNoTracking().Where(d => d.Path == path).Select(d => new { d.Name, d.Level }).FirstOrDefaultAsync(ct);
        return division?.Level switch
        {
            DivisionLevel.County => (ReportLevel.County, division.Name),
            DivisionLevel.City => (ReportLevel.City, division.Name),
            DivisionLevel.Province => (ReportLevel.Province, division.Name),
            _ => null,
        };
    }

    public static async Task<Outcome<Report>> GenerateAsync(BaoxueDb db, FigureBuilder builder, ReportingOptions options, Generate c, CancellationToken ct = default)
    {
        if (c.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            return Outcome<Report>.Invalid("Kind", "Validation.Required", "Field.ReportKind");
        }
        var path = db.ScopePath;
        if (await UnitAsync(db, path, ct) is not { } unit || !ReportRhythm.KindsFor(unit.Level).Contains(kind))
        {
            return Outcome<Report>.Invalid("Kind", "Reporting.KindNotForUnit");
        }
        if (ReportRhythm.ReviewerPath(unit.Level, path!) is not { } reviewer)
        {
            return Outcome<Report>.Invalid("Kind", "Reporting.NoLevelAbove");
        }
        var today = db.County.Today;
        var (start, end) = c.Period is { } on ? ReportRhythm.PeriodOf(kind, on) : ReportRhythm.PreviousPeriod(kind, today);
        if (start > today)
        {
            return Outcome<Report>.Invalid("Period", "Reporting.PeriodNotStarted");
        }
        if (await db.Reports.AnyAsync(r => r.Path == path && r.Kind == kind && r.PeriodStart == start, ct))
        {
            return Outcome<Report>.Invalid("Period", "Reporting.AlreadyGenerated");
        }
        var set = await ClosingSnapshotAsync(db, end, ct);
        if (set is null && start < Movement.WindowStart(today))
        {
            // A fresh snapshot counts movement from the last school year on; an older period needs the snapshot of its time.
            return Outcome<Report>.Invalid("Period", "Reporting.PeriodTooOld");
        }
        set ??= await SnapshotAsync(db, builder, ct);
        var figures = await FigureCounter.ReadAsync(db, set, unit.Level, path!, unit.Name, start, end, ct);
        var report = new Report
        {
            Kind = kind,
            PeriodStart = start,
            PeriodEnd = end,
            AsOf = figures.AsOf,
            DueOn = ReportRhythm.DueOn(kind, end, options.DueDays),
            UnitName = unit.Name,
            Figures = "",
            FigureSetId = set.Id,
            GeneratedAt = db.Clock.GetUtcNow().UtcDateTime,
            GeneratedBy = db.CurrentUser.UserName,
            Path = path!,
            ReviewerPath = reviewer,
        };
        db.Reports.Add(report);
        return await db.SaveAsync(report, ct);
    }

    /// <summary>
    /// The month-end snapshot that closes a period which has ended, when one was taken: the normal rhythm, so filing last
    /// month's report reads the figures frozen at the turn of the month and takes no snapshot of its own.
    /// </summary>
    public static async Task<FigureSet?> ClosingSnapshotAsync(BaoxueDb db, DateOnly periodEnd, CancellationToken ct)
    {
        if (periodEnd >= db.County.Today)
        {
            return null;
        }
        var month = Movement.Month(periodEnd);
        return await db.FigureSets.AsNoTracking().FirstOrDefaultAsync(s => s.Month == month && s.IsComplete, ct);
    }

    /// <summary>A rates snapshot taken now on demand for a report (the same set the dashboard reads for today until the next one).</summary>
    public static async Task<FigureSet> SnapshotAsync(BaoxueDb db, FigureBuilder builder, CancellationToken ct) =>
        await builder.BuildAsync(FigureSetKind.OnDemand, db.CurrentUser.UserName, ct: ct);

    public static async Task<Outcome<Report>> EditAsync(BaoxueDb db, Guid id, Edit c, CancellationToken ct = default)
    {
        var narrative = string.IsNullOrWhiteSpace(c.Narrative) ? null : c.Narrative.Trim();
        if (narrative is { Length: > NarrativeMax })
        {
            return Outcome<Report>.Invalid("Narrative", "Validation.TooLong", NarrativeMax);
        }
        return await MoveAsync(db, id, ReportTrigger.Edit, c.Version, r => r.Narrative = narrative, ct);
    }

    /// <summary>Counts the figures again in a snapshot taken now: only while the unit still edits (a submitted report keeps what it said).</summary>
    public static Task<Outcome<Report>> RefreshAsync(BaoxueDb db, FigureBuilder builder, Guid id, Step c, CancellationToken ct = default) =>
        MoveAsync(db, id, ReportTrigger.Edit, c.Version, async r =>
        {
            var unit = await UnitAsync(db, r.Path, ct);
            var set = await SnapshotAsync(db, builder, ct);
            var figures = await FigureCounter.ReadAsync(db, set, unit?.Level ?? ReportLevel.School, r.Path, r.UnitName, r.PeriodStart, r.PeriodEnd, ct);
            r.Figures = "";
            r.FigureSetId = set.Id;
            r.AsOf = figures.AsOf;
            r.GeneratedAt = db.Clock.GetUtcNow().UtcDateTime;
            r.GeneratedBy = db.CurrentUser.UserName;
        }, ct);

    public static Task<Outcome<Report>> SubmitAsync(BaoxueDb db, Guid id, Step c, CancellationToken ct = default) =>
        MoveAsync(db, id, ReportTrigger.Submit, c.Version, r =>
        {
            r.SubmittedAt = db.Clock.GetUtcNow().UtcDateTime;
            r.SubmittedBy = db.CurrentUser.UserName;
        }, ct);

    public static async Task<Outcome<Report>> DecideAsync(BaoxueDb db, Guid id, Decision c, CancellationToken ct = default)
    {
        var note = string.IsNullOrWhiteSpace(c.Note) ? null : c.Note.Trim();
        if (!c.Approve && note is null)
        {
            return Outcome<Report>.Invalid("Note", "Reporting.SayWhy");
        }
        if (note is { Length: > NoteMax })
        {
            return Outcome<Report>.Invalid("Note", "Validation.TooLong", NoteMax);
        }
        return await MoveAsync(db, id, c.Approve ? ReportTrigger.Approve : ReportTrigger.Return, c.Version, r =>
        {
            r.DecidedAt = db.Clock.GetUtcNow().UtcDateTime;
            r.DecidedBy = db.CurrentUser.UserName;
            r.DecisionNote = note;
        }, ct);
    }

    public static Task<Outcome<Report>> ArchiveAsync(BaoxueDb db, Guid id, Step c, CancellationToken ct = default) =>
        MoveAsync(db, id, ReportTrigger.Archive, c.Version, r => r.ArchivedAt = db.Clock.GetUtcNow().UtcDateTime, ct);

    private static Task<Outcome<Report>> MoveAsync(BaoxueDb db, Guid id, ReportTrigger trigger, int? version, Action<Report> apply, CancellationToken ct) =>
        MoveAsync(db, id, trigger, version, r => { apply(r); return Task.CompletedTask; }, ct);

    /// <summary>
    /// One path for every step: the report in reach, the reader's version still current, the step allowed in its state and
    /// to this user (the filer edits and submits, the level above decides and archives), then saved with its version
    /// checked by the database, so of two reviewers deciding at once only one is recorded and the other hears 409.
    /// The audit line of the save records the state before and after.
    /// </summary>
    private static async Task<Outcome<Report>> MoveAsync(BaoxueDb db, Guid id, ReportTrigger trigger, int? version, Func<Report, Task> apply, CancellationToken ct)
    {
        var report = await db.Reports.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (report is null)
        {
            return Outcome<Report>.Missing();
        }
        if (!ReportFlow.MayAct(trigger, db.ScopePath ?? "", report.Path, report.ReviewerPath))
        {
            return Outcome<Report>.Refused("State", ReportFlow.ByFiler(trigger) ? "Reporting.OnlyFiler" : "Reporting.OnlyReviewer");
        }
        if (version is { } v && v != report.Version)
        {
            return Outcome<Report>.Conflicted();
        }
        if (!ReportFlow.Allows(report.State, trigger))
        {
            // Decided by someone else between reading and deciding: the same answer as a lost race.
            return trigger is ReportTrigger.Approve or ReportTrigger.Return && report.State is ReportState.Approved or ReportState.Returned or ReportState.Archived
                ? Outcome<Report>.Conflicted()
                : Outcome<Report>.Invalid("State", "Reporting.NotNow");
        }
        await apply(report);
        report.State = ReportFlow.Next(report.State, trigger);
        return await db.SaveAsync(report, ct);
    }
}
