using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Accounts;

/// <summary>
/// Leaving and moving: when the staff list says a person left, their account is disabled; when it says they moved to
/// another unit, their account moves with them (a head teacher's class stays behind, so they become a subject teacher
/// of the new school) — or, where the editor may not give that account its new place, it is disabled. Both in the
/// same save as the staff record, and both end the account's sessions. What the account held open is listed by
/// <see cref="Handover"/>.
/// </summary>
public static class StaffAccounts
{
    public enum Step
    {
        Disabled = 1,
        Moved = 2,
    }

    public sealed record Change(Guid AccountId, string UserName, Step Step);

    /// <summary>Applies the step to the person's accounts (tracked, saved with the person). Disabling is always allowed: it only takes access away.</summary>
    public static async Task<List<Change>> FollowAsync(BaoxueDb db, Domain.Staff person, bool wasActive, string oldPath, PlaceKind kind, Guid placeId, CancellationToken ct = default)
    {
        var changes = new List<Change>();
        var leaving = wasActive && !person.IsActive;
        var moving = person.Path != oldPath;
        if (!leaving && !moving)
        {
            return changes;
        }
        foreach (var account in await db.Users.Where(u => u.StaffId == person.Id && !u.IsDisabled).ToListAsync(ct))
        {
            var step = Step.Disabled;
            if (!leaving)
            {
                var role = account.Role == Role.HeadTeacher ? Role.SubjectTeacher : account.Role;
                var target = new AccountRules.Target(role, kind, person.Path, await AccountTargets.IsCentralSchoolAsync(db, kind, placeId, ct));
                if (role.Places().Contains(kind) && AccountRules.MayManage(AccountTargets.ActorOf(db), target))
                {
                    (account.Role, account.PlaceKind, account.PlaceId, account.Path) = (role, kind, placeId, person.Path);
                    step = Step.Moved;
                }
            }
            if (step == Step.Disabled)
            {
                account.IsDisabled = true;
            }
            // A new stamp ends the account's cookie and token sessions at their next request.
            account.SecurityStamp = Guid.NewGuid().ToString("N");
            changes.Add(new Change(account.Id, account.UserName!, step));
        }
        return changes;
    }
}
