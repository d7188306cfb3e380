using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Accounts;

/// <summary>
/// Create or change an account: its role, the place it is bound to, the staff record it is (a subject teacher sees
/// the classes that record teaches), its password, lock state. Only within <see cref="AccountRules"/>.
/// </summary>
public static class SaveAccount
{
    /// <param name="StaffId">The staff record this account is (人员); null leaves the link as it is, <see cref="Guid.Empty"/> removes it.</param>
    public sealed record Command(
        Guid? Id, string UserName, string DisplayName, Role Role, PlaceKind PlaceKind, Guid PlaceId,
        string? Password = null, bool IsDisabled = false, bool Unlock = false, Guid? StaffId = null);

    public static async Task<Outcome<AppUser>> HandleAsync(BaoxueDb db, UserManager<AppUser> users, Command c, Infrastructure.Security.SignInThrottle? throttle = null)
    {
        var outcome = await SaveAsync(db, users, c);
        if (outcome.Succeeded && c.Unlock)
        {
            // Sign-in lockouts are counted per account and address, outside the database.
            throttle?.Unlock(outcome.Value!.UserName!);
        }
        return outcome;
    }

    /// <summary>The user-name rule, shared with provisioning and the account sheet.</summary>
    public static bool IsValidUserName(string userName) =>
        userName.Length is >= 3 and <= 64 && userName.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-');

    private static async Task<Outcome<AppUser>> SaveAsync(BaoxueDb db, UserManager<AppUser> users, Command c)
    {
        var errors = new List<FieldError>();
        var userName = c.UserName?.Trim() ?? "";
        if (!IsValidUserName(userName))
        {
            errors.Add(new FieldError(nameof(c.UserName), "Account.UserNameRule"));
        }
        if (string.IsNullOrWhiteSpace(c.DisplayName) || c.DisplayName.Trim().Length > 64)
        {
            errors.Add(new FieldError(nameof(c.DisplayName), "Validation.Required", "Field.DisplayName"));
        }
        if (!Enum.IsDefined(c.Role) || !c.Role.Places().Contains(c.PlaceKind))
        {
            errors.Add(new FieldError(nameof(c.PlaceKind), "Account.PlaceNotForRole"));
        }
        var (place, target) = await AccountTargets.ResolveAsync(db, c.Role, c.PlaceKind, c.PlaceId);
        if (place is null)
        {
            errors.Add(new FieldError(nameof(c.PlaceId), "Account.PlaceNotFound"));
        }
        if (c.Id is null && string.IsNullOrEmpty(c.Password))
        {
            errors.Add(new FieldError(nameof(c.Password), "Account.PasswordRequired"));
        }
        Domain.Staff? staff = null;
        if (c.StaffId is { } staffId && staffId != Guid.Empty)
        {
            staff = await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.Id == staffId);
            if (staff is null || place is null || !PlacePath.IsWithin(place.Path, staff.Path))
            {
                errors.Add(new FieldError(nameof(c.StaffId), "Account.StaffNotOfPlace"));
            }
            else if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.StaffId == staffId && u.Id != c.Id))
            {
                errors.Add(new FieldError(nameof(c.StaffId), "Account.StaffHasAccount", staff.Name));
            }
        }
        AppUser? user = null;
        if (c.Id is { } id)
        {
            user = await db.Users.FirstOrDefaultAsync(u => u.Id == id);
            if (user is null)
            {
                return Outcome<AppUser>.Missing();
            }
            if (!AccountRules.MayManage(AccountTargets.ActorOf(db), await AccountTargets.CurrentAsync(db, user)))
            {
                return Outcome<AppUser>.Refused(nameof(c.Role), "Account.NotYours");
            }
        }
        // A role above the actor's is refused as such (403), wherever it was to be bound.
        if (Enum.IsDefined(c.Role) && !AccountRules.Assignable(AccountTargets.ActorOf(db).Role).Contains(c.Role))
        {
            return Outcome<AppUser>.Refused(nameof(c.Role), "Account.RoleNotYours");
        }
        if (errors.Count > 0)
        {
            return Outcome<AppUser>.Invalid(errors);
        }
        if (!AccountRules.MayManage(AccountTargets.ActorOf(db), target!))
        {
            return Outcome<AppUser>.Refused(nameof(c.Role), "Account.RoleNotYours");
        }

        IdentityResult result;
        if (user is null)
        {
            user = new AppUser { UserName = userName, DisplayName = c.DisplayName.Trim(), Role = c.Role, PlaceKind = c.PlaceKind, PlaceId = c.PlaceId, Path = place!.Path, IsDisabled = c.IsDisabled, StaffId = staff?.Id, CreatedAt = db.Clock.GetUtcNow().UtcDateTime };
            result = await users.CreateAsync(user, c.Password!);
        }
        else
        {
            user.UserName = userName;
            user.DisplayName = c.DisplayName.Trim();
            user.Role = c.Role;
            user.PlaceKind = c.PlaceKind;
            user.PlaceId = c.PlaceId;
            user.Path = place!.Path;
            user.IsDisabled = c.IsDisabled;
            if (c.StaffId is not null)
            {
                user.StaffId = staff?.Id;
            }
            result = await users.UpdateAsync(user);
            if (result.Succeeded && !string.IsNullOrEmpty(c.Password))
            {
                result = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), c.Password);
            }
            if (result.Succeeded && c.Unlock)
            {
                await users.SetLockoutEndDateAsync(user, null);
                await users.ResetAccessFailedCountAsync(user);
            }
            if (result.Succeeded)
            {
                // Role or place changes take effect at the next request, not the next sign-in.
                await users.UpdateSecurityStampAsync(user);
            }
        }
        return result.Succeeded
            ? Outcome<AppUser>.Ok(user)
            : Outcome<AppUser>.Invalid([.. result.Errors.Select(e => new FieldError(e.Code.StartsWith("Password", StringComparison.Ordinal) ? nameof(c.Password) : nameof(c.UserName), "Raw", e.Description))]);
    }
}
