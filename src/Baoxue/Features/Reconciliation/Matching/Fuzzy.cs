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
        return i;
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
        // The open right rows sorted by (gender, birth day): a block is a contiguous range.
        var order = openRight.ToArray();
        var blockKeys = new long[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            blockKeys[i] = BlockKey(right.Genders[order[i]], right.BirthDays[order[i]]);
        }
        Array.Sort(blockKeys, order);

        var results = new List<Candidate>[openLeft.Count];
        long scored = 0;
        Parallel.For(0, openLeft.Count, () => 0L, (k, _, count) =>
        {
            var l = openLeft[k];
            var best = new List<Candidate>(options.MaxCandidates + 1);
            var from = LowerBound(blockKeys, BlockKey(left.Genders[l], left.BirthDays[l] - options.WindowDays));
            var to = LowerBound(blockKeys, BlockKey(left.Genders[l], left.BirthDays[l] + options.WindowDays + 1));
            var folded = left.Folded[l];
            for (var i = from; i < to; i++)
            {
                var r = order[i];
                if (left.Townships[l] != right.Townships[r] && !ShareCharacter(folded, right.Folded[r]))
                {
                    continue;
                }
                count++;
                var c = Score(left, l, right, r);
                if (c.Score >= options.MinScore)
                {
                    Keep(best, c, options.MaxCandidates);
                }
            }
            results[k] = best;
            return count;
        }, count => Interlocked.Add(ref scored, count));
        pairsScored = scored;
        return results;
    }

    /// <summary>The score of one pair, with its parts.</summary>
    public Candidate Score(PersonTable left, int l, PersonTable right, int r)
    {
        var similarity = JaroWinkler.Similarity(left.Folded[l], right.Folded[r]);
        NameAgreement agreement;
        if (similarity < 1.0)
        {
            agreement = NameAgreement.Similar;
        }
        else if (string.Equals(left.Names[l], right.Names[r], StringComparison.Ordinal))
        {
            agreement = NameAgreement.Same;
        }
        else
        {
            agreement = string.Equals(NameForms.Simplify(left.Names[l]), NameForms.Simplify(right.Names[r]), StringComparison.Ordinal) ? NameAgreement.Variant : NameAgreement.Homophone;
        }
        var days = Math.Abs(left.BirthDays[l] - right.BirthDays[r]);
        var place = Distance(left, l, right, r);
        var name = similarity >= 1.0 ? 1.0 : Math.Clamp((similarity - 0.8) / 0.2, 0, 1);
        var date = Math.Max(0, 1 - days / (double)(options.WindowDays + 1));
        var score = (int)Math.Round(60 * name + 25 * date + 15 * PlaceScores[(int)place], MidpointRounding.AwayFromZero);
        return new Candidate(l, r, score, similarity, agreement, days, place);
    }

    private static PlaceDistance Distance(PersonTable left, int l, PersonTable right, int r)
    {
        if (left.Villages[l] != 0 && left.Villages[l] == right.Villages[r])
        {
            return PlaceDistance.SameVillage;
        }
        if (left.Townships[l] != 0 && left.Townships[l] == right.Townships[r])
        {
            return PlaceDistance.SameTownship;
        }
        return left.Counties[l] != 0 && left.Counties[l] == right.Counties[r] ? PlaceDistance.SameCounty : PlaceDistance.Elsewhere;
    }

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
