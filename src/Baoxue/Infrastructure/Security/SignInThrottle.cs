using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Baoxue.Infrastructure.Security;

/// <summary>
/// Lockout per account AND address: after <c>Security:MaxFailedAttempts</c> failures from one address, that address
/// may not try that account for <c>Security:LockoutMinutes</c>. A stranger can no longer lock an administrator out
/// (their own address keeps working); a guesser still gets five tries per address per lockout, and the per-address
/// rate limit caps how many accounts one address can try. Held in memory: each app server counts on its own,
/// and a restart forgets (docs/security.md).
/// </summary>
public sealed class SignInThrottle(IHttpContextAccessor http, IOptions<SecurityOptions> options, TimeProvider clock)
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset Since;
        public DateTimeOffset? LockedUntil;
    }

    private TimeSpan Window => TimeSpan.FromMinutes(Math.Max(1, options.Value.LockoutMinutes));

    private string Key(string userName) =>
        userName.Trim().ToUpperInvariant() + "|" + (http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    public bool IsLockedOut(string userName)
    {
        if (!_entries.TryGetValue(Key(userName), out var entry))
        {
            return false;
        }
        lock (entry)
        {
            return entry.LockedUntil > clock.GetUtcNow();
        }
    }

    public void Failed(string userName)
    {
        var now = clock.GetUtcNow();
        if (_entries.Count > MaxEntries)
        {
            Prune(now);
        }
        var entry = _entries.GetOrAdd(Key(userName), _ => new Entry { Since = now });
        lock (entry)
        {
            if (now - entry.Since > Window && entry.LockedUntil is null)
            {
                entry.Failures = 0;
                entry.Since = now;
            }
            if (entry.LockedUntil <= now)
            {
                entry.LockedUntil = null;
                entry.Failures = 0;
                entry.Since = now;
            }
            if (++entry.Failures >= Math.Max(1, options.Value.MaxFailedAttempts))
            {
                entry.LockedUntil = now + Window;
            }
        }
    }

    public void Succeeded(string userName) => _entries.TryRemove(Key(userName), out _);

    /// <summary>An administrator's unlock clears the account's lockouts from every address.</summary>
    public void Unlock(string userName)
    {
        var prefix = userName.Trim().ToUpperInvariant() + "|";
        foreach (var key in _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            _entries.TryRemove(key, out _);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.LockedUntil is null ? now - entry.Since > Window : entry.LockedUntil <= now)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }
}
