using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Organisation.SchoolYears;

/// <summary>Open a school year (with its two terms), make one current, adjust term dates.</summary>
public static class SchoolYearCommands
{
    public static async Task<Outcome<SchoolYear>> CreateAsync(BaoxueDb db, int startYear, CancellationToken ct = default)
    {
        if (startYear is < 2000 or > 2099)
        {
            return Outcome<SchoolYear>.Invalid("StartYear", "SchoolYear.StartYearRule");
        }
        if (await db.SchoolYears.AnyAsync(y => y.StartYear == startYear, ct))
        {
            return Outcome<SchoolYear>.Invalid("StartYear", "Validation.Duplicate", startYear);
        }
        var year = SchoolYear.Create(startYear);
        db.SchoolYears.Add(year);
        await db.SaveChangesAsync(ct);
        return Outcome<SchoolYear>.Ok(year);
    }

    public static async Task<Outcome<SchoolYear>> MakeCurrentAsync(BaoxueDb db, Guid id, CancellationToken ct = default)
    {
        var years = await db.SchoolYears.ToListAsync(ct);
        var target = years.FirstOrDefault(y => y.Id == id);
        if (target is null)
        {
            return Outcome<SchoolYear>.Missing();
        }
        foreach (var y in years)
        {
            y.IsCurrent = y.Id == id;
        }
        await db.SaveChangesAsync(ct);
        return Outcome<SchoolYear>.Ok(target);
    }

    public static async Task<Outcome<Term>> SetTermDatesAsync(BaoxueDb db, Guid termId, DateOnly start, DateOnly end, CancellationToken ct = default)
    {
        var term = await db.Terms.FirstOrDefaultAsync(t => t.Id == termId, ct);
        if (term is null)
        {
            return Outcome<Term>.Missing();
        }
        var year = await db.SchoolYears.AsNoTracking().FirstAsync(y => y.Id == term.SchoolYearId, ct);
        if (end <= start || start < year.StartDate || end > year.EndDate)
        {
            return Outcome<Term>.Invalid("EndDate", "SchoolYear.TermDatesRule");
        }
        term.StartDate = start;
        term.EndDate = end;
        await db.SaveChangesAsync(ct);
        return Outcome<Term>.Ok(term);
    }
}
