using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Organisation.Classes;

/// <summary>The class list, read the same way by a school's page, GET /api/v1/classes and its xlsx export.</summary>
public static class ClassQueries
{
    /// <param name="SchoolYearId">a school year; none means the current one</param>
    public sealed record Filter(Guid? SchoolId = null, Guid? SchoolYearId = null);

    /// <summary>A class with its head teacher and the students on its roll (在籍) within the user's reach.</summary>
    public sealed record ClassRow(
        Guid Id, Guid SchoolId, string SchoolCode, string SchoolName, Guid SchoolYearId, int StartYear, int Grade, int Number, string Name,
        Guid? HeadTeacherId, string? HeadTeacher, int? Capacity, int Students);

    private sealed record Raw(Guid Id, Guid SchoolId, string SchoolCode, string SchoolName, Guid SchoolYearId, int StartYear, int Grade, int Number, Guid? HeadTeacherId, string? HeadTeacher, int? Capacity);

    private static IQueryable<Raw> Query(BaoxueDb db, Filter f)
    {
        var query = db.Classes.AsNoTracking();
        query = f.SchoolYearId is { } y ? query.Where(c => c.SchoolYearId == y) : query.Where(c => c.SchoolYear!.IsCurrent);
        if (f.SchoolId is { } s)
        {
            query = query.Where(c => c.SchoolId == s);
        }
        return query.OrderBy(c => c.School!.Code).ThenBy(c => c.Grade).ThenBy(c => c.Number).ThenBy(c => c.Id)
            .Select(c => new Raw(c.Id, c.SchoolId, c.School!.Code, c.School.Name, c.SchoolYearId, c.SchoolYear!.StartYear, c.Grade, c.Number,
                c.HeadTeacherId, c.HeadTeacher != null ? c.HeadTeacher.Name : null, c.Capacity));
    }

    public static async Task<List<ClassRow>> ListAsync(BaoxueDb db, Filter f, CancellationToken ct = default) =>
        await WithStudentsAsync(db, await Query(db, f).ToListAsync(ct), ct);

    public static async Task<PagedResult<ClassRow>> PageAsync(BaoxueDb db, Filter f, PageRequest page, CancellationToken ct = default)
    {
        var query = Query(db, f);
        var total = await query.CountAsync(ct);
        return page.Of(await WithStudentsAsync(db, await query.Skip(page.Skip).Take(page.PageSize).ToListAsync(ct), ct), total);
    }

    /// <summary>Students on roll per class, one GROUP BY over the students the user may see.</summary>
    private static async Task<List<ClassRow>> WithStudentsAsync(BaoxueDb db, List<Raw> classes, CancellationToken ct)
    {
        var ids = classes.Select(c => c.Id).ToList();
        var counts = await db.Students.Where(s => s.ClassId != null && ids.Contains(s.ClassId.Value) && (s.Status == StudentStatus.InSchool || s.Status == StudentStatus.Suspended))
            .GroupBy(s => s.ClassId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        // A class's head teacher is named to whoever sees the class, though their staff record sits at the school,
        // above a head teacher's or a township cadre's reach: names only, for classes already within reach.
        var headIds = classes.Where(c => c.HeadTeacherId != null).Select(c => c.HeadTeacherId!.Value).Distinct().ToList();
        var heads = await db.Staff.IgnoreQueryFilters().AsNoTracking().Where(s => headIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        return [.. classes.Select(c => new ClassRow(c.Id, c.SchoolId, c.SchoolCode, c.SchoolName, c.SchoolYearId, c.StartYear, c.Grade, c.Number,
            ChineseFormat.ClassName(c.Grade, c.Number), c.HeadTeacherId, c.HeadTeacherId is { } h ? heads.GetValueOrDefault(h) : null, c.Capacity, counts.GetValueOrDefault(c.Id)))];
    }
}
