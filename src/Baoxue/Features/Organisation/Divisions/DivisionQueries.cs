using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Organisation.Schools;
using Baoxue.Infrastructure.Paging;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Organisation.Divisions;

/// <summary>
/// A division's children (a province's cities, a city's counties, a county's townships, a township's villages) with their schools and students on roll,
/// read the same way by /divisions/{id} and GET /api/v1/divisions?parentId=.
/// </summary>
public static class DivisionQueries
{
    public sealed record DivisionRow(Guid Id, string Code, string Name, DivisionLevel Level, Guid? ParentId, string? Kind, int Schools, int Students);

    /// <summary>The children of <paramref name="parentId"/>, or the county (the top) when none is given.</summary>
    public static async Task<PagedResult<DivisionRow>> PageAsync(BaoxueDb db, Guid? parentId, PageRequest page, CancellationToken ct = default)
    {
        var query = db.Divisions.AsNoTracking().Where(d => parentId == null ? d.Level == DivisionLevel.County : d.ParentId == parentId);
        var total = await query.CountAsync(ct);
        var divisions = await query.OrderBy(d => d.Code).ThenBy(d => d.Id).Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        var ids = divisions.Select(d => d.Id).ToHashSet();
        // A school counts for its township and, when it has one, its village; its students with it. The students
        // are counted in one GROUP BY over those the user may see.
        var schools = await db.Schools.AsNoTracking()
            .Where(s => ids.Contains(s.TownshipId) || (s.VillageId != null && ids.Contains(s.VillageId.Value)) || (s.Township != null && s.Township.ParentId != null && ids.Contains(s.Township.ParentId.Value))
                || (s.Township != null && s.Township.Parent != null && s.Township.Parent.ParentId != null && ids.Contains(s.Township.Parent.ParentId.Value)))
            .Select(s => new { s.Id, s.TownshipId, s.VillageId, CountyId = s.Township!.ParentId, CityId = s.Township.Parent!.ParentId })
            .ToListAsync(ct);
        var students = await SchoolQueries.StudentsPerSchoolAsync(db, ct);
        var perDivision = schools
            .SelectMany(s => new[] { s.TownshipId, s.VillageId, s.CountyId, s.CityId }.OfType<Guid>().Where(ids.Contains).Distinct().Select(d => (Division: d, School: s.Id)))
            .GroupBy(x => x.Division)
            .ToDictionary(g => g.Key, g => (Schools: g.Count(), Students: g.Sum(x => students.GetValueOrDefault(x.School))));
        return page.Of<DivisionRow>([.. divisions.Select(d => new DivisionRow(d.Id, d.Code, d.Name, d.Level, d.ParentId, d.Kind,
            perDivision.GetValueOrDefault(d.Id).Schools, perDivision.GetValueOrDefault(d.Id).Students))], total);
    }
}
