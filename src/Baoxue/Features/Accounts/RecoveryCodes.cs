using System.Text.Json;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Auditing;
using Microsoft.AspNetCore.Identity;

namespace Baoxue.Features.Accounts;

/// <summary>One-time recovery codes for a lost phone (Identity's own): ten, shown once, each signing in once in place of a code.</summary>
public static class RecoveryCodes
{
    public const int Count = 10;

    /// <summary>New codes (the old ones stop working), or null when the second factor is off.</summary>
    public static async Task<IReadOnlyList<string>?> NewAsync(UserManager<AppUser> users, BaoxueDb db, AppUser user)
    {
        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            return null;
        }
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, Count))?.ToList() ?? [];
        // The codes are kept by Identity's token store and redacted in the audit; the line says that new ones were made.
        db.Audit(AuditAction.Update, nameof(AppUser), user.Id.ToString(), user.Path, JsonSerializer.Serialize(new { userName = user.UserName, action = "recovery-codes" }, ChangeAudit.Json));
        await db.SaveChangesAsync();
        return codes;
    }

    public static async Task<int> LeftAsync(UserManager<AppUser> users, AppUser user) => await users.CountRecoveryCodesAsync(user);
}
