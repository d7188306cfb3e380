using System.Text.RegularExpressions;
using Baoxue.Infrastructure.Time;
using Microsoft.Extensions.Time.Testing;

namespace Baoxue.Tests.Infrastructure;

/// <summary>Issue 6, item 14: one county clock, from a TimeProvider and the configured zone; nobody adds eight hours by hand.</summary>
public sealed partial class CountyClockTests
{
    [Fact]
    public void At_23_30_UTC_it_is_already_tomorrow_in_the_county()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 8, 31, 23, 30, 0, TimeSpan.Zero));
        var clock = new CountyClock(time, "Asia/Shanghai");

        Assert.Equal(new DateOnly(2026, 9, 1), clock.Today);
        Assert.Equal(new DateTime(2026, 9, 1, 7, 30, 0), clock.LocalTime(clock.UtcNow));
        Assert.Equal(new DateTime(2026, 8, 31, 16, 0, 0, DateTimeKind.Utc), clock.StartOfDayUtc(new DateOnly(2026, 9, 1)));

        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(new DateOnly(2026, 9, 2), clock.Today);
    }

    [Fact]
    public void The_zone_is_the_setting_and_the_ends_of_the_calendar_do_not_throw()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 8, 31, 23, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 8, 31), new CountyClock(time, "UTC").Today);
        Assert.Equal(new DateOnly(2026, 8, 31), new CountyClock(time, "America/New_York").Today);
        var clock = new CountyClock(time);
        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), clock.LocalTimeZone);
        Assert.Equal(DateTime.MaxValue, clock.StartOfDayUtc(DateOnly.MaxValue));
        Assert.Equal(DateTime.MinValue, clock.StartOfDayUtc(DateOnly.MinValue));
    }

    /// <summary>The guard for the whole class of bug: a local "today" made by hand anywhere in the application.</summary>
    [Fact]
    public void No_code_makes_its_own_today()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Baoxue.slnx")))
        {
            root = Path.GetDirectoryName(root)!;
        }
        var offenders = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(root, f), Line: i + 1, Text: line)))
            .Where(l => HandMadeClock().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "use CountyClock (Today, DateOf, LocalTime) instead:\n" + string.Join("\n", offenders));
    }

    // .AddHours(8) and friends, DateTime.Now/Today/UtcNow, DateTimeOffset.Now/UtcNow.
    [GeneratedRegex(@"\.AddHours\(\s*8\s*\)|\bDateTime(Offset)?\.(Now|Today|UtcNow)\b")]
    private static partial Regex HandMadeClock();
}
