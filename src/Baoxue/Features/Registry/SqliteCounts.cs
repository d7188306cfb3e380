using System.Data.Common;
using System.Globalization;
using System.Text;
using Baoxue.Data;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Registry;

/// <summary>
/// The student list's exact total on SQLite, counted once per (database, query, parameters) and reused until the audit
/// log's head moves (decision 0032). SQLite has no planner estimate, and counting a county of 150,000 children took
/// ~100 ms on every page and every client; every change to students, tags, classes or teaching assignments appends an
/// audit line in its own transaction (imports too), so an unchanged head means an unchanged count. The key is the
/// count's own SQL with its parameter values, so the user's jurisdiction, taught classes and disclosure are part of it.
/// </summary>
internal static class SqliteCounts
{
    private static readonly MemoryCache Cache = new(new MemoryCacheOptions { SizeLimit = 2_000 });

    public static async Task<int> CountAsync(BaoxueDb db, IQueryable<Guid> ids, CancellationToken ct)
    {
        // Inside a transaction the count may see the caller's own unsaved work; it is neither read from nor kept.
        if (db.Database.CurrentTransaction is not null)
        {
            return await ids.CountAsync(ct);
        }
        // The head is read before counting: a change committed in between leaves a newer head, never an older count.
        var head = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking()
            .OrderByDescending(a => a.Sequence).Select(a => a.Hash).FirstOrDefaultAsync(ct) ?? "";
        var key = Key(db, ids);
        if (Cache.TryGetValue(key, out Counted? hit) && hit!.Head == head)
        {
            return hit.Count;
        }
        var count = await ids.CountAsync(ct);
        Cache.Set(key, new Counted(head, count), new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return count;
    }

    private sealed record Counted(string Head, int Count);

    private static string Key(BaoxueDb db, IQueryable<Guid> ids)
    {
        using var command = ids.CreateDbCommand();
        var key = new StringBuilder(db.Database.GetConnectionString()).Append('\n').Append(command.CommandText);
        foreach (DbParameter p in command.Parameters)
        {
            key.Append('\n').Append(p.ParameterName).Append('=').Append(Convert.ToString(p.Value, CultureInfo.InvariantCulture));
        }
        return key.ToString();
    }
}
