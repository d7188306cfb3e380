using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Organisation.SchoolYears;

/// <summary>The school years with their terms, newest first: the same read for /school-years and GET /api/v1/school-years.</summary>
public static class SchoolYearQueries
{
    public static Task<List<SchoolYear>> ListAsync(BaoxueDb db, CancellationToken ct = default) =>
        db.SchoolYears.AsNoTracking().Include(y => y.Terms).OrderByDescending(y => y.StartYear).ToListAsync(ct);
}
