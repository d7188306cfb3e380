using System.Text.Json;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Auditing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Baoxue.Infrastructure.Security;

namespace Baoxue.Features.Accounts;

public enum SignInResult
{
    Succeeded,
    Failed,
    LockedOut,
    NeedsCode,
}

/// <summary>Signing in, by page (cookie) or by API (token): the same checks, lockout and audit lines.</summary>
public static class SignIn
{
    public static async Task<AppUser?> FindAsync(UserManager<AppUser> users, string userName)
    {
        var user = await users.FindByNameAsync(userName.Trim());
        return user is { IsDisabled: false } ? user : null;
    }

    /// <summary>Page sign-in: sets the cookie, or the half-way cookie when a second factor is due.</summary>
    public static async Task<SignInResult> WithPasswordAsync(SignInManager<AppUser> signIn, BaoxueDb db, SignInThrottle throttle, string userName, string password)
    {
        if (await ThrottledAsync(db, throttle, userName))
        {
            return SignInResult.LockedOut;
        }
        var user = await FindAsync(signIn.UserManager, userName);
        if (user is null)
        {
            throttle.Failed(userName);
            await AuditAsync(db, AuditAction.LoginFailed, null, userName, "unknown-user");
            return SignInResult.Failed;
        }
        // Lockout is counted per account and address by the throttle, not on the account itself.
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: false);
        return await RecordAsync(db, throttle, user, result);
    }

    public static async Task<SignInResult> WithCodeAsync(SignInManager<AppUser> signIn, BaoxueDb db, SignInThrottle throttle, string code)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return SignInResult.Failed;
        }
        if (await ThrottledAsync(db, throttle, user.UserName!))
        {
            return SignInResult.LockedOut;
        }
        var result = IsRecoveryCode(code)
            ? await signIn.TwoFactorRecoveryCodeSignInAsync(code.Trim().ToUpperInvariant())
            : await signIn.TwoFactorAuthenticatorSignInAsync(Normalize(code), isPersistent: false, rememberClient: false);
        return await RecordAsync(db, throttle, user, result);
    }

    /// <summary>API sign-in: checks without setting any cookie; the caller issues the bearer token.</summary>
    public static async Task<(SignInResult Result, AppUser? User)> ForTokenAsync(SignInManager<AppUser> signIn, BaoxueDb db, SignInThrottle throttle, string userName, string password, string? code)
    {
        if (await ThrottledAsync(db, throttle, userName))
        {
            return (SignInResult.LockedOut, null);
        }
        var user = await FindAsync(signIn.UserManager, userName);
        if (user is null)
        {
            throttle.Failed(userName);
            await AuditAsync(db, AuditAction.LoginFailed, null, userName, "unknown-user");
            return (SignInResult.Failed, null);
        }
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false);
        // CheckPasswordSignInAsync checks the password only; the second factor is this endpoint's to ask for.
        if (result.Succeeded && await signIn.UserManager.GetTwoFactorEnabledAsync(user))
        {
            result = Microsoft.AspNetCore.Identity.SignInResult.TwoFactorRequired;
        }
        if (result.RequiresTwoFactor)
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                return (SignInResult.NeedsCode, null);
            }
            // A recovery code (a lost phone) stands in for the authenticator's code, once.
            var ok = IsRecoveryCode(code)
                ? (await signIn.UserManager.RedeemTwoFactorRecoveryCodeAsync(user, code.Trim().ToUpperInvariant())).Succeeded
                : await signIn.UserManager.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, Normalize(code));
            if (!ok)
            {
                throttle.Failed(userName);
                await AuditAsync(db, AuditAction.LoginFailed, user, user.UserName!, "bad-code");
                return (SignInResult.Failed, null);
            }
            result = Microsoft.AspNetCore.Identity.SignInResult.Success;
        }
        var outcome = await RecordAsync(db, throttle, user, result);
        return (outcome, outcome == SignInResult.Succeeded ? user : null);
    }

    /// <summary>Identity's recovery codes are eleven characters, letters and digits around a hyphen; authenticator codes are six digits.</summary>
    private static bool IsRecoveryCode(string code) => code.Trim().Length == 11 && code.Trim()[5] == '-';

    private static string Normalize(string code) => code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);

    /// <summary>Refuses (and audits) an attempt from an address that has failed this account too often.</summary>
    private static async Task<bool> ThrottledAsync(BaoxueDb db, SignInThrottle throttle, string userName)
    {
        if (!throttle.IsLockedOut(userName))
        {
            return false;
        }
        var user = await db.Users.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedUserName == userName.Trim().ToUpperInvariant());
        await AuditAsync(db, AuditAction.LoginFailed, user, userName, "locked-out");
        return true;
    }

    private static async Task<SignInResult> RecordAsync(BaoxueDb db, SignInThrottle throttle, AppUser user, Microsoft.AspNetCore.Identity.SignInResult result)
    {
        if (result.RequiresTwoFactor)
        {
            return SignInResult.NeedsCode;
        }
        if (result.Succeeded)
        {
            throttle.Succeeded(user.UserName!);
            // Kept on the account for the access list; the audit line below is the sign-in's record. Written
            // directly so that it is not a second audit line ("account changed") for every sign-in.
            var now = db.Clock.GetUtcNow().UtcDateTime;
            await db.Users.IgnoreQueryFilters().Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastSignInAt, now));
            await AuditAsync(db, AuditAction.LoginSucceeded, user, user.UserName!, null);
            return SignInResult.Succeeded;
        }
        if (!result.IsLockedOut)
        {
            throttle.Failed(user.UserName!);
        }
        await AuditAsync(db, AuditAction.LoginFailed, user, user.UserName!, result.IsLockedOut ? "locked-out" : "bad-password");
        return result.IsLockedOut ? SignInResult.LockedOut : SignInResult.Failed;
    }

    private static async Task AuditAsync(BaoxueDb db, AuditAction action, AppUser? user, string userName, string? reason)
    {
        var detail = JsonSerializer.Serialize(new { userName, reason }, ChangeAudit.Json);
        db.Audit(action, nameof(AppUser), user?.Id.ToString(), user?.Path ?? "", detail, user?.Id, userName);
        await db.SaveChangesAsync();
    }
}
