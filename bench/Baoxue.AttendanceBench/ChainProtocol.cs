using System.Diagnostics;
using System.Globalization;
using Npgsql;

/// <summary>
/// The audit chain's append as the app speaks it to PostgreSQL, without the app: the statements one submission sent
/// while holding the chain's lock before decision 0030 (lock; head; savepoint; rows with one audit line per row;
/// release; commit) and after it (lock and head in one round trip; rows with one audit line; commit). Run alternately
/// in the same run by the same clients, so the difference is the protocol's, not the machine's load.
/// </summary>
internal static class ChainProtocol
{
    public static async Task<int> RunAsync(string connection, int seconds, int concurrency)
    {
        await using var data = NpgsqlDataSource.Create(connection);
        await using (var setup = data.CreateCommand("""
            DROP TABLE IF EXISTS chain_audit, chain_rows;
            CREATE TABLE chain_audit ("Sequence" bigint PRIMARY KEY, "Hash" text NOT NULL, "After" text);
            CREATE TABLE chain_rows ("Id" uuid PRIMARY KEY, "Payload" text);
            INSERT INTO chain_audit VALUES (0, 'genesis', NULL);
            """))
        {
            await setup.ExecuteNonQueryAsync();
        }
        var results = new List<string>();
        foreach (var round in Enumerable.Range(0, 3))
        {
            foreach (var legacy in new[] { true, false })
            {
                var (count, elapsed) = await LoadAsync(data, legacy, seconds, concurrency);
                results.Add($"{(legacy ? "before" : "after")}{round + 1}\t{(count / elapsed).ToString("F0", CultureInfo.InvariantCulture)}");
            }
        }
        Console.WriteLine(string.Join('\t', results).Replace('\t', ' '));
        return 0;
    }

    private static async Task<(int Count, double Seconds)> LoadAsync(NpgsqlDataSource data, bool legacy, int seconds, int concurrency)
    {
        var count = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            await using var connection = await data.OpenConnectionAsync();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                await using var tx = await connection.BeginTransactionAsync();
                long sequence;
                if (legacy)
                {
                    await Exec(connection, tx, "SELECT pg_advisory_xact_lock(42)");
                    sequence = await Head(connection, tx, "SELECT \"Sequence\" FROM chain_audit ORDER BY \"Sequence\" DESC LIMIT 1");
                    await Exec(connection, tx, "SAVEPOINT s");
                }
                else
                {
                    sequence = await Head(connection, tx, "SELECT pg_advisory_xact_lock(42); SELECT \"Sequence\" FROM chain_audit ORDER BY \"Sequence\" DESC LIMIT 1");
                }
                // The rows: a submission and two marks; the audit lines: one per row and the record's update, or one.
                var lines = legacy ? 4 : 1;
                var sql = "INSERT INTO chain_rows VALUES (gen_random_uuid(), 'submission'), (gen_random_uuid(), 'mark'), (gen_random_uuid(), 'mark');"
                    + string.Concat(Enumerable.Range(1, lines).Select(i => $"INSERT INTO chain_audit VALUES ({sequence + i}, md5(random()::text), repeat('x', {(legacy ? 200 : 700)}));"));
                await Exec(connection, tx, sql);
                if (legacy)
                {
                    await Exec(connection, tx, "RELEASE SAVEPOINT s");
                }
                await tx.CommitAsync();
                Interlocked.Increment(ref count);
            }
        }));
        return (count, clock.Elapsed.TotalSeconds);
    }

    private static async Task Exec(NpgsqlConnection connection, NpgsqlTransaction tx, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<long> Head(NpgsqlConnection connection, NpgsqlTransaction tx, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await using var reader = await cmd.ExecuteReaderAsync();
        // With the lock in the same command, the head is the second result.
        if (sql.Contains(';', StringComparison.Ordinal))
        {
            await reader.NextResultAsync();
        }
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }
}
