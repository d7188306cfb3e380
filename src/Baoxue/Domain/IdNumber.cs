using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Baoxue.Domain;

/// <summary>Why a string is not an acceptable resident identity number.</summary>
public enum IdNumberError
{
    /// <summary>Null, empty or only whitespace.</summary>
    Empty,

    /// <summary>Neither 18 (current) nor 15 (legacy, pre-1999) characters.</summary>
    WrongLength,

    /// <summary>Contains something other than ASCII digits and a final X (e.g. full-width digits, spaces, letters).</summary>
    BadCharacters,

    /// <summary>The 18th character does not match the ISO 7064 MOD 11-2 check character.</summary>
    BadCheckCharacter,

    /// <summary>The embedded yyyyMMdd birth date is not a real calendar date (or is before 1800).</summary>
    BadBirthDate,

    /// <summary>The first two digits are not a province-level administrative division code.</summary>
    BadRegion,

    /// <summary>Looks like a number mangled by Excel, e.g. "3.50123E+17" or "350123199001011234.0".</summary>
    LooksNumeric,
}

/// <summary>Result of <see cref="IdNumber.Parse"/>.</summary>
public sealed record IdNumberCheck
{
    private static readonly IdNumberCheck[] Failures =
        Enum.GetValues<IdNumberError>().Select(e => new IdNumberCheck { Error = e }).ToArray();

    private IdNumberCheck()
    {
    }

    /// <summary>True when the input is a valid ID; then <see cref="Normalized"/> is set and <see cref="Error"/> is null.</summary>
    [MemberNotNullWhen(true, nameof(Normalized))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Error is null;

    /// <summary>The 18-character form with an upper-case X; legacy 15-digit IDs are upgraded. Null when invalid.</summary>
    public string? Normalized { get; private init; }

    /// <summary>Why the input was rejected; null when valid.</summary>
    public IdNumberError? Error { get; private init; }

    /// <summary>Birth date encoded in the ID; <c>default</c> when invalid.</summary>
    public DateOnly BirthDate { get; private init; }

    /// <summary>Gender encoded in the 17th digit (odd = male); <c>default</c> (not a defined member) when invalid.</summary>
    public Gender Gender { get; private init; }

    /// <summary>The 6-digit administrative division code (first six digits); empty when invalid.</summary>
    public string RegionCode { get; private init; } = string.Empty;

    /// <summary>True when the input was a legacy 15-digit ID that was upgraded to 18 characters.</summary>
    public bool WasUpgraded { get; private init; }

    internal static IdNumberCheck Fail(IdNumberError error) => Failures[(int)error];

    internal static IdNumberCheck Success(string normalized, DateOnly birthDate, Gender gender, bool wasUpgraded) => new()
    {
        Normalized = normalized,
        BirthDate = birthDate,
        Gender = gender,
        RegionCode = normalized[..6],
        WasUpgraded = wasUpgraded,
    };
}

/// <summary>
/// Citizen identity numbers of the People's Republic of China (GB 11643-1999):
/// 6-digit region code, 8-digit birth date (yyyyMMdd), 3-digit sequence (odd last digit = male)
/// and an ISO 7064 MOD 11-2 check character (0-9 or X).
/// Pure functions, no I/O, no clock: rejecting future birth dates is left to callers.
/// </summary>
public static class IdNumber
{
    /// <summary>Length of a current identity number.</summary>
    public const int Length = 18;

    /// <summary>Length of a legacy (first-generation) identity number.</summary>
    public const int LegacyLength = 15;

    /// <summary>Earliest birth year accepted as plausible.</summary>
    public const int MinBirthYear = 1800;

    /// <summary>Largest value <see cref="Pack"/> can return (all 9s followed by X).</summary>
    public const long MaxPacked = 100_000_000_000_000_000L * 11 - 1;

    private static readonly SearchValues<char> AsciiDigits =
        SearchValues.Create("0123456789");

    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    private const string CheckCharacters = "10X98765432";

    // Province-level codes of GB/T 2260, plus 81/82 (Hong Kong, Macao) and 83 (Taiwan),
    // which are used by residence permits for Hong Kong, Macao and Taiwan residents.
    private static readonly bool[] Provinces = BuildProvinces(
        11, 12, 13, 14, 15,
        21, 22, 23,
        31, 32, 33, 34, 35, 36, 37,
        41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54,
        61, 62, 63, 64, 65,
        71,
        81, 82, 83);

    /// <summary>
    /// Validates and normalises an identity number. Surrounding whitespace is ignored,
    /// a lower-case x is accepted, 15-digit legacy numbers are upgraded to 18 characters.
    /// Checks are applied in this order: empty, Excel-numeric, characters, length, region, birth date, check character.
    /// </summary>
    public static IdNumberCheck Parse(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return IdNumberCheck.Fail(IdNumberError.Empty);
        }

        var s = input.AsSpan().Trim();

        if (s.Contains('.') || s.Contains("E+", StringComparison.OrdinalIgnoreCase))
        {
            return IdNumberCheck.Fail(IdNumberError.LooksNumeric);
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c) && c is not ('X' or 'x'))
            {
                return IdNumberCheck.Fail(IdNumberError.BadCharacters);
            }
        }

        if (s.Length is not (Length or LegacyLength))
        {
            return IdNumberCheck.Fail(IdNumberError.WrongLength);
        }

        var upgraded = s.Length == LegacyLength;
        var digits = upgraded ? s : s[..17];
        if (digits.ContainsAnyExcept(AsciiDigits))
        {
            // An X anywhere but the last position of an 18-character ID.
            return IdNumberCheck.Fail(IdNumberError.BadCharacters);
        }

        Span<char> id = stackalloc char[Length];
        if (upgraded)
        {
            s[..6].CopyTo(id);
            id[6] = '1';
            id[7] = '9';
            s[6..].CopyTo(id[8..]);
        }
        else
        {
            s.CopyTo(id);
            id[17] = char.ToUpperInvariant(id[17]);
        }

        if (!IsProvinceCode(id))
        {
            return IdNumberCheck.Fail(IdNumberError.BadRegion);
        }

        if (!TryReadBirthDate(id.Slice(6, 8), out var birthDate))
        {
            return IdNumberCheck.Fail(IdNumberError.BadBirthDate);
        }

        var check = ComputeCheckChar(id[..17]);
        if (upgraded)
        {
            id[17] = check;
        }
        else if (id[17] != check)
        {
            return IdNumberCheck.Fail(IdNumberError.BadCheckCharacter);
        }

        var gender = (id[16] - '0') % 2 == 1 ? Gender.Male : Gender.Female;
        return IdNumberCheck.Success(new string(id), birthDate, gender, upgraded);
    }

    /// <summary>Shorthand for <c>Parse(input).IsValid</c>.</summary>
    public static bool IsValid(string? input) => Parse(input).IsValid;

    /// <summary>Computes the check character ("0"-"9" or "X") for the first 17 digits.</summary>
    /// <exception cref="ArgumentException">Not exactly 17 ASCII digits.</exception>
    public static string ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17 || first17.ContainsAnyExcept(AsciiDigits))
        {
            throw new ArgumentException("Expected exactly 17 ASCII digits.", nameof(first17));
        }

        return ComputeCheckChar(first17).ToString();
    }

    /// <summary>
    /// Masks an ID for display: keeps the first 6 and last 4 characters, e.g. <c>350123********123X</c>.
    /// Input is trimmed and upper-cased; anything of 10 characters or fewer is masked completely.
    /// Null or blank input gives an empty string.
    /// </summary>
    public static string Mask(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return string.Empty;
        }

        var s = id.Trim().ToUpperInvariant();
        if (s.Length <= 10)
        {
            return new string('*', s.Length);
        }

        return string.Concat(s.AsSpan(0, 6), new string('*', s.Length - 10), s.AsSpan(s.Length - 4));
    }

    /// <summary>
    /// Packs a normalised 18-character ID into a <see cref="long"/> without loss:
    /// <c>first17 * 11 + check</c>, where the check character X counts as 10.
    /// The packing preserves ordinal string order. The check character is not verified.
    /// </summary>
    /// <exception cref="ArgumentException">Not 17 ASCII digits followed by a digit or an upper-case X.</exception>
    public static long Pack(string normalized18)
    {
        ArgumentNullException.ThrowIfNull(normalized18);
        if (normalized18.Length != Length)
        {
            throw new ArgumentException("Expected an 18-character identity number.", nameof(normalized18));
        }

        long value = 0;
        for (var i = 0; i < 17; i++)
        {
            var c = normalized18[i];
            if (!char.IsAsciiDigit(c))
            {
                throw new ArgumentException("The first 17 characters must be ASCII digits.", nameof(normalized18));
            }

            value = value * 10 + (c - '0');
        }

        var last = normalized18[17];
        int check = last switch
        {
            'X' => 10,
            >= '0' and <= '9' => last - '0',
            _ => throw new ArgumentException("The last character must be a digit or an upper-case X.", nameof(normalized18)),
        };

        return value * 11 + check;
    }

    /// <summary>Inverse of <see cref="Pack"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or greater than <see cref="MaxPacked"/>.</exception>
    public static string Unpack(long packed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(packed);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(packed, MaxPacked);

        return string.Create(Length, packed, static (span, value) =>
        {
            var check = (int)(value % 11);
            var first17 = value / 11;
            for (var i = 16; i >= 0; i--)
            {
                span[i] = (char)('0' + (int)(first17 % 10));
                first17 /= 10;
            }

            span[17] = check == 10 ? 'X' : (char)('0' + check);
        });
    }

    /// <summary>True when the first two digits of <paramref name="code"/> are a known province-level code.</summary>
    public static bool IsProvinceCode(ReadOnlySpan<char> code) =>
        code.Length >= 2
        && char.IsAsciiDigit(code[0])
        && char.IsAsciiDigit(code[1])
        && Provinces[(code[0] - '0') * 10 + (code[1] - '0')];

    /// <summary>Check character for 17 digits; caller guarantees the input is 17 ASCII digits.</summary>
    internal static char ComputeCheckChar(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    private static bool TryReadBirthDate(ReadOnlySpan<char> yyyyMMdd, out DateOnly date)
    {
        var year = int.Parse(yyyyMMdd[..4], NumberStyles.None, CultureInfo.InvariantCulture);
        var month = int.Parse(yyyyMMdd.Slice(4, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        var day = int.Parse(yyyyMMdd.Slice(6, 2), NumberStyles.None, CultureInfo.InvariantCulture);

        if (year < MinBirthYear || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            date = default;
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool[] BuildProvinces(params int[] codes)
    {
        var table = new bool[100];
        foreach (var code in codes)
        {
            table[code] = true;
        }

        return table;
    }
}
