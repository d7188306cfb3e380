using System.Text.Json;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Auditing;
using Baoxue.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Accounts;

/// <summary>What an administrator does to an account they manage besides editing it: reset a forgotten password, unlock it.</summary>
public static class AccountActions
{
    /// <summary>A new initial password, shown once (on a slip), to be changed at the next sign-in.</summary>
    public sealed record Reset(AppUser User, string InitialPassword);

    public static async Task<Outcome<AppUser>> FindManagedAsync(BaoxueDb db, Guid id, CancellationToken ct = default)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Outcome<AppUser>.Missing();
        }
        return AccountRules.MayManage(AccountTargets.ActorOf(db), await AccountTargets.CurrentAsync(db, user, ct))
            ? Outcome<AppUser>.Ok(user)
            : Outcome<AppUser>.Refused("Id", "Account.NotYours");
    }

    public static async Task<Outcome<Reset>> ResetPasswordAsync(BaoxueDb db, UserManager<AppUser> users, SignInThrottle throttle, Guid id, CancellationToken ct = default)
    {
        var found = await FindManagedAsync(db, id, ct);
        if (!found.Succeeded)
        {
            return found.NotFound ? Outcome<Reset>.Missing() : Outcome<Reset>.Refused("Id", "Account.NotYours");
        }
        var user = found.Value!;
        var password = InitialPassword.New();
        user.MustChangePassword = true;
        var result = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
        if (!result.Succeeded)
        {
            return Outcome<Reset>.Invalid([.. result.Errors.Select(e => new FieldError("Password", "Raw", e.Description))]);
        }
        // A forgotten password usually comes with a lockout: the new slip should work at once.
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        throttle.Unlock(user.UserName!);
        db.Audit(AuditAction.Update, nameof(AppUser), user.Id.ToString(), user.Path, JsonSerializer.Serialize(new { userName = user.UserName, action = "password-reset" }, ChangeAudit.Json));
        await db.SaveChangesAsync(ct);
        return Outcome<Reset>.Ok(new Reset(user, password));
    }

    public static async Task<Outcome<AppUser>> UnlockAsync(BaoxueDb db, UserManager<AppUser> users, SignInThrottle throttle, Guid id, CancellationToken ct = default)
    {
        var found = await FindManagedAsync(db, id, ct);
        if (!found.Succeeded)
        {
            return found;
        }
        var user = found.Value!;
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        throttle.Unlock(user.UserName!);
        db.Audit(AuditAction.Update, nameof(AppUser), user.Id.ToString(), user.Path, JsonSerializer.Serialize(new { userName = user.UserName, action = "unlock" }, ChangeAudit.Json));
        await db.SaveChangesAsync(ct);
        return Outcome<AppUser>.Ok(user);
    }
}
