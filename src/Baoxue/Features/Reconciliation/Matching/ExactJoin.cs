using System.Globalization;
using System.Numerics;

namespace Baoxue.Features.Reconciliation.Matching;

/// <summary>
/// Equal-key matching of two sets of 64-bit ID keys (the first 64 bits of the keyed ID hash, see <see cref="IdKey"/>):
/// a radix-partitioned hash join. Both sides are split by their top bits into partitions small enough for the cache;
/// each partition's right side goes into an open-addressing table that its left side probes, partitions in parallel.
/// Key 0 means "no usable ID" and never matches.
/// </summary>
public static class ExactJoin
{
    /// <summary>The join: for each left row the index of a right row with its key (or -1), and the right keys held more than once.</summary>
    public sealed record Result(int[] LeftToRight, int Matched, int RightDuplicates);

    public static Result Match(ulong[] left, ulong[] right)
    {
        // About 4,096 right rows per partition: its table (16 bytes a slot, half full) stays within the L2 cache.
        var bits = Math.Clamp(BitOperations.Log2((uint)Math.Max(1, right.Length / 4096)) + 1, 0, 14);
        var (lKeys, lIdx, lStart) = Partition(left, bits);
        var (rKeys, rIdx, rStart) = Partition(right, bits);
        var result = new int[left.Length];
        Array.Fill(result, -1);
        var matched = 0;
        var duplicates = 0;
        Parallel.For(0, 1 << bits, () => (Keys: Array.Empty<ulong>(), Values: Array.Empty<int>(), Matched: 0, Duplicates: 0), (p, _, local) =>
        {
            var rFrom = rStart[p];
            var rCount = rStart[p + 1] - rFrom;
            var lFrom = lStart[p];
            var lCount = lStart[p + 1] - lFrom;
            if (rCount == 0 || lCount == 0)
            {
                local.Duplicates += CountDuplicates(rKeys, rFrom, rCount);
                return local;
            }
            var size = (int)BitOperations.RoundUpToPowerOf2((uint)(rCount * 2));
            if (local.Keys.Length < size)
            {
                local.Keys = new ulong[size];
                local.Values = new int[size];
            }
            var keys = local.Keys;
            var values = local.Values;
            Array.Clear(keys, 0, size);
            var mask = (ulong)(size - 1);
            for (var i = rFrom; i < rFrom + rCount; i++)
            {
                var key = rKeys[i];
                var slot = key & mask;
                while (keys[slot] != 0 && keys[slot] != key)
                {
                    slot = (slot + 1) & mask;
                }
                if (keys[slot] == key)
                {
                    local.Duplicates++;
                    continue;
                }
                keys[slot] = key;
                values[slot] = rIdx[i];
            }
            for (var i = lFrom; i < lFrom + lCount; i++)
            {
                var key = lKeys[i];
                var slot = key & mask;
                while (keys[slot] != 0)
                {
                    if (keys[slot] == key)
                    {
                        result[lIdx[i]] = values[slot];
                        local.Matched++;
                        break;
                    }
                    slot = (slot + 1) & mask;
                }
            }
            return local;
        }, local =>
        {
            Interlocked.Add(ref matched, local.Matched);
            Interlocked.Add(ref duplicates, local.Duplicates);
        });
        return new Result(result, matched, duplicates);
    }

    private static int CountDuplicates(ulong[] keys, int from, int count)
    {
        if (count < 2)
        {
            return 0;
        }
        var set = new HashSet<ulong>(count);
        var duplicates = 0;
        for (var i = from; i < from + count; i++)
        {
            if (!set.Add(keys[i]))
            {
                duplicates++;
            }
        }
        return duplicates;
    }

    /// <summary>Keys (without the zeros) grouped by their top bits, with their original indexes and each partition's start.</summary>
    private static (ulong[] Keys, int[] Indexes, int[] Starts) Partition(ulong[] keys, int bits)
    {
        var partitions = 1 << bits;
        var shift = 64 - bits;
        var starts = new int[partitions + 1];
        foreach (var key in keys)
        {
            if (key != 0)
            {
                starts[bits == 0 ? 1 : (int)(key >> shift) + 1]++;
            }
        }
        for (var p = 0; p < partitions; p++)
        {
            starts[p + 1] += starts[p];
        }
        var at = starts[..partitions];
        var outKeys = new ulong[starts[partitions]];
        var outIdx = new int[starts[partitions]];
        for (var i = 0; i < keys.Length; i++)
        {
            var key = keys[i];
            if (key == 0)
            {
                continue;
            }
            var p = bits == 0 ? 0 : (int)(key >> shift);
            var to = at[p]++;
            outKeys[to] = key;
            outIdx[to] = i;
        }
        return (outKeys, outIdx, starts);
    }
}

/// <summary>The 64-bit matching key of an ID: the first 16 hex digits of its keyed hash (never of the ID itself).</summary>
public static class IdKey
{
    /// <summary>0 (no key) for a missing hash; a hash whose first 64 bits are all zero (odds 2⁻⁶⁴) becomes 1.</summary>
    public static ulong FromHash(string? hexHash)
    {
        if (hexHash is null || hexHash.Length < 16)
        {
            return 0;
        }
        var key = ulong.Parse(hexHash.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return key == 0 ? 1 : key;
    }
}
