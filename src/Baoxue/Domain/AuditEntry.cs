using System.Security.Cryptography;
using System.Text;

namespace Baoxue.Domain;

public enum AuditAction
{
    Create = 1,
    Update = 2,
    Delete = 3,
    LoginSucceeded = 10,
    LoginFailed = 11,
    Logout = 12,
    Reveal = 20,
    Export = 21,
    Import = 22,
    /// <summary>A transfer look-up by number and name (found or not).</summary>
    Lookup = 23,
}

/// <summary>
/// One line of the append-only audit log. Each line's hash covers its content and the previous line's
/// hash, so removing or editing any line breaks the chain from there on.
/// </summary>
public sealed class AuditEntry : IScoped
{
    /// <summary>Position in the chain, assigned under a lock; also the key.</summary>
    public long Sequence { get; set; }
    public DateTime At { get; set; }
    public Guid? UserId { get; set; }
    public required string UserName { get; set; }
    public AuditAction Action { get; set; }
    public required string EntityType { get; set; }
    public string? EntityId { get; set; }
    public required string Path { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
    public string? IpAddress { get; set; }
    public required string PreviousHash { get; set; }
    public string Hash { get; set; } = "";

    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public string ComputeHash()
    {
        var text = string.Join('\u001f',
            Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            At.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            UserId?.ToString() ?? "", UserName, ((int)Action).ToString(System.Globalization.CultureInfo.InvariantCulture),
            EntityType, EntityId ?? "", Path, Before ?? "", After ?? "", IpAddress ?? "", PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public void Seal(long sequence, string previousHash)
    {
        Sequence = sequence;
        PreviousHash = previousHash;
        Hash = ComputeHash();
    }
}
