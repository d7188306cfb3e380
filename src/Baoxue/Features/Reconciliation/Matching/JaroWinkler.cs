namespace Baoxue.Features.Reconciliation.Matching;

/// <summary>
/// Jaro-Winkler similarity over characters, without allocation (names are a few characters; the fuzzy pass scores
/// millions of pairs). Gives the same values as F23.StringSimilarity's <c>JaroWinkler</c> (threshold 0.7, prefix
/// scale 0.1, prefix up to 4), which the unit tests check against published examples; measured in bench/.
/// </summary>
public static class JaroWinkler
{
    private const double Threshold = 0.7;
    private const double PrefixScale = 0.1;

    /// <summary>The same on names packed by <see cref="PersonTable.Pack"/> (up to four units; zero lanes end the name).</summary>
    public static double Similarity(ulong a, ulong b)
    {
        if (a == b)
        {
            return 1.0;
        }
        // Names of up to three characters have a match window of 0: only the same position matches, so there are no
        // transpositions — most Chinese names (decision 0031). The equal lanes come from one subtraction-free test of all
        // four 16-bit lanes at once, and the score from a table of the only (matches, prefix, lengths) there can be, filled
        // by the very expression the general path evaluates, so the values are the same to the last bit (decision 0036).
        var la = Lanes(a);
        var lb = Lanes(b);
        if (la > 0 && lb > 0 && (la | lb) <= 3)
        {
            var shortest = Math.Min(la, lb);
            var longest = Math.Max(la, lb);
            var diff = a ^ b;
            // The top bit of each lane is set when the lane differs (no carry crosses lanes: the low 15 bits are added alone).
            var differs = (((diff & 0x7FFF7FFF7FFF7FFFUL) + 0x7FFF7FFF7FFF7FFFUL) | diff) & 0x8000800080008000UL;
            var within = 0x8000800080008000UL & ((1UL << (16 * shortest)) - 1);
            var matches = System.Numerics.BitOperations.PopCount(~differs & within);
            var prefix = Math.Min(System.Numerics.BitOperations.TrailingZeroCount(differs) >> 4, shortest);
            return ShortNames[(((matches << 2) | prefix) << 4) | (shortest << 2) | longest];
        }
        Span<char> x = stackalloc char[4];
        Span<char> y = stackalloc char[4];
        return Similarity(x[..Unpack(a, x)], y[..Unpack(b, y)]);
    }

    /// <summary>Index ((matches·4 + prefix)·16 + shortest·4 + longest) for names of one to three characters.</summary>
    private static readonly double[] ShortNames = BuildShortNames();

    private static double[] BuildShortNames()
    {
        var table = new double[256];
        for (var shortest = 1; shortest <= 3; shortest++)
        {
            for (var longest = shortest; longest <= 3; longest++)
            {
                for (var matches = 0; matches <= shortest; matches++)
                {
                    for (var prefix = 0; prefix <= matches; prefix++)
                    {
                        table[(((matches << 2) | prefix) << 4) | (shortest << 2) | longest] = ShortName(matches, prefix, shortest, longest);
                    }
                }
            }
        }
        return table;
    }

    /// <summary>Jaro-Winkler without transpositions, as <see cref="Similarity(ReadOnlySpan{char}, ReadOnlySpan{char})"/> computes it for such names.</summary>
    private static double ShortName(int matches, int prefix, int shortest, int longest)
    {
        if (matches == 0)
        {
            return 0.0;
        }
        double m = matches;
        var jaro = (m / shortest + m / longest + 1.0) / 3.0;
        return jaro > Threshold ? jaro + Math.Min(PrefixScale, 1.0 / longest) * prefix * (1 - jaro) : jaro;
    }

    private static int Lanes(ulong packed) => packed == 0 ? 0 : (64 - System.Numerics.BitOperations.LeadingZeroCount(packed) + 15) / 16;

    private static int Unpack(ulong packed, Span<char> into)
    {
        var n = 0;
        while (n < 4 && (packed >> (16 * n) & 0xFFFF) is var c and not 0)
        {
            into[n++] = (char)c;
        }
        return n;
    }

    public static double Similarity(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.SequenceEqual(b))
        {
            return 1.0;
        }
        if (a.Length == 0 || b.Length == 0)
        {
            return 0.0;
        }
        if (a.Length > b.Length)
        {
            var t = a;
            a = b;
            b = t;
        }
        // a is the shorter. Names beyond 64 characters are compared on their first 64.
        if (b.Length > 64)
        {
            b = b[..64];
            if (a.Length > 64)
            {
                a = a[..64];
            }
        }
        var range = Math.Max(b.Length / 2 - 1, 0);
        ulong matchedB = 0;
        Span<char> ms1 = stackalloc char[a.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var c = a[i];
            var from = Math.Max(i - range, 0);
            var to = Math.Min(i + range + 1, b.Length);
            for (var j = from; j < to; j++)
            {
                if ((matchedB & (1UL << j)) == 0 && c == b[j])
                {
                    matchedB |= 1UL << j;
                    ms1[matches++] = c;
                    break;
                }
            }
        }
        if (matches == 0)
        {
            return 0.0;
        }
        var transpositions = 0;
        var k = 0;
        for (var j = 0; j < b.Length; j++)
        {
            if ((matchedB & (1UL << j)) != 0)
            {
                if (ms1[k] != b[j])
                {
                    transpositions++;
                }
                k++;
            }
        }
        var prefix = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                break;
            }
            prefix++;
        }
        double m = matches;
        var jaro = (m / a.Length + m / b.Length + (m - transpositions / 2) / m) / 3.0;
        return jaro > Threshold ? jaro + Math.Min(PrefixScale, 1.0 / b.Length) * prefix * (1 - jaro) : jaro;
    }
}
