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

    /// <summary>A key with its row, side by side: one write stream per partition and one cache line per probe (decision 0031).</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 4)]
    private struct Entry
    {
        public ulong Key;
        public int Row;
    }

    /// <param name="phases">When given (the benchmark's profile), receives the seconds of: partitioning the left side,
    /// partitioning the right side, building and probing the partition tables.</param>
    public static Result Match(ulong[] left, ulong[] right, double[]? phases = null)
    {
        var watch = phases is null ? null : System.Diagnostics.Stopwatch.StartNew();
        // About 16k right rows per partition: its table (12 bytes a slot, at most half full, 384 KB) stays within the
        // L2 cache (2 MB a core here), and 1,024 partitions at 15M keep the scatter within the TLB's reach.
        var bits = Math.Clamp(BitOperations.Log2((uint)Math.Max(1, right.Length / 16384)) + 1, 0, 14);
        var workers = Math.Max(1, Math.Min(Environment.ProcessorCount, 8));
        var (lEntries, lStart) = Partition(left, bits, workers);
        Lap(0);
        var (rEntries, rStart) = Partition(right, bits, workers);
        Lap(1);
        var result = new int[left.Length];
        Array.Fill(result, -1);
        var matched = 0;
        var duplicates = 0;
        Parallel.For(0, 1 << bits, () => (Table: Array.Empty<Entry>(), Matched: 0, Duplicates: 0), (p, _, local) =>
        {
            var rFrom = rStart[p];
            var rCount = rStart[p + 1] - rFrom;
            var lFrom = lStart[p];
            var lCount = lStart[p + 1] - lFrom;
            var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, rCount * 2));
            if (local.Table.Length < size)
            {
                local.Table = new Entry[size];
            }
            var table = local.Table;
            Array.Clear(table, 0, size);
            var mask = (ulong)(size - 1);
            for (var i = rFrom; i < rFrom + rCount; i++)
            {
                var key = rEntries[i].Key;
                var slot = key & mask;
                while (table[slot].Key != 0 && table[slot].Key != key)
                {
                    slot = (slot + 1) & mask;
                }
                if (table[slot].Key == key)
                {
                    local.Duplicates++;
                    continue;
                }
                table[slot] = rEntries[i];
            }
            if (rCount == 0)
            {
                return local;
            }
            for (var i = lFrom; i < lFrom + lCount; i++)
            {
                var key = lEntries[i].Key;
                var slot = key & mask;
                while (table[slot].Key != 0)
                {
                    if (table[slot].Key == key)
                    {
                        result[lEntries[i].Row] = table[slot].Row;
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
        Lap(2);
        return new Result(result, matched, duplicates);

        void Lap(int phase)
        {
            if (watch is not null)
            {
                phases![phase] = watch.Elapsed.TotalSeconds;
                watch.Restart();
            }
        }
    }

    /// <summary>
    /// Keys (without the zeros) grouped by their top bits with their original rows, and each partition's start. Each
    /// worker counts, then scatters, its own slice of the input into its own ranges, so the two passes run in parallel.
    /// </summary>
    private static (Entry[] Entries, int[] Starts) Partition(ulong[] keys, int bits, int workers)
    {
        var partitions = 1 << bits;
        var shift = 64 - bits;
        var slice = (keys.Length + workers - 1) / workers;
        var counts = new int[workers][];
        Parallel.For(0, workers, w =>
        {
            var c = counts[w] = new int[partitions];
            var end = Math.Min(keys.Length, (w + 1) * slice);
            for (var i = w * slice; i < end; i++)
            {
                var key = keys[i];
                if (key != 0)
                {
                    c[bits == 0 ? 0 : (int)(key >> shift)]++;
                }
            }
        });
        var starts = new int[partitions + 1];
        var offsets = new int[workers][];
        var at = 0;
        for (var p = 0; p < partitions; p++)
        {
            starts[p] = at;
            for (var w = 0; w < workers; w++)
            {
                (offsets[w] ??= new int[partitions])[p] = at;
                at += counts[w][p];
            }
        }
        starts[partitions] = at;
        var entries = new Entry[at];
        Parallel.For(0, workers, w =>
        {
            var o = offsets[w];
            var end = Math.Min(keys.Length, (w + 1) * slice);
            for (var i = w * slice; i < end; i++)
            {
                var key = keys[i];
                if (key == 0)
                {
                    continue;
                }
                ref var e = ref entries[o[bits == 0 ? 0 : (int)(key >> shift)]++];
                e.Key = key;
                e.Row = i;
            }
        });
        return (entries, starts);
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
