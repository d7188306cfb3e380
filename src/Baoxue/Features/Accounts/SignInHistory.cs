using System.Security.Claims;
using System.Text.Json;
using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Accounts;

/// <summary>A user's recent sign-ins, read from the audit log (which records every sign-in and failed attempt): no second store.</summary>
public static class SignInHistory
{
    public sealed record Entry(DateTime At, bool Succeeded, string? IpAddress, string? Reason);

    public const int Shown = 20;

    public static async Task<List<Entry>> RecentAsync(BaoxueDb db, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null)
        {
            return [];
        }
        // Failed attempts by an unknown name carry no account; those on this account carry its id.
        var rows = await db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == nameof(AppUser) && a.EntityId == id && (a.Action == AuditAction.LoginSucceeded || a.Action == AuditAction.LoginFailed))
            .OrderByDescending(a => a.Sequence).Take(Shown)
            .Select(a => new { a.At, a.Action, a.IpAddress, a.After }).ToListAsync(ct);
        return [.. rows.Select(r => new Entry(r.At, r.Action == AuditAction.LoginSucceeded, r.IpAddress, ReasonOf(r.After)))];
    }

    private static string? ReasonOf(string? detail)
    {
        if (string.IsNullOrEmpty(detail))
        {
            return null;
        }
        try
        {
            using var json = JsonDocument.Parse(detail);
            return json.RootElement.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
