using Baoxue.Data;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Casework;

/// <summary>
/// 〔年份〕N号 without gaps: the unit's counter is advanced inside the transaction that records the notice, so a notice
/// that fails to save gives its number back (the transaction rolls back), and two at once queue on the counter's row
/// (PostgreSQL row lock; SQLite's single writer).
/// </summary>
public static class DocumentNumbers
{
    /// <summary>The next number; call inside a transaction that also saves the notice.</summary>
    public static async Task<int> NextAsync(BaoxueDb db, string issuerPath, int year, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Document numbers are allocated inside the transaction that records the document.");
        }
        await db.Database.ExecuteSqlAsync($"INSERT INTO \"DocumentSequences\" (\"IssuerPath\", \"Year\", \"LastNumber\") VALUES ({issuerPath}, {year}, 0) ON CONFLICT DO NOTHING", ct);
        var numbers = await db.Database.SqlQuery<int>($"UPDATE \"DocumentSequences\" SET \"LastNumber\" = \"LastNumber\" + 1 WHERE \"IssuerPath\" = {issuerPath} AND \"Year\" = {year} RETURNING \"LastNumber\" AS \"Value\"")
            .ToListAsync(ct);
        return numbers.Single();
    }
}
