using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Registry.RollCalls;
using Baoxue.Infrastructure.Paging;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Organisation.Schools;

/// <summary>The school list, read the same way by /schools, GET /api/v1/schools and its xlsx export.</summary>
public static class SchoolQueries
{
    /// <param name="Sort">"code" (default), "name" (pinyin), "classes", "students"; a leading "-" reverses</param>
    public sealed record Filter(string? Q = null, Guid? TownshipId = null, SchoolKind? Kind = null, string? Sort = null);

    /// <summary>A school with its classes this year and its students on roll (在籍: in school or suspended) within the user's reach.</summary>
    public sealed record SchoolRow(
        Guid Id, string Code, string Name, SchoolKind Kind, Guid TownshipId, string Township, Guid? VillageId, string? Village, string? HeadName, string? Phone,
        string? Address, string? CentralSchoolCode, bool IsActive, int Classes, int Students);

    public static async Task<List<SchoolRow>> ListAsync(BaoxueDb db, Filter f, CancellationToken ct = default)
    {
        var query = db.Schools.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(f.Q))
        {
            var term = f.Q.Trim();
            query = query.Where(s => s.Name.Contains(term) || s.Code.Contains(term));
        }
        if (f.TownshipId is { } t)
        {
            query = query.Where(s => s.TownshipId == t);
        }
        if (f.Kind is { } k)
        {
            query = query.Where(s => s.Kind == k);
        }
        var schools = await query
            .Select(s => new
            {
                s.Id, s.Code, s.Name, s.Kind, s.TownshipId, Township = s.Township!.Name, s.VillageId, Village = s.Village != null ? s.Village.Name : null,
                s.HeadName, s.Phone, s.Address, Central = s.CentralSchool != null ? s.CentralSchool.Code : null, s.IsActive,
            })
            .ToListAsync(ct);
        var classes = await db.Classes.Where(c => c.SchoolYear!.IsCurrent).GroupBy(c => c.SchoolId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var students = await StudentsPerSchoolAsync(db, ct);
        var rows = schools.Select(s => new SchoolRow(
            s.Id, s.Code, s.Name, s.Kind, s.TownshipId, s.Township, s.VillageId, s.Village, s.HeadName, s.Phone, s.Address, s.Central, s.IsActive,
            classes.GetValueOrDefault(s.Id), students.GetValueOrDefault(s.Id)));
        var descending = f.Sort?.StartsWith('-') == true;
        IOrderedEnumerable<SchoolRow> ordered = (f.Sort?.TrimStart('-')) switch
        {
            "name" => descending ? rows.OrderByDescending(r => r.Name, RollCallQueries.NameOrder) : rows.OrderBy(r => r.Name, RollCallQueries.NameOrder),
            "classes" => descending ? rows.OrderByDescending(r => r.Classes) : rows.OrderBy(r => r.Classes),
            "students" => descending ? rows.OrderByDescending(r => r.Students) : rows.OrderBy(r => r.Students),
            _ => descending ? rows.OrderByDescending(r => r.Code, StringComparer.Ordinal) : rows.OrderBy(r => r.Code, StringComparer.Ordinal),
        };
        return [.. ordered.ThenBy(r => r.Code, StringComparer.Ordinal)];
    }

    public static async Task<PagedResult<SchoolRow>> PageAsync(BaoxueDb db, Filter f, PageRequest page, CancellationToken ct = default) =>
        page.Of(await ListAsync(db, f, ct));

    /// <summary>
    /// Students on roll per school, in one GROUP BY over the students the user may see (the jurisdiction filter
    /// applies), so a school's count never includes children outside the user's reach.
    /// </summary>
    public static Task<Dictionary<Guid, int>> StudentsPerSchoolAsync(BaoxueDb db, CancellationToken ct = default) =>
        db.Students.Where(s => s.Status == StudentStatus.InSchool || s.Status == StudentStatus.Suspended)
            .GroupBy(s => s.SchoolId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
}
