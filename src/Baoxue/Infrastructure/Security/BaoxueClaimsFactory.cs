using System.Security.Claims;
using Baoxue.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Baoxue.Infrastructure.Security;

/// <summary>Puts the account's role and jurisdiction into its sign-in, cookie or bearer alike.</summary>
public sealed class BaoxueClaimsFactory(UserManager<AppUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser>(users, options)
{
    public const string TwoFactorEnrolled = "baoxue:2fa";
    public const string Demo = "baoxue:demo";
    /// <summary>"1" while the account still has an administrator-given password (AccountsSetup.UseFirstPassword).</summary>
    public const string MustChangePassword = "baoxue:must-change";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(BaoxueClaims.Role, user.Role.ToString()));
        identity.AddClaim(new Claim(BaoxueClaims.Path, user.Path));
        identity.AddClaim(new Claim(BaoxueClaims.PlaceKind, user.PlaceKind.ToString()));
        identity.AddClaim(new Claim(BaoxueClaims.DisplayName, user.DisplayName));
        identity.AddClaim(new Claim(TwoFactorEnrolled, user.TwoFactorEnabled ? "1" : "0"));
        identity.AddClaim(new Claim(Demo, user.IsDemo ? "1" : "0"));
        identity.AddClaim(new Claim(MustChangePassword, user.MustChangePassword ? "1" : "0"));
        return identity;
    }
}
