using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Attendance;

/// <summary>
/// 流生日查、周报、月报: per school (with its township) in reach, the children the absence clock put on the suspected-dropout
/// list and on the dropout list in the period, those who came back, and those lost today. Read from the clocks the daily
/// run keeps, so the figures are the run's: page and API.
/// </summary>
public static class LostCounts
{
    public enum Period
    {
        Day = 1,
        Week = 2,
        Month = 3,
    }

    public sealed record Line(Guid SchoolId, string Code, string School, string Township, int NewSuspected, int NewDropouts, int Returned, int LostNow);

    public sealed record Report(Period Period, DateOnly From, DateOnly To, IReadOnlyList<Line> Schools)
    {
        public int NewSuspected => Schools.Sum(s => s.NewSuspected);
        public int NewDropouts => Schools.Sum(s => s.NewDropouts);
        public int Returned => Schools.Sum(s => s.Returned);
        public int LostNow => Schools.Sum(s => s.LostNow);
    }

    /// <summary>The period a day falls in: the day, its week (Monday first, as Chinese calendars print it), or its month.</summary>
    public static (DateOnly From, DateOnly To) Span(Period period, DateOnly day) => period switch
    {
        Period.Week => (day.AddDays(-(((int)day.DayOfWeek + 6) % 7)), day.AddDays(-(((int)day.DayOfWeek + 6) % 7) + 6)),
        Period.Month => (new DateOnly(day.Year, day.Month, 1), new DateOnly(day.Year, day.Month, 1).AddMonths(1).AddDays(-1)),
        _ => (day, day),
    };

    public static async Task<Report> ForAsync(BaoxueDb db, Period period, DateOnly day, CancellationToken ct = default)
    {
        var (from, to) = Span(period, day);
        var rows = await db.AbsenceClocks.AsNoTracking()
            .Where(c => (c.SuspectedOn >= from && c.SuspectedOn <= to) || (c.DropoutOn >= from && c.DropoutOn <= to) || (c.ReturnedOn >= from && c.ReturnedOn <= to)
                || c.Stage >= ClockStage.SuspectedDropout)
            .Select(c => new { c.Student!.SchoolId, c.Stage, c.SuspectedOn, c.DropoutOn, c.ReturnedOn })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.SchoolId).Distinct().ToList();
        var schools = await db.Schools.AsNoTracking().Where(s => ids.Contains(s.Id))
            .Select(s => new { s.Id, s.Code, s.Name, Township = s.Township != null ? s.Township.Name : "" }).ToListAsync(ct);
        var lines = schools.Select(s =>
        {
            var own = rows.Where(r => r.SchoolId == s.Id).ToList();
            return new Line(s.Id, s.Code, s.Name, s.Township,
                own.Count(r => r.SuspectedOn >= from && r.SuspectedOn <= to),
                own.Count(r => r.DropoutOn >= from && r.DropoutOn <= to),
                own.Count(r => r.ReturnedOn >= from && r.ReturnedOn <= to),
                own.Count(r => r.Stage >= ClockStage.SuspectedDropout));
        }).OrderBy(l => l.Township, StringComparer.Ordinal).ThenBy(l => l.Code, StringComparer.Ordinal).ToList();
        return new Report(period, from, to, lines);
    }
}
