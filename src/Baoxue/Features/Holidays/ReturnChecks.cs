using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Attendance;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Holidays;

/// <summary>
/// 开学返校核查 (decision 0035): in the first school days of a term each head teacher confirms every child of the class —
/// back, or not back with a reason. The confirmation is the day's roll: it is submitted through
/// <see cref="TakeAttendance"/> (the one path a marked absence takes), a child not back without an excused reason as
/// absent, one with an excused reason (transfer papers, sick or personal leave) as on leave; the absence clock then counts
/// that first day exactly as it counts any absence on the roll. A correction the same day replaces the check and the roll.
/// </summary>
public static class ReturnChecks
{
    /// <summary>The term a check is for and its first school days (for the school's calendar).</summary>
    public sealed record Window(Guid TermId, int StartYear, int TermNumber, DateOnly First, DateOnly Last, bool Open);

    /// <summary>The term begun most recently by <paramref name="today"/>, with its check window in the school's calendar.</summary>
    public static async Task<Window?> WindowAsync(BaoxueDb db, Guid schoolId, DateOnly today, HolidayOptions options, CancellationToken ct = default)
    {
        var term = await db.Terms.AsNoTracking().Where(t => t.StartDate <= today).OrderByDescending(t => t.StartDate)
            .Select(t => new { t.Id, t.Number, t.StartDate, StartYear = db.SchoolYears.Where(y => y.Id == t.SchoolYearId).Select(y => y.StartYear).First() })
            .FirstOrDefaultAsync(ct);
        if (term is null || await Calendars.ForSchoolAsync(db, schoolId, term.StartDate, ct) is not { } calendar)
        {
            return null;
        }
        var first = calendar.IsSchoolDay(term.StartDate) ? term.StartDate : calendar.AddSchoolDays(term.StartDate, 1) ?? term.StartDate;
        var last = calendar.AddSchoolDays(first, Math.Max(options.ReturnCheckSchoolDays, 1) - 1) ?? first;
        return new Window(term.Id, term.StartYear, term.Number, first, last, today >= first && today <= last && calendar.IsSchoolDay(today));
    }

    /// <summary>The term the progress is shown for: the one begun most recently.</summary>
    public static Task<Guid?> CurrentTermAsync(BaoxueDb db, DateOnly today, CancellationToken ct = default) =>
        db.Terms.AsNoTracking().Where(t => t.StartDate <= today).OrderByDescending(t => t.StartDate).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);

    public sealed record Entry(Guid StudentId, NotBackReason? Reason, string? Note);

    public sealed record Command(Guid ClassId, string? ClientKey, IReadOnlyList<Entry>? NotBack);

    public static async Task<Outcome<ReturnCheck>> ConfirmAsync(BaoxueDb db, HolidayOptions options, Command c, CancellationToken ct = default)
    {
        // Two identical confirmations at once: the loser of the race on the key's index reads the winner's check.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await TryConfirmAsync(db, options, c, ct);
            }
            catch (DbUpdateException e) when (Saving.IsConflict(e) && attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<Outcome<ReturnCheck>> TryConfirmAsync(BaoxueDb db, HolidayOptions options, Command c, CancellationToken ct)
    {
        var key = c.ClientKey?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            return Outcome<ReturnCheck>.Invalid("ClientKey", "Validation.Required", "Field.HolidayClientKey");
        }
        if (key.Length > HolidayModel.ClientKeyLength)
        {
            return Outcome<ReturnCheck>.Invalid("ClientKey", "Validation.TooLong", HolidayModel.ClientKeyLength);
        }
        if (await db.ReturnChecks.AsNoTracking().Include(x => x.Students).FirstOrDefaultAsync(x => x.ClientKey == key, ct) is { } seen)
        {
            return seen.ClassId == c.ClassId ? Outcome<ReturnCheck>.Ok(seen) : Outcome<ReturnCheck>.Invalid("ClientKey", "Holiday.ClientKeyReused");
        }
        var cls = await db.Classes.AsNoTracking().FirstOrDefaultAsync(x => x.Id == c.ClassId, ct);
        if (cls is null || !db.Covers(cls.Path))
        {
            return Outcome<ReturnCheck>.Missing();
        }
        var today = db.County.Today;
        var window = await WindowAsync(db, cls.SchoolId, today, options, ct);
        if (window is not { Open: true })
        {
            return Outcome<ReturnCheck>.Invalid("Date", "ReturnCheck.OutsideWindow", options.ReturnCheckSchoolDays);
        }
        var roster = await db.Students.AsNoTracking().Where(s => s.ClassId == cls.Id && s.Status == StudentStatus.InSchool)
            .Select(s => new { s.Id, s.Name }).ToDictionaryAsync(s => s.Id, ct);
        var errors = new List<FieldError>();
        var entries = c.NotBack ?? [];
        foreach (var group in entries.GroupBy(e => e.StudentId))
        {
            if (!roster.TryGetValue(group.Key, out var student))
            {
                errors.Add(new("NotBack", "ReturnCheck.NotOnThisRoll"));
                continue;
            }
            var e = group.First();
            if (group.Count() > 1)
            {
                errors.Add(new("NotBack", "ReturnCheck.Twice", student.Name));
            }
            if (e.Reason is not { } reason || !Enum.IsDefined(reason))
            {
                errors.Add(new("NotBack", "ReturnCheck.ReasonRequired", student.Name));
            }
            else if (reason == NotBackReason.Other && string.IsNullOrWhiteSpace(e.Note))
            {
                errors.Add(new("NotBack", "ReturnCheck.NoteRequired", student.Name));
            }
            if (e.Note is { } note && note.Trim().Length > HolidayModel.NoteLength)
            {
                errors.Add(new("NotBack", "Validation.TooLong", HolidayModel.NoteLength));
            }
        }
        var existing = await db.ReturnChecks.Include(x => x.Students).FirstOrDefaultAsync(x => x.TermId == window.TermId && x.ClassId == cls.Id, ct);
        if (existing is not null && existing.Date != today)
        {
            // The roll it wrote can be corrected only on its day; later changes go through leave and the daily roll.
            errors.Add(new("Date", "ReturnCheck.CorrectSameDayOnly"));
        }
        if (errors.Count > 0)
        {
            return Outcome<ReturnCheck>.Invalid(errors);
        }

        // The day's roll as it stands, with the children this check speaks for replaced by what it says.
        var spoken = entries.Select(e => e.StudentId).Concat(existing?.Students.Select(s => s.StudentId) ?? []).ToHashSet();
        var current = await db.AttendanceRecords.AsNoTracking().Where(r => r.ClassId == cls.Id && r.Date == today && r.Lesson == 0)
            .SelectMany(r => db.AttendanceMarks.Where(m => m.SubmissionId == r.CurrentSubmissionId))
            .Select(m => new TakeAttendance.MarkInput(m.StudentId, m.Kind, m.Reason)).ToListAsync(ct);
        var marks = current.Where(m => !spoken.Contains(m.StudentId) && roster.ContainsKey(m.StudentId))
            .Concat(entries.Select(e => new TakeAttendance.MarkInput(e.StudentId,
                ReturnCheckStudent.Excused(e.Reason!.Value) ? AttendanceKind.OnLeave : AttendanceKind.Absent, MarkReason(e.Reason.Value, e.Note))))
            .ToList();
        var roll = await TakeAttendance.HandleAsync(db, new TakeAttendance.Command(cls.Id, today, 0, "return:" + key, marks), ct);
        if (!roll.Succeeded)
        {
            return roll.NotFound ? Outcome<ReturnCheck>.Missing() : Outcome<ReturnCheck>.Invalid(roll.Errors);
        }
        db.ChangeTracker.Clear();
        if (existing is not null)
        {
            existing = await db.ReturnChecks.Include(x => x.Students).SingleAsync(x => x.Id == existing.Id, ct);
            db.ReturnCheckStudents.RemoveRange(existing.Students);
            existing.Students = [];
        }
        var check = existing ?? new ReturnCheck { TermId = window.TermId, ClassId = cls.Id, SchoolId = cls.SchoolId, ConfirmedBy = "", ClientKey = key, Path = cls.Path };
        check.Date = today;
        check.ClientKey = key;
        check.ConfirmedBy = db.CurrentUser.UserName ?? "system";
        check.ConfirmedAt = db.County.UtcNow;
        check.OnRoll = roster.Count;
        check.NotBack = entries.Count;
        check.Unexcused = entries.Count(e => !ReturnCheckStudent.Excused(e.Reason!.Value));
        foreach (var e in entries)
        {
            var row = new ReturnCheckStudent { CheckId = check.Id, StudentId = e.StudentId, Reason = e.Reason!.Value, Note = string.IsNullOrWhiteSpace(e.Note) ? null : e.Note.Trim(), Path = cls.Path };
            check.Students.Add(row);
            db.ReturnCheckStudents.Add(row);
        }
        if (existing is null)
        {
            db.ReturnChecks.Add(check);
        }
        await db.SaveChangesAsync(ct);
        return Outcome<ReturnCheck>.Ok(check);
    }

    /// <summary>The mark's reason on the roll, in Chinese (the language of the record, as the roll shows what teachers typed).</summary>
    public static string MarkReason(NotBackReason reason, string? note)
    {
        var text = reason switch
        {
            NotBackReason.Transferred => "转学",
            NotBackReason.SickLeave => "病假",
            NotBackReason.PersonalLeave => "事假",
            NotBackReason.WorkingAway => "外出务工",
            NotBackReason.Other => "其他",
            _ => "原因不明",
        };
        var line = $"开学未返校（{text}）" + (string.IsNullOrWhiteSpace(note) ? "" : "：" + note.Trim());
        return line.Length > AttendanceModel.ReasonLength ? line[..AttendanceModel.ReasonLength] : line;
    }

    public sealed record RosterRow(Guid StudentId, string Name, Gender Gender, NotBackReason? Reason, string? Note);
    public sealed record ClassView(SchoolClass Class, string School, Window? Window, ReturnCheck? Check, IReadOnlyList<RosterRow> Roster);

    /// <summary>A class's roster with what its check said (if made): the head teacher's phone page and the API.</summary>
    public static async Task<ClassView?> ForClassAsync(BaoxueDb db, Guid classId, HolidayOptions options, CancellationToken ct = default)
    {
        var cls = await db.Classes.AsNoTracking().Include(x => x.School).FirstOrDefaultAsync(x => x.Id == classId, ct);
        if (cls is null || !db.Covers(cls.Path))
        {
            return null;
        }
        var window = await WindowAsync(db, cls.SchoolId, db.County.Today, options, ct);
        var check = window is null ? null : await db.ReturnChecks.AsNoTracking().Include(x => x.Students).FirstOrDefaultAsync(x => x.TermId == window.TermId && x.ClassId == classId, ct);
        var roster = await db.Students.AsNoTracking().Where(s => s.ClassId == classId && s.Status == StudentStatus.InSchool)
            .Select(s => new { s.Id, s.Name, s.NameKey, s.Gender }).ToListAsync(ct);
        var said = check?.Students.ToDictionary(s => s.StudentId) ?? [];
        return new ClassView(cls, cls.School?.Name ?? "", window, check,
            [.. roster.OrderBy(s => s.NameKey, StringComparer.Ordinal).Select(s => new RosterRow(s.Id, s.Name, s.Gender, said.GetValueOrDefault(s.Id)?.Reason, said.GetValueOrDefault(s.Id)?.Note))]);
    }

    public enum Level
    {
        Township = 1,
        School = 2,
        Class = 3,
    }

    /// <summary>One line of the progress: a township, a school or a class, with how far its check has come.</summary>
    public sealed record ProgressRow(Guid Id, string Name, string? Township, int Classes, int Confirmed, int OnRoll, int NotBack, int Unexcused);

    public sealed record ChildRow(Guid StudentId, string Name, string School, string Class, NotBackReason Reason, bool Excused, string? Note, DateOnly Date, Guid ClassId);

    /// <summary>
    /// The check's progress for a term in reach: by township, by the schools of one township, or by the classes of one
    /// school (current classes; a class not yet confirmed counts its children on the roll now). Page, API and xlsx.
    /// </summary>
    public static async Task<List<ProgressRow>> ProgressAsync(BaoxueDb db, Guid termId, Level level, Guid? parentId, CancellationToken ct = default)
    {
        var classes = db.Classes.AsNoTracking().Where(c => c.SchoolYear!.IsCurrent && c.School!.IsActive);
        if (level == Level.School && parentId is { } township)
        {
            classes = classes.Where(c => c.School!.TownshipId == township);
        }
        if (level == Level.Class && parentId is { } school)
        {
            classes = classes.Where(c => c.SchoolId == school);
        }
        var rows = await classes.Select(c => new
        {
            c.Id, c.Grade, c.Number, c.Path, c.SchoolId, School = c.School!.Name, c.School.TownshipId, Township = c.School.Township!.Name,
            Check = db.ReturnChecks.Where(r => r.TermId == termId && r.ClassId == c.Id).Select(r => new { r.OnRoll, r.NotBack, r.Unexcused }).FirstOrDefault(),
            Roll = db.Students.Count(s => s.ClassId == c.Id && s.Status == StudentStatus.InSchool),
        }).ToListAsync(ct);
        // Classes are structural (seen on the way up): the progress is of the classes within the user's jurisdiction.
        rows = [.. rows.Where(r => db.Covers(r.Path))];
        return level switch
        {
            Level.Township => [.. rows.GroupBy(r => new { r.TownshipId, r.Township }).OrderBy(g => g.Key.Township, PinyinOrder.Comparer)
                .Select(g => new ProgressRow(g.Key.TownshipId, g.Key.Township, null, g.Count(), g.Count(r => r.Check != null), g.Sum(r => r.Check?.OnRoll ?? r.Roll), g.Sum(r => r.Check?.NotBack ?? 0), g.Sum(r => r.Check?.Unexcused ?? 0)))],
            Level.School => [.. rows.GroupBy(r => new { r.SchoolId, r.School, r.Township }).OrderBy(g => g.Key.Township, PinyinOrder.Comparer).ThenBy(g => g.Key.School, PinyinOrder.Comparer)
                .Select(g => new ProgressRow(g.Key.SchoolId, g.Key.School, g.Key.Township, g.Count(), g.Count(r => r.Check != null), g.Sum(r => r.Check?.OnRoll ?? r.Roll), g.Sum(r => r.Check?.NotBack ?? 0), g.Sum(r => r.Check?.Unexcused ?? 0)))],
            _ => [.. rows.OrderBy(r => r.Grade).ThenBy(r => r.Number)
                .Select(r => new ProgressRow(r.Id, Infrastructure.Localization.ChineseFormat.ClassName(r.Grade, r.Number), r.Township, 1, r.Check != null ? 1 : 0, r.Check?.OnRoll ?? r.Roll, r.Check?.NotBack ?? 0, r.Check?.Unexcused ?? 0))],
        };
    }

    /// <summary>The children not back in a term, in reach (optionally of one township or school): the drill-down's last step.</summary>
    public static IQueryable<ReturnCheckStudent> NotBack(BaoxueDb db, Guid termId, Guid? townshipId, Guid? schoolId)
    {
        var q = db.ReturnCheckStudents.AsNoTracking().Where(s => db.ReturnChecks.Any(r => r.Id == s.CheckId && r.TermId == termId));
        if (schoolId is { } school)
        {
            q = q.Where(s => s.Student!.SchoolId == school);
        }
        if (townshipId is { } township)
        {
            q = q.Where(s => s.Student!.School!.TownshipId == township);
        }
        return q;
    }

    public static async Task<List<ChildRow>> ChildrenAsync(BaoxueDb db, Guid termId, Guid? townshipId, Guid? schoolId, CancellationToken ct = default)
    {
        var rows = await NotBack(db, termId, townshipId, schoolId).Select(s => new
        {
            s.StudentId, s.Student!.Name, s.Student.NameKey, School = s.Student.School!.Name, s.Reason, s.Note,
            Check = db.ReturnChecks.Where(r => r.Id == s.CheckId).Select(r => new { r.Date, r.ClassId, r.Class!.Grade, r.Class.Number }).First(),
        }).ToListAsync(ct);
        return [.. rows.OrderBy(r => r.School, PinyinOrder.Comparer).ThenBy(r => r.Check.Grade).ThenBy(r => r.Check.Number).ThenBy(r => r.NameKey, StringComparer.Ordinal)
            .Select(r => new ChildRow(r.StudentId, r.Name, r.School, Infrastructure.Localization.ChineseFormat.ClassName(r.Check.Grade, r.Check.Number), r.Reason, ReturnCheckStudent.Excused(r.Reason), r.Note, r.Check.Date, r.Check.ClassId))];
    }
}
