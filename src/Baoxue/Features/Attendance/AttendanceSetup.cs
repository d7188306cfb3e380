using Baoxue.Features.Home;
using Baoxue.Infrastructure.Time;
using Quartz;

namespace Baoxue.Features.Attendance;

/// <summary>
/// The daily absence-clock run as a Quartz.NET job: on PostgreSQL a clustered ADO job store (tables in the "quartz"
/// schema, made by migration M0013), so of several app servers exactly one fires each day's trigger; on SQLite (one
/// server) the in-memory store. The run itself is idempotent besides (<see cref="ClockRunner"/>).
/// </summary>
[DisallowConcurrentExecution]
public sealed class AbsenceClockJob(ClockRunner runner, CountyClock clock) : IJob
{
    public static readonly JobKey Key = new("absence-clock", "attendance");
    public const string DateKey = "date";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var date = context.MergedJobDataMap.TryGetValue(DateKey, out var given) && DateOnly.TryParse(given as string, System.Globalization.CultureInfo.InvariantCulture, out var d)
            ? d
            : clock.Today;
        await runner.RunAsync(date, context.Scheduler.SchedulerInstanceId, cancellationToken);
    }
}

public static class AttendanceSetup
{
    public static void AddAttendance(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<AttendanceOptions>(builder.Configuration.GetSection("Attendance"));
        builder.Services.AddScoped<ClockRunner>();
        builder.Services.AddScoped<ITaskSource, AttendanceTasks>();
        var options = builder.Configuration.GetSection("Attendance").Get<AttendanceOptions>() ?? new AttendanceOptions();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(builder.Configuration["Baoxue:TimeZone"]) ? CountyClock.DefaultZone : builder.Configuration["Baoxue:TimeZone"]!);
        var at = TimeOnly.TryParse(options.ClockRunAt, System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : new TimeOnly(18, 0);
        var postgres = string.Equals(builder.Configuration["Database:Provider"], Data.DatabaseSetup.Postgres, StringComparison.OrdinalIgnoreCase);
        var connection = builder.Configuration.GetConnectionString("Baoxue");
        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "baoxue";
                o.GenerateInstanceId = true;
            });
            q.AddJob<AbsenceClockJob>(j => j.WithIdentity(AbsenceClockJob.Key).StoreDurably(true).DisallowConcurrentExecution(true).WithDescription("Daily absence clock run"));
            q.AddTrigger(tr => tr.ForJob(AbsenceClockJob.Key).WithIdentity("absence-clock-daily", "attendance")
                .WithSchedule(CronScheduleBuilder.Create($"0 {at.Minute} {at.Hour} * * ?").InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
            if (postgres)
            {
                q.UsePersistentStore(s =>
                {
                    s.UseDataSource(d =>
                    {
                        d.Provider = DataSourceOptions.Providers.Npgsql;
                        d.ConnectionString = connection!;
                    });
                    s.ConfigureStore(a =>
                    {
                        a.TablePrefix = Data.Migrations.QuartzSchema.TablePrefix;
                        a.SchemaProvisioning = SchemaProvisioning.Validate;
                    });
                    s.UseClustering(c =>
                    {
                        c.Enabled = true;
                        c.CheckinInterval = TimeSpan.FromSeconds(10);
                    });
                });
            }
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }
}
