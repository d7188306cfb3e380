using System.Net;
using System.Text.Json;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Attendance;
using Baoxue.Features.Demo;
using Baoxue.Features.Ledger;
using Baoxue.Tests.Features.Organisation;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Baoxue.Tests.Features.Attendance;

/// <summary>
/// Daily attendance, leave and the absence clock through the real app on a real database: the head teacher's roll
/// with its corrections, a phone's retries (at once, in parallel) writing one day, refusals naming the field, the
/// arrival report, leave and its approval, the calendar, and the daily clock run from a missed day to the ledger and
/// back, run twice and after a crash without counting anything twice.
/// </summary>
public abstract class AttendanceTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    protected const string Head = "head.teacher";
    protected const string School = "school.admin";
    protected const string County = "county.admin";
    protected readonly TApp App = app;

    protected sealed record World(Guid ClassId, Guid SchoolId, string ClassPath, DateOnly Today, Dictionary<string, Guid> Students);

    private static readonly Dictionary<BaoxueApp, Task<World>> Worlds = [];

    protected Task<World> WorldAsync()
    {
        lock (Worlds)
        {
            if (!Worlds.TryGetValue(App, out var world))
            {
                Worlds[App] = world = BuildWorldAsync();
            }
            return world;
        }
    }

    private static readonly string[] Names = ["林晓峰", "黄雨萱", "郑子轩", "陈思远", "吴佳怡", "刘浩然", "许诗涵", "杨俊杰", "蔡欣然", "周明轩"];

    private async Task<World> BuildWorldAsync()
    {
        await using var db = App.Db();
        var head = await db.Users.SingleAsync(u => u.UserName == Head);
        var cls = await db.Classes.AsNoTracking().SingleAsync(c => c.Id == head.PlaceId);
        var year = await db.SchoolYears.AsNoTracking().SingleAsync(y => y.IsCurrent);
        using var school = await App.ClientAsync(School);
        var names = new ChineseNames(20261201);
        var students = new Dictionary<string, Guid>();
        for (var i = 0; i < Names.Length; i++)
        {
            var gender = i % 2 == 0 ? Gender.Male : Gender.Female;
            var birth = new DateOnly(year.StartYear - 9, 1 + i, 3 + i);
            var body = new
            {
                IdNumber = names.IdNumberFor("350123", birth, gender),
                Name = Names[i],
                Gender = gender,
                BirthDate = birth,
                Ethnicity = "01",
                HouseholdAddress = $"罗源县凤山镇西门路{i + 1}号",
                ClassId = cls.Id,
                Guardians = new[] { new { Relation = GuardianRelation.Father, Name = "林建国", Phone = $"1390591{i:0000}", WorksAway = false } },
            };
            var created = await (await school.PostJsonAsync("/api/v1/students", body)).OkAsync<JsonElement>();
            students[Names[i]] = created.GetProperty("id").GetGuid();
        }
        // Whatever day the tests run on, it is a school day at this school: the school's own calendar says so.
        var today = await TodayAsync();
        await (await school.PutJsonAsync("/api/v1/attendance/calendar", new { Date = today, IsSchoolDay = true, Name = "测试上课日", SchoolId = cls.SchoolId })).OkAsync<JsonElement>();
        return new World(cls.Id, cls.SchoolId, cls.Path, today, students);
    }

    private async Task<DateOnly> TodayAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<Baoxue.Infrastructure.Time.CountyClock>().Today;
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd");

    private static object Mark(Guid student, string kind, string reason) => new { StudentId = student, Kind = kind, Reason = reason };

    [Fact]
    public async Task The_roll_stores_one_row_for_the_day_and_one_per_exception_and_a_retry_writes_nothing()
    {
        var w = await WorldAsync();
        using var head = await App.ClientAsync(Head);
        var url = $"/api/v1/attendance/classes/{w.ClassId}/days/{Day(w.Today)}";
        var body = new { ClientKey = "roll-" + Guid.NewGuid().ToString("N"), Lesson = 3, Marks = new[] { Mark(w.Students["林晓峰"], "Absent", "发烧未到"), Mark(w.Students["黄雨萱"], "Late", "路上堵车") } };

        var first = await (await head.PostJsonAsync(url, body)).OkAsync<AttendanceApi.RecordDto>();
        var again = await (await head.PostJsonAsync(url, body)).OkAsync<AttendanceApi.RecordDto>();

        Assert.False(first.Repeated);
        Assert.True(again.Repeated);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(1, again.Revision);
        Assert.Equal(1, first.Absent);
        Assert.Equal(first.OnRoll - 1, first.Present);
        await using var db = App.Db();
        Assert.Equal(1, await db.AttendanceRecords.CountAsync(r => r.ClassId == w.ClassId && r.Date == w.Today && r.Lesson == 3));
        Assert.Equal(1, await db.AttendanceSubmissions.CountAsync(s => s.RecordId == first.Id));
        Assert.Equal(2, await db.AttendanceMarks.CountAsync(m => m.SubmissionId == first.CurrentSubmissionId));
    }

    [Fact]
    public async Task A_submission_is_audited_as_one_line_naming_every_row_it_wrote_and_the_chain_holds()
    {
        var w = await WorldAsync();
        using var head = await App.ClientAsync(Head);
        var url = $"/api/v1/attendance/classes/{w.ClassId}/days/{Day(w.Today)}";
        var body = new { ClientKey = "audit-" + Guid.NewGuid().ToString("N"), Lesson = 5, Marks = new[] { Mark(w.Students["郑子轩"], "Absent", "发烧未到"), Mark(w.Students["陈思远"], "LeftEarly", "家长接走") } };

        var first = await (await head.PostJsonAsync(url, body)).OkAsync<AttendanceApi.RecordDto>();

        await using var db = App.Db();
        var submission = first.CurrentSubmissionId.ToString();
        var lines = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking().Where(a => a.EntityId == submission || a.After!.Contains(submission)).ToListAsync();
        var line = Assert.Single(lines);
        Assert.Equal(nameof(AttendanceSubmission), line.EntityType);
        Assert.Equal(Head, line.UserName);
        var marks = await db.AttendanceMarks.AsNoTracking().Where(m => m.SubmissionId == first.CurrentSubmissionId).ToListAsync();
        Assert.Equal(2, marks.Count);
        foreach (var id in marks.Select(m => m.Id.ToString()).Append(first.Id.ToString()))
        {
            Assert.Contains(id, line.After);
        }
        Assert.Contains("发烧未到", line.After);
        Assert.Contains("家长接走", line.After);
        Assert.Null((await Baoxue.Infrastructure.Auditing.AuditChain.VerifyAsync(db)).FirstBrokenSequence);
    }

    [Fact]
    public async Task Different_submissions_sent_at_once_are_each_audited_once_and_the_chain_stays_a_line()
    {
        var w = await WorldAsync();
        using var head = await App.ClientAsync(Head);
        var url = $"/api/v1/attendance/classes/{w.ClassId}/days/{Day(w.Today)}";
        // Lessons 6–12, each sent twice with different keys: first rolls and corrections racing for the chain's lock.
        var bodies = Enumerable.Range(0, 14).Select(i => new
        {
            ClientKey = $"race-{i}-" + Guid.NewGuid().ToString("N"),
            Lesson = 6 + i % 7,
            Marks = new[] { Mark(w.Students[Names[i % Names.Length]], "Late", "路上耽误") },
        }).ToList();

        var responses = await Task.WhenAll(bodies.Select(b => head.PostJsonAsync(url, b)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await using var db = App.Db();
        var keys = bodies.Select(b => b.ClientKey).ToList();
        // The audit names ids as .NET writes them (SQLite stores them upper-case): turned to text here, not in SQL.
        var submissions = (await db.AttendanceSubmissions.AsNoTracking().Where(s => keys.Contains(s.ClientKey)).Select(s => s.Id).ToListAsync()).Select(id => id.ToString()).ToList();
        Assert.Equal(14, submissions.Count);
        var lines = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking().Where(a => a.EntityType == nameof(AttendanceSubmission) && submissions.Contains(a.EntityId!)).ToListAsync();
        Assert.Equal(14, lines.Count);
        Assert.Equal(14, lines.Select(l => l.Sequence).Distinct().Count());
        Assert.Null((await Baoxue.Infrastructure.Auditing.AuditChain.VerifyAsync(db)).FirstBrokenSequence);
    }

    [Fact]
    public async Task Identical_submissions_sent_at_once_write_one_day()
    {
        var w = await WorldAsync();
        var key = "parallel-" + Guid.NewGuid().ToString("N");
        var url = $"/api/v1/attendance/classes/{w.ClassId}/days/{Day(w.Today)}";
        var body = new { ClientKey = key, Lesson = 5, Marks = new[] { Mark(w.Students["郑子轩"], "Absent", "家长未说明") } };
        var token = await App.TokenAsync(Head);
        var clients = Enumerable.Range(0, 8).Select(_ => App.AnonymousClient()).ToList();
        foreach (var c in clients)
        {
            c.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        using var start = new SemaphoreSlim(0);
        var sends = clients.Select(async c =>
        {
            await start.WaitAsync();
            return await c.PostJsonAsync(url, body);
        }).ToList();
        start.Release(clients.Count);
        var responses = await Task.WhenAll(sends);

        var results = new List<AttendanceApi.RecordDto>();
        foreach (var r in responses)
        {
            results.Add(await r.OkAsync<AttendanceApi.RecordDto>());
        }
        Assert.Single(results.Select(r => r.Id).Distinct());
        Assert.Single(results, r => !r.Repeated);
        await using var db = App.Db();
        Assert.Equal(1, await db.AttendanceRecords.CountAsync(r => r.ClassId == w.ClassId && r.Date == w.Today && r.Lesson == 5));
        Assert.Equal(1, await db.AttendanceSubmissions.CountAsync(s => s.ClientKey == key));
        Assert.Equal(1, await db.AttendanceMarks.CountAsync(m => m.Submission!.ClientKey == key));
        foreach (var c in clients)
        {
            c.Dispose();
        }
    }

    [Fact]
    public async Task A_correction_the_same_day_is_kept_beside_the_first_submission()
    {
        var w = await WorldAsync();
        using var head = await App.ClientAsync(Head);
        var url = $"/api/v1/attendance/classes/{w.ClassId}/days/{Day(w.Today)}";
        await (await head.PostJsonAsync(url, new { ClientKey = Guid.NewGuid().ToString("N"), Lesson = 7, Marks = new[] { Mark(w.Students["陈思远"], "Absent", "未到校") } })).OkAsync<AttendanceApi.RecordDto>();
        var corrected = await (await head.PostJsonAsync(url, new { ClientKey = Guid.NewGuid().ToString("N"), Lesson = 7, Marks = new[] { Mark(w.Students["陈思远"], "Late", "九点到校") } })).OkAsync<AttendanceApi.RecordDto>();

        Assert.Equal(2, corrected.Revision);
        Assert.Equal(0, corrected.Absent);
        var day = await head.GetOkAsync<AttendanceApi.ClassDayDto>(url + "?lesson=7");
        Assert.Equal([2, 1], day.Submissions.Select(s => s.Revision));
        Assert.Equal(AttendanceKind.Late, day.Submissions[0].Marks.Single().Kind);
        Assert.Equal(AttendanceKind.Absent, day.Submissions[1].Marks.Single().Kind);
        Assert.Equal("九点到校", day.Submissions[0].Marks.Single().Reason);
    }

    [Fact]
    public async Task Bad_submissions_are_refused_naming_the_field_and_change_nothing()
    {
        var w = await WorldAsync();
        using var head = await App.ClientAsync(Head);
        var url = $"/api/v1/attendance/classes/{w.ClassId}/days/{Day(w.Today)}";

        await (await head.PostJsonAsync(url, new { ClientKey = "x1" + Guid.NewGuid().ToString("N")[..8], Lesson = 8, Marks = new[] { Mark(w.Students["吴佳怡"], "Absent", " ") } }))
            .AssertRefusedAsync("Marks", "请写明吴佳怡的原因。");
        await (await head.PostJsonAsync(url, new { ClientKey = "x2" + Guid.NewGuid().ToString("N")[..8], Lesson = 8, Marks = new[] { Mark(Guid.NewGuid(), "Absent", "不明") } }))
            .AssertRefusedAsync("Marks", "所标学生不在本班在读名单上。");
        await (await head.PostJsonAsync(url, new { ClientKey = "", Lesson = 8, Marks = Array.Empty<object>() }))
            .AssertRefusedAsync("ClientKey", "“提交编号”不能为空。");
        await (await head.PostJsonAsync($"/api/v1/attendance/classes/{w.ClassId}/days/2026-13-01", new { ClientKey = "x3", Lesson = 8 }))
            .AssertRefusedAsync("date", "日期格式应为 yyyy-MM-dd（如 2026-12-01）。");
        await (await head.PostJsonAsync($"/api/v1/attendance/classes/{w.ClassId}/days/{Day(w.Today.AddDays(1))}", new { ClientKey = "x4" + Guid.NewGuid().ToString("N")[..8], Lesson = 8 }))
            .AssertRefusedAsync("Date", "不能为以后的日子考勤。");
        using var teacher = await App.ClientAsync("subject.teacher");
        var taught = await TaughtClassAsync();
        await (await teacher.PostJsonAsync($"/api/v1/attendance/classes/{taught}/days/{Day(w.Today)}", new { ClientKey = "x5" + Guid.NewGuid().ToString("N")[..8], Lesson = 0 }))
            .AssertRefusedAsync("Lesson", "全天点名由班主任提交；任课教师请选择所上的课节。");

        await using var db = App.Db();
        Assert.False(await db.AttendanceRecords.AnyAsync(r => r.Lesson == 8));
    }

    private async Task<Guid> TaughtClassAsync()
    {
        await using var db = App.Db();
        var teacher = await db.Users.SingleAsync(u => u.UserName == "subject.teacher");
        return await db.TeachingAssignments.Where(a => a.StaffId == teacher.StaffId).Select(a => a.ClassId).FirstAsync();
    }

    [Fact]
    public async Task A_subject_teacher_marks_their_lesson_and_the_head_teacher_of_another_class_cannot()
    {
        var w = await WorldAsync();
        var taught = await TaughtClassAsync();
        using var teacher = await App.ClientAsync("subject.teacher");
        var lesson = await (await teacher.PostJsonAsync($"/api/v1/attendance/classes/{taught}/days/{Day(w.Today)}", new { ClientKey = Guid.NewGuid().ToString("N"), Lesson = 2 })).OkAsync<AttendanceApi.RecordDto>();
        Assert.Equal(2, lesson.Lesson);
        if (taught != w.ClassId)
        {
            using var head = await App.ClientAsync(Head);
            using var other = await head.PostJsonAsync($"/api/v1/attendance/classes/{taught}/days/{Day(w.Today)}", new { ClientKey = Guid.NewGuid().ToString("N"), Lesson = 2 });
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }
    }

    [Fact]
    public async Task The_arrival_report_lists_the_class_and_who_did_not_come_and_why_and_the_county_sees_the_school()
    {
        var w = await WorldAsync();
        using var head = await App.ClientAsync(Head);
        await (await head.PostJsonAsync($"/api/v1/attendance/classes/{w.ClassId}/days/{Day(w.Today)}",
            new { ClientKey = Guid.NewGuid().ToString("N"), Lesson = 0, Marks = new[] { Mark(w.Students["刘浩然"], "Absent", "家中有事未请假") } })).OkAsync<AttendanceApi.RecordDto>();

        using var school = await App.ClientAsync(School);
        var report = await school.GetOkAsync<JsonElement>($"/api/v1/attendance/report?date={Day(w.Today)}");
        var classes = report.GetProperty("classes").EnumerateArray().ToList();
        Assert.Contains(classes, c => c.GetProperty("classId").GetGuid() == w.ClassId && c.GetProperty("submitted").GetBoolean());
        Assert.Contains(classes, c => !c.GetProperty("submitted").GetBoolean());
        Assert.Contains(report.GetProperty("absent").EnumerateArray(), a => a.GetProperty("name").GetString() == "刘浩然" && a.GetProperty("reason").GetString() == "家中有事未请假");

        using var county = await App.ClientAsync(County);
        var all = await county.GetOkAsync<JsonElement>($"/api/v1/attendance/report?date={Day(w.Today)}");
        var line = all.GetProperty("schools").EnumerateArray().Single(s => s.GetProperty("schoolId").GetGuid() == w.SchoolId);
        Assert.True(line.GetProperty("submitted").GetInt32() >= 1);
        Assert.False(line.GetProperty("reported").GetBoolean());
        Assert.Contains(all.GetProperty("schools").EnumerateArray(), s => s.GetProperty("submitted").GetInt32() == 0);

        var (status, page) = await Pages.GetAsync(school, $"/attendance?date={Day(w.Today)}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("刘浩然", page);
        Assert.Contains("家中有事未请假", page);
    }

    [Fact]
    public async Task Short_leave_is_approved_as_recorded_and_long_leave_waits_for_the_school()
    {
        var w = await WorldAsync();
        using var head = await App.ClientAsync(Head);
        var shortLeave = await (await head.PostJsonAsync("/api/v1/attendance/leave", new { StudentId = w.Students["许诗涵"], Kind = "Sick", From = w.Today, To = w.Today, Reason = "感冒发烧", Guardian = "许国强" })).OkAsync<JsonElement>();
        Assert.Equal("Approved", shortLeave.GetProperty("state").GetString());

        var from = w.Today.AddDays(30);
        var longLeave = await (await head.PostJsonAsync("/api/v1/attendance/leave", new { StudentId = w.Students["杨俊杰"], Kind = "Personal", From = from, To = from.AddDays(20), Reason = "随父母回老家", Guardian = "杨父" })).OkAsync<JsonElement>();
        Assert.Equal("Pending", longLeave.GetProperty("state").GetString());
        var id = longLeave.GetProperty("id").GetGuid();

        using var refusedHead = await head.PostJsonAsync($"/api/v1/attendance/leave/{id}/decision", new { Approve = true, Version = 0 });
        Assert.Equal(HttpStatusCode.Forbidden, refusedHead.StatusCode);
        using var school = await App.ClientAsync(School);
        await (await school.PostJsonAsync($"/api/v1/attendance/leave/{id}/decision", new { Approve = false, Version = 0 })).AssertRefusedAsync("Note", "不批准时请写明意见。");
        var approved = await (await school.PostJsonAsync($"/api/v1/attendance/leave/{id}/decision", new { Approve = true, Note = "同意", Version = 0 })).OkAsync<JsonElement>();
        Assert.Equal("Approved", approved.GetProperty("state").GetString());
        await (await head.PostJsonAsync("/api/v1/attendance/leave", new { StudentId = w.Students["杨俊杰"], Kind = "Sick", From = from.AddDays(1), To = from.AddDays(2), Reason = "重复", Guardian = "杨父" }))
            .AssertRefusedAsync("From", "这段时间已有请假记录。");

        // On the roll page the child on approved leave is marked on leave already.
        var (_, page) = await Pages.GetAsync(head, $"/attendance/classes/{w.ClassId}?date={Day(w.Today)}");
        Assert.Contains("许诗涵", page);
        Assert.Contains("（已批准）", page);
    }

    [Fact]
    public async Task The_county_sets_its_holidays_and_a_school_only_its_own_days()
    {
        var w = await WorldAsync();
        using var county = await App.ClientAsync(County);
        var day = new DateOnly(SchoolYearOf(w.Today) + 1, 1, 1);
        await (await county.PutJsonAsync("/api/v1/attendance/calendar", new { Date = day, IsSchoolDay = false, Name = "元旦" })).OkAsync<JsonElement>();
        using var school = await App.ClientAsync(School);
        await (await school.PutJsonAsync("/api/v1/attendance/calendar", new { Date = day, IsSchoolDay = false, Name = "元旦" }))
            .AssertRefusedAsync("SchoolId", "县级的节假日和调休由县教育局设定；学校请选择本校。");

        await using var db = App.Db();
        var calendar = await Calendars.ForSchoolAsync(db, w.SchoolId, day);
        Assert.False(calendar!.IsSchoolDay(day));
        var list = await county.GetOkAsync<JsonElement>($"/api/v1/attendance/calendar?year={SchoolYearOf(w.Today)}");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), d => d.GetProperty("name").GetString() == "元旦");
    }

    private static int SchoolYearOf(DateOnly d) => SchoolYear.StartYearOf(d);

    /// <summary>The class's last <paramref name="count"/> school days before today, oldest first, by the school's own calendar.</summary>
    private async Task<List<DateOnly>> PastSchoolDaysAsync(World w, int count)
    {
        await using var db = App.Db();
        var calendar = (await Calendars.ForSchoolAsync(db, w.SchoolId, w.Today))!;
        var days = new List<DateOnly>();
        for (var d = w.Today.AddDays(-1); days.Count < count && d > w.Today.AddDays(-200); d = d.AddDays(-1))
        {
            if (calendar.IsSchoolDay(d))
            {
                days.Add(d);
            }
        }
        days.Reverse();
        return days;
    }

    /// <summary>The roll as a head teacher took it on past days (written directly: the API takes only the last week).</summary>
    private async Task RollAsync(World w, IEnumerable<DateOnly> days, Guid? absent)
    {
        await using var db = App.Db();
        foreach (var day in days)
        {
            var record = await db.AttendanceRecords.FirstOrDefaultAsync(r => r.ClassId == w.ClassId && r.Date == day && r.Lesson == 0);
            if (record is null)
            {
                record = new AttendanceRecord { ClassId = w.ClassId, SchoolId = w.SchoolId, Date = day, Lesson = 0, Path = w.ClassPath, OnRoll = Names.Length, FirstSubmittedAt = DateTime.UtcNow };
                db.AttendanceRecords.Add(record);
            }
            var submission = new AttendanceSubmission { RecordId = record.Id, ClientKey = Guid.NewGuid().ToString("N"), Revision = record.Revision + 1, SubmittedBy = Head, SubmittedAt = DateTime.UtcNow };
            db.AttendanceSubmissions.Add(submission);
            var previous = await db.AttendanceMarks.Where(m => m.SubmissionId == record.CurrentSubmissionId).ToListAsync();
            foreach (var m in previous.Where(m => m.StudentId != absent))
            {
                db.AttendanceMarks.Add(new AttendanceMark { SubmissionId = submission.Id, StudentId = m.StudentId, Kind = m.Kind, Reason = m.Reason });
            }
            if (absent is { } a && !previous.Any(m => m.StudentId == a && m.Kind == AttendanceKind.Absent))
            {
                db.AttendanceMarks.Add(new AttendanceMark { SubmissionId = submission.Id, StudentId = a, Kind = AttendanceKind.Absent, Reason = "未到校，原因不明" });
            }
            else if (absent is { } same)
            {
                db.AttendanceMarks.Add(new AttendanceMark { SubmissionId = submission.Id, StudentId = same, Kind = AttendanceKind.Absent, Reason = "未到校，原因不明" });
            }
            record.Revision = submission.Revision;
            record.CurrentSubmissionId = submission.Id;
            await db.SaveChangesAsync();
        }
    }

    protected async Task<ClockRunner.Summary> RunClockAsync(DateOnly date)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ClockRunner>().RunAsync(date, "test");
    }

    [Fact]
    public async Task Absences_before_weeks_without_a_roll_still_count_toward_the_clock()
    {
        // The run reads a class's rolls only a few weeks back when its children's current absences are recent
        // (decision 0038). A class that took no roll for weeks breaks that window: the walk must read further back.
        var w = await WorldAsync();
        var child = w.Students["周明轩"];
        var days = await PastSchoolDaysAsync(w, 60);
        Assert.Equal(60, days.Count);
        var runOn = days[40];
        Assert.True(days[1] < runOn.AddDays(-50));
        await RollAsync(w, [days[0], days[1], runOn], child);

        var run = await RunClockAsync(runOn);

        Assert.False(run.AlreadyRan);
        await using var db = App.Db();
        var clock = await db.AbsenceClocks.AsNoTracking().SingleAsync(c => c.StudentId == child);
        Assert.Equal(3, clock.DaysCounted);
        Assert.Equal(days[0], clock.FirstDay);
        Assert.Equal(ClockStage.FollowUp, clock.Stage);
    }

    [Fact]
    public async Task A_missed_week_alerts_the_school_then_the_ledger_hears_of_a_suspected_dropout_once_and_the_return_stops_the_clock()
    {
        var w = await WorldAsync();
        var child = w.Students["蔡欣然"];
        var days = await PastSchoolDaysAsync(w, 8);
        Assert.Equal(8, days.Count);

        // Day 1: the first unexcused day opens the head teacher's follow-up.
        await RollAsync(w, days.Take(1), child);
        await RunClockAsync(days[0]);
        await using (var db = App.Db())
        {
            var clock = await db.AbsenceClocks.AsNoTracking().SingleAsync(c => c.StudentId == child);
            Assert.Equal(ClockStage.FollowUp, clock.Stage);
            Assert.Equal(days[0], clock.FirstDay);
        }
        using var head = await App.ClientAsync(Head);
        var home = await head.GetOkAsync<JsonElement>("/api/v1/home");
        Assert.Contains(home.GetProperty("tasks").EnumerateArray(), t => t.GetProperty("key").GetString() == "Attendance.Task.FollowUp");
        await (await head.PostJsonAsync($"/api/v1/attendance/clocks/{child}/follow-ups", new { Reached = "母亲", Said = "孩子去外地亲戚家，下周回" })).OkAsync<JsonElement>();

        // Day 5: the school is alerted and has a deadline.
        await RollAsync(w, days.Skip(1).Take(4), child);
        foreach (var d in days.Skip(1).Take(4))
        {
            await RunClockAsync(d);
        }
        await using (var db = App.Db())
        {
            var clock = await db.AbsenceClocks.AsNoTracking().SingleAsync(c => c.StudentId == child);
            Assert.Equal(ClockStage.SchoolAlerted, clock.Stage);
            Assert.Equal(days[4], clock.AlertedOn);
            Assert.Equal(days[5], clock.ActBy);
            Assert.False(await db.LedgerReportReceipts.AnyAsync(r => r.Source == LedgerSource.Attendance && r.SourceKey.Contains(child.ToString())));
        }

        // Day 6: still not back, on the ledger as a suspected dropout from attendance; a rerun and a crashed run report nothing twice.
        await RollAsync(w, days.Skip(5).Take(1), child);
        var run = await RunClockAsync(days[5]);
        Assert.False(run.AlreadyRan);
        var again = await RunClockAsync(days[5]);
        Assert.True(again.AlreadyRan);
        await using (var db = App.Db())
        {
            var clock = await db.AbsenceClocks.AsNoTracking().SingleAsync(c => c.StudentId == child);
            Assert.Equal(ClockStage.SuspectedDropout, clock.Stage);
            Assert.Equal(6, clock.DaysCounted);
            var entry = await db.LedgerEntries.AsNoTracking().SingleAsync(e => e.StudentId == child && e.State != LedgerEntryState.Closed);
            Assert.Equal(LedgerList.SuspectedDropout, entry.List);
            Assert.Equal(LedgerSource.Attendance, entry.Source);
            Assert.Equal(1, await db.LedgerReportReceipts.CountAsync(r => r.Source == LedgerSource.Attendance && r.SourceKey.Contains(child.ToString())));
            // A crash half-way through the next day's run: its row was written, it never finished.
            db.ClockRuns.Add(new ClockRun { Date = days[6], StartedAt = DateTime.UtcNow, Instance = "crashed" });
            await db.SaveChangesAsync();
        }
        await RollAsync(w, days.Skip(6).Take(1), child);
        var resumed = await RunClockAsync(days[6]);
        Assert.False(resumed.AlreadyRan);
        await using (var db = App.Db())
        {
            Assert.Equal(1, await db.LedgerReportReceipts.CountAsync(r => r.Source == LedgerSource.Attendance && r.SourceKey.Contains(child.ToString())));
            Assert.Equal(1, await db.LedgerEntries.CountAsync(e => e.StudentId == child));
            Assert.NotNull((await db.ClockRuns.SingleAsync(r => r.Date == days[6])).FinishedAt);
        }
        var (_, studentPage) = await Pages.GetAsync(head, $"/students/{child}");
        Assert.Contains("疑似辍学", studentPage);
        Assert.Contains("连续无故缺勤 7 个上课日", studentPage);
        using (var school = await App.ClientAsync(School))
        {
            var counts = await school.GetOkAsync<JsonElement>($"/api/v1/attendance/counts?period=Day&date={Day(days[5])}");
            var line = counts.GetProperty("schools").EnumerateArray().Single(l => l.GetProperty("schoolId").GetGuid() == w.SchoolId);
            Assert.Equal(1, line.GetProperty("newSuspected").GetInt32());
            Assert.True(line.GetProperty("lostNow").GetInt32() >= 1);
            var (_, countsPage) = await Pages.GetAsync(school, $"/attendance/counts?period=Month&date={Day(days[5])}");
            Assert.Contains("新增疑似辍学", countsPage);
        }

        // Day 8: back at school. The clock stops and the ledger hears of the return.
        await RollAsync(w, days.Skip(7), absent: null);
        await RunClockAsync(days[7]);
        await using (var db = App.Db())
        {
            var clock = await db.AbsenceClocks.AsNoTracking().SingleAsync(c => c.StudentId == child);
            Assert.Equal(ClockStage.None, clock.Stage);
            Assert.Equal(days[7], clock.ReturnedOn);
        }
        var api = await head.GetOkAsync<AttendanceApi.ClockDto>($"/api/v1/students/{child}/absence-clock");
        Assert.Equal(ClockStage.None, api.Stage);
        Assert.Contains("返校", api.Explanation);
        Assert.Single(api.FollowUps);
    }
}

public sealed class AttendanceTests_Sqlite(SqliteApp app) : AttendanceTests<SqliteApp>(app);

public sealed class AttendanceTests_Postgres(PostgresApp app) : AttendanceTests<PostgresApp>(app)
{
    /// <summary>A second app server on the same PostgreSQL database, with its own Quartz node in the cluster.</summary>
    private sealed class SecondServer(BaoxueApp first) : BaoxueApp(TestDatabase.SharedWith(first, first.ConnectionString))
    {
        public override Task InitializeAsync()
        {
            Start();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Two_app_servers_on_one_database_run_the_days_clock_once()
    {
        var w = await WorldAsync();
        var second = new SecondServer(App);
        try
        {
            await second.InitializeAsync();
            var date = w.Today.AddDays(-300);
            var data = new Quartz.JobDataMap { [AbsenceClockJob.DateKey] = date.ToString("yyyy-MM-dd") };
            var schedulers = new[] { App, (BaoxueApp)second }.Select(a => a.Services.GetRequiredService<Quartz.ISchedulerFactory>()).ToList();
            var instances = new List<string>();
            foreach (var factory in schedulers)
            {
                var scheduler = await factory.GetScheduler();
                instances.Add(scheduler.SchedulerInstanceId);
                await scheduler.TriggerJob(AbsenceClockJob.Key, data);
            }
            Assert.Equal(2, instances.Distinct().Count());

            await using var db = App.Db();
            ClockRun? run = null;
            for (var i = 0; i < 120 && run?.FinishedAt is null; i++)
            {
                await Task.Delay(500);
                run = await db.ClockRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Date == date);
            }
            Assert.NotNull(run?.FinishedAt);
            Assert.Contains(run!.Instance, instances);
            // Both nodes are in one Quartz cluster on this database, and the day has one run.
            var nodes = await db.Database.SqlQueryRaw<string>("SELECT instance_name AS \"Value\" FROM quartz.qrtz_scheduler_state").ToListAsync();
            Assert.Superset(instances.ToHashSet(), nodes.ToHashSet());
            await Task.Delay(2000);
            Assert.Equal(1, await db.ClockRuns.CountAsync(r => r.Date == date));
        }
        finally
        {
            await second.DisposeAsync();
        }
    }
}
