using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace Baoxue.Features.Accounts;

/// <summary>A user changes their own password (the page, the API, and the first sign-in after a slip); the administrator-given one stops counting.</summary>
public static class ChangeOwnPassword
{
    public static async Task<Outcome<AppUser>> HandleAsync(UserManager<AppUser> users, AppUser user, string current, string next)
    {
        if (string.IsNullOrEmpty(next))
        {
            return Outcome<AppUser>.Invalid("NewPassword", "Account.PasswordRequired");
        }
        if (next == current)
        {
            return Outcome<AppUser>.Invalid("NewPassword", "Account.PasswordSame");
        }
        var result = await users.ChangePasswordAsync(user, current ?? "", next);
        if (!result.Succeeded)
        {
            return Outcome<AppUser>.Invalid([.. result.Errors.Select(e => new FieldError(e.Code == "PasswordMismatch" ? "CurrentPassword" : "NewPassword", "Raw", e.Description))]);
        }
        if (user.MustChangePassword)
        {
            // Only after the change succeeded: a refused attempt must leave nothing tracked for a later save.
            user.MustChangePassword = false;
            await users.UpdateAsync(user);
        }
        return Outcome<AppUser>.Ok(user);
    }
}
