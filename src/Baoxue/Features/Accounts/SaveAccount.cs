using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Organisation;
using Baoxue.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Accounts;

/// <summary>Create or change an account: its role, the place it is bound to, its password, lock state.</summary>
public static class SaveAccount
{
    public sealed record Command(
        Guid? Id, string UserName, string DisplayName, Role Role, PlaceKind PlaceKind, Guid PlaceId,
        string? Password = null, bool IsDisabled = false, bool Unlock = false);

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

    private static async Task<Outcome<AppUser>> SaveAsync(BaoxueDb db, UserManager<AppUser> users, Command c)
    {
        var errors = new List<FieldError>();
        var userName = c.UserName?.Trim() ?? "";
        if (userName.Length is < 3 or > 64 || !userName.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-'))
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
        var place = await Places.FindAsync(db, c.PlaceKind, c.PlaceId);
        if (place is null || !db.Covers(place.Path))
        {
            errors.Add(new FieldError(nameof(c.PlaceId), "Account.PlaceNotFound"));
        }
        if (c.Id is null && string.IsNullOrEmpty(c.Password))
        {
            errors.Add(new FieldError(nameof(c.Password), "Account.PasswordRequired"));
        }
        if (errors.Count > 0)
        {
            return Outcome<AppUser>.Invalid(errors);
        }

        AppUser? user;
        IdentityResult result;
        if (c.Id is null)
        {
            user = new AppUser { UserName = userName, DisplayName = c.DisplayName.Trim(), Role = c.Role, PlaceKind = c.PlaceKind, PlaceId = c.PlaceId, Path = place!.Path, IsDisabled = c.IsDisabled, CreatedAt = db.Clock.GetUtcNow().UtcDateTime };
            result = await users.CreateAsync(user, c.Password!);
        }
        else
        {
            user = await db.Users.FirstOrDefaultAsync(u => u.Id == c.Id);
            if (user is null)
            {
                return Outcome<AppUser>.Missing();
            }
            user.UserName = userName;
            user.DisplayName = c.DisplayName.Trim();
            user.Role = c.Role;
            user.PlaceKind = c.PlaceKind;
            user.PlaceId = c.PlaceId;
            user.Path = place!.Path;
            user.IsDisabled = c.IsDisabled;
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
