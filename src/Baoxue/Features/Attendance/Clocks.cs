using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Home;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Attendance;

/// <summary>The absence clocks in reach, a child's clock, and what the head teacher and the school record against them.</summary>
public static class Clocks
{
    public sealed record Row(Guid StudentId, string Name, string School, int Grade, int Number, ClockStage Stage, DateOnly? FirstDay, int DaysCounted,
        DateOnly? AlertedOn, DateOnly? ActBy, DateOnly? SuspectedOn, DateOnly? DropoutDue, DateOnly? DropoutOn, string? PausedBy, DateOnly? ReturnedOn,
        bool FollowedUp, string? SchoolAction);

    /// <summary>Running (or paused) clocks in reach, the most serious first: page and API.</summary>
    public static async Task<List<Row>> ListAsync(BaoxueDb db, ClockStage? stage, CancellationToken ct = default)
    {
        var query = db.AbsenceClocks.AsNoTracking().Where(c => c.Stage != ClockStage.None || c.PausedBy != null);
        if (stage is { } s)
        {
            query = query.Where(c => c.Stage == s);
        }
        var rows = await query.Select(c => new
        {
            c,
            c.Student!.Name,
            c.Student.NameKey,
            School = c.Student.School!.Name,
            Grade = c.Student.Class != null ? c.Student.Class.Grade : c.Student.Grade,
            Number = c.Student.Class != null ? c.Student.Class.Number : 0,
            FollowedUp = db.AbsenceFollowUps.Any(f => f.StudentId == c.StudentId && f.FirstDay == c.FirstDay),
        }).ToListAsync(ct);
        return [.. rows.OrderByDescending(r => r.c.Stage).ThenByDescending(r => r.c.DaysCounted).ThenBy(r => r.NameKey, StringComparer.Ordinal)
            .Select(r => ToRow(r.c, r.Name, r.School, r.Grade, r.Number, r.FollowedUp))];
    }

    private static Row ToRow(AbsenceClock c, string name, string school, int grade, int number, bool followedUp) =>
        new(c.StudentId, name, school, grade, number, c.Stage, c.FirstDay, c.DaysCounted, c.AlertedOn, c.ActBy, c.SuspectedOn, c.DropoutDue, c.DropoutOn, c.PausedBy, c.ReturnedOn, followedUp, c.SchoolAction);

    public sealed record FollowUpRow(DateOnly FirstDay, string Reached, string Said, string RecordedBy, DateTime RecordedAt);

    public sealed record StudentClock(AbsenceClock? Clock, IReadOnlyList<FollowUpRow> FollowUps);

    /// <summary>A child's clock and the contacts recorded, for the child's page and <c>GET /api/v1/students/{id}/absence-clock</c>.</summary>
    public static async Task<StudentClock?> ForStudentAsync(BaoxueDb db, Guid studentId, CancellationToken ct = default)
    {
        if (!await db.Students.AnyAsync(s => s.Id == studentId, ct))
        {
            return null;
        }
        var clock = await db.AbsenceClocks.AsNoTracking().FirstOrDefaultAsync(c => c.StudentId == studentId, ct);
        var followUps = await db.AbsenceFollowUps.AsNoTracking().Where(f => f.StudentId == studentId).OrderByDescending(f => f.RecordedAt).Take(20).ToListAsync(ct);
        var people = await Accounts.DisplayNames.LoadAsync(db, followUps.Select(f => f.RecordedBy), ct);
        return new StudentClock(clock, [.. followUps.Select(f => new FollowUpRow(f.FirstDay, f.Reached, f.Said, people.Of(f.RecordedBy), f.RecordedAt))]);
    }

    public sealed record FollowUp(string? Reached, string? Said);

    /// <summary>The head teacher reached (or tried to reach) the guardian about the current run of absences.</summary>
    public static async Task<Outcome<AbsenceFollowUp>> RecordFollowUpAsync(BaoxueDb db, Guid studentId, FollowUp c, CancellationToken ct = default)
    {
        var clock = await db.AbsenceClocks.AsNoTracking().FirstOrDefaultAsync(x => x.StudentId == studentId, ct);
        if (clock is null || !db.Covers(clock.Path))
        {
            return Outcome<AbsenceFollowUp>.Missing();
        }
        var errors = new List<FieldError>();
        if (clock.Stage == ClockStage.None || clock.FirstDay is null)
        {
            errors.Add(new("State", "Clock.NotRunning"));
        }
        if (string.IsNullOrWhiteSpace(c.Reached))
        {
            errors.Add(new("Reached", "Validation.Required", "Field.FollowUpReached"));
        }
        else if (c.Reached.Trim().Length > AttendanceModel.NameLength)
        {
            errors.Add(new("Reached", "Validation.TooLong", AttendanceModel.NameLength));
        }
        if (string.IsNullOrWhiteSpace(c.Said))
        {
            errors.Add(new("Said", "Validation.Required", "Field.FollowUpSaid"));
        }
        else if (c.Said.Trim().Length > AttendanceModel.NoteLength)
        {
            errors.Add(new("Said", "Validation.TooLong", AttendanceModel.NoteLength));
        }
        if (errors.Count > 0)
        {
            return Outcome<AbsenceFollowUp>.Invalid(errors);
        }
        var row = new AbsenceFollowUp
        {
            StudentId = studentId,
            FirstDay = clock.FirstDay!.Value,
            Reached = c.Reached!.Trim(),
            Said = c.Said!.Trim(),
            RecordedBy = db.CurrentUser.UserName,
            RecordedAt = db.County.UtcNow,
            Path = clock.Path,
        };
        db.AbsenceFollowUps.Add(row);
        return await db.SaveAsync(row, ct);
    }

    public sealed record SchoolAct(string? Action);

    /// <summary>The school records what it did about an alert (a home visit, who went): the alert's task is then done.</summary>
    public static async Task<Outcome<AbsenceClock>> RecordSchoolActionAsync(BaoxueDb db, Guid studentId, SchoolAct c, CancellationToken ct = default)
    {
        var clock = await db.AbsenceClocks.FirstOrDefaultAsync(x => x.StudentId == studentId, ct);
        if (clock is null || !db.Covers(clock.Path))
        {
            return Outcome<AbsenceClock>.Missing();
        }
        if (clock.Stage < ClockStage.SchoolAlerted)
        {
            return Outcome<AbsenceClock>.Invalid("State", "Clock.NotAlerted");
        }
        if (string.IsNullOrWhiteSpace(c.Action))
        {
            return Outcome<AbsenceClock>.Invalid("Action", "Validation.Required", "Field.SchoolAction");
        }
        if (c.Action.Trim().Length > AttendanceModel.NoteLength)
        {
            return Outcome<AbsenceClock>.Invalid("Action", "Validation.TooLong", AttendanceModel.NoteLength);
        }
        clock.SchoolAction = c.Action.Trim();
        clock.SchoolActedAt = db.County.UtcNow;
        return await db.SaveAsync(clock, ct);
    }
}

/// <summary>
/// Attendance's work on the home page: the day's roll not yet taken (head teacher), guardians to contact (first
/// unexcused day), alerts the school must act on by their deadline, long leave waiting for approval.
/// </summary>
public sealed class AttendanceTasks(Infrastructure.Time.CountyClock clock) : ITaskSource
{
    public int Order => 300;

    public async Task<IReadOnlyList<HomeTask>> TasksAsync(HomeContext home, CancellationToken ct)
    {
        var (db, user) = (home.Db, home.User);
        var tasks = new List<HomeTask>();
        if (user.GetRole() == Role.HeadTeacher && user.FindFirst(BaoxueClaims.Path)?.Value is { } path)
        {
            var today = clock.Today;
            var cls = await db.Classes.AsNoTracking().Where(c => c.Path == path).Select(c => new { c.Id, c.SchoolId }).FirstOrDefaultAsync(ct);
            if (cls is not null && await Calendars.ForSchoolAsync(db, cls.SchoolId, today, ct) is { } calendar && calendar.IsSchoolDay(today)
                && !await db.AttendanceRecords.AnyAsync(r => r.ClassId == cls.Id && r.Date == today && r.Lesson == 0, ct))
            {
                tasks.Add(new HomeTask("Attendance.Task.TakeToday", 1, $"/attendance/classes/{cls.Id}"));
            }
        }
        if (user.Can(Permission.ClockFollowUp))
        {
            var followUps = await db.AbsenceClocks.CountAsync(c => c.Stage != ClockStage.None && c.PausedBy == null
                && !db.AbsenceFollowUps.Any(f => f.StudentId == c.StudentId && f.FirstDay == c.FirstDay), ct);
            tasks.Add(new HomeTask("Attendance.Task.FollowUp", followUps, "/attendance/clocks"));
        }
        if (user.Can(Permission.LeaveApprove))
        {
            var alerts = await db.AbsenceClocks.CountAsync(c => c.Stage >= ClockStage.SchoolAlerted && c.SchoolActedAt == null, ct);
            tasks.Add(new HomeTask("Attendance.Task.SchoolAlert", alerts, "/attendance/clocks"));
            var pending = await db.LeaveRequests.CountAsync(l => l.State == LeaveState.Pending, ct);
            tasks.Add(new HomeTask("Attendance.Task.LeavePending", pending, "/attendance/leave"));
        }
        return tasks;
    }
}
