namespace Baoxue.Features.Attendance;

/// <summary>A span of days, both ends included.</summary>
public readonly record struct DayRange(DateOnly From, DateOnly To)
{
    public bool Contains(DateOnly day) => day >= From && day <= To;
}

/// <summary>
/// One school's school days: a weekday inside a term, unless the county or the school says otherwise. The county's
/// holidays and make-up working days (调休) hold for every school; the school's own days override the county's.
/// Pure: built from rows already read, answers without the database, so the absence clock can be tested day by day.
/// </summary>
public sealed class SchoolCalendar
{
    private readonly DayRange[] _terms;
    private readonly Dictionary<DateOnly, bool> _county;
    private readonly Dictionary<DateOnly, bool> _school;

    public SchoolCalendar(IEnumerable<DayRange> terms, IReadOnlyDictionary<DateOnly, bool>? countyDays = null, IReadOnlyDictionary<DateOnly, bool>? schoolDays = null)
    {
        _terms = [.. terms.OrderBy(t => t.From)];
        _county = countyDays is null ? [] : new Dictionary<DateOnly, bool>(countyDays);
        _school = schoolDays is null ? [] : new Dictionary<DateOnly, bool>(schoolDays);
    }

    public IReadOnlyList<DayRange> Terms => _terms;

    public bool InTerm(DateOnly day) => Array.Exists(_terms, t => t.Contains(day));

    /// <summary>The term a day falls in, or null in the holidays between terms.</summary>
    public DayRange? TermOf(DateOnly day) => Array.FindIndex(_terms, t => t.Contains(day)) is var i and >= 0 ? _terms[i] : null;

    public bool IsSchoolDay(DateOnly day)
    {
        if (!InTerm(day))
        {
            return false;
        }
        if (_school.TryGetValue(day, out var own))
        {
            return own;
        }
        if (_county.TryGetValue(day, out var county))
        {
            return county;
        }
        return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>School days from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    public int CountSchoolDays(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            if (IsSchoolDay(d))
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>The school day <paramref name="count"/> school days after <paramref name="day"/> (a year ahead at most; null past that).</summary>
    public DateOnly? AddSchoolDays(DateOnly day, int count)
    {
        var d = day;
        for (var seen = 0; seen < count;)
        {
            d = d.AddDays(1);
            if (d > day.AddYears(1))
            {
                return null;
            }
            if (IsSchoolDay(d))
            {
                seen++;
            }
        }
        return d;
    }

    /// <summary>The last school day on or before <paramref name="day"/>, looking back at most a year.</summary>
    public DateOnly? LastSchoolDayOnOrBefore(DateOnly day)
    {
        for (var d = day; d > day.AddYears(-1); d = d.AddDays(-1))
        {
            if (IsSchoolDay(d))
            {
                return d;
            }
        }
        return null;
    }
}
