using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Accounts;

/// <summary>What <see cref="AccountRules"/> needs to know about a place, read within the user's jurisdiction.</summary>
public static class AccountTargets
{
    public static AccountRules.Actor ActorOf(BaoxueDb db) => new(db.CurrentUser.Role, db.CurrentUser.ScopePath);

    /// <summary>The place (null when it does not exist or is out of reach) and the target an account bound there with that role would be.</summary>
    public static async Task<(Places.Place? Place, AccountRules.Target? Target)> ResolveAsync(BaoxueDb db, Role role, PlaceKind kind, Guid placeId, CancellationToken ct = default)
    {
        var place = await Places.FindAsync(db, kind, placeId, ct);
        if (place is null || !db.Covers(place.Path))
        {
            return (null, null);
        }
        return (place, new AccountRules.Target(role, kind, place.Path, await IsCentralSchoolAsync(db, kind, placeId, ct)));
    }

    /// <summary>The account as it stands now.</summary>
    public static async Task<AccountRules.Target> CurrentAsync(BaoxueDb db, AppUser user, CancellationToken ct = default) =>
        new(user.Role, user.PlaceKind, user.Path, await IsCentralSchoolAsync(db, user.PlaceKind, user.PlaceId, ct));

    /// <summary>A central school (中心校) is one that other schools name as theirs; a class is at one when its school is.</summary>
    public static async Task<bool> IsCentralSchoolAsync(BaoxueDb db, PlaceKind kind, Guid placeId, CancellationToken ct = default)
    {
        var schoolId = kind switch
        {
            PlaceKind.School => placeId,
            PlaceKind.Class => await db.Classes.IgnoreQueryFilters().Where(c => c.Id == placeId).Select(c => (Guid?)c.SchoolId).FirstOrDefaultAsync(ct),
            _ => null,
        };
        return schoolId is { } id && await db.Schools.IgnoreQueryFilters().AnyAsync(s => s.CentralSchoolId == id, ct);
    }
}
