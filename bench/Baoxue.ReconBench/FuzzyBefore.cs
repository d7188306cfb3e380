using Baoxue.Features.Reconciliation.Matching;

namespace Baoxue.ReconBench;

#pragma warning disable CA1822
/// <summary>The fuzzy pass as it was before decision 0036 (its Jaro-Winkler and shared-character test included), kept so that the
/// benchmark measures before and after in the same process on the same rows.</summary>
internal sealed class FuzzyBefore(FuzzyOptions options)
{
    private static readonly double[] PlaceScores = [1.0, 0.8, 0.5, 0.2];

    /// <summary>
    /// For each open left row, its best candidates among the open right rows (best first, at most
    /// <see cref="FuzzyOptions.MaxCandidates"/>, each scoring at least <see cref="FuzzyOptions.MinScore"/>).
    /// Blocks: the same gender, birth dates within <see cref="FuzzyOptions.WindowDays"/>, and the same township or a
    /// character of the folded names in common.
    /// </summary>
    public List<Candidate>[] Match(PersonTable left, IReadOnlyList<int> openLeft, PersonTable right, IReadOnlyList<int> openRight, out long pairsScored)
    {
        // The open right rows sorted by (gender, birth day): a block is a contiguous range. What scoring reads is
        // copied into arrays in that order, so a block is read sequentially rather than row by row across the heap.
        var order = openRight.ToArray();
        var blockKeys = new long[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            blockKeys[i] = BlockKey(right.Genders[order[i]], right.BirthDays[order[i]]);
        }
        Array.Sort(blockKeys, order);
        var block = new Block(order.Length);
        for (var i = 0; i < order.Length; i++)
        {
            var r = order[i];
            block.Packed[i] = right.Packed[r];
            block.Births[i] = right.BirthDays[r];
            block.Townships[i] = right.Townships[r];
            block.Villages[i] = right.Villages[r];
            block.Counties[i] = right.Counties[r];
        }

        var results = new List<Candidate>[openLeft.Count];
        long scored = 0;
        Parallel.For(0, openLeft.Count, () => 0L, (k, _, count) =>
        {
            var l = openLeft[k];
            var best = new List<Candidate>(options.MaxCandidates + 1);
            var from = LowerBound(blockKeys, BlockKey(left.Genders[l], left.BirthDays[l] - options.WindowDays));
            var to = LowerBound(blockKeys, BlockKey(left.Genders[l], left.BirthDays[l] + options.WindowDays + 1));
            var packed = left.Packed[l];
            var folded = left.Folded[l];
            var township = left.Townships[l];
            for (var i = from; i < to; i++)
            {
                var rp = block.Packed[i];
                var samePlace = township == block.Townships[i];
                if (!samePlace && !(packed != 0 && rp != 0 ? SharePacked(packed, rp) : ShareCharacter(folded, right.Folded[order[i]])))
                {
                    continue;
                }
                count++;
                var similarity = packed != 0 && rp != 0 ? JaroWinklerBefore.Similarity(packed, rp) : JaroWinklerBefore.Similarity(folded, right.Folded[order[i]]);
                var days = Math.Abs(left.BirthDays[l] - block.Births[i]);
                var place = Distance(left.Villages[l], township, left.Counties[l], block.Villages[i], block.Townships[i], block.Counties[i]);
                var score = Total(similarity, days, place);
                if (score >= options.MinScore && (best.Count < options.MaxCandidates || best[^1].Score < score))
                {
                    Keep(best, new Candidate(l, order[i], score, similarity, Agreement(left, l, right, order[i], similarity), days, place), options.MaxCandidates);
                }
            }
            results[k] = best;
            return count;
        }, count => Interlocked.Add(ref scored, count));
        pairsScored = scored;
        return results;
    }

    private sealed class Block(int n)
    {
        public readonly ulong[] Packed = new ulong[n];
        public readonly int[] Births = new int[n];
        public readonly int[] Townships = new int[n];
        public readonly int[] Villages = new int[n];
        public readonly int[] Counties = new int[n];
    }

    private static bool SharePacked(ulong a, ulong b)
    {
        for (var i = 0; i < 4; i++)
        {
            var c = (a >> (16 * i)) & 0xFFFF;
            if (c == 0)
            {
                break;
            }
            for (var j = 0; j < 4; j++)
            {
                var d = (b >> (16 * j)) & 0xFFFF;
                if (d == 0)
                {
                    break;
                }
                if (c == d)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private int Total(double similarity, int days, PlaceDistance place)
    {
        var name = similarity >= 1.0 ? 1.0 : Math.Clamp((similarity - 0.8) / 0.2, 0, 1);
        var date = Math.Max(0, 1 - days / (double)(options.WindowDays + 1));
        return (int)Math.Round(60 * name + 25 * date + 15 * PlaceScores[(int)place], MidpointRounding.AwayFromZero);
    }

    private static NameAgreement Agreement(PersonTable left, int l, PersonTable right, int r, double similarity) =>
        similarity < 1.0 ? NameAgreement.Similar
        : string.Equals(left.Names[l], right.Names[r], StringComparison.Ordinal) ? NameAgreement.Same
        : string.Equals(NameForms.Simplify(left.Names[l]), NameForms.Simplify(right.Names[r]), StringComparison.Ordinal) ? NameAgreement.Variant
        : NameAgreement.Homophone;

    /// <summary>The score of one pair, with its parts.</summary>
    public Candidate Score(PersonTable left, int l, PersonTable right, int r)
    {
        var similarity = left.Packed[l] != 0 && right.Packed[r] != 0
            ? JaroWinklerBefore.Similarity(left.Packed[l], right.Packed[r])
            : JaroWinklerBefore.Similarity(left.Folded[l], right.Folded[r]);
        var days = Math.Abs(left.BirthDays[l] - right.BirthDays[r]);
        var place = Distance(left.Villages[l], left.Townships[l], left.Counties[l], right.Villages[r], right.Townships[r], right.Counties[r]);
        return new Candidate(l, r, Total(similarity, days, place), similarity, Agreement(left, l, right, r, similarity), days, place);
    }

    private static PlaceDistance Distance(int lv, int lt, int lc, int rv, int rt, int rc) =>
        lv != 0 && lv == rv ? PlaceDistance.SameVillage
        : lt != 0 && lt == rt ? PlaceDistance.SameTownship
        : lc != 0 && lc == rc ? PlaceDistance.SameCounty
        : PlaceDistance.Elsewhere;

    private static void Keep(List<Candidate> best, Candidate c, int max)
    {
        var at = best.Count;
        while (at > 0 && best[at - 1].Score < c.Score)
        {
            at--;
        }
        if (at >= max)
        {
            return;
        }
        best.Insert(at, c);
        if (best.Count > max)
        {
            best.RemoveAt(best.Count - 1);
        }
    }

    private static bool ShareCharacter(string a, string b)
    {
        foreach (var c in a)
        {
            if (b.Contains(c))
            {
                return true;
            }
        }
        return false;
    }

    private static long BlockKey(byte gender, int day) => ((long)gender << 32) | (uint)day;

    private static int LowerBound(long[] keys, long key)
    {
        int lo = 0, hi = keys.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (keys[mid] < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}


/// <summary>The packed Jaro-Winkler as it was before decision 0036; longer names go to the library's general path.</summary>
internal static class JaroWinklerBefore
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
        // transpositions and the counts come from the lanes directly — most Chinese names, no unpacking (decision 0031).
        var la = Lanes(a);
        var lb = Lanes(b);
        if (la > 0 && lb > 0 && Math.Max(la, lb) <= 3)
        {
            var shortest = Math.Min(la, lb);
            var longest = Math.Max(la, lb);
            var diff = a ^ b;
            var matches = 0;
            var prefix = 0;
            var leading = true;
            for (var i = 0; i < shortest; i++)
            {
                if (((diff >> (16 * i)) & 0xFFFF) == 0)
                {
                    matches++;
                    prefix += leading ? 1 : 0;
                }
                else
                {
                    leading = false;
                }
            }
            if (matches == 0)
            {
                return 0.0;
            }
            double m = matches;
            var jaro = (m / shortest + m / longest + 1.0) / 3.0;
            return jaro > Threshold ? jaro + Math.Min(PrefixScale, 1.0 / longest) * prefix * (1 - jaro) : jaro;
        }
        Span<char> x = stackalloc char[4];
        Span<char> y = stackalloc char[4];
        return Similarity(x[..Unpack(a, x)], y[..Unpack(b, y)]);
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

    public static double Similarity(ReadOnlySpan<char> a, ReadOnlySpan<char> b) => JaroWinkler.Similarity(a, b);
}
