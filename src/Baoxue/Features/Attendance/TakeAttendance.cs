using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Registry.RollCalls;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Attendance;

/// <summary>
/// The head teacher's daily roll (lesson 0) or a teacher's lesson: everyone present but the exceptions sent. The first
/// submission of a class's day makes its record; a later one the same day is a correction kept beside the first. The
/// client's key makes a retry answer the first result: two identical submissions at once write one.
/// </summary>
public static class TakeAttendance
{
    public sealed record MarkInput(Guid StudentId, AttendanceKind Kind, string? Reason);

    public sealed record Command(Guid ClassId, DateOnly? Date, int? Lesson, string? ClientKey, IReadOnlyList<MarkInput>? Marks);

    public const int MaxLesson = 12;

    /// <summary>The record as it stands after the submission, and whether this was a repeat of one already recorded.</summary>
    public sealed record Result(AttendanceRecord Record, AttendanceSubmission Submission, bool Repeated);

    public static async Task<Outcome<Result>> HandleAsync(BaoxueDb db, Command c, CancellationToken ct = default)
    {
        // A lost race on a unique index (the same key, or the class's day made by the other request) is settled by reading again.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await TryAsync(db, c, ct);
            }
            catch (DbUpdateException e) when (Saving.IsConflict(e) && attempt < 4)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<Outcome<Result>> TryAsync(BaoxueDb db, Command c, CancellationToken ct)
    {
        var key = c.ClientKey?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            return Outcome<Result>.Invalid("ClientKey", "Validation.Required", "Field.AttendanceClientKey");
        }
        if (key.Length > AttendanceModel.ClientKeyLength)
        {
            return Outcome<Result>.Invalid("ClientKey", "Validation.TooLong", AttendanceModel.ClientKeyLength);
        }
        var lesson = c.Lesson ?? 0;
        var seen = await SeenByKey.For(db)(db, key, ct);
        if (seen is not null)
        {
            if (seen.Record!.ClassId != c.ClassId || seen.Record.Date != c.Date || seen.Record.Lesson != lesson)
            {
                return Outcome<Result>.Invalid("ClientKey", "Attendance.ClientKeyReused");
            }
            return Outcome<Result>.Ok(new Result(seen.Record, seen, true));
        }

        var cls = await ClassById.For(db)(db, c.ClassId, ct);
        if (cls is null || !db.Covers(cls.Path))
        {
            return Outcome<Result>.Missing();
        }
        var errors = new List<FieldError>();
        var today = db.County.Today;
        if (c.Date is not { } date)
        {
            return Outcome<Result>.Invalid("Date", "Validation.Required", "Field.AttendanceDate");
        }
        if (date > today)
        {
            errors.Add(new("Date", "Attendance.FutureDate"));
        }
        else if (date < today.AddDays(-BackfillDays))
        {
            errors.Add(new("Date", "Attendance.TooLate", BackfillDays));
        }
        else if ((await Calendars.ForSchoolsAsync(db, [(cls.SchoolId, cls.Path[..(cls.Path.TrimEnd('/').LastIndexOf('/') + 1)])], date, ct)).GetValueOrDefault(cls.SchoolId) is not { } calendar || !calendar.IsSchoolDay(date))
        {
            errors.Add(new("Date", "Attendance.NotSchoolDay"));
        }
        var role = db.CurrentUser.Role;
        if (lesson is < 0 or > MaxLesson)
        {
            errors.Add(new("Lesson", "Attendance.LessonRule", MaxLesson));
        }
        else if (lesson == 0 && role == Role.SubjectTeacher)
        {
            // The day's roll is the head teacher's: it is what the absence clock counts.
            errors.Add(new("Lesson", "Attendance.RollIsHeadTeachers"));
        }
        var onRoll = new Dictionary<Guid, OnRoll>();
        await foreach (var child in OnRollOf.For(db)(db, c.ClassId).WithCancellation(ct))
        {
            onRoll[child.Id] = child;
        }
        var marks = c.Marks ?? [];
        foreach (var group in marks.GroupBy(m => m.StudentId))
        {
            if (!onRoll.TryGetValue(group.Key, out var student))
            {
                errors.Add(new("Marks", "Attendance.NotOnThisRoll"));
                continue;
            }
            if (group.Count() > 1)
            {
                errors.Add(new("Marks", "Attendance.MarkedTwice", student.Name));
            }
            var m = group.First();
            if (!Enum.IsDefined(m.Kind))
            {
                errors.Add(new("Marks", "Attendance.KindRule", student.Name));
            }
            else if (string.IsNullOrWhiteSpace(m.Reason))
            {
                errors.Add(new("Marks", "Attendance.ReasonRequired", student.Name));
            }
            else if (m.Reason.Trim().Length > AttendanceModel.ReasonLength)
            {
                errors.Add(new("Marks", "Validation.TooLong", AttendanceModel.ReasonLength));
            }
        }
        var record = await RecordOf.For(db)(db, c.ClassId, date, lesson, ct);
        if (record is not null && record.Date != today)
        {
            errors.Add(new("Date", "Attendance.CorrectSameDayOnly"));
        }
        if (errors.Count > 0)
        {
            return Outcome<Result>.Invalid(errors);
        }

        var now = db.County.UtcNow;
        if (record is null)
        {
            record = new AttendanceRecord { ClassId = cls.Id, SchoolId = cls.SchoolId, Date = date, Lesson = lesson, FirstSubmittedAt = now, Path = cls.Path };
            db.AttendanceRecords.Add(record);
        }
        var submission = new AttendanceSubmission
        {
            RecordId = record.Id,
            ClientKey = key,
            Revision = record.Revision + 1,
            SubmittedBy = db.CurrentUser.UserName,
            SubmittedAt = now,
        };
        var rows = marks.Select(m => new AttendanceMark { SubmissionId = submission.Id, StudentId = m.StudentId, Kind = m.Kind, Reason = m.Reason!.Trim() }).ToList();
        db.AttendanceSubmissions.Add(submission);
        db.AttendanceMarks.AddRange(rows);
        submission.Marks = rows;
        record.Revision = submission.Revision;
        record.CurrentSubmissionId = submission.Id;
        record.OnRoll = onRoll.Count;
        record.Absent = rows.Count(m => m.Kind == AttendanceKind.Absent);
        // One audit line per submission, naming its record, submission and marks with their values (decision 0030).
        db.AuditNextSaveAsOne(AuditAction.Create, nameof(AttendanceSubmission), submission.Id.ToString(), $"attendance {date:yyyy-MM-dd} lesson {lesson}");
        await db.SaveChangesAsync(ct);
        return Outcome<Result>.Ok(new Result(record, submission, false));
    }

    private sealed record OnRoll(Guid Id, string Name);

    // Compiled once: a submission's reads never change shape, and a school submits every class every day, so EF's
    // per-call expression walk and cache look-up are skipped (decision 0037). Query filters (scope) apply as to any query.
    private static readonly PerModel<Func<BaoxueDb, string, CancellationToken, Task<AttendanceSubmission?>>> SeenByKey = new(() => EF.CompileAsyncQuery((BaoxueDb db, string key, CancellationToken ct) =>
        db.AttendanceSubmissions.AsNoTracking().Include(s => s.Marks).Include(s => s.Record).FirstOrDefault(s => s.ClientKey == key)));

    private static readonly PerModel<Func<BaoxueDb, Guid, CancellationToken, Task<SchoolClass?>>> ClassById = new(() => EF.CompileAsyncQuery((BaoxueDb db, Guid id, CancellationToken ct) =>
        db.Classes.AsNoTracking().FirstOrDefault(x => x.Id == id)));

    // Only what the check needs (the full roster with pinyin order is the page's): every column read is paid per submission.
    private static readonly PerModel<Func<BaoxueDb, Guid, IAsyncEnumerable<OnRoll>>> OnRollOf = new(() => EF.CompileAsyncQuery((BaoxueDb db, Guid classId) =>
        db.Students.AsNoTracking().Where(s => s.ClassId == classId && s.Status == StudentStatus.InSchool).Select(s => new OnRoll(s.Id, s.Name))));

    // Tracked: the submission moves the record on.
    private static readonly PerModel<Func<BaoxueDb, Guid, DateOnly, int, CancellationToken, Task<AttendanceRecord?>>> RecordOf = new(() => EF.CompileAsyncQuery((BaoxueDb db, Guid classId, DateOnly date, int lesson, CancellationToken ct) =>
        db.AttendanceRecords.FirstOrDefault(r => r.ClassId == classId && r.Date == date && r.Lesson == lesson)));

    /// <summary>Days back a missed roll may still be taken (补录); corrections only on the day itself.</summary>
    public const int BackfillDays = 7;
}
