using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Registry.RollCalls;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Attendance;

/// <summary>The reads of attendance, each shared by its page and its API endpoint.</summary>
public static class AttendanceQueries
{
    public sealed record RosterRow(Guid Id, string Name, Gender Gender, StudentStatus Status, LeaveRow? Leave);

    public sealed record LeaveRow(Guid Id, LeaveKind Kind, DateOnly From, DateOnly To, LeaveState State);

    public sealed record MarkRow(Guid StudentId, string Name, AttendanceKind Kind, string? Reason);

    public sealed record SubmissionRow(Guid Id, int Revision, string SubmittedBy, DateTime SubmittedAt, IReadOnlyList<MarkRow> Marks);

    /// <summary>A class's day: its roll (with any leave that day), whether it is a school day, and what was submitted, latest first.</summary>
    public sealed record ClassDay(SchoolClass Class, string SchoolName, DateOnly Date, int Lesson, bool IsSchoolDay, IReadOnlyList<RosterRow> Roster, AttendanceRecord? Record, IReadOnlyList<SubmissionRow> Submissions)
    {
        public SubmissionRow? Current => Submissions.FirstOrDefault();
    }

    public static async Task<ClassDay?> ClassDayAsync(BaoxueDb db, Guid classId, DateOnly date, int lesson, CancellationToken ct = default)
    {
        var cls = await db.Classes.AsNoTracking().Include(c => c.School).FirstOrDefaultAsync(c => c.Id == classId, ct);
        if (cls is null || !db.Covers(cls.Path))
        {
            return null;
        }
        var roster = (await RollCallQueries.RosterAsync(db, classId, ct)).Where(s => s.Status == StudentStatus.InSchool).ToList();
        var ids = roster.Select(s => s.Id).ToList();
        var leaves = await db.LeaveRequests.AsNoTracking()
            .Where(l => ids.Contains(l.StudentId) && l.From <= date && l.To >= date && l.State != LeaveState.Refused)
            .Select(l => new { l.StudentId, Row = new LeaveRow(l.Id, l.Kind, l.From, l.To, l.State) }).ToListAsync(ct);
        var calendar = await Calendars.ForSchoolAsync(db, cls.SchoolId, date, ct);
        var record = await db.AttendanceRecords.AsNoTracking().FirstOrDefaultAsync(r => r.ClassId == classId && r.Date == date && r.Lesson == lesson, ct);
        var submissions = new List<SubmissionRow>();
        if (record is not null)
        {
            var rows = await db.AttendanceSubmissions.AsNoTracking().Where(s => s.RecordId == record.Id).Include(s => s.Marks).ThenInclude(m => m.Student).ToListAsync(ct);
            var people = await Accounts.DisplayNames.LoadAsync(db, [.. rows.Select(r => r.SubmittedBy)], ct);
            submissions = [.. rows.OrderByDescending(s => s.Revision).Select(s => new SubmissionRow(s.Id, s.Revision, people.Of(s.SubmittedBy), s.SubmittedAt,
                [.. s.Marks.OrderBy(m => m.Student!.NameKey, StringComparer.Ordinal).Select(m => new MarkRow(m.StudentId, m.Student!.Name, m.Kind, m.Reason))]))];
        }
        return new ClassDay(cls, cls.School?.Name ?? "", date, lesson, calendar?.IsSchoolDay(date) ?? false,
            [.. roster.Select(s => new RosterRow(s.Id, s.Name, s.Gender, s.Status, leaves.FirstOrDefault(l => l.StudentId == s.Id)?.Row))], record, submissions);
    }

    public sealed record ClassLine(Guid ClassId, int Grade, int Number, string? HeadTeacher, bool Submitted, DateTime? SubmittedAt, int OnRoll, int Absent);

    public sealed record AbsentLine(Guid StudentId, string Name, Guid ClassId, int Grade, int Number, AttendanceKind Kind, string? Reason);

    public sealed record SchoolLine(Guid SchoolId, string Code, string Name, string Township, int Classes, int Submitted, int Absent, int OnRoll)
    {
        public bool Reported => Classes > 0 && Submitted == Classes;
    }

    /// <summary>
    /// 到校日报告 for a day: for each school in reach the classes that took the roll and the children not there, and
    /// for a single school the classes and the children one by one.
    /// </summary>
    public sealed record DailyReport(DateOnly Date, IReadOnlyList<SchoolLine> Schools, IReadOnlyList<ClassLine> Classes, IReadOnlyList<AbsentLine> Absent);

    public static async Task<DailyReport> DailyReportAsync(BaoxueDb db, DateOnly date, Guid? schoolId, CancellationToken ct = default)
    {
        var scope = db.CurrentUser.ScopePath ?? "";
        var classes = db.Classes.AsNoTracking().Where(c => c.SchoolYear!.IsCurrent && c.Path.StartsWith(scope));
        if (schoolId is { } sid)
        {
            classes = classes.Where(c => c.SchoolId == sid);
        }
        var classRows = await classes.Select(c => new { c.Id, c.SchoolId, c.Grade, c.Number, Head = c.HeadTeacher != null ? c.HeadTeacher.Name : null }).ToListAsync(ct);
        var classIds = classRows.Select(c => c.Id).ToList();
        var records = await db.AttendanceRecords.AsNoTracking().Where(r => r.Date == date && r.Lesson == 0 && r.Path.StartsWith(scope))
            .Select(r => new { r.ClassId, r.SchoolId, r.FirstSubmittedAt, r.OnRoll, r.Absent, r.CurrentSubmissionId }).ToListAsync(ct);
        var byClass = records.ToDictionary(r => r.ClassId);
        var schoolIds = classRows.Select(c => c.SchoolId).Distinct().ToList();
        var schools = await db.Schools.AsNoTracking().Where(s => schoolIds.Contains(s.Id))
            .Select(s => new { s.Id, s.Code, s.Name, Township = s.Township != null ? s.Township.Name : "", s.Path }).ToListAsync(ct);
        var schoolLines = schools.Select(s =>
        {
            var own = classRows.Where(c => c.SchoolId == s.Id).ToList();
            var done = own.Where(c => byClass.ContainsKey(c.Id)).Select(c => byClass[c.Id]).ToList();
            return new SchoolLine(s.Id, s.Code, s.Name, s.Township, own.Count, done.Count, done.Sum(r => r.Absent), done.Sum(r => r.OnRoll));
        }).OrderBy(s => s.Reported).ThenBy(s => s.Code, StringComparer.Ordinal).ToList();
        if (schoolId is null && schools.Count != 1)
        {
            return new DailyReport(date, schoolLines, [], []);
        }
        var classLines = classRows.Select(c => byClass.TryGetValue(c.Id, out var r)
                ? new ClassLine(c.Id, c.Grade, c.Number, c.Head, true, r.FirstSubmittedAt, r.OnRoll, r.Absent)
                : new ClassLine(c.Id, c.Grade, c.Number, c.Head, false, null, 0, 0))
            .OrderBy(c => c.Submitted).ThenBy(c => c.Grade).ThenBy(c => c.Number).ToList();
        var current = records.Select(r => r.CurrentSubmissionId).ToList();
        var marks = await db.AttendanceMarks.AsNoTracking().Where(m => current.Contains(m.SubmissionId))
            .Select(m => new { m.StudentId, m.Student!.Name, m.Student.NameKey, m.Submission!.Record!.ClassId, m.Kind, m.Reason }).ToListAsync(ct);
        var grades = classRows.ToDictionary(c => c.Id);
        var absent = marks.OrderBy(m => grades[m.ClassId].Grade).ThenBy(m => grades[m.ClassId].Number).ThenBy(m => m.NameKey, StringComparer.Ordinal)
            .Select(m => new AbsentLine(m.StudentId, m.Name, m.ClassId, grades[m.ClassId].Grade, grades[m.ClassId].Number, m.Kind, m.Reason)).ToList();
        return new DailyReport(date, schoolLines, classLines, absent);
    }
}
