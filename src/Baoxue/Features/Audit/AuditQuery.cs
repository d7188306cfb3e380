using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Audit;

/// <summary>Who changed what: the audit log filtered by person, record and time, within the user's jurisdiction.</summary>
public static class AuditQuery
{
    public sealed record Filter(string? User = null, string? EntityType = null, string? EntityId = null, AuditAction? Action = null, DateOnly? From = null, DateOnly? To = null, int Page = 1);

    public const int PageSize = 50;

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

    public static Task<List<AuditEntry>> PageAsync(BaoxueDb db, Filter f, TimeZoneInfo zone, CancellationToken ct = default) =>
        Apply(db, f, zone).Skip((Math.Max(1, f.Page) - 1) * PageSize).Take(PageSize).ToListAsync(ct);
}

/// <summary>The county's clock: audit times and day boundaries are in China Standard Time (setting <c>Baoxue:TimeZone</c>).</summary>
public sealed class LocalZone(IConfiguration configuration)
{
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(configuration["Baoxue:TimeZone"] ?? "Asia/Shanghai");
}
