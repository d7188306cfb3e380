using System.Globalization;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Baoxue.Infrastructure.Time;
using Microsoft.Extensions.Localization;
using Quartz;

namespace Baoxue.Features.Attendance;

/// <summary>Attendance, leave and the absence clock over HTTP: the same use cases and queries as the pages.</summary>
public static class AttendanceApi
{
    public sealed record SubmitBody(string? ClientKey, int? Lesson, IReadOnlyList<TakeAttendance.MarkInput>? Marks);
    public sealed record SubmissionDto(Guid Id, int Revision, string SubmittedBy, DateTime SubmittedAt, IReadOnlyList<AttendanceQueries.MarkRow> Marks);
    public sealed record RecordDto(Guid Id, Guid ClassId, DateOnly Date, int Lesson, int Revision, int OnRoll, int Absent, int Present, bool Repeated, Guid CurrentSubmissionId);
    public sealed record ClassDayDto(Guid ClassId, string School, string Class, DateOnly Date, int Lesson, bool IsSchoolDay, bool Taken, IReadOnlyList<AttendanceQueries.RosterRow> Roster, IReadOnlyList<SubmissionDto> Submissions);
    public sealed record ClockDto(Guid StudentId, ClockStage Stage, string StageText, DateOnly? FirstDay, int DaysCounted, DateOnly? AlertedOn, DateOnly? ActBy, DateOnly? SuspectedOn, DateOnly? DropoutDue, DateOnly? DropoutOn, string? PausedBy, DateOnly? ReturnedOn, string Explanation, IReadOnlyList<Clocks.FollowUpRow> FollowUps);
    public sealed record RunBody(DateOnly? Date);
    public sealed record RunAccepted(DateOnly Date);

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/v1/attendance").WithTags("Attendance");

        api.MapGet("/calendar", async (int? year, PageRequest page, BaoxueDb db, CountyClock clock, CancellationToken ct) =>
                page.Of(await Calendars.DaysAsync(db, year ?? SchoolYear.StartYearOf(clock.Today), ct)))
            .RequireAuthorization(Permission.AttendanceView).Paged()
            .WithName("Attendance_ListCalendarDays").WithSummary("List the calendar's holidays, make-up days and school days off");
        api.MapPut("/calendar", async (Calendars.SetDay body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await Calendars.SetAsync(db, body, ct), text, d => new Calendars.DayRow(d.Id, d.Date, d.IsSchoolDay, d.Name, d.SchoolId, null)))
            .RequireAuthorization(Permission.CalendarEdit)
            .WithName("Attendance_SetCalendarDay").WithSummary("Set a holiday, make-up working day or a school's own day");
        api.MapDelete("/calendar/{id:guid}", async (Guid id, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await Calendars.RemoveAsync(db, id, ct), text, d => new { d.Id }))
            .RequireAuthorization(Permission.CalendarEdit)
            .WithName("Attendance_RemoveCalendarDay").WithSummary("Remove a calendar day");

        api.MapGet("/classes/{classId:guid}/days/{date}", async (Guid classId, string date, int? lesson, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            {
                if (!TryDate(date, out var day))
                {
                    return ApiResults.Refuse(new FieldError("date", "Attendance.DateFormat"), text);
                }
                return await AttendanceQueries.ClassDayAsync(db, classId, day, lesson ?? 0, ct) is { } v ? Results.Ok(ToDto(v)) : Results.NotFound();
            })
            .RequireAuthorization(Permission.AttendanceView)
            .WithName("Attendance_GetClassDay").WithSummary("A class's roll for a day, with the exceptions submitted and their corrections");
        api.MapPost("/classes/{classId:guid}/days/{date}", async (Guid classId, string date, SubmitBody body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            {
                if (!TryDate(date, out var day))
                {
                    return ApiResults.Refuse(new FieldError("date", "Attendance.DateFormat"), text);
                }
                var outcome = await TakeAttendance.HandleAsync(db, new TakeAttendance.Command(classId, day, body.Lesson, body.ClientKey, body.Marks), ct);
                return ApiResults.From(outcome, text, r => ToDto(r));
            })
            .RequireAuthorization(Permission.AttendanceTake)
            .WithName("Attendance_SubmitClassDay").WithSummary("Submit a class's attendance for a day (exceptions only; idempotent by client key)");

        api.MapGet("/report", async (string? date, Guid? schoolId, BaoxueDb db, CountyClock clock, IStringLocalizer<Strings> text, CancellationToken ct) =>
            {
                var day = clock.Today;
                if (date is not null && !TryDate(date, out day))
                {
                    return ApiResults.Refuse(new FieldError("date", "Attendance.DateFormat"), text);
                }
                return Results.Ok(await AttendanceQueries.DailyReportAsync(db, day, schoolId, ct));
            })
            .RequireAuthorization(Permission.AttendanceView)
            .WithName("Attendance_GetDailyReport").WithSummary("The daily arrival report: classes and schools that have not reported, children not in school");

        api.MapGet("/leave", async (LeaveState? state, PageRequest page, BaoxueDb db, CancellationToken ct) => page.Of(await Leave.ListAsync(db, state, ct)))
            .RequireAuthorization(Permission.AttendanceView).Paged()
            .WithName("Attendance_ListLeave").WithSummary("List leave requests, pending first");
        api.MapPost("/leave", async (Leave.Command body, BaoxueDb db, Microsoft.Extensions.Options.IOptions<AttendanceOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await Leave.RecordAsync(db, body, options.Value, ct), text, ToDto))
            .RequireAuthorization(Permission.LeaveRecord)
            .WithName("Attendance_RecordLeave").WithSummary("Record a guardian's leave request");
        api.MapPost("/leave/{id:guid}/decision", async (Guid id, Leave.Decision body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await Leave.DecideAsync(db, id, body, ct), text, ToDto))
            .RequireAuthorization(Permission.LeaveApprove)
            .WithName("Attendance_DecideLeave").WithSummary("Approve or refuse a long leave");

        api.MapGet("/clocks", async (ClockStage? stage, PageRequest page, BaoxueDb db, CancellationToken ct) => page.Of(await Clocks.ListAsync(db, stage, ct)))
            .RequireAuthorization(Permission.AttendanceView).Paged()
            .WithName("Attendance_ListClocks").WithSummary("List the children whose absence clock is running, the most serious first");
        api.MapPost("/clocks/{studentId:guid}/follow-ups", async (Guid studentId, Clocks.FollowUp body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await Clocks.RecordFollowUpAsync(db, studentId, body, ct), text, f => new Clocks.FollowUpRow(f.FirstDay, f.Reached, f.Said, f.RecordedBy, f.RecordedAt)))
            .RequireAuthorization(Permission.ClockFollowUp)
            .WithName("Attendance_RecordFollowUp").WithSummary("Record the head teacher's contact with the guardian");
        api.MapPost("/clocks/{studentId:guid}/school-action", async (Guid studentId, Clocks.SchoolAct body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await Clocks.RecordSchoolActionAsync(db, studentId, body, ct), text, c => new { c.StudentId, c.SchoolAction, c.SchoolActedAt }))
            .RequireAuthorization(Permission.LeaveApprove)
            .WithName("Attendance_RecordSchoolAction").WithSummary("Record what the school did about an absence alert");
        api.MapPost("/clock-runs", async (RunBody? body, ISchedulerFactory schedulers, CountyClock clock, BaoxueDb db, CancellationToken ct) =>
            {
                var date = body?.Date ?? clock.Today;
                var scheduler = await schedulers.GetScheduler(ct);
                var data = new JobDataMap { [AbsenceClockJob.DateKey] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
                await scheduler.TriggerJob(AbsenceClockJob.Key, data, ct);
                db.Audit(AuditAction.Create, nameof(ClockRun), null, null, "{\"requested\":\"" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "\"}");
                await db.SaveChangesAsync(ct);
                return Results.Accepted(value: new RunAccepted(date));
            })
            .RequireAuthorization(Permission.ClockRunNow)
            .WithName("Attendance_RunClock").WithSummary("Start the absence clock's run for a day now (it runs once per day)");

        api.MapGet("/counts", async (LostCounts.Period? period, string? date, BaoxueDb db, CountyClock clock, IStringLocalizer<Strings> text, CancellationToken ct) =>
            {
                var day = clock.Today;
                if (date is not null && !TryDate(date, out day))
                {
                    return ApiResults.Refuse(new FieldError("date", "Attendance.DateFormat"), text);
                }
                return Results.Ok(await LostCounts.ForAsync(db, period ?? LostCounts.Period.Day, day, ct));
            })
            .RequireAuthorization(Permission.AttendanceView)
            .WithName("Attendance_GetLostCounts").WithSummary("Lost students per school for a day, week or month (流生日查、周报、月报)");

        app.MapGet("/api/v1/students/{id:guid}/absence-clock", async (Guid id, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                await Clocks.ForStudentAsync(db, id, ct) is { } c ? Results.Ok(ToDto(id, c, text)) : Results.NotFound())
            .WithTags("Attendance").RequireAuthorization(Permission.AttendanceView)
            .WithName("Attendance_GetStudentClock").WithSummary("A child's absence clock: its stage, the days counted and why");
    }

    public static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static RecordDto ToDto(TakeAttendance.Result r) =>
        new(r.Record.Id, r.Record.ClassId, r.Record.Date, r.Record.Lesson, r.Record.Revision, r.Record.OnRoll, r.Record.Absent, r.Record.OnRoll - r.Record.Absent, r.Repeated, r.Record.CurrentSubmissionId);

    private static ClassDayDto ToDto(AttendanceQueries.ClassDay v) => new(v.Class.Id, v.SchoolName, ChineseFormat.ClassName(v.Class), v.Date, v.Lesson, v.IsSchoolDay, v.Record is not null, v.Roster,
        [.. v.Submissions.Select(s => new SubmissionDto(s.Id, s.Revision, s.SubmittedBy, s.SubmittedAt, s.Marks))]);

    private static object ToDto(LeaveRequest l) => new { l.Id, l.Version, l.StudentId, l.Kind, l.From, l.To, l.SchoolDays, l.Reason, Guardian = l.RequestedByGuardian, l.State, l.DecidedBy, l.DecisionNote };

    public static ClockDto ToDto(Guid studentId, Clocks.StudentClock c, IStringLocalizer<Strings> text)
    {
        var k = c.Clock;
        return new ClockDto(studentId, k?.Stage ?? ClockStage.None, text[StageKey(k?.Stage ?? ClockStage.None)].Value, k?.FirstDay, k?.DaysCounted ?? 0, k?.AlertedOn, k?.ActBy, k?.SuspectedOn, k?.DropoutDue, k?.DropoutOn,
            k?.PausedBy is { } p ? text[p].Value : null, k?.ReturnedOn, Explain(k, text), c.FollowUps);
    }

    public static string StageKey(ClockStage stage) => stage switch
    {
        ClockStage.FollowUp => "ClockStage.FollowUp",
        ClockStage.SchoolAlerted => "ClockStage.SchoolAlerted",
        ClockStage.SuspectedDropout => "ClockStage.SuspectedDropout",
        ClockStage.Dropout => "ClockStage.Dropout",
        _ => "ClockStage.None",
    };

    /// <summary>The clock's state in words: why it stands where it does (the child's page and the API say the same).</summary>
    public static string Explain(AbsenceClock? k, IStringLocalizer<Strings> text)
    {
        if (k is null)
        {
            return text["Clock.Explain.Never"];
        }
        string D(DateOnly? d) => d is { } x ? ChineseFormat.Date(x) : "";
        var why = k.Stage switch
        {
            ClockStage.None when k.ReturnedOn is { } back => text["Clock.Explain.Returned", D(back)].Value,
            ClockStage.None => text["Clock.Explain.Never"].Value,
            ClockStage.FollowUp => text["Clock.Explain.FollowUp", D(k.FirstDay), k.DaysCounted].Value,
            ClockStage.SchoolAlerted => text["Clock.Explain.SchoolAlerted", D(k.FirstDay), k.DaysCounted, D(k.AlertedOn), D(k.ActBy)].Value,
            ClockStage.SuspectedDropout => text["Clock.Explain.Suspected", D(k.FirstDay), k.DaysCounted, D(k.SuspectedOn), D(k.DropoutDue)].Value,
            _ => text["Clock.Explain.Dropout", D(k.FirstDay), k.DaysCounted, D(k.SuspectedOn), D(k.DropoutOn)].Value,
        };
        return k.PausedBy is { } p ? why + text["Clock.Explain.Paused", text[p]].Value : why;
    }
}
