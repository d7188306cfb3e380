using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Baoxue.Tests.Features.Accounts;

/// <summary>
/// A phone authenticator app, written from RFC 6238 (TOTP: HMAC-SHA1, 30-second steps, 6 digits) and
/// RFC 4648 (base32), independently of ASP.NET Core Identity's implementation.
/// </summary>
public static class Totp
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>Decodes a key as shown to users: any case, spaces allowed, padding optional.</summary>
    public static byte[] DecodeBase32(string text)
    {
        var clean = text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>(clean.Length * 5 / 8);
        var buffer = 0;
        var bits = 0;
        foreach (var c in clean)
        {
            var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException($"'{c}' is not a base32 character.");
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

    public static string Code(byte[] key, long step, int digits = 6)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        var modulus = (int)Math.Pow(10, digits);
        return (binary % modulus).ToString(new string('0', digits), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static long StepAt(DateTimeOffset at) => at.ToUnixTimeSeconds() / 30;

    /// <summary>The code the authenticator app shows now for a key as displayed on the enrolment page.</summary>
    public static string Now(string displayedKey) => Code(DecodeBase32(displayedKey), StepAt(DateTimeOffset.UtcNow));

    /// <summary>The code of the next step: what the app shows half a minute later (each code is accepted once).</summary>
    public static string Next(string displayedKey) => Code(DecodeBase32(displayedKey), StepAt(DateTimeOffset.UtcNow) + 1);

    /// <summary>A well-formed code that is not valid for the key anywhere near now (a typo, an old code).</summary>
    public static string Wrong(string displayedKey)
    {
        var key = DecodeBase32(displayedKey);
        var step = StepAt(DateTimeOffset.UtcNow);
        var nearby = Enumerable.Range(-5, 11).Select(d => Code(key, step + d)).ToHashSet();
        return Enumerable.Range(0, 10).Select(d => new string((char)('0' + d), 6)).First(c => !nearby.Contains(c));
    }
}

public sealed class TotpTests
{
    // RFC 6238 appendix B, SHA-1 key "12345678901234567890" (here in base32), 8-digit codes.
    private const string RfcKey = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    public void The_test_authenticator_gives_the_RFC_6238_codes(long unixSeconds, string expected)
    {
        var key = Totp.DecodeBase32(RfcKey.ToLowerInvariant());
        Assert.Equal("12345678901234567890"u8.ToArray(), key);
        Assert.Equal(expected, Totp.Code(key, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)), digits: 8));
    }

    [Fact]
    public void A_wrong_code_differs_from_the_right_one()
    {
        Assert.NotEqual(Totp.Now("gezd gnbv gy3t qojq"), Totp.Wrong("gezd gnbv gy3t qojq"));
    }
}
