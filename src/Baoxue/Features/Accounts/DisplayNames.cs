using Baoxue.Data;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Accounts;

/// <summary>
/// Records keep who acted by user name (stable, unique, what the audit chain hashes); people are shown by their
/// display name (张三, not school.admin). Looked up across jurisdictions: a head teacher sees the name of the
/// registrar who approved their student's transfer, though not that account. A name no account has (the system,
/// a deleted account) is shown as stored.
/// </summary>
public sealed class DisplayNames(IReadOnlyDictionary<string, string> names)
{
    public static readonly DisplayNames None = new(new Dictionary<string, string>());

    public string Of(string? userName) => userName is null ? "" : names.GetValueOrDefault(userName) ?? userName;

    public static async Task<DisplayNames> LoadAsync(BaoxueDb db, IEnumerable<string?> userNames, CancellationToken ct = default)
    {
        var wanted = userNames.OfType<string>().Where(n => n.Length > 0).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return None;
        }
        var found = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => wanted.Contains(u.UserName!))
            .Select(u => new { u.UserName, u.DisplayName }).ToListAsync(ct);
        return new DisplayNames(found.ToDictionary(u => u.UserName!, u => u.DisplayName, StringComparer.Ordinal));
    }
}
