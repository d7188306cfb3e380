using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Attendance;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Ledger;

/// <summary>
/// The days the ledger's and casework's deadlines count (decision 0029). Office steps — verifying an entry, approving a
/// verification, naming a case's two lines — count 工作日: weekdays and the county's make-up working days (调休), less
/// the county's holidays, in term or not (offices work through the school holidays). A guardian's deadline to send the
/// child back counts 上学日 of the child's school (<see cref="SchoolCalendar"/>), because a child can only return on a
/// school day. Read once per request from the county calendar the attendance feature keeps; counted without the database.
/// </summary>
public sealed class DeadlineDays
{
    private static readonly DayRange Always = new(DateOnly.MinValue, DateOnly.MaxValue);
    private readonly Dictionary<string, SchoolCalendar> _working;
    private readonly SchoolCalendar _weekdays = new([Always]);

    private DeadlineDays(Dictionary<string, SchoolCalendar> working) => _working = working;

    /// <summary>Every county's working days, from a year before <paramref name="around"/> on.</summary>
    public static async Task<DeadlineDays> LoadAsync(BaoxueDb db, DateOnly around, CancellationToken ct = default)
    {
        var from = around.AddYears(-1);
        // The calendar is the county's public timetable, not personal data: read past the jurisdiction filter so a village
        // cadre counts the same deadline as the bureau.
        var days = await db.CalendarDays.IgnoreQueryFilters().AsNoTracking().Where(d => d.SchoolId == null && d.Date >= from)
            .Select(d => new { d.Path, d.Date, d.IsSchoolDay }).ToListAsync(ct);
        return new(days.GroupBy(d => d.Path).ToDictionary(g => g.Key,
            g => new SchoolCalendar([Always], g.GroupBy(d => d.Date).ToDictionary(x => x.Key, x => x.Last().IsSchoolDay))));
    }

    /// <summary>The working day <paramref name="count"/> working days after <paramref name="from"/> in the county of <paramref name="path"/>.</summary>
    public DateOnly AddWorkingDays(string? path, DateOnly from, int count)
    {
        var calendar = PlacePath.County(path ?? "") is { } county && _working.TryGetValue(county, out var c) ? c : _weekdays;
        return calendar.AddSchoolDays(from, count) ?? from.AddDays(count);
    }

    /// <summary>
    /// A child's school days: their school's calendar, or — for a child with no school (never enrolled) — the county's
    /// terms, holidays and make-up days.
    /// </summary>
    public static async Task<SchoolCalendar> SchoolDaysAsync(BaoxueDb db, Guid? schoolId, string path, DateOnly around, CancellationToken ct = default)
    {
        if (schoolId is { } id && await Calendars.ForSchoolAsync(db, id, around, ct) is { } own)
        {
            return own;
        }
        var startYear = SchoolYear.StartYearOf(around);
        var terms = await db.Terms.IgnoreQueryFilters().AsNoTracking()
            .Where(t => db.SchoolYears.Any(y => y.Id == t.SchoolYearId && y.StartYear >= startYear - 1 && y.StartYear <= startYear + 1))
            .Select(t => new DayRange(t.StartDate, t.EndDate)).ToListAsync(ct);
        var county = PlacePath.County(path) ?? "";
        var from = new DateOnly(startYear - 1, 9, 1);
        var days = await db.CalendarDays.IgnoreQueryFilters().AsNoTracking().Where(d => d.SchoolId == null && d.Path == county && d.Date >= from)
            .Select(d => new { d.Date, d.IsSchoolDay }).ToListAsync(ct);
        return new SchoolCalendar(terms, days.GroupBy(d => d.Date).ToDictionary(g => g.Key, g => g.Last().IsSchoolDay));
    }
}
