namespace Baoxue.Domain;

/// <summary>Which report of the reporting rhythm (学校月报, 县级季度通报, 学期/学年总结).</summary>
public enum ReportKind
{
    /// <summary>学校月报: a school's monthly report on student movement and loss, to the county bureau.</summary>
    SchoolMonthly = 1,
    /// <summary>季度通报: the county's quarterly circular on student movement and loss, to the city.</summary>
    CountyQuarterly = 2,
    /// <summary>学期总结: a county's or city's summary of a term, to the level above.</summary>
    TermSummary = 3,
    /// <summary>学年总结: a county's or city's summary of a school year, to the level above.</summary>
    YearSummary = 4,
    /// <summary>流动学生月报: a school's monthly report on students moving in and out (transfers, migrant and left-behind changes) and its lost students, to the county bureau.</summary>
    FloatingMonthly = 5,
}

/// <summary>Where a report is in its workflow.</summary>
public enum ReportState
{
    /// <summary>草稿: generated, being edited by the unit that files it.</summary>
    Draft = 1,
    /// <summary>已报送: waiting for the level above.</summary>
    Submitted = 2,
    /// <summary>已退回: sent back for correction; the unit edits and submits again.</summary>
    Returned = 3,
    /// <summary>已审核: approved by the level above.</summary>
    Approved = 4,
    /// <summary>已归档: approved and filed; nothing changes any more.</summary>
    Archived = 5,
}

public enum ReportTrigger
{
    Edit = 1,
    Submit = 2,
    Return = 3,
    Approve = 4,
    Archive = 5,
}

/// <summary>
/// A report of the reporting rhythm, filed by one unit (its <see cref="Path"/>) to the level above (<see cref="ReviewerPath"/>).
/// Its figures are frozen as JSON when generated (or regenerated while the unit still edits it), so what was filed stays
/// what it said.
/// </summary>
public sealed class Report : IScoped, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public int Version { get; set; }
    public ReportKind Kind { get; set; }
    public DateOnly PeriodStart { get; set; }
    public DateOnly PeriodEnd { get; set; }
    /// <summary>The date the figures describe: the period's end, or the day generated when that came first.</summary>
    public DateOnly AsOf { get; set; }
    public DateOnly DueOn { get; set; }
    public ReportState State { get; set; } = ReportState.Draft;
    /// <summary>The filing unit's name as it was (a school or a division).</summary>
    public required string UnitName { get; set; }
    /// <summary>
    /// Reports generated before decision 0034: their figures as generated (<c>ReportFigures</c> as JSON). Reports since
    /// read theirs from the snapshot <see cref="FigureSetId"/> and keep this empty.
    /// </summary>
    public required string Figures { get; set; }
    /// <summary>The rates snapshot (a frozen <c>FigureSet</c>) the report's figures are read from: one source of "the figure at a date".</summary>
    public Guid? FigureSetId { get; set; }
    /// <summary>The words the unit adds: what happened, what it did, what it asks.</summary>
    public string? Narrative { get; set; }
    public DateTime GeneratedAt { get; set; }
    public required string GeneratedBy { get; set; }
    public DateTime? SubmittedAt { get; set; }
    public string? SubmittedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
    /// <summary>The reviewer's note: why it was returned, or a remark on approval.</summary>
    public string? DecisionNote { get; set; }
    public DateTime? ArchivedAt { get; set; }
    /// <summary>The filing unit's path.</summary>
    public required string Path { get; set; }
    /// <summary>The level above that reviews it (the school's county, the county's city, the city's province).</summary>
    public required string ReviewerPath { get; set; }
}

/// <summary>The report's states and transitions: the one place they are decided. Pure: no database, no clock.</summary>
public static class ReportFlow
{
    public static ReportState? TryNext(ReportState state, ReportTrigger trigger) => (state, trigger) switch
    {
        (ReportState.Draft or ReportState.Returned, ReportTrigger.Edit) => state,
        (ReportState.Draft or ReportState.Returned, ReportTrigger.Submit) => ReportState.Submitted,
        (ReportState.Submitted, ReportTrigger.Return) => ReportState.Returned,
        (ReportState.Submitted, ReportTrigger.Approve) => ReportState.Approved,
        (ReportState.Approved, ReportTrigger.Archive) => ReportState.Archived,
        _ => null,
    };

    public static bool Allows(ReportState state, ReportTrigger trigger) => TryNext(state, trigger) is not null;

    public static ReportState Next(ReportState state, ReportTrigger trigger) =>
        TryNext(state, trigger) ?? throw new InvalidOperationException($"A report in state {state} cannot {trigger}.");

    /// <summary>The unit files its own report: it edits and submits; the level above decides and archives.</summary>
    public static bool ByFiler(ReportTrigger trigger) => trigger is ReportTrigger.Edit or ReportTrigger.Submit;

    /// <summary>Who may act: the filer is the unit itself (exact place), the reviewer the exact place above.</summary>
    public static bool MayAct(ReportTrigger trigger, string userPath, string reportPath, string reviewerPath) =>
        ByFiler(trigger) ? userPath == reportPath : userPath == reviewerPath;

    /// <summary>Late: submitted after the due date, or not submitted and the due date has passed.</summary>
    public static bool IsLate(DateOnly dueOn, DateTime? submittedAt, DateOnly? submittedOn, DateOnly today) =>
        submittedAt is null ? today > dueOn : submittedOn > dueOn;
}

/// <summary>What level a filing unit is, for which reports it files and whom it files to.</summary>
public enum ReportLevel
{
    School = 1,
    County = 2,
    City = 3,
    Province = 4,
}

/// <summary>The reporting rhythm (DESIGN.md): schools monthly, counties quarterly, cities each term, the province each year. Pure.</summary>
public static class ReportRhythm
{
    /// <summary>Which kinds a unit of a level files.</summary>
    public static IReadOnlyList<ReportKind> KindsFor(ReportLevel level) => level switch
    {
        ReportLevel.School => [ReportKind.SchoolMonthly, ReportKind.FloatingMonthly],
        ReportLevel.County => [ReportKind.CountyQuarterly, ReportKind.TermSummary, ReportKind.YearSummary],
        ReportLevel.City => [ReportKind.TermSummary, ReportKind.YearSummary],
        _ => [],
    };

    /// <summary>The period a date falls in: a calendar month, a calendar quarter, a term (Sep–Jan, Feb–Aug), a school year (Sep–Aug).</summary>
    public static (DateOnly Start, DateOnly End) PeriodOf(ReportKind kind, DateOnly date)
    {
        switch (kind)
        {
            case ReportKind.SchoolMonthly or ReportKind.FloatingMonthly:
            {
                var start = new DateOnly(date.Year, date.Month, 1);
                return (start, start.AddMonths(1).AddDays(-1));
            }
            case ReportKind.CountyQuarterly:
            {
                var start = new DateOnly(date.Year, (date.Month - 1) / 3 * 3 + 1, 1);
                return (start, start.AddMonths(3).AddDays(-1));
            }
            case ReportKind.TermSummary:
            {
                var year = SchoolYear.StartYearOf(date);
                return date.Month is >= 2 and <= 8
                    ? (new DateOnly(year + 1, 2, 1), new DateOnly(year + 1, 8, 31))
                    : (new DateOnly(year, 9, 1), new DateOnly(year + 1, 1, 31));
            }
            default:
            {
                var year = SchoolYear.StartYearOf(date);
                return (new DateOnly(year, 9, 1), new DateOnly(year + 1, 8, 31));
            }
        }
    }

    /// <summary>The period before the one a date falls in: what is due to be filed now.</summary>
    public static (DateOnly Start, DateOnly End) PreviousPeriod(ReportKind kind, DateOnly date) => PeriodOf(kind, PeriodOf(kind, date).Start.AddDays(-1));

    /// <summary>The due date: so many days after the period ends (settings <c>Reporting:*DueDays</c>).</summary>
    public static DateOnly DueOn(ReportKind kind, DateOnly periodEnd, ReportDueDays days) => periodEnd.AddDays(kind switch
    {
        ReportKind.SchoolMonthly or ReportKind.FloatingMonthly => days.Monthly,
        ReportKind.CountyQuarterly => days.Quarterly,
        ReportKind.TermSummary => days.Term,
        _ => days.Year,
    });

    /// <summary>The level of the place above: the school's county, the county's city, the city's province (by path).</summary>
    public static string? ReviewerPath(ReportLevel level, string path) => level switch
    {
        ReportLevel.School => PlacePath.County(path),
        ReportLevel.County or ReportLevel.City => PlacePath.Ancestors(path) is { Count: > 0 } up ? up[^1] : null,
        _ => null,
    };
}

/// <summary>Days after a period's end until its report is due.</summary>
public sealed record ReportDueDays(int Monthly, int Quarterly, int Term, int Year);

/// <summary>The phases of a campaign (SUP-4), in order.</summary>
public enum CampaignPhaseKind
{
    /// <summary>自查: schools and townships check themselves.</summary>
    SelfCheck = 1,
    /// <summary>县级复查: the county checks.</summary>
    CountyCheck = 2,
    /// <summary>整改: schools put right what the check found.</summary>
    Rectification = 3,
}

/// <summary>A phase's progress at one school.</summary>
public enum PhaseState
{
    /// <summary>未完成.</summary>
    Open = 1,
    /// <summary>已报完成: the school marked it done with a note.</summary>
    Marked = 2,
    /// <summary>已确认: the county confirmed.</summary>
    Confirmed = 3,
    /// <summary>已退回: the county sent it back with a note.</summary>
    Returned = 4,
}

public enum PhaseTrigger
{
    Mark = 1,
    Confirm = 2,
    Return = 3,
}

/// <summary>A county's phased campaign (专项行动) with a deadline per phase. Structural: its schools read it on the way up.</summary>
public sealed class Campaign : IStructural
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Title { get; set; }
    public string? Description { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    /// <summary>The county's path.</summary>
    public required string Path { get; set; }
    public List<CampaignPhase> Phases { get; set; } = [];
}

public sealed class CampaignPhase
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CampaignId { get; set; }
    public Campaign? Campaign { get; set; }
    public CampaignPhaseKind Kind { get; set; }
    public DateOnly DueOn { get; set; }
}

/// <summary>One school's progress on one phase.</summary>
public sealed class CampaignProgress : IScoped, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public int Version { get; set; }
    public Guid CampaignId { get; set; }
    public Campaign? Campaign { get; set; }
    public Guid PhaseId { get; set; }
    public CampaignPhase? Phase { get; set; }
    public Guid SchoolId { get; set; }
    public School? School { get; set; }
    public PhaseState State { get; set; } = PhaseState.Open;
    public string? Note { get; set; }
    public DateTime? MarkedAt { get; set; }
    public string? MarkedBy { get; set; }
    public string? ReviewNote { get; set; }
    public DateTime? ReviewedAt { get; set; }
    public string? ReviewedBy { get; set; }
    /// <summary>The school's path.</summary>
    public required string Path { get; set; }
}

/// <summary>A phase's states at a school. Pure.</summary>
public static class PhaseFlow
{
    public static PhaseState? TryNext(PhaseState state, PhaseTrigger trigger) => (state, trigger) switch
    {
        (PhaseState.Open or PhaseState.Returned, PhaseTrigger.Mark) => PhaseState.Marked,
        (PhaseState.Marked, PhaseTrigger.Confirm) => PhaseState.Confirmed,
        (PhaseState.Marked, PhaseTrigger.Return) => PhaseState.Returned,
        _ => null,
    };

    public static bool Allows(PhaseState state, PhaseTrigger trigger) => TryNext(state, trigger) is not null;

    /// <summary>A school works the phases in order: a phase may be marked once the one before is confirmed.</summary>
    public static bool MayMark(PhaseState state, PhaseState? previous) => Allows(state, PhaseTrigger.Mark) && previous is null or PhaseState.Confirmed;

    /// <summary>Overdue: not yet done (marked or confirmed) and the deadline has passed.</summary>
    public static bool IsOverdue(PhaseState state, DateOnly dueOn, DateOnly today) => state is PhaseState.Open or PhaseState.Returned && today > dueOn;
}
