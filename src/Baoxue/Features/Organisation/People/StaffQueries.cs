using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Registry.RollCalls;
using Baoxue.Infrastructure.Paging;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Organisation.People;

/// <summary>The staff list (人员), read the same way by the /staff page and GET /api/v1/staff.</summary>
public static class StaffQueries
{
    /// <param name="Q">part of a name, post or school name</param>
    /// <param name="UnitId">a school, member department, township or village: the people working there</param>
    /// <param name="Sort">"unit" (default: by unit, then name), "name", "post"; a leading "-" reverses</param>
    /// <param name="IncludeInactive">people no longer in post too</param>
    public sealed record Filter(string? Q = null, Guid? UnitId = null, string? Sort = null, bool IncludeInactive = false);

    /// <summary>One person as listed; the phone is masked (the full number is only on the edit form).</summary>
    public sealed record StaffRow(Guid Id, string Name, string Post, string? Phone, Guid? SchoolId, Guid? DepartmentId, Guid? DivisionId, string? Unit, bool IsActive);

    public sealed record Unit(Guid Id, string Name, bool IsSchool);

    /// <summary>
    /// Every matching person in list order. Names sort by pinyin in .NET (ICU), which no database does the same way;
    /// a county's staff (about a thousand) is small enough to order in memory and page after.
    /// </summary>
    public static async Task<List<StaffRow>> ListAsync(BaoxueDb db, Filter f, CancellationToken ct = default)
    {
        var query = db.Staff.AsNoTracking();
        if (!f.IncludeInactive)
        {
            query = query.Where(s => s.IsActive);
        }
        if (!string.IsNullOrWhiteSpace(f.Q))
        {
            var term = f.Q.Trim();
            query = query.Where(s => s.Name.Contains(term) || s.Post.Contains(term) || (s.School != null && s.School.Name.Contains(term)));
        }
        if (f.UnitId is { } unit)
        {
            query = query.Where(s => s.SchoolId == unit || s.DepartmentId == unit || s.DivisionId == unit);
        }
        var rows = await query
            .Select(s => new
            {
                s.Id, s.Name, s.Post, s.Phone, s.SchoolId, s.DepartmentId, s.DivisionId, s.Path, s.IsActive,
                Unit = s.School != null ? s.School.Name : s.Department != null ? s.Department.Name : s.Division != null ? s.Division.Name : null,
            })
            .ToListAsync(ct);
        var names = RollCallQueries.NameOrder;
        var descending = f.Sort?.StartsWith('-') == true;
        var ordered = (f.Sort?.TrimStart('-')) switch
        {
            "name" => descending ? rows.OrderByDescending(r => r.Name, names) : rows.OrderBy(r => r.Name, names),
            "post" => descending ? rows.OrderByDescending(r => r.Post, names) : rows.OrderBy(r => r.Post, names),
            _ => descending ? rows.OrderByDescending(r => r.Path, StringComparer.Ordinal) : rows.OrderBy(r => r.Path, StringComparer.Ordinal),
        };
        return [.. ordered.ThenBy(r => r.Name, names).ThenBy(r => r.Id)
            .Select(r => new StaffRow(r.Id, r.Name, r.Post, r.Phone is null ? null : PhoneNumber.Mask(r.Phone), r.SchoolId, r.DepartmentId, r.DivisionId, r.Unit, r.IsActive))];
    }

    public static async Task<PagedResult<StaffRow>> PageAsync(BaoxueDb db, Filter f, PageRequest page, CancellationToken ct = default) =>
        page.Of(await ListAsync(db, f, ct));

    /// <summary>The units the user may filter by: schools in reach, then member departments.</summary>
    public static async Task<List<Unit>> UnitsAsync(BaoxueDb db, CancellationToken ct = default)
    {
        var schools = await db.Schools.AsNoTracking().OrderBy(s => s.Code).Select(s => new Unit(s.Id, s.Name, true)).ToListAsync(ct);
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Kind).ThenBy(d => d.Code).Select(d => new Unit(d.Id, d.Name, false)).ToListAsync(ct);
        return [.. schools, .. departments];
    }
}
