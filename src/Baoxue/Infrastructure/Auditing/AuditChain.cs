using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Baoxue.Infrastructure.Auditing;

/// <summary>Appends to and verifies the hash chain of the audit log.</summary>
public static class AuditChain
{
    // Any number of app servers may write; the chain must stay a line, so appends are serialised.
    private const long PostgresLockKey = 0x6261_6F78_7565; // "baoxue"

    internal static async Task AppendAsync(BaoxueDb db, List<AuditEntry> lines, CancellationToken ct)
    {
        var (sequence, previous) = db.Database.IsNpgsql() ? await LockAndReadHeadAsync(db, ct) : await ReadHeadAsync(db, ct);
        foreach (var line in lines)
        {
            // PostgreSQL keeps microseconds; hash what will be read back.
            line.At = new DateTime(line.At.Ticks - line.At.Ticks % 10, DateTimeKind.Utc);
            line.Seal(++sequence, previous);
            previous = line.Hash;
            db.AuditEntries.Add(line);
        }
    }

    // SQLite: the transaction was begun IMMEDIATE, which already holds the database's write lock.
    private static async Task<(long Sequence, string Hash)> ReadHeadAsync(BaoxueDb db, CancellationToken ct)
    {
        var last = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking()
            .OrderByDescending(a => a.Sequence)
            .Select(a => new { a.Sequence, a.Hash })
            .FirstOrDefaultAsync(ct);
        return (last?.Sequence ?? 0, last?.Hash ?? AuditEntry.GenesisHash);
    }

    /// <summary>
    /// Takes the chain's lock and reads its head in one round trip: every round trip made while the lock is held is
    /// paid by every writer queued behind it (docs/benchmarks.md, attendance profile). Two statements, so in READ
    /// COMMITTED the read takes its snapshot after the lock is granted and sees the previous holder's commit.
    /// </summary>
    private static async Task<(long Sequence, string Hash)> LockAndReadHeadAsync(BaoxueDb db, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = $"SELECT pg_advisory_xact_lock({PostgresLockKey}); SELECT \"Sequence\", \"Hash\" FROM \"AuditEntries\" ORDER BY \"Sequence\" DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetString(1)) : (0, AuditEntry.GenesisHash);
    }

    /// <param name="HeadProblem">Set when the chain holds together but the signed checkpoint's line is gone: the newest lines were removed.</param>
    public sealed record Verdict(long Checked, long? FirstBrokenSequence, string? HeadProblem = null);

    /// <summary>Recomputes every line's hash in order; reports the first line that does not fit.</summary>
    public static Task<Verdict> VerifyAsync(BaoxueDb db, CancellationToken ct = default) => VerifyAsync(db, null, ct);

    /// <summary>As above, then checks the chain still reaches the head signed in the checkpoint file.</summary>
    public static async Task<Verdict> VerifyAsync(BaoxueDb db, AuditCheckpoint? checkpoint, CancellationToken ct = default)
    {
        var verdict = await VerifyChainAsync(db, ct);
        if (verdict.FirstBrokenSequence is null && checkpoint is not null && await checkpoint.ProblemAsync(db, checkpoint.Read(), ct) is { } problem)
        {
            return new Verdict(verdict.Checked, verdict.Checked + 1, problem);
        }
        return verdict;
    }

    private static async Task<Verdict> VerifyChainAsync(BaoxueDb db, CancellationToken ct)
    {
        var previous = AuditEntry.GenesisHash;
        long expected = 0, count = 0;
        await foreach (var line in db.AuditEntries.IgnoreQueryFilters().AsNoTracking().OrderBy(a => a.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            count++;
            if (line.Sequence != ++expected || line.PreviousHash != previous || line.ComputeHash() != line.Hash)
            {
                return new Verdict(count, line.Sequence);
            }
            previous = line.Hash;
        }
        return new Verdict(count, null);
    }
}
