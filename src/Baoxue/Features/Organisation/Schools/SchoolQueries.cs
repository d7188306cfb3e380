using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Organisation.Schools;

public static class SchoolQueries
{
    public sealed record SchoolRow(Guid Id, string Code, string Name, SchoolKind Kind, Guid TownshipId, string Township, string? HeadName, string? Phone, string? Address, bool IsActive, int Classes);

    public static async Task<List<SchoolRow>> ListAsync(BaoxueDb db, string? q, Guid? townshipId, SchoolKind? kind, CancellationToken ct = default)
    {
        var query = db.Schools.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            query = query.Where(s => s.Name.Contains(term) || s.Code.Contains(term));
        }
        if (townshipId is { } t)
        {
            query = query.Where(s => s.TownshipId == t);
        }
        if (kind is { } k)
        {
            query = query.Where(s => s.Kind == k);
        }
        return await query.OrderBy(s => s.Code)
            .Select(s => new SchoolRow(s.Id, s.Code, s.Name, s.Kind, s.TownshipId, s.Township!.Name, s.HeadName, s.Phone, s.Address, s.IsActive,
                db.Classes.Count(c => c.SchoolId == s.Id && c.SchoolYear!.IsCurrent)))
            .ToListAsync(ct);
    }
}
