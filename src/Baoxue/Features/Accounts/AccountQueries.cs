using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Paging;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Accounts;

public static class AccountQueries
{
    public sealed record AccountDto(Guid Id, string UserName, string DisplayName, Role Role, PlaceKind PlaceKind, Guid PlaceId, string Path, bool TwoFactorEnabled, bool IsDisabled, bool IsLockedOut);

    public static AccountDto ToDto(AppUser u, TimeProvider clock) =>
        new(u.Id, u.UserName!, u.DisplayName, u.Role, u.PlaceKind, u.PlaceId, u.Path, u.TwoFactorEnabled, u.IsDisabled, IsLockedOut(u, clock));

    public static bool IsLockedOut(AppUser u, TimeProvider clock) => u.LockoutEnd > clock.GetUtcNow();

    /// <summary>
    /// Accounts matching a user name or display name, by place then user name, one page at a time: the same read for
    /// /accounts and GET /api/v1/accounts. User names are Latin, so the database orders them as people expect.
    /// </summary>
    public static async Task<PagedResult<AppUser>> PageAsync(BaoxueDb db, string? q, PageRequest page, CancellationToken ct)
    {
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            query = query.Where(u => u.UserName!.Contains(term) || u.DisplayName.Contains(term));
        }
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(u => u.Path).ThenBy(u => u.UserName).ThenBy(u => u.Id).Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        return page.Of(items, total);
    }
}
