using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Holidays;

/// <summary>A winter or summer holiday of the school calendar: the days between a term's end and the next term's start.</summary>
public sealed record Holiday(int StartYear, HolidayKind Kind, DateOnly From, DateOnly To)
{
    /// <summary>The address form of a holiday (<c>2026-Winter</c>), used by pages and the API.</summary>
    public string Code => $"{StartYear}-{Kind}";

    public static bool TryParse(string? code, out int startYear, out HolidayKind kind)
    {
        startYear = 0;
        kind = default;
        var parts = code?.Split('-');
        return parts is { Length: 2 } && int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out startYear)
            && Enum.TryParse(parts[1], out kind) && Enum.IsDefined(kind);
    }
}

/// <summary>The holidays the county's school years define (terms are the county's: every school shares them).</summary>
public static class HolidayCalendar
{
    public static async Task<List<Holiday>> AllAsync(BaoxueDb db, CancellationToken ct = default)
    {
        var years = await db.SchoolYears.IgnoreQueryFilters().AsNoTracking().Include(y => y.Terms).OrderBy(y => y.StartYear).ToListAsync(ct);
        var result = new List<Holiday>();
        for (var i = 0; i < years.Count; i++)
        {
            var terms = years[i].Terms.OrderBy(t => t.Number).ToList();
            if (terms.Count < 2)
            {
                continue;
            }
            result.Add(new Holiday(years[i].StartYear, HolidayKind.Winter, terms[0].EndDate.AddDays(1), terms[1].StartDate.AddDays(-1)));
            var next = i + 1 < years.Count ? years[i + 1].Terms.OrderBy(t => t.Number).FirstOrDefault() : null;
            result.Add(new Holiday(years[i].StartYear, HolidayKind.Summer, terms[1].EndDate.AddDays(1), next?.StartDate.AddDays(-1) ?? years[i].EndDate));
        }
        return result;
    }

    /// <summary>The holiday under way, or else the next one: what a plan is filed for now.</summary>
    public static Holiday? Upcoming(IReadOnlyList<Holiday> holidays, DateOnly today) =>
        holidays.Where(h => h.To >= today).OrderBy(h => h.From).FirstOrDefault() ?? holidays.LastOrDefault();

    public static async Task<Holiday?> FindAsync(BaoxueDb db, int startYear, HolidayKind kind, CancellationToken ct = default) =>
        (await AllAsync(db, ct)).FirstOrDefault(h => h.StartYear == startYear && h.Kind == kind);
}
