using Baoxue.Domain;

namespace Baoxue.Tests.Domain;

/// <summary>The reporting rhythm's pure rules: the report's and the campaign phase's transitions, periods, due dates, who files to whom.</summary>
public sealed class ReportingRulesTests
{
    [Theory]
    [InlineData(ReportState.Draft, ReportTrigger.Submit, ReportState.Submitted)]
    [InlineData(ReportState.Returned, ReportTrigger.Submit, ReportState.Submitted)]
    [InlineData(ReportState.Draft, ReportTrigger.Edit, ReportState.Draft)]
    [InlineData(ReportState.Returned, ReportTrigger.Edit, ReportState.Returned)]
    [InlineData(ReportState.Submitted, ReportTrigger.Approve, ReportState.Approved)]
    [InlineData(ReportState.Submitted, ReportTrigger.Return, ReportState.Returned)]
    [InlineData(ReportState.Approved, ReportTrigger.Archive, ReportState.Archived)]
    public void Allowed_report_steps_lead_where_the_rhythm_says(ReportState from, ReportTrigger trigger, ReportState to) =>
        Assert.Equal(to, ReportFlow.Next(from, trigger));

    [Theory]
    [InlineData(ReportState.Submitted, ReportTrigger.Edit)]
    [InlineData(ReportState.Draft, ReportTrigger.Approve)]
    [InlineData(ReportState.Approved, ReportTrigger.Return)]
    [InlineData(ReportState.Approved, ReportTrigger.Edit)]
    [InlineData(ReportState.Archived, ReportTrigger.Edit)]
    [InlineData(ReportState.Submitted, ReportTrigger.Archive)]
    [InlineData(ReportState.Returned, ReportTrigger.Approve)]
    public void Other_report_steps_are_refused(ReportState from, ReportTrigger trigger)
    {
        Assert.False(ReportFlow.Allows(from, trigger));
        Assert.Throws<InvalidOperationException>(() => ReportFlow.Next(from, trigger));
    }

    [Fact]
    public void The_filer_edits_and_submits_and_only_the_exact_level_above_decides()
    {
        const string school = "35/3501/350123/350123100/2135012303/";
        const string county = "35/3501/350123/";
        Assert.True(ReportFlow.MayAct(ReportTrigger.Submit, school, school, county));
        Assert.False(ReportFlow.MayAct(ReportTrigger.Submit, county, school, county));
        Assert.True(ReportFlow.MayAct(ReportTrigger.Approve, county, school, county));
        Assert.False(ReportFlow.MayAct(ReportTrigger.Approve, school, school, county));
        // The township between the school and the county is not the reviewer.
        Assert.False(ReportFlow.MayAct(ReportTrigger.Approve, "35/3501/350123/350123100/", school, county));
    }

    [Fact]
    public void Each_level_files_upward_to_its_parent()
    {
        Assert.Equal("35/3501/350123/", ReportRhythm.ReviewerPath(ReportLevel.School, "35/3501/350123/350123100/2135012303/"));
        Assert.Equal("35/3501/", ReportRhythm.ReviewerPath(ReportLevel.County, "35/3501/350123/"));
        Assert.Equal("35/", ReportRhythm.ReviewerPath(ReportLevel.City, "35/3501/"));
        Assert.Null(ReportRhythm.ReviewerPath(ReportLevel.Province, "35/"));
        Assert.Equal([ReportKind.SchoolMonthly, ReportKind.FloatingMonthly], ReportRhythm.KindsFor(ReportLevel.School));
        Assert.DoesNotContain(ReportKind.SchoolMonthly, ReportRhythm.KindsFor(ReportLevel.County));
        Assert.DoesNotContain(ReportKind.FloatingMonthly, ReportRhythm.KindsFor(ReportLevel.County));
        Assert.Empty(ReportRhythm.KindsFor(ReportLevel.Province));
    }

    [Fact]
    public void Periods_are_months_quarters_terms_and_school_years()
    {
        var day = new DateOnly(2026, 11, 17);
        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)), ReportRhythm.PeriodOf(ReportKind.SchoolMonthly, day));
        Assert.Equal((new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31)), ReportRhythm.PeriodOf(ReportKind.CountyQuarterly, day));
        Assert.Equal((new DateOnly(2026, 9, 1), new DateOnly(2027, 1, 31)), ReportRhythm.PeriodOf(ReportKind.TermSummary, day));
        Assert.Equal((new DateOnly(2027, 2, 1), new DateOnly(2027, 8, 31)), ReportRhythm.PeriodOf(ReportKind.TermSummary, new DateOnly(2027, 3, 1)));
        Assert.Equal((new DateOnly(2026, 9, 1), new DateOnly(2027, 8, 31)), ReportRhythm.PeriodOf(ReportKind.YearSummary, day));
        Assert.Equal((new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31)), ReportRhythm.PreviousPeriod(ReportKind.SchoolMonthly, day));
        Assert.Equal((new DateOnly(2026, 7, 1), new DateOnly(2026, 9, 30)), ReportRhythm.PreviousPeriod(ReportKind.CountyQuarterly, day));
        Assert.Equal((new DateOnly(2025, 12, 1), new DateOnly(2025, 12, 31)), ReportRhythm.PreviousPeriod(ReportKind.SchoolMonthly, new DateOnly(2026, 1, 3)));
    }

    [Fact]
    public void Due_dates_follow_the_periods_end_and_lateness_counts_the_day_filed()
    {
        var days = new ReportDueDays(5, 15, 15, 30);
        Assert.Equal(new DateOnly(2026, 12, 5), ReportRhythm.DueOn(ReportKind.SchoolMonthly, new DateOnly(2026, 11, 30), days));
        Assert.Equal(new DateOnly(2026, 10, 15), ReportRhythm.DueOn(ReportKind.CountyQuarterly, new DateOnly(2026, 9, 30), days));
        var due = new DateOnly(2026, 12, 5);
        Assert.False(ReportFlow.IsLate(due, null, null, due));
        Assert.True(ReportFlow.IsLate(due, null, null, due.AddDays(1)));
        Assert.False(ReportFlow.IsLate(due, DateTime.UtcNow, due, due.AddDays(30)));
        Assert.True(ReportFlow.IsLate(due, DateTime.UtcNow, due.AddDays(1), due.AddDays(1)));
    }

    [Fact]
    public void A_school_works_the_phases_in_order_and_the_county_confirms_or_returns()
    {
        Assert.True(PhaseFlow.MayMark(PhaseState.Open, null));
        Assert.False(PhaseFlow.MayMark(PhaseState.Open, PhaseState.Marked));
        Assert.True(PhaseFlow.MayMark(PhaseState.Returned, PhaseState.Confirmed));
        Assert.False(PhaseFlow.MayMark(PhaseState.Confirmed, null));
        Assert.Equal(PhaseState.Confirmed, PhaseFlow.TryNext(PhaseState.Marked, PhaseTrigger.Confirm));
        Assert.Equal(PhaseState.Returned, PhaseFlow.TryNext(PhaseState.Marked, PhaseTrigger.Return));
        Assert.Null(PhaseFlow.TryNext(PhaseState.Open, PhaseTrigger.Confirm));
        Assert.True(PhaseFlow.IsOverdue(PhaseState.Open, new DateOnly(2026, 10, 9), new DateOnly(2026, 10, 10)));
        Assert.False(PhaseFlow.IsOverdue(PhaseState.Marked, new DateOnly(2026, 10, 9), new DateOnly(2026, 10, 10)));
        Assert.False(PhaseFlow.IsOverdue(PhaseState.Open, new DateOnly(2026, 10, 9), new DateOnly(2026, 10, 9)));
    }
}
