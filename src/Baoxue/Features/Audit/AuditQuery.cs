using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Paging;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Audit;

/// <summary>Who changed what: the audit log filtered by person, record and time, within the user's jurisdiction.</summary>
public static class AuditQuery
{
    public sealed record Filter(string? User = null, string? EntityType = null, string? EntityId = null, AuditAction? Action = null, DateOnly? From = null, DateOnly? To = null);

    public static IQueryable<AuditEntry> Apply(BaoxueDb db, Filter f, TimeZoneInfo zone)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(f.User))
        {
            query = query.Where(a => a.UserName.Contains(f.User.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(f.EntityType))
        {
            query = query.Where(a => a.EntityType == f.EntityType.Trim());
        }
        if (!string.IsNullOrWhiteSpace(f.EntityId))
        {
            query = query.Where(a => a.EntityId == f.EntityId.Trim());
        }
        if (f.Action is { } action)
        {
            query = query.Where(a => a.Action == action);
        }
        if (f.From is { } from)
        {
            var start = TimeZoneInfo.ConvertTimeToUtc(from.ToDateTime(TimeOnly.MinValue), zone);
            query = query.Where(a => a.At >= start);
        }
        if (f.To is { } to)
        {
            var end = TimeZoneInfo.ConvertTimeToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);
            query = query.Where(a => a.At < end);
        }
        return query.OrderByDescending(a => a.Sequence);
    }

    /// <summary>One page of the log, newest first, with how many lines match: the same read for /audit and GET /api/v1/audit.</summary>
    public static async Task<PagedResult<AuditEntry>> PageAsync(BaoxueDb db, Filter f, TimeZoneInfo zone, PageRequest page, CancellationToken ct = default)
    {
        var query = Apply(db, f, zone);
        var total = await query.CountAsync(ct);
        return page.Of(await query.Skip(page.Skip).Take(page.PageSize).ToListAsync(ct), total);
    }
}

/// <summary>The county's clock: audit times and day boundaries are in China Standard Time (setting <c>Baoxue:TimeZone</c>).</summary>
public sealed class LocalZone(IConfiguration configuration)
{
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(configuration["Baoxue:TimeZone"] ?? "Asia/Shanghai");
}
