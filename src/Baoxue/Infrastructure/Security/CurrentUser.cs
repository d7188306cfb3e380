using System.Security.Claims;
using Baoxue.Domain;

namespace Baoxue.Infrastructure.Security;

/// <summary>Who is acting, and over which jurisdiction. The database reads it to scope every query and check every write.</summary>
public interface ICurrentUser
{
    Guid? Id { get; }
    string UserName { get; }
    Role? Role { get; }
    /// <summary>
    /// The jurisdiction's path; null means unrestricted (the system itself, outside any request);
    /// <see cref="PlacePath.Nothing"/> means no jurisdiction at all (an anonymous caller, a principal without a path).
    /// </summary>
    string? ScopePath { get; }
    string? IpAddress { get; }

    /// <summary>A request with nobody signed in: it sees nothing, save the accounts that signing in must find.</summary>
    bool IsAnonymous => false;

    /// <summary>The kind of place the account is bound to.</summary>
    PlaceKind? PlaceKind => null;
}

public static class BaoxueClaims
{
    public const string Role = "baoxue:role";
    public const string Path = "baoxue:path";
    public const string PlaceKind = "baoxue:place-kind";
    public const string DisplayName = "baoxue:name";
    /// <summary>A service account's sign-in: its id, its stamp, and one claim per granted permission (it has no role).</summary>
    public const string ServiceAccount = "baoxue:service-account";
    public const string ServiceAccountStamp = "baoxue:service-stamp";
    public const string Permission = "baoxue:permission";

    public static Role? GetRole(this ClaimsPrincipal user) =>
        Enum.TryParse<Role>(user.FindFirstValue(Role), out var role) ? role : null;

    public static bool Can(this ClaimsPrincipal user, string permission) =>
        user.GetRole() is { } role
            ? role.Allows(permission)
            : user.IsServiceAccount() && user.HasClaim(Permission, permission) && Domain.Permission.Grants.ContainsKey(permission);

    public static bool IsServiceAccount(this ClaimsPrincipal user) => user.HasClaim(c => c.Type == ServiceAccount);
}

public sealed class SystemUser(string name = "system") : ICurrentUser
{
    public Guid? Id => null;
    public string UserName { get; } = name;
    public Role? Role => null;
    public string? ScopePath => null;
    public string? IpAddress => null;
}

public sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    private ClaimsPrincipal? Principal => accessor.HttpContext?.User;
    private bool IsSignedIn => Principal?.Identity?.IsAuthenticated == true;

    public Guid? Id => IsSignedIn && Guid.TryParse(Principal!.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
    public string UserName => accessor.HttpContext is null ? "system" : IsSignedIn ? Principal!.Identity!.Name ?? "" : "anonymous";
    public Role? Role => IsSignedIn ? Principal!.GetRole() : null;

    // Nobody signed in, or a principal without a path claim, is denied everything rather than given everything;
    // only work outside any request (start-up, commands) runs unrestricted, and that goes through SystemDb.
    public string? ScopePath => accessor.HttpContext is null ? null
        : IsSignedIn ? Principal!.FindFirstValue(BaoxueClaims.Path) ?? PlacePath.Nothing
        : PlacePath.Nothing;
    public string? IpAddress => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();
    public bool IsAnonymous => accessor.HttpContext is not null && !IsSignedIn;
    public PlaceKind? PlaceKind => IsSignedIn && Enum.TryParse<PlaceKind>(Principal!.FindFirstValue(BaoxueClaims.PlaceKind), out var kind) ? kind : null;
}
