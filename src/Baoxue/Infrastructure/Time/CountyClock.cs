namespace Baoxue.Infrastructure.Time;

/// <summary>
/// The county's clock: the time from a <see cref="TimeProvider"/> (the system's, or a test's fake) and the day in the
/// county's time zone (setting <c>Baoxue:TimeZone</c>, Asia/Shanghai by default). Every "today", every date of a
/// stored UTC time and every local time shown comes from here, so a request at 23:30 UTC is already tomorrow in
/// 罗源 and no code adds eight hours by hand. It is itself a <see cref="TimeProvider"/> whose local zone is the
/// county's, so code that only needs "now" keeps asking a TimeProvider.
/// </summary>
public sealed class CountyClock : TimeProvider
{
    public const string DefaultZone = "Asia/Shanghai";
    private readonly TimeProvider _time;

    public CountyClock(TimeProvider time, string? zoneId = null)
    {
        _time = time;
        Zone = TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(zoneId) ? DefaultZone : zoneId);
    }

    public TimeZoneInfo Zone { get; }

    public override TimeZoneInfo LocalTimeZone => Zone;

    public override DateTimeOffset GetUtcNow() => _time.GetUtcNow();

    public override long GetTimestamp() => _time.GetTimestamp();

    public override long TimestampFrequency => _time.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _time.CreateTimer(callback, state, dueTime, period);

    /// <summary>Now, as stored (UTC).</summary>
    public DateTime UtcNow => GetUtcNow().UtcDateTime;

    /// <summary>Today in the county.</summary>
    public DateOnly Today => DateOf(UtcNow);

    /// <summary>The county's date of a stored UTC time.</summary>
    public DateOnly DateOf(DateTime utc) => DateOnly.FromDateTime(LocalTime(utc));

    /// <summary>The county's wall-clock time of a stored UTC time.</summary>
    public DateTime LocalTime(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc.Kind == DateTimeKind.Utc ? utc : DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>The UTC instant a county day starts; days outside DateTime's range are clamped rather than thrown.</summary>
    public DateTime StartOfDayUtc(DateOnly day)
    {
        if (day >= DateOnly.MaxValue.AddDays(-1))
        {
            return DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc);
        }
        if (day <= DateOnly.MinValue.AddDays(1))
        {
            return DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);
        }
        return TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), Zone);
    }
}

public static class CountyClockSetup
{
    /// <summary>One clock for the whole app: <see cref="CountyClock"/>, also answering for <see cref="TimeProvider"/>.</summary>
    public static void AddCountyClock(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new CountyClock(TimeProvider.System, builder.Configuration["Baoxue:TimeZone"]));
        builder.Services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<CountyClock>());
    }
}
