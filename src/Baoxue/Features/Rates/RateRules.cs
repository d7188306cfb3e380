namespace Baoxue.Features.Rates;

/// <summary>The measures prepared rows count (<see cref="FigureRow.Measure"/>), and the dimension names they use.</summary>
public static class Measures
{
    /// <summary>在校生: registry students in school (学籍状态 在校), by "grade=N"; "" is the total.</summary>
    public const string Enrolled = "enrolled";
    /// <summary>在校生 by priority group, "group=LeftBehind" (an active tag).</summary>
    public const string EnrolledGroup = "enrolled.group";
    /// <summary>在校的三类残疾儿童: in school with an active 残疾 tag of type 视力/听力/智力, "type=Visual".</summary>
    public const string EnrolledDisabled = "enrolled.disabled";
    /// <summary>
    /// Open ledger entries (not closed): "list=N" per list, with one more of "state=S", "grade=G", "reason=R", "group=G".
    /// A child counts under the school's place and the place they live in (as the ledger list does).
    /// </summary>
    public const string Ledger = "ledger";
    /// <summary>Confirmed out-of-school children (已确认, open) of the school grades, "grade=G": the retention rates' losses.</summary>
    public const string Confirmed = "confirmed";
    /// <summary>Confirmed out-of-school children with an active 残疾 tag of type, "type=Visual".</summary>
    public const string ConfirmedDisabled = "confirmed.disabled";
    /// <summary>Open cases (劝返), by "state=S".</summary>
    public const string Cases = "cases";
    /// <summary>Overdue steps (核查, 审核, 分配, 劝返), by "step=verify".</summary>
    public const string Overdue = "overdue";
    /// <summary>The funnel of suspected → confirmed → returned → closed, by "stage=…".</summary>
    public const string Funnel = "funnel";

    /// <summary>
    /// The measures the dashboard shows and drills down from. The snapshot also holds counts only reports read (classes,
    /// girls, movement; Reporting.FigureCounter), which are not children a list can show, so boards leave them out.
    /// </summary>
    public static readonly IReadOnlyList<string> Dashboard = [Enrolled, EnrolledGroup, EnrolledDisabled, Ledger, Confirmed, ConfirmedDisabled, Cases, Overdue, Funnel];

    /// <summary>The three kinds of disability the 三类残疾儿童 rate counts (视力, 听力, 智力).</summary>
    public static readonly IReadOnlyList<string> DisabilityTypes = ["Visual", "Hearing", "Intellectual"];

    public static readonly IReadOnlyList<string> FunnelStages = [.. Enum.GetValues<Ledger.LedgerFunnelStage>().Select(StageName)];

    /// <summary>The overdue steps as the dimension names them ("step=verify").</summary>
    public static readonly IReadOnlyList<string> Steps = [.. Enum.GetValues<Ledger.LedgerStep>().Select(StepName)];

    public static string StageName(Ledger.LedgerFunnelStage stage) => stage.ToString().ToLowerInvariant();

    public static string StepName(Ledger.LedgerStep step) => step.ToString().ToLowerInvariant();

    public static string Dim(params (string Name, object Value)[] parts) =>
        string.Join('|', parts.Select(p => p.Name + "=" + (p.Value is Enum e ? Convert.ToInt32(e).ToString(System.Globalization.CultureInfo.InvariantCulture) : Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture))));

    /// <summary>The dimension's values by name ("list=3|grade=7" → list: 3, grade: 7).</summary>
    public static IReadOnlyDictionary<string, string> Parse(string dimension) =>
        dimension.Length == 0 ? new Dictionary<string, string>()
            : dimension.Split('|').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
}

/// <summary>
/// The rates and their formulas (decision 0027), as officials compute them for 控辍保学 and as the prepared rows allow:
/// <list type="bullet">
/// <item>入学率 = 在校生 ÷ (在校生 + 已确认的适龄未入学儿童).</item>
/// <item>巩固率 (小学 1–6, 初中 7–9, 九年 1–9) = 该学段在校生 ÷ (该学段在校生 + 该学段已确认辍学的学生): the cohort kept, with the children
/// the county has lost counted back in. The national cohort formula (毕业年级在校生 ÷ 该级入学时人数) needs the intake of nine years
/// ago, which a county starting on Baoxue does not have; the monthly snapshots build it up.</item>
/// <item>三类残疾儿童入学率 = 在校的视力、听力、智力残疾儿童 ÷ (在校的 + 已确认失学辍学的这三类残疾儿童).</item>
/// </list>
/// 休学 students are in neither part: they keep their place but are neither in school nor lost. A percent is cut (not
/// rounded) to two decimals, so 100 % means every child: 19,999 of 20,000 shows 99.99 %, never 100.00 %.
/// </summary>
public static class RateRules
{
    public const string Enrolment = "enrolment";
    public const string PrimaryRetention = "retention.primary";
    public const string JuniorRetention = "retention.junior";
    public const string NineYearRetention = "retention.nine";
    public const string DisabledEnrolment = "enrolment.disabled";

    public static readonly IReadOnlyList<string> All = [Enrolment, PrimaryRetention, JuniorRetention, NineYearRetention, DisabledEnrolment];

    /// <summary>One prepared row's key: a measure and its dimension.</summary>
    public sealed record Part(string Measure, string Dimension);

    /// <summary>A rate as parts: numerator = sum of <see cref="Kept"/>; denominator = numerator + sum of <see cref="Lost"/>.</summary>
    public sealed record Formula(string Rate, IReadOnlyList<Part> Kept, IReadOnlyList<Part> Lost);

    /// <summary>A rate's value: null percent when there is nobody to count.</summary>
    public sealed record Value(string Rate, long Numerator, long Denominator, decimal? Percent);

    private static IReadOnlyList<Part> Grades(string measure, int first, int last) =>
        [.. Enumerable.Range(first, last - first + 1).Select(g => new Part(measure, Measures.Dim(("grade", g))))];

    public static Formula Of(string rate) => rate switch
    {
        Enrolment => new(rate, [new(Measures.Enrolled, "")], [new(Measures.Ledger, Measures.Dim(("list", Ledger.LedgerList.NotEnrolled), ("state", Domain.LedgerEntryState.Confirmed)))]),
        PrimaryRetention => new(rate, Grades(Measures.Enrolled, 1, 6), Grades(Measures.Confirmed, 1, 6)),
        JuniorRetention => new(rate, Grades(Measures.Enrolled, 7, 9), Grades(Measures.Confirmed, 7, 9)),
        NineYearRetention => new(rate, Grades(Measures.Enrolled, 1, 9), Grades(Measures.Confirmed, 1, 9)),
        DisabledEnrolment => new(rate, [.. Measures.DisabilityTypes.Select(t => new Part(Measures.EnrolledDisabled, Measures.Dim(("type", t))))],
            [.. Measures.DisabilityTypes.Select(t => new Part(Measures.ConfirmedDisabled, Measures.Dim(("type", t))))]),
        _ => throw new ArgumentOutOfRangeException(nameof(rate), rate, "Unknown rate."),
    };

    public static bool IsRate(string? rate) => rate is not null && All.Contains(rate);

    /// <summary>The rate from the prepared counts (<paramref name="count"/> answers 0 for a row that is not there).</summary>
    public static Value Compute(string rate, Func<Part, long> count)
    {
        var f = Of(rate);
        var kept = f.Kept.Sum(count);
        var lost = f.Lost.Sum(count);
        return new Value(rate, kept, kept + lost, Percent(kept, kept + lost));
    }

    /// <summary>numerator ÷ denominator as a percent cut to two decimals; null when the denominator is 0.</summary>
    public static decimal? Percent(long numerator, long denominator)
    {
        if (denominator <= 0)
        {
            return null;
        }
        // Integer arithmetic: basis points ×100, cut, so no float ever rounds a shortfall up to 100.
        var hundredths = numerator * 10_000 / denominator;
        return hundredths / 100m;
    }

    /// <summary>The national/provincial targets (REQUIREMENTS RPT-1) when a jurisdiction sets none.</summary>
    public static decimal DefaultTarget(string rate) => rate switch
    {
        Enrolment => 100m,
        PrimaryRetention => 95m,
        JuniorRetention => 97m,
        NineYearRetention => 95m,
        DisabledEnrolment => 98m,
        _ => throw new ArgumentOutOfRangeException(nameof(rate), rate, "Unknown rate."),
    };

    /// <summary>Short of target: a figure below it. Nobody to count is not short.</summary>
    public static bool IsShort(decimal? percent, decimal target) => percent is { } p && p < target;

    /// <summary>A target must be a percent with at most two decimals.</summary>
    public static bool IsValidTarget(decimal percent) => percent is >= 0 and <= 100 && decimal.Round(percent, 2) == percent;

    /// <summary>The target that applies at <paramref name="path"/>: the one set nearest up the path, else the default.</summary>
    public static decimal TargetAt(string rate, string path, IReadOnlyDictionary<(string Path, string Rate), decimal> set)
    {
        for (var p = path; p.Length > 0; p = Parent(p))
        {
            if (set.TryGetValue((p, rate), out var t))
            {
                return t;
            }
        }
        return DefaultTarget(rate);
    }

    /// <summary>The path one level up ("35/3501/" → "35/"), "" above the top.</summary>
    public static string Parent(string path)
    {
        var cut = path.LastIndexOf('/', path.Length - 2);
        return cut < 0 ? "" : path[..(cut + 1)];
    }
}
