using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Baoxue.Domain;
using Microsoft.AspNetCore.Identity;

namespace Baoxue.Infrastructure.Security;

/// <summary>
/// TOTP (RFC 6238) as Identity's authenticator provider checks it, plus: each code is good once. The last accepted
/// time step is kept per user (in AspNetUserTokens), and a code for that step or an earlier one is refused.
/// </summary>
public sealed class ReplayProofAuthenticator(TimeProvider clock) : AuthenticatorTokenProvider<AppUser>
{
    public const string LoginProvider = "Baoxue";
    public const string LastStepName = "LastTotpStep";
    // A phone's clock may be a step off either way.
    private const int Variance = 1;

    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<AppUser> manager, AppUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key) || token is not { Length: 6 } || !token.All(char.IsAsciiDigit))
        {
            return false;
        }
        var secret = FromBase32(key);
        var now = clock.GetUtcNow().ToUnixTimeSeconds() / 30;
        long? matched = null;
        for (var step = now - Variance; step <= now + Variance; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(Code(secret, step)), System.Text.Encoding.ASCII.GetBytes(token)))
            {
                matched = step;
            }
        }
        if (matched is null)
        {
            return false;
        }
        var last = await manager.GetAuthenticationTokenAsync(user, LoginProvider, LastStepName);
        if (long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var lastStep) && matched <= lastStep)
        {
            return false;
        }
        // Saved through the user's concurrency stamp: of two requests racing with one code, one fails to save.
        var saved = await manager.SetAuthenticationTokenAsync(user, LoginProvider, LastStepName, matched.Value.ToString(CultureInfo.InvariantCulture));
        return saved.Succeeded;
    }

    // RFC 4648 base32, as Identity writes authenticator keys (its own decoder is internal).
    private static byte[] FromBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('=').ToUpperInvariant())
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                continue;
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }
        return [.. bytes];
    }

    private static string Code(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(secret, counter);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }
}
