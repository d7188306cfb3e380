namespace Baoxue.Domain;

/// <summary>
/// Mainland China telephone numbers: 11-digit mobiles (1[3-9]xxxxxxxxx) and landlines with an area code
/// (010 / 02x + 8 digits, or 0[3-9]xx + 7-8 digits; subscriber numbers start with 2-9).
/// Pure functions; the validators accept surrounding whitespace but nothing else, while
/// <see cref="Normalize"/> is lenient (separators, +86 prefix) and returns the canonical form.
/// </summary>
public static class PhoneNumber
{
    /// <summary>True for exactly 11 ASCII digits starting with 13-19 (surrounding whitespace ignored).</summary>
    public static bool IsValidMobile(string? input) =>
        input is not null && IsMobile(input.AsSpan().Trim());

    /// <summary>
    /// True for a landline with area code, written either contiguously (<c>059126812345</c>)
    /// or with one hyphen or space after the area code (<c>0591-26812345</c>, <c>010 62345678</c>);
    /// subscriber numbers start with 2-9.
    /// </summary>
    public static bool IsValidLandline(string? input) =>
        input is not null && TrySplitLandline(input.AsSpan().Trim(), out _, out _);

    /// <summary>True for a valid mobile or landline number.</summary>
    public static bool IsValid(string? input) => IsValidMobile(input) || IsValidLandline(input);

    /// <summary>
    /// Returns the canonical form (<c>13812345678</c> or <c>0591-26812345</c>) or null when the input is not a phone number.
    /// Spaces and hyphens anywhere, and a leading +86 / 0086 country code on mobiles, are tolerated.
    /// </summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        var trimmed = input.AsSpan().Trim();
        if (TrySplitLandline(trimmed, out var area, out var subscriber))
        {
            return string.Concat(area, "-", subscriber);
        }

        Span<char> buffer = stackalloc char[trimmed.Length];
        var n = 0;
        foreach (var c in trimmed)
        {
            if (c is ' ' or '-')
            {
                continue;
            }

            buffer[n++] = c;
        }

        var compact = buffer[..n];
        if (compact.StartsWith("+86"))
        {
            compact = compact[3..];
        }
        else if (compact.StartsWith("0086"))
        {
            compact = compact[4..];
        }

        if (IsMobile(compact))
        {
            return compact.ToString();
        }

        return TrySplitLandline(compact, out var compactArea, out var compactSubscriber)
            ? string.Concat(compactArea, "-", compactSubscriber)
            : null;
    }

    /// <summary>
    /// Masks a number for display: mobiles keep the first 3 and last 4 digits (<c>138****5678</c>),
    /// landlines keep the area code and the last 4 digits (<c>0591-****2345</c>).
    /// Anything else keeps at most its first 3 and last 4 characters; short input is masked completely.
    /// </summary>
    public static string Mask(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return string.Empty;
        }

        var normalized = Normalize(input);
        if (normalized is not null)
        {
            if (normalized.Length == 11 && normalized[0] == '1')
            {
                return string.Concat(normalized.AsSpan(0, 3), "****", normalized.AsSpan(7));
            }

            var dash = normalized.IndexOf('-');
            var subscriber = normalized.AsSpan(dash + 1);
            return string.Concat(
                normalized.AsSpan(0, dash + 1),
                new string('*', subscriber.Length - 4),
                subscriber[^4..]);
        }

        var s = input.Trim();
        if (s.Length < 8)
        {
            return new string('*', s.Length);
        }

        return string.Concat(s.AsSpan(0, 3), new string('*', s.Length - 7), s.AsSpan(s.Length - 4));
    }

    private static bool IsMobile(ReadOnlySpan<char> s) =>
        s.Length == 11
        && s[0] == '1'
        && s[1] is >= '3' and <= '9'
        && AllDigits(s);

    private static bool TrySplitLandline(ReadOnlySpan<char> s, out ReadOnlySpan<char> area, out ReadOnlySpan<char> subscriber)
    {
        area = default;
        subscriber = default;
        if (s.Length < 3 || s[0] != '0' || s[1] is < '1' or > '9')
        {
            return false;
        }

        // 010 and 020-029 are three-digit area codes; every other area code has four digits (0310, 0591, ...).
        var areaLength = s[1] is '1' or '2' ? 3 : 4;
        if (s.Length <= areaLength || !AllDigits(s[..areaLength]) || (areaLength == 3 && s[1] == '1' && s[2] != '0'))
        {
            return false;
        }

        var rest = s[areaLength..];
        if (rest[0] is '-' or ' ')
        {
            rest = rest[1..];
        }

        var validLength = areaLength == 3 ? rest.Length == 8 : rest.Length is 7 or 8;
        if (!validLength || rest[0] is < '2' or > '9' || !AllDigits(rest))
        {
            return false;
        }

        area = s[..areaLength];
        subscriber = rest;
        return true;
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
