using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Attendance;

/// <summary>Reads a school's calendar from the terms and the county's and school's exceptional days; sets and removes those days.</summary>
public static class Calendars
{
    /// <summary>The calendar of each school asked for, over the school years around <paramref name="around"/> (the one before and the one it falls in).</summary>
    public static async Task<Dictionary<Guid, SchoolCalendar>> ForSchoolsAsync(BaoxueDb db, IReadOnlyCollection<Guid> schoolIds, DateOnly around, CancellationToken ct = default)
    {
        var schools = await db.Schools.AsNoTracking().Where(s => schoolIds.Contains(s.Id)).Select(s => new { s.Id, s.Path }).ToListAsync(ct);
        return await ForSchoolsAsync(db, schools.Select(s => (s.Id, s.Path)).ToList(), around, ct);
    }

    /// <summary>As above for schools whose paths the caller already read (a class's): one query fewer on the submission's path.</summary>
    public static async Task<Dictionary<Guid, SchoolCalendar>> ForSchoolsAsync(BaoxueDb db, IReadOnlyList<(Guid Id, string Path)> schools, DateOnly around, CancellationToken ct = default)
    {
        var startYear = SchoolYear.StartYearOf(around);
        var terms = new List<DayRange>();
        await foreach (var term in TermsAround.For(db)(db, startYear).WithCancellation(ct))
        {
            terms.Add(term);
        }
        var schoolIds = schools.Select(s => s.Id).ToList();
        var from = new DateOnly(startYear - 1, 9, 1);
        var days = new List<Day>();
        await foreach (var day in DaysFrom.For(db)(db, from, schoolIds).WithCancellation(ct))
        {
            days.Add(day);
        }
        var result = new Dictionary<Guid, SchoolCalendar>();
        foreach (var school in schools.Select(s => new { s.Id, s.Path }))
        {
            var county = PlacePath.County(school.Path) ?? "";
            var countyDays = days.Where(d => d.SchoolId == null && d.Path == county).ToDictionary(d => d.Date, d => d.IsSchoolDay);
            var own = days.Where(d => d.SchoolId == school.Id).ToDictionary(d => d.Date, d => d.IsSchoolDay);
            result[school.Id] = new SchoolCalendar(terms, countyDays, own);
        }
        return result;
    }

    private sealed record Day(DateOnly Date, bool IsSchoolDay, Guid? SchoolId, string Path);

    // Compiled once: every attendance submission reads its school's calendar, and these two shapes never change, so
    // EF's per-call expression walk and cache look-up are skipped (decision 0037). Query filters apply as to any query.
    private static readonly PerModel<Func<BaoxueDb, int, IAsyncEnumerable<DayRange>>> TermsAround = new(() => EF.CompileAsyncQuery((BaoxueDb db, int startYear) =>
        db.Terms.AsNoTracking()
            .Where(t => db.SchoolYears.Any(y => y.Id == t.SchoolYearId && y.StartYear >= startYear - 1 && y.StartYear <= startYear))
            .Select(t => new DayRange(t.StartDate, t.EndDate))));

    private static readonly PerModel<Func<BaoxueDb, DateOnly, List<Guid>, IAsyncEnumerable<Day>>> DaysFrom = new(() => EF.CompileAsyncQuery((BaoxueDb db, DateOnly from, List<Guid> schoolIds) =>
        db.CalendarDays.AsNoTracking().Where(d => d.Date >= from && (d.SchoolId == null || schoolIds.Contains(d.SchoolId.Value)))
            .Select(d => new Day(d.Date, d.IsSchoolDay, d.SchoolId, d.Path))));

    public static async Task<SchoolCalendar?> ForSchoolAsync(BaoxueDb db, Guid schoolId, DateOnly around, CancellationToken ct = default) =>
        (await ForSchoolsAsync(db, [schoolId], around, ct)).GetValueOrDefault(schoolId);

    public sealed record DayRow(Guid Id, DateOnly Date, bool IsSchoolDay, string Name, Guid? SchoolId, string? SchoolName);

    /// <summary>The exceptional days the user sees (the county's, and their schools' own) in a school year, by date: page and API.</summary>
    public static async Task<List<DayRow>> DaysAsync(BaoxueDb db, int startYear, CancellationToken ct = default)
    {
        var from = new DateOnly(startYear, 9, 1);
        var to = new DateOnly(startYear + 1, 8, 31);
        var rows = await db.CalendarDays.AsNoTracking().Where(d => d.Date >= from && d.Date <= to)
            .Select(d => new { d.Id, d.Date, d.IsSchoolDay, d.Name, d.SchoolId, SchoolName = db.Schools.Where(s => s.Id == d.SchoolId).Select(s => s.Name).FirstOrDefault() })
            .ToListAsync(ct);
        return [.. rows.OrderBy(r => r.Date).ThenBy(r => r.SchoolId.HasValue).ThenBy(r => r.SchoolName, StringComparer.Ordinal)
            .Select(r => new DayRow(r.Id, r.Date, r.IsSchoolDay, r.Name, r.SchoolId, r.SchoolName))];
    }

    public sealed record SetDay(DateOnly? Date, bool? IsSchoolDay, string? Name, Guid? SchoolId);

    /// <summary>
    /// Sets one exceptional day: the county's (no school; a county-level account) or a school's own (an account of that
    /// school or above). Setting the same day again replaces the earlier entry.
    /// </summary>
    public static async Task<Outcome<CalendarDay>> SetAsync(BaoxueDb db, SetDay c, CancellationToken ct = default)
    {
        var errors = new List<FieldError>();
        if (c.Date is null)
        {
            errors.Add(new("Date", "Validation.Required", "Field.CalendarDate"));
        }
        if (c.IsSchoolDay is null)
        {
            errors.Add(new("IsSchoolDay", "Validation.Required", "Field.CalendarIsSchoolDay"));
        }
        if (string.IsNullOrWhiteSpace(c.Name))
        {
            errors.Add(new("Name", "Validation.Required", "Field.CalendarName"));
        }
        else if (c.Name.Trim().Length > AttendanceModel.NameLength)
        {
            errors.Add(new("Name", "Validation.TooLong", AttendanceModel.NameLength));
        }
        string? path = null;
        if (c.SchoolId is { } schoolId)
        {
            var school = await db.Schools.AsNoTracking().FirstOrDefaultAsync(s => s.Id == schoolId, ct);
            if (school is null || !db.Covers(school.Path))
            {
                errors.Add(new("SchoolId", "Calendar.SchoolOutOfReach"));
            }
            else
            {
                path = school.Path;
            }
        }
        else
        {
            var scope = db.CurrentUser.ScopePath;
            // The county's days are the county's to set: an account bound below the county sets its school's own days.
            if (scope is not null && PlacePath.County(scope) != scope)
            {
                errors.Add(new("SchoolId", "Calendar.CountyOnly"));
            }
            else
            {
                path = scope ?? "";
            }
        }
        if (errors.Count > 0)
        {
            return Outcome<CalendarDay>.Invalid(errors);
        }
        var date = c.Date!.Value;
        var existing = await db.CalendarDays.FirstOrDefaultAsync(d => d.Path == path && d.Date == date, ct);
        var day = existing ?? new CalendarDay { Name = "", Path = path!, SchoolId = c.SchoolId, Date = date };
        day.Name = c.Name!.Trim();
        day.IsSchoolDay = c.IsSchoolDay!.Value;
        if (existing is null)
        {
            db.CalendarDays.Add(day);
        }
        return await db.SaveAsync(day, ct);
    }

    public static async Task<Outcome<CalendarDay>> RemoveAsync(BaoxueDb db, Guid id, CancellationToken ct = default)
    {
        var day = await db.CalendarDays.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (day is null || !db.Covers(day.Path))
        {
            return Outcome<CalendarDay>.Missing();
        }
        db.CalendarDays.Remove(day);
        return await db.SaveAsync(day, ct);
    }
}
