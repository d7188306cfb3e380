namespace Baoxue.Domain;

/// <summary>
/// A machine's account: another department's or a higher level's system, bound to a jurisdiction and to the
/// permissions the county administrator chose. It signs in with a secret (OAuth 2.0 client credentials) for a
/// short-lived bearer token; it has no role, no password and no pages. Kept apart from the people's accounts
/// (<see cref="AppUser"/>) so neither carries the other's rules (decision 0023).
/// </summary>
public sealed class ServiceAccount : IScoped
{
    public ServiceAccount() => Id = Guid.CreateVersion7();

    public Guid Id { get; set; }
    /// <summary>Who the machine is, as the audit log names it (e.g. 罗源县公安局户籍接口).</summary>
    public required string Name { get; set; }
    /// <summary>The public half of the credentials (OAuth <c>client_id</c>).</summary>
    public required string ClientId { get; set; }
    /// <summary>SHA-256 of the secret. The secret is 256 random bits, so a fast hash is enough: there is nothing to guess.</summary>
    public required string SecretHash { get; set; }
    /// <summary>The granted permissions (names from <see cref="Permission"/>), space-separated.</summary>
    public required string Permissions { get; set; }
    public PlaceKind PlaceKind { get; set; }
    public Guid PlaceId { get; set; }
    /// <summary>The jurisdiction: the bound place's path.</summary>
    public required string Path { get; set; }
    /// <summary>Changes when the secret is rotated or the account revoked: tokens carrying an older stamp stop working at once.</summary>
    public required string Stamp { get; set; }
    public bool IsRevoked { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SecretChangedAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    public IReadOnlyList<string> PermissionList => Permissions.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
