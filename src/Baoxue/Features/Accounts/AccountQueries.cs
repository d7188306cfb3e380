using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Accounts;

public static class AccountQueries
{
    public sealed record AccountDto(Guid Id, string UserName, string DisplayName, Role Role, PlaceKind PlaceKind, Guid PlaceId, string Path, bool TwoFactorEnabled, bool IsDisabled, bool IsLockedOut);

    public static AccountDto ToDto(AppUser u, TimeProvider clock) =>
        new(u.Id, u.UserName!, u.DisplayName, u.Role, u.PlaceKind, u.PlaceId, u.Path, u.TwoFactorEnabled, u.IsDisabled, IsLockedOut(u, clock));

    public static bool IsLockedOut(AppUser u, TimeProvider clock) => u.LockoutEnd > clock.GetUtcNow();

    public static Task<List<AppUser>> ListAsync(BaoxueDb db, string? q, CancellationToken ct)
    {
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            query = query.Where(u => u.UserName!.Contains(term) || u.DisplayName.Contains(term));
        }
        return query.OrderBy(u => u.Path).ThenBy(u => u.UserName).Take(500).ToListAsync(ct);
    }
}
