using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Features.Reconciliation.Matching;
using Baoxue.Infrastructure.Security;
using Baoxue.ReconBench;
using Npgsql;
using NpgsqlTypes;

// dotnet Baoxue.ReconBench.dll <registry rows> [postgres connection string]
// Prints one TSV line per measurement: case, rows, seconds, detail.
var n = int.Parse(args[0], CultureInfo.InvariantCulture);
if (args.Length > 1 && args[1] == "join-profile")
{
    JoinProfile.Run(n);
    return;
}
if (args.Length > 1 && args[1] == "compare")
{
    Compare.Run(n);
    return;
}
var pg = args.Length > 1 ? args[1] : null;
// At province scale the read-back copy would double the memory on a shared machine: the end-to-end case is county-sized.
var endToEnd = args.Length <= 2 || args[2] != "no-e2e";
var inv = CultureInfo.InvariantCulture;
void Line(string name, long rows, double seconds, string detail) =>
    Console.WriteLine(string.Create(inv, $"{name}\t{rows}\t{seconds:F3}\t{detail}"));

var watch = Stopwatch.StartNew();
var data = Synthetic.Generate(n, seed: 20261201);
Line("generate", n, watch.Elapsed.TotalSeconds, string.Create(inv, $"household {data.Household.Count:N0}, registry {data.Registry.Count:N0}, HMAC-SHA256 keys"));

// Exact matching in memory: the radix-partitioned hash join of the two key arrays (best of 3, after one warm-up).
var leftKeys = data.Household.Keys();
var rightKeys = data.Registry.Keys();
ExactJoin.Match(leftKeys, rightKeys);
var best = double.MaxValue;
ExactJoin.Result exact = null!;
for (var i = 0; i < 3; i++)
{
    watch.Restart();
    exact = ExactJoin.Match(leftKeys, rightKeys);
    best = Math.Min(best, watch.Elapsed.TotalSeconds);
}
var unmatchedWithKey = leftKeys.Where((k, i) => k != 0 && exact.LeftToRight[i] < 0).Count();
Line("exact join in memory", n, best, string.Create(inv, $"{data.Household.Count:N0} × {data.Registry.Count:N0} keys, {exact.Matched:N0} matched, anti-join {unmatchedWithKey:N0}"));

// Fuzzy: blocking and scoring of the rows the exact join left open.
var options = new FuzzyOptions();
var matcher = new FuzzyMatcher(options);
var taken = new bool[data.Registry.Count];
foreach (var r in exact.LeftToRight)
{
    if (r >= 0)
    {
        taken[r] = true;
    }
}
var openLeft = Enumerable.Range(0, data.Household.Count).Where(i => exact.LeftToRight[i] < 0).ToList();
var openRight = Enumerable.Range(0, data.Registry.Count).Where(i => !taken[i]).ToList();
watch.Restart();
var candidates = matcher.Match(data.Household, openLeft, data.Registry, openRight, out var pairs);
var fuzzySeconds = watch.Elapsed.TotalSeconds;
Line("fuzzy blocking + scoring", openLeft.Count, fuzzySeconds, string.Create(inv, $"{openLeft.Count:N0} open children × {openRight.Count:N0} open students, {pairs:N0} pairs scored, {pairs / fuzzySeconds / 1e6:F1} M pairs/s (2 cores)"));

// Scoring alone: in-block pairs scored over and over on one core.
{
    var sampleL = openLeft.Take(20_000).ToArray();
    var pool = openRight.ToArray();
    var rnd = new Random(1);
    var pairsL = new int[1 << 20];
    var pairsR = new int[1 << 20];
    for (var i = 0; i < pairsL.Length; i++)
    {
        pairsL[i] = sampleL.Length == 0 ? 0 : sampleL[rnd.Next(sampleL.Length)];
        pairsR[i] = pool.Length == 0 ? 0 : pool[rnd.Next(pool.Length)];
    }
    long sum = 0;
    for (var i = 0; i < 100_000; i++)
    {
        sum += matcher.Score(data.Household, pairsL[i], data.Registry, pairsR[i]).Score;
    }
    watch.Restart();
    const int rounds = 5;
    for (var round = 0; round < rounds; round++)
    {
        for (var i = 0; i < pairsL.Length; i++)
        {
            sum += matcher.Score(data.Household, pairsL[i], data.Registry, pairsR[i]).Score;
        }
    }
    var seconds = watch.Elapsed.TotalSeconds;
    Line("score pairs, one core", (long)rounds * pairsL.Length, seconds, string.Create(inv, $"{rounds * pairsL.Length / seconds / 1e6:F1} M pairs/s (checksum {sum % 1000})"));
    var f23 = new F23Anchor();
    watch.Restart();
    double jw = 0;
    for (var i = 0; i < pairsL.Length; i++)
    {
        jw += f23.Similarity(data.Household.Folded[pairsL[i]], data.Registry.Folded[pairsR[i]]);
    }
    var anchor = watch.Elapsed.TotalSeconds;
    watch.Restart();
    double own = 0;
    for (var i = 0; i < pairsL.Length; i++)
    {
        own += JaroWinkler.Similarity(data.Household.Folded[pairsL[i]], data.Registry.Folded[pairsR[i]]);
    }
    var ownSeconds = watch.Elapsed.TotalSeconds;
    // The packed path the fuzzy pass takes for names of up to four characters (one 64-bit number per name).
    watch.Restart();
    double packed = 0;
    for (var i = 0; i < pairsL.Length; i++)
    {
        var (a, b) = (data.Household.Packed[pairsL[i]], data.Registry.Packed[pairsR[i]]);
        packed += a != 0 && b != 0 ? JaroWinkler.Similarity(a, b) : JaroWinkler.Similarity(data.Household.Folded[pairsL[i]], data.Registry.Folded[pairsR[i]]);
    }
    var packedSeconds = watch.Elapsed.TotalSeconds;
    Line("Jaro-Winkler only, one core", pairsL.Length, ownSeconds, string.Create(inv,
        $"own on strings {pairsL.Length / ownSeconds / 1e6:F1} M/s; own on packed names {pairsL.Length / packedSeconds / 1e6:F1} M/s; anchor F23.StringSimilarity {pairsL.Length / anchor / 1e6:F1} M/s (sums {own:F0} / {packed:F0} / {jw:F0})"));
}

// Precision and recall on the labels: a proposal is the exact match, or the best candidate at or above the strong score.
long proposals = 0, correct = 0, truthPositive = 0, queued = 0;
var candidateOf = new Dictionary<int, List<Candidate>>(openLeft.Count);
for (var k = 0; k < openLeft.Count; k++)
{
    candidateOf[openLeft[k]] = candidates[k];
}
for (var i = 0; i < data.Household.Count; i++)
{
    var truth = data.Truth[i];
    if (truth >= 0)
    {
        truthPositive++;
    }
    var predicted = exact.LeftToRight[i];
    if (predicted < 0 && candidateOf.TryGetValue(i, out var list) && list.Count > 0)
    {
        queued++;
        if (list[0].Score >= options.StrongScore)
        {
            predicted = list[0].Right;
        }
    }
    if (predicted >= 0)
    {
        proposals++;
        if (predicted == truth)
        {
            correct++;
        }
    }
}
Line("precision", proposals, (double)correct / Math.Max(1, proposals), string.Create(inv, $"{correct:N0} right of {proposals:N0} proposed (exact + best candidate ≥ {options.StrongScore}); {queued:N0} children had candidates"));
Line("recall", truthPositive, (double)correct / Math.Max(1, truthPositive), string.Create(inv, $"{correct:N0} found of {truthPositive:N0} household children who are in the registry; noise: {data.Noise}"));
Line("peak memory MB", n, Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, "working set of this process (data, keys, names, candidates)");

if (pg is null)
{
    return;
}

// PostgreSQL: the same keys, the same exact anti-join (children whose ID key no student has).
await using (var connection = new NpgsqlConnection(pg))
{
    await connection.OpenAsync();
    await Exec(connection, "DROP TABLE IF EXISTS bench_household; DROP TABLE IF EXISTS bench_registry; DROP TABLE IF EXISTS bench_result;" +
        "CREATE UNLOGGED TABLE bench_household (id int NOT NULL, key bigint NOT NULL, birth int NOT NULL, gender smallint NOT NULL, county int NOT NULL, township int NOT NULL, village int NOT NULL, name text NOT NULL);" +
        "CREATE UNLOGGED TABLE bench_registry (id int NOT NULL, key bigint NOT NULL, birth int NOT NULL, gender smallint NOT NULL, county int NOT NULL, township int NOT NULL, village int NOT NULL, name text NOT NULL);" +
        "CREATE UNLOGGED TABLE bench_result (household int NOT NULL, student int NOT NULL, score int NOT NULL);");
    watch.Restart();
    await CopyAsync(connection, "bench_household", data.Household);
    await CopyAsync(connection, "bench_registry", data.Registry);
    await Exec(connection, "ANALYZE bench_household; ANALYZE bench_registry;");
    Line("PostgreSQL load (binary COPY)", data.Household.Count + data.Registry.Count, watch.Elapsed.TotalSeconds, "both sides, unlogged tables, fsync off");
    var pgBest = double.MaxValue;
    long pgCount = 0;
    for (var i = 0; i < 2; i++)
    {
        watch.Restart();
        await using var cmd = new NpgsqlCommand("SET work_mem = '1GB'; SELECT count(*) FROM bench_household h WHERE h.key <> 0 AND NOT EXISTS (SELECT 1 FROM bench_registry r WHERE r.key = h.key)", connection) { CommandTimeout = 0 };
        pgCount = (long)(await cmd.ExecuteScalarAsync())!;
        pgBest = Math.Min(pgBest, watch.Elapsed.TotalSeconds);
    }
    Line("PostgreSQL exact anti-join", n, pgBest, string.Create(inv, $"{pgCount:N0} children without a matching key (in memory: {unmatchedWithKey:N0}); hash anti join, work_mem 1GB, best of 2"));

    // End to end from the database: read both sides, match (exact + fuzzy), write the results back.
    if (!endToEnd)
    {
        await Exec(connection, "DROP TABLE bench_household; DROP TABLE bench_registry; DROP TABLE bench_result;");
        return;
    }
    var (householdCount, registryCount) = (data.Household.Count, data.Registry.Count);
    data = null!;
    GC.Collect();
    watch.Restart();
    var household = await ReadAsync(connection, "bench_household", householdCount);
    var registry = await ReadAsync(connection, "bench_registry", registryCount);
    var read = watch.Elapsed.TotalSeconds;
    var joined = ExactJoin.Match(household.Keys(), registry.Keys());
    var busy = new bool[registry.Count];
    foreach (var r in joined.LeftToRight)
    {
        if (r >= 0)
        {
            busy[r] = true;
        }
    }
    var open = Enumerable.Range(0, household.Count).Where(i => joined.LeftToRight[i] < 0).ToList();
    var found = matcher.Match(household, open, registry, Enumerable.Range(0, registry.Count).Where(i => !busy[i]).ToList(), out _);
    var matched = watch.Elapsed.TotalSeconds - read;
    await using (var writer = await connection.BeginBinaryImportAsync("COPY bench_result (household, student, score) FROM STDIN (FORMAT BINARY)"))
    {
        for (var i = 0; i < household.Count; i++)
        {
            if (joined.LeftToRight[i] >= 0)
            {
                await writer.WriteRowAsync(default, i, joined.LeftToRight[i], 100);
            }
        }
        for (var k = 0; k < open.Count; k++)
        {
            foreach (var c in found[k])
            {
                await writer.WriteRowAsync(default, open[k], c.Right, c.Score);
            }
        }
        await writer.CompleteAsync();
    }
    var total = watch.Elapsed.TotalSeconds;
    Line("end to end from PostgreSQL", n, total, string.Create(inv, $"read {read:F2} s, match {matched:F2} s, write results {total - read - matched:F2} s"));
    Line("peak memory MB (after PostgreSQL)", n, Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, "including a second copy read back from the database");
    await Exec(connection, "DROP TABLE bench_household; DROP TABLE bench_registry; DROP TABLE bench_result;");
}

static async Task Exec(NpgsqlConnection connection, string sql)
{
    await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
    await cmd.ExecuteNonQueryAsync();
}

static async Task CopyAsync(NpgsqlConnection connection, string table, PersonTable t)
{
    await using var writer = await connection.BeginBinaryImportAsync($"COPY {table} (id, key, birth, gender, county, township, village, name) FROM STDIN (FORMAT BINARY)");
    for (var i = 0; i < t.Count; i++)
    {
        await writer.StartRowAsync();
        await writer.WriteAsync(i, NpgsqlDbType.Integer);
        await writer.WriteAsync(unchecked((long)t.IdKeys[i]), NpgsqlDbType.Bigint);
        await writer.WriteAsync(t.BirthDays[i], NpgsqlDbType.Integer);
        await writer.WriteAsync((short)t.Genders[i], NpgsqlDbType.Smallint);
        await writer.WriteAsync(t.Counties[i], NpgsqlDbType.Integer);
        await writer.WriteAsync(t.Townships[i], NpgsqlDbType.Integer);
        await writer.WriteAsync(t.Villages[i], NpgsqlDbType.Integer);
        await writer.WriteAsync(t.Names[i], NpgsqlDbType.Text);
    }
    await writer.CompleteAsync();
}

static async Task<PersonTable> ReadAsync(NpgsqlConnection connection, string table, int capacity)
{
    var t = new PersonTable(capacity);
    await using var reader = await connection.BeginBinaryExportAsync($"COPY (SELECT key, birth, gender, county, township, village, name FROM {table} ORDER BY id) TO STDOUT (FORMAT BINARY)");
    while (await reader.StartRowAsync() != -1)
    {
        var key = unchecked((ulong)await reader.ReadAsync<long>());
        var birth = await reader.ReadAsync<int>();
        var gender = (byte)await reader.ReadAsync<short>();
        var county = await reader.ReadAsync<int>();
        var township = await reader.ReadAsync<int>();
        var village = await reader.ReadAsync<int>();
        var name = await reader.ReadAsync<string>();
        t.Add(key, DateOnly.FromDayNumber(birth), gender, county, township, village, name);
    }
    return t;
}

/// <summary>F23.StringSimilarity's Jaro-Winkler, loaded only if the package is present (the anchor of the name score).</summary>
internal sealed class F23Anchor
{
    private readonly F23.StringSimilarity.JaroWinkler _jw = new();
    public double Similarity(string a, string b) => _jw.Similarity(a, b);
}

/// <summary>
/// Labelled synthetic data. Registry: n students in counties of 500k (townships of ~25k, villages of ~1.2k), names from
/// the demo's generator, IDs with valid structure, keyed hashes (HMAC-SHA256 with a random key) as 64-bit keys; 1 % are
/// twins (same birth date, surname and village). Household: most students again, with noise — 3 % without ID (of them
/// 40 % a homophone, 20 % traditional characters, 10 % born a day off), 1 % a mistyped ID, 4 % moved to another township
/// (ID kept), 5 % of students with no household record; plus 2 % children in no school at all. Truth: the registry row
/// each household child really is, or −1.
/// </summary>
internal sealed class Synthetic
{
    public required PersonTable Registry { get; init; }
    public required PersonTable Household { get; init; }
    public required int[] Truth { get; init; }
    public required string Noise { get; init; }

    public static Synthetic Generate(int n, int seed)
    {
        var personal = new PersonalData(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var random = new Random(seed);
        var names = new ChineseNames(seed);
        var today = new DateOnly(2026, 12, 1);
        const int countySize = 500_000, townshipSize = 25_000, villageSize = 1_250;
        var regIds = new string[n];
        var registry = new PersonTable(n);
        var regName = new string[n];
        var twins = 0;
        // Real IDs are unique; the generator's random order codes are not, so draw again on a collision.
        var issued = new HashSet<string>(n + n / 10, StringComparer.Ordinal);
        string Issue(string county, DateOnly birth, Gender gender)
        {
            string id;
            do
            {
                id = names.IdNumberFor(county, birth, gender);
            }
            while (!issued.Add(id));
            return id;
        }
        for (var i = 0; i < n; i++)
        {
            var county = i / countySize + 1;
            var township = i / townshipSize + 1;
            var village = i / villageSize + 1;
            Gender gender;
            DateOnly birth;
            string name;
            if (i > 0 && random.Next(100) == 0 && registry.Villages[i - 1] == village)
            {
                // A twin of the previous child: same day, surname, village; another given name.
                twins++;
                gender = names.RandomGender();
                birth = DateOnly.FromDayNumber(registry.BirthDays[i - 1]);
                var surname = regName[i - 1][..1];
                name = surname + names.GivenPartOf(names.FullName(gender));
            }
            else
            {
                gender = names.RandomGender();
                birth = today.AddDays(-random.Next(6 * 365, 15 * 365));
                name = names.FullName(gender);
            }
            regName[i] = name;
            regIds[i] = Issue(County(county), birth, gender);
            registry.Add(0, birth, (byte)gender, county, township, village, name);
        }
        Parallel.For(0, n, i => registry.IdKeys[i] = IdKey.FromHash(personal.Hash(regIds[i])));

        var extra = n / 50;
        var household = new PersonTable(n + extra);
        var truth = new int[n + extra];
        var ids = new string?[n + extra];
        int noId = 0, homophone = 0, traditional = 0, dayOff = 0, mistyped = 0, moved = 0, absent = 0;
        var townships = Math.Max(1, n / townshipSize);
        for (var i = 0; i < n; i++)
        {
            var roll = random.NextDouble();
            if (roll < 0.05)
            {
                absent++;
                continue;
            }
            var name = regName[i];
            var birth = DateOnly.FromDayNumber(registry.BirthDays[i]);
            var id = regIds[i];
            int township = registry.Townships[i], village = registry.Villages[i], county = registry.Counties[i];
            var r2 = random.NextDouble();
            if (r2 < 0.03)
            {
                noId++;
                id = null;
                var r3 = random.NextDouble();
                if (r3 < 0.4 && NameForms.Homophone(name[^1], random.Next(7)) is { } other)
                {
                    homophone++;
                    name = name[..^1] + other;
                }
                else if (r3 < 0.6)
                {
                    var t = NameForms.Traditionalise(name);
                    if (t != name)
                    {
                        traditional++;
                    }
                    name = t;
                }
                else if (r3 < 0.7)
                {
                    dayOff++;
                    birth = birth.AddDays(random.Next(2) == 0 ? -1 : 1);
                }
            }
            else if (r2 < 0.04)
            {
                mistyped++;
                id = Issue(County(county), birth, (Gender)registry.Genders[i]);
            }
            else if (r2 < 0.08)
            {
                moved++;
                township = (township % townships) + 1 + (county - 1) * (countySize / townshipSize);
                village = township * (townshipSize / villageSize);
            }
            var at = household.Add(0, birth, registry.Genders[i], county, township, village, name);
            ids[at] = id;
            truth[at] = i;
        }
        for (var k = 0; k < extra; k++)
        {
            var gender = names.RandomGender();
            var birth = today.AddDays(-random.Next(6 * 365, 15 * 365));
            var i = random.Next(n);
            var at = household.Add(0, birth, (byte)gender, registry.Counties[i], registry.Townships[i], registry.Villages[i], names.FullName(gender));
            ids[at] = random.Next(10) == 0 ? null : Issue(County(registry.Counties[i]), birth, gender);
            truth[at] = -1;
        }
        Parallel.For(0, household.Count, i => household.IdKeys[i] = ids[i] is { } id ? IdKey.FromHash(personal.Hash(id)) : 0);
        var noise = string.Create(CultureInfo.InvariantCulture,
            $"{noId:N0} without ID ({homophone:N0} homophone, {traditional:N0} traditional, {dayOff:N0} a day off), {mistyped:N0} mistyped ID, {moved:N0} moved township, {twins:N0} twins, {absent:N0} students without household record, {extra:N0} children in no school");
        return new Synthetic { Registry = registry, Household = household, Truth = truth[..household.Count], Noise = noise };
    }

    // Real six-digit county codes of Fujian, enough for 30 counties (15M), reused beyond.
    private static readonly string[] Counties = ["350102", "350103", "350104", "350105", "350111", "350112", "350121", "350122", "350123", "350124",
        "350125", "350128", "350181", "350203", "350205", "350206", "350211", "350212", "350213", "350302", "350303", "350304", "350305", "350322",
        "350402", "350421", "350423", "350424", "350425", "350426"];

    private static string County(int county) => Counties[(county - 1) % Counties.Length];
}

/// <summary>
/// The exact join alone at a given size, its phases, and the machine's floor for the same memory traffic: keys drawn at
/// random (an HMAC's output is indistinguishable from random, so the join sees the same keys without the minutes the
/// keyed hashes take to make), 95 % of the left side also on the right.
/// </summary>
internal static class JoinProfile
{
    public static void Run(int n)
    {
        var inv = CultureInfo.InvariantCulture;
        var rnd = new Random(7);
        var right = new ulong[n];
        for (var i = 0; i < n; i++)
        {
            right[i] = (ulong)rnd.NextInt64() | 1;
        }
        var left = new ulong[n];
        for (var i = 0; i < n; i++)
        {
            left[i] = rnd.Next(100) < 95 ? right[rnd.Next(n)] : (ulong)rnd.NextInt64() | 1;
        }
        ExactJoin.Match(left, right);
        var phases = new double[3];
        var best = new double[3] { double.MaxValue, double.MaxValue, double.MaxValue };
        var total = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var watch = Stopwatch.StartNew();
            ExactJoin.Match(left, right, phases);
            total = Math.Min(total, watch.Elapsed.TotalSeconds);
            for (var p = 0; p < 3; p++)
            {
                best[p] = Math.Min(best[p], phases[p]);
            }
        }
        Console.WriteLine(string.Create(inv, $"join profile\t{n}\t{total:F3}\tpartition left {best[0]:F3} s, partition right {best[1]:F3} s, build + probe {best[2]:F3} s (best of 3 each)"));

        // Floor: the same bytes moved by the simplest loops the machine can run, on 2 cores. A partition pass reads
        // 8 bytes and writes 12 per key; build + probe read 12 per key on each side and write 4 per left row.
        var src = new ulong[n];
        Array.Copy(right, src, n);
        var dst = new ulong[n + n / 2];
        var copyBest = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var watch = Stopwatch.StartNew();
            Parallel.For(0, 2, w =>
            {
                var half = n / 2;
                var from = w * half;
                var to = w == 1 ? n : half;
                for (var i = from; i < to; i++)
                {
                    dst[i + (i >> 1)] = src[i];
                }
            });
            copyBest = Math.Min(copyBest, watch.Elapsed.TotalSeconds);
        }
        var bytes = (double)n * 20;
        Console.WriteLine(string.Create(inv, $"floor: sequential read 8 + write 12 bytes a key, 2 cores\t{n}\t{copyBest:F3}\t{bytes / copyBest / 1e9:F1} GB/s; one partition pass can be no faster than this"));
        var slots = new int[n];
        var randomBest = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var watch = Stopwatch.StartNew();
            Parallel.For(0, 2, w =>
            {
                var half = n / 2;
                var mask = (ulong)(BitOperationsFloor(n) - 1);
                for (var i = w * half; i < (w + 1) * half; i++)
                {
                    slots[(int)(left[i] & mask)] = i;
                }
            });
            randomBest = Math.Min(randomBest, watch.Elapsed.TotalSeconds);
        }
        Console.WriteLine(string.Create(inv, $"floor: one random 4-byte write a key (the result array), 2 cores\t{n}\t{randomBest:F3}\t{n / randomBest / 1e6:F0} M writes/s"));
    }

    private static int BitOperationsFloor(int n) => 1 << System.Numerics.BitOperations.Log2((uint)n);
}

/// <summary>
/// Before and after decision 0036 in one process on the same labelled data: the fuzzy pass and the packed Jaro-Winkler, each run alternately (before, after, before, …) so that a loaded machine weighs on both alike;
/// the answers are checked equal. <c>dotnet Baoxue.ReconBench.dll &lt;rows&gt; compare</c>.
/// </summary>
internal static class Compare
{
    public static void Run(int n)
    {
        var inv = CultureInfo.InvariantCulture;
        void Line(string name, long rows, double seconds, string detail) => Console.WriteLine(string.Create(inv, $"{name}\t{rows}\t{seconds:F3}\t{detail}"));
        var data = Synthetic.Generate(n, seed: 20261201);
        var leftKeys = data.Household.Keys();
        var rightKeys = data.Registry.Keys();

        var exact = ExactJoin.Match(leftKeys, rightKeys);
        var taken = new bool[data.Registry.Count];
        foreach (var r in exact.LeftToRight)
        {
            if (r >= 0)
            {
                taken[r] = true;
            }
        }
        var openLeft = Enumerable.Range(0, data.Household.Count).Where(i => exact.LeftToRight[i] < 0).ToList();
        var openRight = Enumerable.Range(0, data.Registry.Count).Where(i => !taken[i]).ToList();
        var options = new FuzzyOptions();
        long pairsBefore = 0, pairsAfter = 0;
        var (fuzzyBefore, fuzzyAfter) = Alternate(3, () => new FuzzyBefore(options).Match(data.Household, openLeft, data.Registry, openRight, out pairsBefore),
            () => new FuzzyMatcher(options).Match(data.Household, openLeft, data.Registry, openRight, out pairsAfter), out var oldCandidates, out var candidates);
        for (var k = 0; k < candidates.Length; k++)
        {
            if (!oldCandidates[k].SequenceEqual(candidates[k]))
            {
                throw new InvalidOperationException($"The fuzzy candidates of open row {k} differ.");
            }
        }
        Line("fuzzy pass before → after", pairsAfter, fuzzyAfter, string.Create(inv,
            $"before {pairsBefore / fuzzyBefore / 1e6:F1} M pairs/s, after {pairsAfter / fuzzyAfter / 1e6:F1} M pairs/s: {fuzzyBefore / fuzzyAfter:F2}× (best of 3 each, alternating, 2 cores); {openLeft.Count:N0} × {openRight.Count:N0} open rows, candidates equal"));

        // The packed Jaro-Winkler alone on one core, on names drawn from the open rows at random.
        var rnd = new Random(1);
        var a = new ulong[1 << 20];
        var b = new ulong[1 << 20];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = data.Household.Packed[openLeft[rnd.Next(openLeft.Count)]];
            b[i] = data.Registry.Packed[openRight[rnd.Next(openRight.Count)]];
        }
        double sumBefore = 0, sumAfter = 0;
        var (jwBefore, jwAfter) = Alternate(5, () =>
        {
            double sum = 0;
            for (var i = 0; i < a.Length; i++)
            {
                sum += a[i] != 0 && b[i] != 0 ? JaroWinklerBefore.Similarity(a[i], b[i]) : 0;
            }
            return sumBefore = sum;
        }, () =>
        {
            double sum = 0;
            for (var i = 0; i < a.Length; i++)
            {
                sum += a[i] != 0 && b[i] != 0 ? JaroWinkler.Similarity(a[i], b[i]) : 0;
            }
            return sumAfter = sum;
        }, out _, out _);
        if (sumBefore != sumAfter)
        {
            throw new InvalidOperationException("The Jaro-Winkler sums differ.");
        }
        Line("Jaro-Winkler packed before → after", a.Length, jwAfter, string.Create(inv,
            $"before {a.Length / jwBefore / 1e6:F1} M/s, after {a.Length / jwAfter / 1e6:F1} M/s: {jwBefore / jwAfter:F2}× (one core, best of 5 each, alternating); sums equal to the last bit"));
        Line("peak memory MB", n, Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, "working set of this process (data, keys, both passes' candidates)");
    }

    private static (double Before, double After) Alternate<TB, TA>(int rounds, Func<TB> before, Func<TA> after, out TB beforeResult, out TA afterResult)
    {
        beforeResult = before();
        afterResult = after();
        double b = double.MaxValue, a = double.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            beforeResult = before();
            b = Math.Min(b, watch.Elapsed.TotalSeconds);
            watch.Restart();
            afterResult = after();
            a = Math.Min(a, watch.Elapsed.TotalSeconds);
        }
        return (b, a);
    }
}
