using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Organisation;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Paging;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.ServiceAccounts;

/// <summary>Creating, rotating and revoking service accounts; the one path for the page and the API.</summary>
public static class ServiceAccountWork
{
    public const string ClientIdPrefix = "bx-";
    public const string SecretPrefix = "bxs_";

    /// <summary>The places a service account can be bound to: a class is a teacher's place, not a system's.</summary>
    public static readonly PlaceKind[] PlaceKinds = [PlaceKind.County, PlaceKind.Township, PlaceKind.Village, PlaceKind.School, PlaceKind.Department];

    // Never a machine's: managing accounts (people or machines), and "signed-in", which means a person with pages.
    private static readonly HashSet<string> NeverGranted = [Permission.SignedIn, Permission.AccountsManage, Permission.ServiceAccountsManage];

    /// <summary>What an administrator may grant: every permission they hold themselves, except the ones above.</summary>
    public static IReadOnlyList<string> Grantable(ClaimsPrincipal granter) =>
        [.. Permission.Grants.Keys.Where(p => !NeverGranted.Contains(p) && granter.Can(p)).Order(StringComparer.Ordinal)];

    /// <summary>Grantable, but never by default: seeing full ID numbers and phones needs its own tick (and is audited with the grant).</summary>
    public static bool IsOptIn(string permission) => permission == Permission.RegistryReveal;

    public sealed record Command(string Name, PlaceKind PlaceKind, Guid PlaceId, IReadOnlyList<string> Permissions);

    /// <summary>A service account and the secret that goes with it, shown once and stored only as a hash.</summary>
    public sealed record Issued(ServiceAccount Account, string Secret);

    public static async Task<Outcome<Issued>> CreateAsync(BaoxueDb db, ClaimsPrincipal granter, Command c, CancellationToken ct = default)
    {
        var errors = new List<FieldError>();
        var name = (c.Name ?? "").Trim();
        if (name.Length is 0 or > 64)
        {
            errors.Add(new FieldError(nameof(c.Name), "ServiceAccount.NameRule"));
        }
        else if (await db.ServiceAccounts.IgnoreQueryFilters().AnyAsync(a => a.Name == name, ct))
        {
            errors.Add(new FieldError(nameof(c.Name), "ServiceAccount.NameTaken"));
        }
        var grantable = Grantable(granter);
        var permissions = (c.Permissions ?? []).Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (permissions.Count == 0)
        {
            errors.Add(new FieldError(nameof(c.Permissions), "ServiceAccount.NoPermission"));
        }
        else if (permissions.FirstOrDefault(p => !grantable.Contains(p)) is { } refused)
        {
            errors.Add(new FieldError(nameof(c.Permissions), "ServiceAccount.PermissionRefused", refused));
        }
        var place = PlaceKinds.Contains(c.PlaceKind) ? await Places.FindAsync(db, c.PlaceKind, c.PlaceId, ct) : null;
        if (place is null || !db.Covers(place.Path))
        {
            errors.Add(new FieldError(nameof(c.PlaceId), "ServiceAccount.PlaceNotFound"));
        }
        if (errors.Count > 0)
        {
            return Outcome<Issued>.Invalid(errors);
        }
        var secret = NewSecret();
        var account = new ServiceAccount
        {
            Name = name,
            ClientId = ClientIdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            SecretHash = Hash(secret),
            Permissions = string.Join(' ', permissions),
            PlaceKind = c.PlaceKind,
            PlaceId = c.PlaceId,
            Path = place!.Path,
            Stamp = Guid.NewGuid().ToString(),
            CreatedAt = db.Clock.GetUtcNow().UtcDateTime,
        };
        db.ServiceAccounts.Add(account);
        await db.SaveChangesAsync(ct);
        return Outcome<Issued>.Ok(new Issued(account, secret));
    }

    /// <summary>A new secret; the old one and every token issued with it stop working at once.</summary>
    public static async Task<Outcome<Issued>> RotateAsync(BaoxueDb db, Guid id, CancellationToken ct = default)
    {
        var account = await db.ServiceAccounts.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (account is null)
        {
            return Outcome<Issued>.Missing();
        }
        if (account.IsRevoked)
        {
            return Outcome<Issued>.Invalid("State", "ServiceAccount.RevokedError");
        }
        var secret = NewSecret();
        account.SecretHash = Hash(secret);
        account.Stamp = Guid.NewGuid().ToString();
        account.SecretChangedAt = db.Clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return Outcome<Issued>.Ok(new Issued(account, secret));
    }

    /// <summary>For good: the account can no longer sign in, and its tokens stop working at the next call.</summary>
    public static async Task<Outcome<ServiceAccount>> RevokeAsync(BaoxueDb db, Guid id, CancellationToken ct = default)
    {
        var account = await db.ServiceAccounts.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (account is null)
        {
            return Outcome<ServiceAccount>.Missing();
        }
        if (!account.IsRevoked)
        {
            account.IsRevoked = true;
            account.Stamp = Guid.NewGuid().ToString();
            account.RevokedAt = db.Clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
        return Outcome<ServiceAccount>.Ok(account);
    }

    /// <summary>The one list, for the page and the API: newest first.</summary>
    public static async Task<PagedResult<ServiceAccount>> PageAsync(BaoxueDb db, PageRequest page, CancellationToken ct = default)
    {
        var query = db.ServiceAccounts.AsNoTracking();
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(a => a.IsRevoked).ThenByDescending(a => a.CreatedAt).ThenBy(a => a.Id).Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        return page.Of<ServiceAccount>(items, total);
    }

    /// <summary>The account whose credentials these are, or null: unknown, revoked, or the wrong secret (compared in fixed time).</summary>
    public static async Task<ServiceAccount?> AuthenticateAsync(BaoxueDb system, string clientId, string secret, CancellationToken ct = default)
    {
        var account = await system.ServiceAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.ClientId == clientId, ct);
        var presented = Encoding.ASCII.GetBytes(Hash(secret));
        var stored = Encoding.ASCII.GetBytes(account?.SecretHash ?? new string('0', 64));
        return CryptographicOperations.FixedTimeEquals(presented, stored) && account is { IsRevoked: false } ? account : null;
    }

    /// <summary>The sign-in a token carries: the account's name (so the audit log names it), jurisdiction, stamp and permissions.</summary>
    public static ClaimsPrincipal Principal(ServiceAccount account, string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, account.Id.ToString()));
        identity.AddClaim(new Claim(ClaimTypes.Name, account.Name));
        identity.AddClaim(new Claim(BaoxueClaims.DisplayName, account.Name));
        identity.AddClaim(new Claim(BaoxueClaims.Path, account.Path));
        identity.AddClaim(new Claim(BaoxueClaims.PlaceKind, account.PlaceKind.ToString()));
        identity.AddClaim(new Claim(BaoxueClaims.ServiceAccount, account.Id.ToString()));
        identity.AddClaim(new Claim(BaoxueClaims.ServiceAccountStamp, account.Stamp));
        foreach (var permission in account.PermissionList)
        {
            identity.AddClaim(new Claim(BaoxueClaims.Permission, permission));
        }
        return new ClaimsPrincipal(identity);
    }

    private static string NewSecret() => SecretPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
