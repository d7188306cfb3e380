using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Security;
using Baoxue.Infrastructure.Paging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Reporting;

/// <summary>The report lists and the overdue list: one query each, shared by the pages and the API.</summary>
public static class ReportQueries
{
    /// <summary>Which reports: the unit's own, those waiting for this user's decision, or every one in reach.</summary>
    public enum View
    {
        All = 1,
        Mine = 2,
        ToReview = 3,
    }

    /// <summary>
    /// The views a user may open, by what their permissions allow: the unit's own reports only for those who file (准备),
    /// those waiting for a decision only for reviewers (审核). The page shows these tabs; the API refuses the others.
    /// </summary>
    public static IReadOnlyList<View> ViewsFor(System.Security.Claims.ClaimsPrincipal user) =>
    [
        View.All,
        .. user.Can(Permission.ReportingPrepare) ? [View.Mine] : Array.Empty<View>(),
        .. user.Can(Permission.ReportingReview) ? [View.ToReview] : Array.Empty<View>(),
    ];

    public sealed record Row(Guid Id, ReportKind Kind, DateOnly PeriodStart, DateOnly PeriodEnd, string UnitName, ReportState State, DateOnly DueOn, DateTime? SubmittedAt, bool Late, int Version);

    public static IQueryable<Report> Query(BaoxueDb db, View view, ReportKind? kind, ReportState? state)
    {
        var path = db.ScopePath ?? "";
        var query = db.Reports.AsNoTracking();
        query = view switch
        {
            View.Mine => query.Where(r => r.Path == path),
            View.ToReview => query.Where(r => r.ReviewerPath == path && r.State == ReportState.Submitted),
            _ => query,
        };
        if (kind is { } k)
        {
            query = query.Where(r => r.Kind == k);
        }
        if (state is { } s)
        {
            query = query.Where(r => r.State == s);
        }
        return query;
    }

    public static async Task<PagedResult<Row>> PageAsync(BaoxueDb db, View view, ReportKind? kind, ReportState? state, PageRequest page, CancellationToken ct = default)
    {
        var query = Query(db, view, kind, state);
        var total = await query.CountAsync(ct);
        var today = db.County.Today;
        var items = await query.OrderByDescending(r => r.PeriodStart).ThenBy(r => r.Kind).ThenBy(r => r.Path).Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        return page.Of<Row>([.. items.Select(r => ToRow(db, r, today))], total);
    }

    public static Row ToRow(BaoxueDb db, Report r, DateOnly today) => new(r.Id, r.Kind, r.PeriodStart, r.PeriodEnd, r.UnitName, r.State, r.DueOn, r.SubmittedAt,
        ReportFlow.IsLate(r.DueOn, r.SubmittedAt, r.SubmittedAt is { } at ? db.County.DateOf(at) : null, today), r.Version);

    public static Task<int> CountToReviewAsync(BaoxueDb db, CancellationToken ct) => Query(db, View.ToReview, null, null).CountAsync(ct);

    /// <summary>One report with its frozen figures.</summary>
    public sealed record Detail(Report Report, ReportFigures Figures, bool Late);

    public static async Task<Detail?> DetailAsync(BaoxueDb db, Guid id, CancellationToken ct = default)
    {
        var r = await db.Reports.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null)
        {
            return null;
        }
        return new Detail(r, await FiguresAsync(db, r, ct), ToRow(db, r, db.County.Today).Late);
    }

    /// <summary>The report's figures: read from its snapshot, or (reports generated before decision 0034) as frozen in JSON.</summary>
    public static async Task<ReportFigures> FiguresAsync(BaoxueDb db, Report r, CancellationToken ct)
    {
        if (r.FigureSetId is { } setId && await db.FigureSets.AsNoTracking().FirstOrDefaultAsync(s => s.Id == setId, ct) is { } set)
        {
            var unit = await ReportCommands.UnitAsync(db, r.Path, ct);
            return await FigureCounter.ReadAsync(db, set, unit?.Level ?? ReportLevel.School, r.Path, r.UnitName, r.PeriodStart, r.PeriodEnd, ct);
        }
        return ReportFigures.FromJson(r.Figures);
    }

    /// <summary>A unit that owed a report: not filed by its due date, or filed after it.</summary>
    public sealed record OverdueRow(string UnitName, string UnitPath, ReportKind Kind, DateOnly PeriodStart, DateOnly DueOn, ReportState? State, DateTime? SubmittedAt, Guid? ReportId);

    /// <summary>
    /// 逾期 for the level above: every unit that files to this user's place (a county's schools, a city's counties, a
    /// province's cities), every period due since the school year began, and what became of it — reports not submitted by
    /// their due date and reports submitted late. Oldest due first.
    /// </summary>
    public static async Task<IReadOnlyList<OverdueRow>> OverdueAsync(BaoxueDb db, ReportingOptions options, CancellationToken ct = default)
    {
        var path = db.ScopePath ?? "";
        var today = db.County.Today;
        var unit = await ReportCommands.UnitAsync(db, path, ct);
        List<(string Path, string Name)> filers;
        ReportKind[] kinds;
        switch (unit?.Level)
        {
            case ReportLevel.County:
                filers = await db.Schools.AsNoTracking().Where(s => s.Path.StartsWith(path) && s.IsActive).Select(s => new ValueTuple<string, string>(s.Path, s.Name)).ToListAsync(ct);
                kinds = [.. ReportRhythm.KindsFor(ReportLevel.School)];
                break;
            case ReportLevel.City or ReportLevel.Province:
                var level = unit.Value.Level == ReportLevel.City ? DivisionLevel.County : DivisionLevel.City;
                filers = await db.Divisions.AsNoTracking().Where(d => d.Path.StartsWith(path) && d.Level == level).Select(d => new ValueTuple<string, string>(d.Path, d.Name)).ToListAsync(ct);
                kinds = [.. ReportRhythm.KindsFor(unit.Value.Level == ReportLevel.City ? ReportLevel.County : ReportLevel.City)];
                break;
            default:
                return [];
        }
        var since = new DateOnly(SchoolYear.StartYearOf(today), 9, 1);
        var due = new List<(ReportKind Kind, DateOnly Start, DateOnly DueOn)>();
        foreach (var kind in kinds)
        {
            // Walk back period by period while the due date is still in this school year.
            for (var (start, end) = ReportRhythm.PreviousPeriod(kind, today); ; (start, end) = ReportRhythm.PeriodOf(kind, start.AddDays(-1)))
            {
                var dueOn = ReportRhythm.DueOn(kind, end, options.DueDays);
                if (dueOn < since)
                {
                    break;
                }
                if (dueOn < today)
                {
                    due.Add((kind, start, dueOn));
                }
            }
        }
        var filed = await db.Reports.AsNoTracking().Where(r => r.ReviewerPath == path && kinds.Contains(r.Kind) && r.PeriodStart >= since.AddYears(-1))
            .Select(r => new { r.Id, r.Path, r.Kind, r.PeriodStart, r.State, r.SubmittedAt }).ToListAsync(ct);
        var rows = new List<OverdueRow>();
        foreach (var (kind, start, dueOn) in due)
        {
            foreach (var (filerPath, name) in filers)
            {
                var report = filed.FirstOrDefault(r => r.Path == filerPath && r.Kind == kind && r.PeriodStart == start);
                var submittedOn = report?.SubmittedAt is { } at ? db.County.DateOf(at) : (DateOnly?)null;
                if (ReportFlow.IsLate(dueOn, report?.SubmittedAt, submittedOn, today))
                {
                    rows.Add(new OverdueRow(name, filerPath, kind, start, dueOn, report?.State, report?.SubmittedAt, report?.Id));
                }
            }
        }
        return [.. rows.OrderBy(r => r.DueOn).ThenBy(r => r.UnitName, PinyinOrder.Comparer)];
    }

    /// <summary>The period as officials write it: 2026年11月, 2026年第四季度, 2026—2027学年第一学期, 2026—2027学年.</summary>
    public static string Period(IStringLocalizer text, ReportKind kind, DateOnly start) => kind switch
    {
        ReportKind.SchoolMonthly or ReportKind.FloatingMonthly => ChineseFormat.Month(start.Year, start.Month),
        ReportKind.CountyQuarterly => text["Reporting.Quarter", start.Year, (start.Month - 1) / 3 + 1],
        ReportKind.TermSummary => ChineseFormat.SchoolYear(SchoolYear.StartYearOf(start)) + ChineseFormat.Term(start.Month == 9 ? 1 : 2),
        _ => ChineseFormat.SchoolYear(start.Year),
    };
}
