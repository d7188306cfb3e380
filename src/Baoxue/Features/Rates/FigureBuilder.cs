using System.Diagnostics;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Baoxue.Features.Rates;

/// <summary>
/// Recomputes every prepared figure of the deployment from the registry and the ledger, and freezes snapshots
/// (decision 0027). The database groups the registry (millions of rows) by class path; only the grouped counts and the
/// open ledger (a few percent of the children) come into memory, where each count is added to every place above it.
/// It runs as the system (every county), whoever asked: what a user reads is limited when reading.
/// </summary>
public sealed class FigureBuilder(SystemDb system, IOptions<LedgerOptions> ledgerOptions, ILogger<FigureBuilder> log)
{
    /// <summary>Places down to the school (and village): province 1, city 2, county 3, township 4, school or village 5.</summary>
    public const int MaxDepth = 5;

    /// <summary>Computes a new set of figures of the given kind. A new current set replaces the older ones.</summary>
    public async Task<FigureSet> BuildAsync(FigureSetKind kind, string by, string? note = null, int? month = null, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        await using var db = system.Open(by);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        var counts = await CountAsync(db, ct);
        var set = new FigureSet { Kind = kind, AsOf = db.County.Today, Month = month, TakenAt = db.County.UtcNow, TakenBy = by, Note = note };
        db.FigureSets.Add(set);
        await db.SaveChangesAsync(ct);
        await WriteAsync(db, set.Id, counts, ct);
        set.IsComplete = true;
        set.Rows = counts.Count;
        set.Milliseconds = (int)watch.ElapsedMilliseconds;
        await db.SaveChangesAsync(ct);
        if (kind == FigureSetKind.Current)
        {
            // The newest two stay: a reader that just chose the previous set (or a recompute finishing out of order) still finds it.
            var older = await db.FigureSets.Where(s => s.Kind == FigureSetKind.Current).OrderByDescending(s => s.TakenAt).Skip(2).Select(s => s.Id).ToListAsync(ct);
            foreach (var id in older)
            {
                await db.FigureRows.Where(r => r.SetId == id).ExecuteDeleteAsync(ct);
                await db.FigureSets.Where(s => s.Id == id).ExecuteDeleteAsync(ct);
            }
        }
        log.LogInformation("Figures {Kind} by {By}: {Rows} rows in {Ms} ms", kind, by, counts.Count, set.Milliseconds);
        return set;
    }

    /// <summary>The month's snapshot (the month that ended), once: a second server, or a second run, finds it taken.</summary>
    public async Task<FigureSet> MonthlyAsync(DateOnly today, CancellationToken ct = default)
    {
        var closing = today.AddMonths(-1);
        var month = closing.Year * 100 + closing.Month;
        await using (var db = system.Open("rates"))
        {
            if (await db.FigureSets.FirstOrDefaultAsync(s => s.Month == month, ct) is { } taken)
            {
                return taken;
            }
        }
        try
        {
            return await BuildAsync(FigureSetKind.Monthly, "system", null, month, ct);
        }
        catch (DbUpdateException e) when (Infrastructure.Integrity.Saving.IsUniqueViolation(e))
        {
            await using var db = system.Open("rates");
            return await db.FigureSets.FirstAsync(s => s.Month == month, ct);
        }
    }

    /// <summary>The paths of the places a record at <paramref name="path"/> counts in: each level from the province down to the school.</summary>
    public static IEnumerable<string> Places(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            yield break;
        }
        var end = -1;
        for (var depth = 1; depth <= MaxDepth; depth++)
        {
            end = path.IndexOf('/', end + 1);
            if (end < 0)
            {
                yield break;
            }
            yield return path[..(end + 1)];
        }
    }

    /// <summary>The depth of a place's path (segments).</summary>
    public static int Depth(string path) => path.Count(c => c == '/');

    internal sealed class Counter
    {
        public readonly Dictionary<(string Path, string Measure, string Dimension), long> Values = [];

        public void Add(IEnumerable<string> places, string measure, string dimension, long n = 1)
        {
            foreach (var p in places)
            {
                var key = (p, measure, dimension);
                Values[key] = Values.GetValueOrDefault(key) + n;
            }
        }
    }

    private async Task<Dictionary<(string Path, string Measure, string Dimension), long>> CountAsync(BaoxueDb db, CancellationToken ct)
    {
        var c = new Counter();
        // Registry: in school, by class path and grade (the database does the millions).
        var enrolled = await db.Students.IgnoreQueryFilters().AsNoTracking().Where(s => s.Status == StudentStatus.InSchool)
            .GroupBy(s => new { s.Path, s.Grade }).Select(g => new { g.Key.Path, g.Key.Grade, N = g.Count() }).ToListAsync(ct);
        foreach (var e in enrolled)
        {
            var places = Places(e.Path).ToList();
            c.Add(places, Measures.Enrolled, "", e.N);
            c.Add(places, Measures.Enrolled, Measures.Dim(("grade", e.Grade)), e.N);
        }
        var groups = await db.GroupTags.IgnoreQueryFilters().AsNoTracking().Where(t => t.EndedOn == null && t.Student!.Status == StudentStatus.InSchool)
            .GroupBy(t => new { t.Student!.Path, t.Kind }).Select(g => new { g.Key.Path, g.Key.Kind, N = g.Select(t => t.StudentId).Distinct().Count() }).ToListAsync(ct);
        foreach (var g in groups)
        {
            c.Add(Places(g.Path), Measures.EnrolledGroup, Measures.Dim(("group", g.Kind)), g.N);
        }
        var types = Measures.DisabilityTypes.ToList();
        var disabled = await db.GroupTags.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.EndedOn == null && t.Kind == GroupKind.Disabled && t.DisabilityType != null && types.Contains(t.DisabilityType) && t.Student!.Status == StudentStatus.InSchool)
            .GroupBy(t => new { t.Student!.Path, t.DisabilityType }).Select(g => new { g.Key.Path, g.Key.DisabilityType, N = g.Select(t => t.StudentId).Distinct().Count() }).ToListAsync(ct);
        foreach (var d in disabled)
        {
            c.Add(Places(d.Path), Measures.EnrolledDisabled, Measures.Dim(("type", d.DisabilityType!)), d.N);
        }

        // Ledger: open entries, each counted under its school's places and the places it lives in (once each).
        var open = await db.LedgerEntries.IgnoreQueryFilters().AsNoTracking().Where(e => e.State != LedgerEntryState.Closed)
            .Select(e => new { e.Id, e.Path, e.ResidencePath, e.List, e.State, e.Grade, e.Reason, CaseOpen = e.Case != null && e.Case.State != LedgerCaseState.Closed })
            .ToListAsync(ct);
        var tags = (await db.LedgerEntries.IgnoreQueryFilters().AsNoTracking().Where(e => e.State != LedgerEntryState.Closed && e.StudentId != null)
            .SelectMany(e => e.Student!.Tags.Where(t => t.EndedOn == null), (e, t) => new { e.Id, t.Kind, t.DisabilityType }).ToListAsync(ct))
            .ToLookup(t => t.Id);
        foreach (var e in open)
        {
            var places = PlacesOf(e.Path, e.ResidencePath);
            var list = ("list", (object)e.List);
            c.Add(places, Measures.Ledger, Measures.Dim(list));
            c.Add(places, Measures.Ledger, Measures.Dim(list, ("state", e.State)));
            if (e.Grade is { } grade)
            {
                c.Add(places, Measures.Ledger, Measures.Dim(list, ("grade", grade)));
            }
            if (e.Reason.Length > 0 && e.Reason.Length <= RatesModel.DimensionLength - 20)
            {
                c.Add(places, Measures.Ledger, Measures.Dim(list, ("reason", e.Reason)));
            }
            foreach (var kind in tags[e.Id].Select(t => t.Kind).Distinct())
            {
                c.Add(places, Measures.Ledger, Measures.Dim(list, ("group", kind)));
            }
            if (e.State == LedgerEntryState.Confirmed)
            {
                if (e.Grade is { } g)
                {
                    c.Add(places, Measures.Confirmed, Measures.Dim(("grade", g)));
                }
                foreach (var type in tags[e.Id].Where(t => t.Kind == GroupKind.Disabled && t.DisabilityType != null && types.Contains(t.DisabilityType)).Select(t => t.DisabilityType!).Distinct())
                {
                    c.Add(places, Measures.ConfirmedDisabled, Measures.Dim(("type", type)));
                }
            }
            if (e.CaseOpen)
            {
                c.Add(places, Measures.Cases, "");
            }
        }

        // Overdue steps, by the ledger's own rule of what is waiting and since when (the list's overdue filter reads the same).
        foreach (var (i, step) in await LedgerCounts.OverdueAsync(db, ledgerOptions.Value, ct))
        {
            var places = PlacesOf(i.Path, i.ResidencePath);
            c.Add(places, Measures.Overdue, "");
            c.Add(places, Measures.Overdue, Measures.Dim(("step", Measures.StepName(step))));
        }

        // The funnel, over every child ever put on the suspected or dropout lists: each stage by the list's own condition.
        foreach (var stage in Enum.GetValues<LedgerFunnelStage>())
        {
            var reached = await LedgerQueries.InStage(db.LedgerEntries.IgnoreQueryFilters().AsNoTracking(), stage)
                .GroupBy(e => new { e.Path, e.ResidencePath }).Select(g => new { g.Key.Path, g.Key.ResidencePath, N = g.Count() }).ToListAsync(ct);
            foreach (var f in reached)
            {
                c.Add(PlacesOf(f.Path, f.ResidencePath), Measures.Funnel, Measures.Dim(("stage", Measures.StageName(stage))), f.N);
            }
        }

        // What reports read from a snapshot (decision 0034): the grade table's counts and the months' movement.
        await Reporting.FigureCounter.CountAsync(db, c, ct);
        return c.Values;
    }

    private static List<string> PlacesOf(string path, string? residence) => [.. Places(path).Union(Places(residence))];

    private static async Task WriteAsync(BaoxueDb db, Guid setId, Dictionary<(string Path, string Measure, string Dimension), long> rows, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            if (connection is NpgsqlConnection npgsql)
            {
                await using var copy = await npgsql.BeginBinaryImportAsync("COPY \"FigureRows\" (\"SetId\", \"Path\", \"Depth\", \"Measure\", \"Dimension\", \"Value\") FROM STDIN (FORMAT BINARY)", ct);
                foreach (var ((path, measure, dimension), value) in rows)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(setId, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(path, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(Depth(path), NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(measure, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(dimension, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(value, NpgsqlDbType.Bigint, ct);
                }
                await copy.CompleteAsync(ct);
                return;
            }
            await using var tx = await connection.BeginTransactionAsync(ct);
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO \"FigureRows\" (\"SetId\", \"Path\", \"Depth\", \"Measure\", \"Dimension\", \"Value\") VALUES ($s, $p, $d, $m, $x, $v)";
            var ps = new[] { "$s", "$p", "$d", "$m", "$x", "$v" }.Select(n =>
            {
                var p = cmd.CreateParameter();
                p.ParameterName = n;
                cmd.Parameters.Add(p);
                return p;
            }).ToArray();
            // EF stores a Guid on SQLite as upper-case text; the rows must match the set's key as EF writes it.
            ps[0].Value = setId.ToString().ToUpperInvariant();
            foreach (var ((path, measure, dimension), value) in rows)
            {
                ps[1].Value = path;
                ps[2].Value = Depth(path);
                ps[3].Value = measure;
                ps[4].Value = dimension;
                ps[5].Value = value;
                await cmd.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
