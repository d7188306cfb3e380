namespace Baoxue.Features.Reconciliation.Matching;

/// <summary>
/// People to match, one array per field (the database supplies these in bulk; nothing here touches it).
/// Places are small integers given by the caller: 0 is unknown; the county, township and village of a row.
/// </summary>
public sealed class PersonTable
{
    public PersonTable(int capacity)
    {
        IdKeys = new ulong[capacity];
        BirthDays = new int[capacity];
        Genders = new byte[capacity];
        Counties = new int[capacity];
        Townships = new int[capacity];
        Villages = new int[capacity];
        Names = new string[capacity];
        Folded = new string[capacity];
        Packed = new ulong[capacity];
    }

    public int Count { get; private set; }
    public ulong[] IdKeys { get; }
    /// <summary><see cref="DateOnly.DayNumber"/> of the birth date.</summary>
    public int[] BirthDays { get; }
    public byte[] Genders { get; }
    public int[] Counties { get; }
    public int[] Townships { get; }
    public int[] Villages { get; }
    public string[] Names { get; }
    /// <summary>The names through <see cref="NameForms.Canonical"/>, computed once per row.</summary>
    public string[] Folded { get; }
    /// <summary>
    /// The folded name packed into 64 bits (four UTF-16 units, the length in the top lane when shorter), or 0 when it
    /// is longer: scoring reads one number per row instead of chasing a string across the heap.
    /// </summary>
    public ulong[] Packed { get; }

    public int Add(ulong idKey, DateOnly birth, byte gender, int county, int township, int village, string name)
    {
        var i = Count++;
        IdKeys[i] = idKey;
        BirthDays[i] = birth.DayNumber;
        Genders[i] = gender;
        Counties[i] = county;
        Townships[i] = township;
        Villages[i] = village;
        Names[i] = name;
        Folded[i] = NameForms.Canonical(name);
        Packed[i] = Pack(Folded[i]);
        return i;
    }

    /// <summary>Names of one to four units: lanes 0–3 hold them (unused lanes zero); longer names are not packed (0).</summary>
    public static ulong Pack(string folded)
    {
        if (folded.Length is 0 or > 4)
        {
            return 0;
        }
        ulong packed = 0;
        for (var i = 0; i < folded.Length; i++)
        {
            packed |= (ulong)folded[i] << (16 * i);
        }
        return packed;
    }

    /// <summary>Only the ID keys actually filled (for <see cref="ExactJoin"/>).</summary>
    public ulong[] Keys() => IdKeys.AsSpan(0, Count).ToArray();
}

/// <summary>How the two names compare, in words the decider reads.</summary>
public enum NameAgreement
{
    /// <summary>Written the same.</summary>
    Same = 1,
    /// <summary>The same once traditional characters are simplified (繁/简).</summary>
    Variant = 2,
    /// <summary>The same once homophones are folded (同音字).</summary>
    Homophone = 3,
    /// <summary>Similar (Jaro-Winkler over the folded names).</summary>
    Similar = 4,
}

/// <summary>How far apart the two places are.</summary>
public enum PlaceDistance
{
    SameVillage = 0,
    SameTownship = 1,
    SameCounty = 2,
    Elsewhere = 3,
}

/// <summary>
/// One scored candidate and every part of its score, shown to the person who decides:
/// <c>Score = 60·name + 25·date + 15·place</c> (0–100), where name is the Jaro-Winkler similarity of the folded names
/// rescaled so that 0.8 is 0 and 1 (equal once folded) is 1 — Chinese names are two to four characters, and one
/// character in three differing (0.82) is usually another child, not a typing error (homophones are folded first); date is 1 − days/(window+1); place is 1 (same village),
/// 0.8 (township), 0.5 (county), 0.2 (elsewhere).
/// </summary>
public readonly record struct Candidate(int Left, int Right, int Score, double NameSimilarity, NameAgreement Name, int Days, PlaceDistance Place);

/// <summary>Blocking and scoring of the rows left without an exact match.</summary>
public sealed class FuzzyMatcher(FuzzyOptions options)
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
                var similarity = packed != 0 && rp != 0 ? JaroWinkler.Similarity(packed, rp) : JaroWinkler.Similarity(folded, right.Folded[order[i]]);
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

    /// <summary>
    /// Whether two packed names share a character: each character of one is compared with all four lanes of the other
    /// at once (a lane of the XOR is zero where they are equal; the character is never 0, so empty lanes never match).
    /// Most pairs of a block are in different townships, so this test runs on every pair, scored or not (decision 0036).
    /// </summary>
    private static bool SharePacked(ulong a, ulong b)
    {
        for (var i = 0; i < 64 && (a >> i) != 0; i += 16)
        {
            var x = b ^ (((a >> i) & 0xFFFF) * 0x0001000100010001UL);
            if (((((x & 0x7FFF7FFF7FFF7FFFUL) + 0x7FFF7FFF7FFF7FFFUL) | x) & 0x8000800080008000UL) != 0x8000800080008000UL)
            {
                return true;
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
            ? JaroWinkler.Similarity(left.Packed[l], right.Packed[r])
            : JaroWinkler.Similarity(left.Folded[l], right.Folded[r]);
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

/// <summary>The fuzzy pass's settings (<c>Reconciliation:Fuzzy</c>).</summary>
public sealed class FuzzyOptions
{
    /// <summary>Birth dates this many days apart still block together.</summary>
    public int WindowDays { get; set; } = 3;
    /// <summary>Candidates below this score are not shown.</summary>
    public int MinScore { get; set; } = 60;
    /// <summary>At or above this score a candidate is strong: listed first and counted in precision/recall.</summary>
    public int StrongScore { get; set; } = 75;
    public int MaxCandidates { get; set; } = 3;
}
