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
            var start = StartOfDayUtc(from, zone);
            query = query.Where(a => a.At >= start);
        }
        if (f.To is { } to)
        {
            var end = to >= DateOnly.MaxValue.AddDays(-2) ? DateTime.MaxValue : StartOfDayUtc(to.AddDays(1), zone);
            query = query.Where(a => a.At < end);
        }
        return query.OrderByDescending(a => a.Sequence);
    }

    // The first and last days DateTime can hold have no UTC start in an eastern zone: clamp instead of throwing.
    private static DateTime StartOfDayUtc(DateOnly day, TimeZoneInfo zone) =>
        day <= DateOnly.MinValue.AddDays(1) ? DateTime.MinValue
        : day >= DateOnly.MaxValue.AddDays(-1) ? DateTime.MaxValue
        : TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), zone);

    /// <summary>One page of the log, newest first, with how many lines match: the same read for /audit and GET /api/v1/audit.</summary>
    public static async Task<PagedResult<AuditEntry>> PageAsync(BaoxueDb db, Filter f, TimeZoneInfo zone, PageRequest page, CancellationToken ct = default)
    {
        var query = Apply(db, f, zone);
        var total = await query.CountAsync(ct);
        return page.Of(await query.Skip(page.Skip).Take(page.PageSize).ToListAsync(ct), total);
    }
}

/// <summary>The county's time zone, as the <see cref="Infrastructure.Time.CountyClock"/> has it (kept for the pages that ask for the zone alone).</summary>
public sealed class LocalZone(Infrastructure.Time.CountyClock clock)
{
    public TimeZoneInfo Zone => clock.Zone;
}
