using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Data;

/// <summary>
/// Gives students stored before Students.NameKey existed (migration M0006) their pinyin sort key. Every write path
/// sets the key with the name (<see cref="Student.Name"/>), so after the first start this finds nothing to do.
/// </summary>
public static class NameKeys
{
    private const int Batch = 2_000;

    public static async Task<int> FillMissingAsync(BaoxueDb db, CancellationToken ct = default)
    {
        var filled = 0;
        while (true)
        {
            var missing = await db.Students.IgnoreQueryFilters().AsNoTracking()
                .Where(s => s.NameKey == "" && s.Name != "")
                .OrderBy(s => s.Id) // which rows come first does not matter, but a batch without an order is flagged
                .Select(s => new { s.Id, s.Name })
                .Take(Batch).ToListAsync(ct);
            if (missing.Count == 0)
            {
                return filled;
            }
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            foreach (var s in missing)
            {
                var key = PinyinOrder.Key(s.Name);
                await db.Students.IgnoreQueryFilters().Where(x => x.Id == s.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.NameKey, key), ct);
            }
            await transaction.CommitAsync(ct);
            filled += missing.Count;
        }
    }
}
