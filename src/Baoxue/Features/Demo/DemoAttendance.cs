using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Attendance;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Demo;

/// <summary>
/// The demo county's attendance: the county's National Day and New Year holidays with their make-up working days, this
/// term's daily roll for every class of the head teacher's school, and in the head teacher's class a few children in each
/// stage of the absence clock (a first missed day, an alert, a suspected dropout, a dropout, one back at school, one on
/// leave, one leave waiting for approval), produced by running the real daily clock over the term's days.
/// </summary>
public static class DemoAttendance
{
    public static async Task SeedAsync(SystemDb system, IServiceProvider services, Infrastructure.Time.CountyClock clock, int seed, CancellationToken ct = default)
    {
        var today = clock.Today;
        var random = new Random(seed + 10);
        await using (var db = system.Open("demo"))
        {
            var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.UserName!, ct);
            var headClass = await db.Classes.AsNoTracking().FirstAsync(c => c.Id == users["head.teacher"].PlaceId, ct);
            var countyPath = PlacePath.County(headClass.Path)!;
            var startYear = SchoolYear.StartYearOf(today);
            using (db.AuditAsBatch("demo calendar"))
            {
                void Day(DateOnly d, bool on, string name) => db.CalendarDays.Add(new CalendarDay { Date = d, IsSchoolDay = on, Name = name, Path = countyPath });
                for (var d = new DateOnly(startYear, 10, 1); d <= new DateOnly(startYear, 10, 7); d = d.AddDays(1))
                {
                    Day(d, false, "国庆节");
                }
                // The make-up days fall on the weekends around the holiday, as the State Council's notice sets them.
                Day(NextWeekend(new DateOnly(startYear, 9, 26)), true, "国庆节调休上课");
                Day(NextWeekend(new DateOnly(startYear, 10, 8)), true, "国庆节调休上课");
                Day(new DateOnly(startYear + 1, 1, 1), false, "元旦");
                await db.SaveChangesAsync(ct);
            }

            var calendar = (await Calendars.ForSchoolAsync(db, headClass.SchoolId, today, ct))!;
            var term = calendar.TermOf(today);
            if (term is null)
            {
                return;
            }
            var days = new List<DateOnly>();
            for (var d = Max(term.Value.From, today.AddDays(-70)); d < today; d = d.AddDays(1))
            {
                if (calendar.IsSchoolDay(d))
                {
                    days.Add(d);
                }
            }
            var classes = await db.Classes.AsNoTracking().Where(c => c.SchoolId == headClass.SchoolId && c.SchoolYear!.IsCurrent).ToListAsync(ct);
            var roster = await db.Students.AsNoTracking().Where(s => s.SchoolId == headClass.SchoolId && s.Status == StudentStatus.InSchool && s.ClassId != null)
                .Select(s => new { s.Id, ClassId = s.ClassId!.Value, s.NameKey }).ToListAsync(ct);
            // The first three of the head teacher's class are the demo ledger's; the clock's children come after them.
            if (roster.Count == 0)
            {
                // A demo county without a registry (the tests' default) has no rolls to take.
                return;
            }
            var mine = roster.Where(s => s.ClassId == headClass.Id).OrderBy(s => s.NameKey, StringComparer.Ordinal).Skip(3).Select(s => s.Id).ToList();
            var absentFrom = new Dictionary<Guid, (int From, int To)>();
            void Absent(int index, int fromDaysAgo, int toDaysAgo)
            {
                if (index < mine.Count && days.Count >= fromDaysAgo)
                {
                    absentFrom[mine[index]] = (days.Count - fromDaysAgo, days.Count - toDaysAgo);
                }
            }
            Absent(0, 1, 1);      // yesterday: the head teacher is to call home
            Absent(1, 5, 1);      // a school week: the school is alerted
            Absent(2, 8, 1);      // still not back: a suspected dropout
            Absent(3, 32, 1);     // a month past that: a dropout
            Absent(4, 12, 7);     // missed a week and came back
            var leaveChild = mine.ElementAtOrDefault(5);
            var pendingChild = mine.ElementAtOrDefault(6);
            if (leaveChild != Guid.Empty && days.Count >= 3)
            {
                db.LeaveRequests.Add(new LeaveRequest
                {
                    StudentId = leaveChild, Kind = LeaveKind.Sick, From = days[^3], To = today.AddDays(2), SchoolDays = calendar.CountSchoolDays(days[^3], today.AddDays(2)),
                    Reason = "水痘，医嘱居家隔离", RequestedByGuardian = "母亲", State = LeaveState.Approved, RecordedBy = "head.teacher", RecordedAt = clock.UtcNow,
                    DecidedBy = "school.admin", DecidedAt = clock.UtcNow, Path = headClass.Path,
                });
            }
            if (pendingChild != Guid.Empty)
            {
                db.LeaveRequests.Add(new LeaveRequest
                {
                    StudentId = pendingChild, Kind = LeaveKind.Personal, From = today.AddDays(7), To = today.AddDays(20), SchoolDays = calendar.CountSchoolDays(today.AddDays(7), today.AddDays(20)),
                    Reason = "随父母回老家奔丧", RequestedByGuardian = "父亲", State = LeaveState.Pending, RecordedBy = "head.teacher", RecordedAt = clock.UtcNow, Path = headClass.Path,
                });
            }
            using (db.AuditAsBatch("demo attendance"))
            {
                for (var i = 0; i < days.Count; i++)
                {
                    foreach (var cls in classes)
                    {
                        var onRoll = roster.Where(s => s.ClassId == cls.Id).ToList();
                        var record = new AttendanceRecord { ClassId = cls.Id, SchoolId = cls.SchoolId, Date = days[i], Lesson = 0, Revision = 1, OnRoll = onRoll.Count, Path = cls.Path, FirstSubmittedAt = clock.StartOfDayUtc(days[i]).AddMinutes(RollTakenMinute) };
                        var submission = new AttendanceSubmission { RecordId = record.Id, ClientKey = $"demo:{cls.Id:N}:{days[i]:yyyyMMdd}", Revision = 1, SubmittedBy = cls.Id == headClass.Id ? "head.teacher" : "school.admin", SubmittedAt = record.FirstSubmittedAt };
                        record.CurrentSubmissionId = submission.Id;
                        db.AttendanceRecords.Add(record);
                        db.AttendanceSubmissions.Add(submission);
                        foreach (var s in onRoll)
                        {
                            if (absentFrom.TryGetValue(s.Id, out var span) && i >= span.From && i <= span.To)
                            {
                                db.AttendanceMarks.Add(new AttendanceMark { SubmissionId = submission.Id, StudentId = s.Id, Kind = AttendanceKind.Absent, Reason = "未到校，家长未请假" });
                                record.Absent++;
                            }
                            else if (s.Id == leaveChild && days[i] >= days[^3])
                            {
                                db.AttendanceMarks.Add(new AttendanceMark { SubmissionId = submission.Id, StudentId = s.Id, Kind = AttendanceKind.OnLeave, Reason = "病假" });
                            }
                            else if (random.Next(400) == 0)
                            {
                                db.AttendanceMarks.Add(new AttendanceMark { SubmissionId = submission.Id, StudentId = s.Id, Kind = AttendanceKind.Late, Reason = "早上下雨路滑" });
                            }
                        }
                    }
                }
                await db.SaveChangesAsync(ct);
            }
        }
        // The clock as the daily job would have run it on each of those days (its own runs, audited as the system).
        foreach (var day in await DaysWithRollsAsync())
        {
            using var scope = services.CreateScope();
            var runner = scope.ServiceProvider.GetRequiredService<ClockRunner>();
            await runner.RunAsync(day, "demo", ct);
        }

        async Task<List<DateOnly>> DaysWithRollsAsync()
        {
            await using var db = system.Open("demo");
            return await db.AttendanceRecords.AsNoTracking().Where(r => r.Lesson == 0).Select(r => r.Date).Distinct().OrderBy(d => d).ToListAsync(ct);
        }
    }

    // The roll is taken at 07:50 county time, before the first lesson.
    private const int RollTakenMinute = 7 * 60 + 50;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly NextWeekend(DateOnly from)
    {
        var d = from;
        while (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
        {
            d = d.AddDays(1);
        }
        return d;
    }
}
