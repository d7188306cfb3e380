using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Attendance;

/// <summary>
/// 请假: the head teacher records a guardian's request; up to the setting's school days it is approved as recorded,
/// longer leave waits for the school. Approved leave pauses the absence clock: a day on it is never unexcused.
/// </summary>
public static class Leave
{
    public sealed record Command(Guid StudentId, LeaveKind? Kind, DateOnly? From, DateOnly? To, string? Reason, string? Guardian);

    public sealed record Decision(bool Approve, string? Note, int Version);

    public static async Task<Outcome<LeaveRequest>> RecordAsync(BaoxueDb db, Command c, AttendanceOptions options, CancellationToken ct = default)
    {
        var student = await db.Students.AsNoTracking().FirstOrDefaultAsync(s => s.Id == c.StudentId, ct);
        if (student is null || !db.Covers(student.Path))
        {
            return Outcome<LeaveRequest>.Missing();
        }
        var errors = new List<FieldError>();
        if (c.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            errors.Add(new("Kind", "Validation.Required", "Field.LeaveKind"));
        }
        if (c.From is null)
        {
            errors.Add(new("From", "Validation.Required", "Field.LeaveFrom"));
        }
        if (c.To is null)
        {
            errors.Add(new("To", "Validation.Required", "Field.LeaveTo"));
        }
        else if (c.From is { } f && c.To < f)
        {
            errors.Add(new("To", "Leave.ToBeforeFrom"));
        }
        else if (c.From is { } f2 && c.To.Value.DayNumber - f2.DayNumber > 366)
        {
            errors.Add(new("To", "Leave.TooLong"));
        }
        if (string.IsNullOrWhiteSpace(c.Reason))
        {
            errors.Add(new("Reason", "Validation.Required", "Field.LeaveReason"));
        }
        else if (c.Reason.Trim().Length > AttendanceModel.ReasonLength)
        {
            errors.Add(new("Reason", "Validation.TooLong", AttendanceModel.ReasonLength));
        }
        if (string.IsNullOrWhiteSpace(c.Guardian))
        {
            errors.Add(new("Guardian", "Validation.Required", "Field.LeaveGuardian"));
        }
        else if (c.Guardian.Trim().Length > AttendanceModel.NameLength)
        {
            errors.Add(new("Guardian", "Validation.TooLong", AttendanceModel.NameLength));
        }
        if (errors.Count > 0)
        {
            return Outcome<LeaveRequest>.Invalid(errors);
        }
        var from = c.From!.Value;
        var to = c.To!.Value;
        if (await db.LeaveRequests.AnyAsync(l => l.StudentId == c.StudentId && l.State != LeaveState.Refused && l.From <= to && l.To >= from, ct))
        {
            return Outcome<LeaveRequest>.Invalid("From", "Leave.Overlaps");
        }
        var calendar = await Calendars.ForSchoolAsync(db, student.SchoolId, from, ct);
        var days = calendar?.CountSchoolDays(from, to) ?? 0;
        var now = db.County.UtcNow;
        var needsSchool = days > options.LeaveApprovalOverDays && db.CurrentUser.Role != Role.SchoolAdmin;
        var leave = new LeaveRequest
        {
            StudentId = student.Id,
            Kind = c.Kind!.Value,
            From = from,
            To = to,
            SchoolDays = days,
            Reason = c.Reason!.Trim(),
            RequestedByGuardian = c.Guardian!.Trim(),
            RecordedBy = db.CurrentUser.UserName,
            RecordedAt = now,
            State = needsSchool ? LeaveState.Pending : LeaveState.Approved,
            DecidedBy = needsSchool ? null : db.CurrentUser.UserName,
            DecidedAt = needsSchool ? null : now,
            Path = student.Path,
        };
        db.LeaveRequests.Add(leave);
        return await db.SaveAsync(leave, ct);
    }

    /// <summary>The school approves or refuses a long leave; a refusal needs a note the head teacher can read out to the guardian.</summary>
    public static async Task<Outcome<LeaveRequest>> DecideAsync(BaoxueDb db, Guid id, Decision d, CancellationToken ct = default)
    {
        var leave = await db.LeaveRequests.FirstOrDefaultAsync(l => l.Id == id, ct);
        if (leave is null || !db.Covers(leave.Path))
        {
            return Outcome<LeaveRequest>.Missing();
        }
        if (leave.State != LeaveState.Pending)
        {
            return Outcome<LeaveRequest>.Invalid("State", "Leave.AlreadyDecided");
        }
        if (leave.Version != d.Version)
        {
            return Outcome<LeaveRequest>.Conflicted();
        }
        if (!d.Approve && string.IsNullOrWhiteSpace(d.Note))
        {
            return Outcome<LeaveRequest>.Invalid("Note", "Leave.RefusalNeedsNote");
        }
        if (d.Note?.Trim().Length > AttendanceModel.NoteLength)
        {
            return Outcome<LeaveRequest>.Invalid("Note", "Validation.TooLong", AttendanceModel.NoteLength);
        }
        leave.State = d.Approve ? LeaveState.Approved : LeaveState.Refused;
        leave.DecidedBy = db.CurrentUser.UserName;
        leave.DecidedAt = db.County.UtcNow;
        leave.DecisionNote = string.IsNullOrWhiteSpace(d.Note) ? null : d.Note.Trim();
        return await db.SaveAsync(leave, ct);
    }

    public sealed record Row(Guid Id, int Version, Guid StudentId, string Name, string ClassName, LeaveKind Kind, DateOnly From, DateOnly To, int SchoolDays, string Reason, string Guardian, LeaveState State, string RecordedBy, string? DecidedBy, string? DecisionNote);

    /// <summary>Leave in reach, pending first, then the latest: page and API.</summary>
    public static async Task<List<Row>> ListAsync(BaoxueDb db, LeaveState? state, CancellationToken ct = default)
    {
        var query = db.LeaveRequests.AsNoTracking();
        if (state is { } s)
        {
            query = query.Where(l => l.State == s);
        }
        var rows = await query.OrderBy(l => l.State).ThenByDescending(l => l.From).Take(500)
            .Select(l => new { l, l.Student!.Name, Grade = l.Student.Class != null ? l.Student.Class.Grade : l.Student.Grade, Number = l.Student.Class != null ? l.Student.Class.Number : 0 })
            .ToListAsync(ct);
        var people = await Accounts.DisplayNames.LoadAsync(db, rows.SelectMany(r => new[] { r.l.RecordedBy, r.l.DecidedBy }), ct);
        return [.. rows.Select(r => new Row(r.l.Id, r.l.Version, r.l.StudentId, r.Name, Infrastructure.Localization.ChineseFormat.ClassName(r.Grade, r.Number), r.l.Kind, r.l.From, r.l.To, r.l.SchoolDays,
            r.l.Reason, r.l.RequestedByGuardian, r.l.State, people.Of(r.l.RecordedBy), r.l.DecidedBy is null ? null : people.Of(r.l.DecidedBy), r.l.DecisionNote))];
    }
}

/// <summary>Settings <c>Attendance:*</c>.</summary>
public sealed class AttendanceOptions
{
    /// <summary>Leave longer than this many school days needs the school's approval.</summary>
    public int LeaveApprovalOverDays { get; set; } = 3;
    public int AlertAfterDays { get; set; } = 5;
    public int ActWithinSchoolDays { get; set; } = 1;
    public int DropoutAfterMonths { get; set; } = 1;
    /// <summary>County time of the daily clock run ("HH:mm").</summary>
    public string ClockRunAt { get; set; } = "18:00";
    /// <summary>County time by which every class should have taken the roll ("HH:mm"): the arrival report lists the late ones.</summary>
    public string ReportBy { get; set; } = "09:00";

    public ClockSettings Clock => new(AlertAfterDays, ActWithinSchoolDays, DropoutAfterMonths);
}
