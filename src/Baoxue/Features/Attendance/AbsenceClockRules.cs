using Baoxue.Domain;

namespace Baoxue.Features.Attendance;

/// <summary>The clock's thresholds (settings <c>Attendance:*</c>).</summary>
public sealed record ClockSettings(
    /// <summary>Consecutive unexcused school days after which the school is alerted (default 5, one school week).</summary>
    int AlertAfterDays = 5,
    /// <summary>School days the school has to act after the alert before the child is a suspected dropout (default 1: more than a week).</summary>
    int ActWithinSchoolDays = 1,
    /// <summary>Further months without return after which a suspected dropout is a dropout (default 1).</summary>
    int DropoutAfterMonths = 1)
{
    /// <summary>The unexcused school day on which the child becomes a suspected dropout.</summary>
    public int SuspectAfterDays => AlertAfterDays + ActWithinSchoolDays;
}

/// <summary>A period the clock does not count: approved leave (its dates) or a status (suspension, deferral) from a day on.</summary>
public sealed record ClockPause(DayRange Days, string ReasonKey);

/// <summary>What the clock says on a day: its stage, the days counted and the dates each stage was reached.</summary>
public sealed record ClockState(
    ClockStage Stage,
    DateOnly? FirstDay,
    int DaysCounted,
    DateOnly? AlertedOn,
    DateOnly? ActBy,
    DateOnly? SuspectedOn,
    DateOnly? DropoutDue,
    DateOnly? DropoutOn,
    /// <summary>Why the clock is standing still today (a string-table key), or null when it runs.</summary>
    string? PausedBy,
    /// <summary>The last school day the child was there, when it is after the run of absences began (a return).</summary>
    DateOnly? LastPresent)
{
    public static readonly ClockState Stopped = new(ClockStage.None, null, 0, null, null, null, null, null, null, null);
}

/// <summary>
/// The absence clock as a pure function of the school calendar, the child's unexcused absences, the days the roll was
/// taken, approved leave and status. It looks back from the day asked about over school days: an unexcused day
/// counts, a day on leave (or paused by status) neither counts nor breaks the run, a day the roll was not taken is
/// unknown and skipped, and a day the child was there ends the run. Weekends, holidays and the break between terms
/// are not school days, so a run of absences carries over them (a child missing the last week of one term and the
/// first days of the next is still counting).
/// </summary>
public static class AbsenceClockRules
{
    /// <summary>How far back a run of absences is followed: longer than any dropout period.</summary>
    public const int LookBackDays = 400;

    public static ClockState Evaluate(
        SchoolCalendar calendar,
        DateOnly asOf,
        IReadOnlySet<DateOnly> unexcused,
        Func<DateOnly, bool> rollTaken,
        IReadOnlyList<ClockPause> pauses,
        ClockSettings settings)
    {
        var counted = new List<DateOnly>();
        DateOnly? lastPresent = null;
        string? pausedToday = null;
        var sawSchoolDay = false;
        for (var d = asOf; d > asOf.AddDays(-LookBackDays); d = d.AddDays(-1))
        {
            if (!calendar.IsSchoolDay(d))
            {
                continue;
            }
            var pause = pauses.FirstOrDefault(p => p.Days.Contains(d));
            if (pause is not null)
            {
                if (!sawSchoolDay)
                {
                    pausedToday = pause.ReasonKey;
                }
                sawSchoolDay = true;
                continue;
            }
            sawSchoolDay = true;
            if (!rollTaken(d))
            {
                continue;
            }
            if (unexcused.Contains(d))
            {
                counted.Add(d);
                continue;
            }
            lastPresent = d;
            break;
        }
        // A pause that reaches today (a status with no end date) stands the clock still even before any school day.
        pausedToday ??= pauses.FirstOrDefault(p => p.Days.Contains(asOf))?.ReasonKey;
        if (counted.Count == 0)
        {
            return ClockState.Stopped with { PausedBy = pausedToday, LastPresent = lastPresent };
        }
        counted.Reverse();
        var n = counted.Count;
        var first = counted[0];
        var stage = ClockStage.FollowUp;
        DateOnly? alerted = null, actBy = null, suspected = null, due = null, dropout = null;
        if (n >= settings.AlertAfterDays)
        {
            stage = ClockStage.SchoolAlerted;
            alerted = counted[settings.AlertAfterDays - 1];
            actBy = calendar.AddSchoolDays(alerted.Value, settings.ActWithinSchoolDays);
        }
        if (n >= settings.SuspectAfterDays)
        {
            stage = ClockStage.SuspectedDropout;
            suspected = counted[settings.SuspectAfterDays - 1];
            // Leave taken after the child was reported moves the deadline on by as many days: the clock was paused.
            var pausedDays = 0;
            for (var d = suspected.Value.AddDays(1); d <= asOf; d = d.AddDays(1))
            {
                if (pauses.Any(p => p.Days.Contains(d)))
                {
                    pausedDays++;
                }
            }
            due = suspected.Value.AddMonths(settings.DropoutAfterMonths).AddDays(pausedDays);
            var firstAfterDue = counted.FindIndex(d => d >= due.Value);
            if (firstAfterDue >= 0)
            {
                stage = ClockStage.Dropout;
                dropout = counted[firstAfterDue];
            }
        }
        return new ClockState(stage, first, n, alerted, actBy, suspected, due, dropout, pausedToday, lastPresent);
    }
}
