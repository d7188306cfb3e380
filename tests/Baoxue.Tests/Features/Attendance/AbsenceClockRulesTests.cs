using Baoxue.Domain;
using Baoxue.Features.Attendance;

namespace Baoxue.Tests.Features.Attendance;

/// <summary>
/// The school calendar and the absence clock as pure functions, day by day over the 2026—2027 school year: weekends,
/// the National Day holiday with its make-up working days (调休), a school's own day off, the break between terms, leave
/// in the middle of a run of absences, and a return on the last day.
/// </summary>
public sealed class AbsenceClockRulesTests
{
    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    // Autumn term to 22 January, spring term from 22 February. National Day: 1–7 October off, Sunday 27 September and
    // Saturday 10 October worked instead.
    private static SchoolCalendar Calendar(IReadOnlyDictionary<DateOnly, bool>? school = null)
    {
        var county = new Dictionary<DateOnly, bool> { [D("2026-09-27")] = true, [D("2026-10-10")] = true };
        for (var d = D("2026-10-01"); d <= D("2026-10-07"); d = d.AddDays(1))
        {
            county[d] = false;
        }
        return new SchoolCalendar([new DayRange(D("2026-09-01"), D("2027-01-22")), new DayRange(D("2027-02-22"), D("2027-07-02"))], county, school);
    }

    private static readonly ClockSettings Settings = new();

    // The roll taken every school day, the child absent on the days given.
    private static ClockState Clock(string asOf, IEnumerable<string> absent, IReadOnlyList<ClockPause>? pauses = null, Func<DateOnly, bool>? taken = null, SchoolCalendar? calendar = null) =>
        AbsenceClockRules.Evaluate(calendar ?? Calendar(), D(asOf), absent.Select(D).ToHashSet(), taken ?? (_ => true), pauses ?? [], Settings);

    private static IEnumerable<string> SchoolDays(string from, string to, SchoolCalendar? calendar = null)
    {
        var c = calendar ?? Calendar();
        for (var d = D(from); d <= D(to); d = d.AddDays(1))
        {
            if (c.IsSchoolDay(d))
            {
                yield return d.ToString("yyyy-MM-dd");
            }
        }
    }

    [Fact]
    public void A_weekday_in_term_is_a_school_day_and_weekends_holidays_and_the_break_are_not()
    {
        var c = Calendar();
        Assert.True(c.IsSchoolDay(D("2026-09-01")));
        Assert.False(c.IsSchoolDay(D("2026-09-26")));   // Saturday
        Assert.True(c.IsSchoolDay(D("2026-09-27")));    // Sunday worked for National Day
        Assert.False(c.IsSchoolDay(D("2026-10-01")));   // National Day
        Assert.True(c.IsSchoolDay(D("2026-10-10")));    // Saturday worked
        Assert.False(c.IsSchoolDay(D("2026-08-31")));   // before the term
        Assert.False(c.IsSchoolDay(D("2027-02-01")));   // winter break, a Monday
        Assert.Equal(12, c.CountSchoolDays(D("2026-09-21"), D("2026-10-11")));
        Assert.Equal(D("2026-09-27"), c.AddSchoolDays(D("2026-09-25"), 1));
        Assert.Equal(D("2027-02-22"), c.AddSchoolDays(D("2027-01-22"), 1));
    }

    [Fact]
    public void A_schools_own_day_overrides_the_county()
    {
        var boarding = Calendar(new Dictionary<DateOnly, bool> { [D("2026-11-06")] = false, [D("2026-10-07")] = true });
        Assert.False(boarding.IsSchoolDay(D("2026-11-06")));
        Assert.True(boarding.IsSchoolDay(D("2026-10-07")));
        Assert.True(Calendar().IsSchoolDay(D("2026-11-06")));
    }

    [Fact]
    public void The_first_unexcused_day_opens_a_follow_up()
    {
        var state = Clock("2026-11-02", ["2026-11-02"]);
        Assert.Equal(ClockStage.FollowUp, state.Stage);
        Assert.Equal(1, state.DaysCounted);
        Assert.Equal(D("2026-11-02"), state.FirstDay);
    }

    [Fact]
    public void A_weekend_carries_the_run_and_five_school_days_alert_the_school_with_a_deadline_on_the_next_school_day()
    {
        var state = Clock("2026-11-09", ["2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06", "2026-11-09"]);
        Assert.Equal(ClockStage.SchoolAlerted, state.Stage);
        Assert.Equal(5, state.DaysCounted);
        Assert.Equal(D("2026-11-09"), state.AlertedOn);
        Assert.Equal(D("2026-11-10"), state.ActBy);
    }

    [Fact]
    public void The_holiday_is_not_counted_and_does_not_break_the_run_and_a_make_up_sunday_is_counted()
    {
        var state = Clock("2026-10-09", ["2026-09-25", "2026-09-27", "2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09"]);
        Assert.Equal(ClockStage.SuspectedDropout, state.Stage);
        Assert.Equal(7, state.DaysCounted);
        Assert.Equal(D("2026-09-30"), state.AlertedOn);
        Assert.Equal(D("2026-10-08"), state.ActBy);
        Assert.Equal(D("2026-10-08"), state.SuspectedOn);
    }

    [Fact]
    public void Being_there_on_the_make_up_sunday_ends_the_run()
    {
        var state = Clock("2026-09-28", ["2026-09-24", "2026-09-25", "2026-09-28"]);
        Assert.Equal(1, state.DaysCounted);
        Assert.Equal(D("2026-09-28"), state.FirstDay);
        Assert.Equal(D("2026-09-27"), state.LastPresent);
    }

    [Fact]
    public void A_run_across_the_winter_break_keeps_counting_at_the_start_of_the_spring_term()
    {
        var state = Clock("2027-02-23", ["2027-01-18", "2027-01-19", "2027-01-20", "2027-01-21", "2027-01-22", "2027-02-22", "2027-02-23"]);
        Assert.Equal(ClockStage.SuspectedDropout, state.Stage);
        Assert.Equal(7, state.DaysCounted);
        Assert.Equal(D("2027-01-22"), state.AlertedOn);
        Assert.Equal(D("2027-02-22"), state.SuspectedOn);
    }

    [Fact]
    public void Leave_in_the_middle_is_neither_counted_nor_a_break_and_stands_the_clock_still_while_it_lasts()
    {
        var leave = new[] { new ClockPause(new DayRange(D("2026-11-04"), D("2026-11-05")), "Clock.Paused.Leave") };
        var during = Clock("2026-11-05", ["2026-11-02", "2026-11-03"], leave);
        Assert.Equal(ClockStage.FollowUp, during.Stage);
        Assert.Equal(2, during.DaysCounted);
        Assert.Equal("Clock.Paused.Leave", during.PausedBy);

        var after = Clock("2026-11-10", ["2026-11-02", "2026-11-03", "2026-11-06", "2026-11-09", "2026-11-10"], leave);
        Assert.Equal(ClockStage.SchoolAlerted, after.Stage);
        Assert.Equal(5, after.DaysCounted);
        Assert.Null(after.PausedBy);
        Assert.Equal(D("2026-11-02"), after.FirstDay);
    }

    [Fact]
    public void Approved_leave_is_never_unexcused_even_when_marked_absent()
    {
        var leave = new[] { new ClockPause(new DayRange(D("2026-11-02"), D("2026-11-13")), "Clock.Paused.Leave") };
        var state = Clock("2026-11-13", SchoolDays("2026-11-02", "2026-11-13"), leave);
        Assert.Equal(ClockStage.None, state.Stage);
        Assert.Equal(0, state.DaysCounted);
        Assert.Equal("Clock.Paused.Leave", state.PausedBy);
    }

    [Fact]
    public void A_return_on_the_last_day_stops_the_clock()
    {
        var absent = new[] { "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06" };
        Assert.Equal(ClockStage.SchoolAlerted, Clock("2026-11-06", absent).Stage);
        var back = Clock("2026-11-09", absent);
        Assert.Equal(ClockStage.None, back.Stage);
        Assert.Equal(D("2026-11-09"), back.LastPresent);
    }

    [Fact]
    public void A_day_the_roll_was_not_taken_is_unknown_neither_counted_nor_a_break()
    {
        var state = Clock("2026-11-04", ["2026-11-02", "2026-11-04"], taken: d => d != D("2026-11-03"));
        Assert.Equal(2, state.DaysCounted);
        Assert.Equal(D("2026-11-02"), state.FirstDay);
    }

    [Fact]
    public void A_month_after_the_suspicion_without_return_the_child_is_a_dropout_on_the_first_school_day_past_it()
    {
        var absent = SchoolDays("2026-11-02", "2026-12-14").ToList();
        var before = Clock("2026-12-08", absent.Where(d => d.CompareTo("2026-12-08") <= 0));
        Assert.Equal(ClockStage.SuspectedDropout, before.Stage);
        Assert.Equal(D("2026-11-09"), before.SuspectedOn);
        Assert.Equal(D("2026-12-09"), before.DropoutDue);

        var state = Clock("2026-12-14", absent);
        Assert.Equal(ClockStage.Dropout, state.Stage);
        Assert.Equal(D("2026-12-09"), state.DropoutOn);
        Assert.Equal(absent.Count, state.DaysCounted);
    }

    [Fact]
    public void Leave_after_the_suspicion_moves_the_dropout_deadline_on()
    {
        var leave = new[] { new ClockPause(new DayRange(D("2026-11-16"), D("2026-11-20")), "Clock.Paused.Leave") };
        var absent = SchoolDays("2026-11-02", "2026-12-14").Where(d => d.CompareTo("2026-11-16") < 0 || d.CompareTo("2026-11-20") > 0);
        var state = Clock("2026-12-11", absent.Where(d => d.CompareTo("2026-12-11") <= 0), leave);
        Assert.Equal(ClockStage.SuspectedDropout, state.Stage);
        Assert.Equal(D("2026-12-14"), state.DropoutDue);
        var later = Clock("2026-12-14", absent, leave);
        Assert.Equal(ClockStage.Dropout, later.Stage);
        Assert.Equal(D("2026-12-14"), later.DropoutOn);
    }

    [Fact]
    public void Suspension_pauses_the_clock_where_it_stands()
    {
        var status = new[] { new ClockPause(new DayRange(D("2026-11-04"), D("2026-11-13")), "Clock.Paused.Suspended") };
        var state = Clock("2026-11-13", ["2026-11-02", "2026-11-03"], status);
        Assert.Equal(ClockStage.FollowUp, state.Stage);
        Assert.Equal(2, state.DaysCounted);
        Assert.Equal("Clock.Paused.Suspended", state.PausedBy);
    }
}
