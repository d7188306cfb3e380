using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Paging;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Organisation.Departments;

/// <summary>The member departments (成员单位) with their staff counts, read the same way by /departments and GET /api/v1/departments.</summary>
public static class DepartmentQueries
{
    public sealed record DepartmentRow(Guid Id, string Code, string Name, DepartmentKind Kind, string? Duties, int StaffCount);

    private static IQueryable<Department> Ordered(BaoxueDb db) => db.Departments.AsNoTracking().OrderBy(d => d.Kind).ThenBy(d => d.Code).ThenBy(d => d.Id);

    public static async Task<PagedResult<DepartmentRow>> PageAsync(BaoxueDb db, PageRequest page, CancellationToken ct = default)
    {
        var total = await db.Departments.CountAsync(ct);
        var departments = await Ordered(db).Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        var ids = departments.Select(d => d.Id).ToList();
        // One GROUP BY for the page's departments, within the user's reach like every staff read.
        var counts = await db.Staff.Where(s => s.IsActive && s.DepartmentId != null && ids.Contains(s.DepartmentId.Value))
            .GroupBy(s => s.DepartmentId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return page.Of<DepartmentRow>([.. departments.Select(d => new DepartmentRow(d.Id, d.Code, d.Name, d.Kind, d.Duties, counts.GetValueOrDefault(d.Id)))], total);
    }
}
