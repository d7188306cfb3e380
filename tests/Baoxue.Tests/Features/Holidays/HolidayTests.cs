using System.Net;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Features.Attendance;
using Baoxue.Features.Demo;
using Baoxue.Features.Holidays;
using Baoxue.Infrastructure.Paging;
using Baoxue.Tests.Features.Organisation;
using Baoxue.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Baoxue.Tests.Features.Holidays;

/// <summary>
/// Holiday plans and the term-start return check through the real app on a real database (decision 0035): a school
/// draws up, files and gets back its plan; a head teacher's visit retried in parallel is recorded once; the return
/// check writes the day's roll, so a child not back without an excused reason starts the absence clock that very day.
/// </summary>
public abstract class HolidayTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private const string Head = "head.teacher";
    private const string School = "school.admin";
    private const string County = "county.admin";

    private sealed record World(Guid ClassId, Guid SchoolId, DateOnly Today, string Summer, Dictionary<string, Guid> Students);

    private static readonly Dictionary<BaoxueApp, Task<World>> Worlds = [];

    private Task<World> WorldAsync()
    {
        lock (Worlds)
        {
            if (!Worlds.TryGetValue(app, out var world))
            {
                Worlds[app] = world = BuildWorldAsync();
            }
            return world;
        }
    }

    private static readonly string[] Names = ["林晓峰", "黄雨萱", "郑子轩", "陈思远", "吴佳怡"];

    private async Task<World> BuildWorldAsync()
    {
        await using var db = app.Db();
        var head = await db.Users.SingleAsync(u => u.UserName == Head);
        var cls = await db.Classes.AsNoTracking().SingleAsync(c => c.Id == head.PlaceId);
        var year = await db.SchoolYears.AsNoTracking().SingleAsync(y => y.IsCurrent);
        using var school = await app.ClientAsync(School);
        var names = new ChineseNames(20261202);
        var students = new Dictionary<string, Guid>();
        for (var i = 0; i < Names.Length; i++)
        {
            var gender = i % 2 == 0 ? Gender.Male : Gender.Female;
            var birth = new DateOnly(year.StartYear - 9, 1 + i, 3 + i);
            var body = new
            {
                IdNumber = names.IdNumberFor("350123", birth, gender), Name = Names[i], Gender = gender, BirthDate = birth, Ethnicity = "01",
                HouseholdAddress = $"罗源县凤山镇东门路{i + 1}号", ClassId = cls.Id,
                Guardians = new[] { new { Relation = GuardianRelation.Mother, Name = "黄秀英", Phone = $"1380591{i:0000}", WorksAway = i == 0 } },
            };
            var created = await (await school.PostJsonAsync("/api/v1/students", body)).OkAsync<JsonElement>();
            students[Names[i]] = created.GetProperty("id").GetGuid();
        }
        var today = app.Services.GetRequiredService<Baoxue.Infrastructure.Time.CountyClock>().Today;
        // The term began today, and today is a school day at this school: the return check is open whatever day the tests run.
        var term = await db.Terms.Where(t => t.StartDate <= today && t.EndDate >= today).SingleAsync();
        term.StartDate = today;
        var schoolRow = await db.Schools.AsNoTracking().SingleAsync(s => s.Id == cls.SchoolId);
        db.CalendarDays.Add(new CalendarDay { Date = today, IsSchoolDay = true, Name = "测试上课日", SchoolId = schoolRow.Id, Path = schoolRow.Path });
        // Two priority children: left-behind, and poverty-registered.
        db.GroupTags.Add(new GroupTag { StudentId = students["林晓峰"], Kind = GroupKind.LeftBehind, StartedOn = today.AddDays(-30), Source = "测试" });
        db.GroupTags.Add(new GroupTag { StudentId = students["黄雨萱"], Kind = GroupKind.PovertyRegistered, StartedOn = today.AddDays(-30), Source = "测试" });
        // The demo filed last summer's plan for this school; these tests draw it up afresh.
        var summerYear = SchoolYear.StartYearOf(today) - 1;
        db.HolidayPlans.RemoveRange(db.HolidayPlans.Where(p => p.SchoolId == cls.SchoolId && p.StartYear == summerYear && p.Kind == HolidayKind.Summer));
        await db.SaveChangesAsync();
        return new World(cls.Id, cls.SchoolId, today, $"{summerYear}-Summer", students);
    }

    private async Task<Guid> PlanAsync(World w)
    {
        using var school = await app.ClientAsync(School);
        var kind = w.Summer.Split('-');
        var plan = await (await school.PostJsonAsync("/api/v1/attendance/holiday-plans", new { SchoolId = w.SchoolId, StartYear = int.Parse(kind[0]), Kind = kind[1] })).OkAsync<HolidaysApi.PlanStateDto>();
        return plan.Id;
    }

    [Fact]
    public async Task A_school_draws_up_its_plan_files_it_and_the_county_sees_it_returns_it_and_exports_a_titled_sheet()
    {
        var w = await WorldAsync();
        using var school = await app.ClientAsync(School);
        using var county = await app.ClientAsync(County);
        var id = await PlanAsync(w);
        Assert.Equal(id, await PlanAsync(w));

        var plan = await school.GetOkAsync<HolidaysApi.PlanDto>($"/api/v1/attendance/holiday-plans/{id}");
        Assert.Equal(HolidayPlanState.Draft, plan.State);
        var watched = plan.Watches.ToDictionary(x => x.Name);
        Assert.Contains("黄雨萱", watched.Keys);
        Assert.DoesNotContain("郑子轩", watched.Keys);
        Assert.Contains("LeftBehind", watched["林晓峰"].Why);
        await using (var db = app.Db())
        {
            var headTeacher = await db.Classes.Where(c => c.Id == w.ClassId).Select(c => c.HeadTeacherId).SingleAsync();
            Assert.Equal(headTeacher, watched["林晓峰"].StaffId);
        }

        // Filing without measures is refused; nothing changes.
        await (await school.PostJsonAsync($"/api/v1/attendance/holiday-plans/{id}/submission", new { })).AssertRefusedAsync("Measures", "“工作措施”不能为空。");
        await (await school.PutJsonAsync($"/api/v1/attendance/holiday-plans/{id}", new { Measures = "班主任每两周联系一次家长；留守儿童每月家访。" })).OkAsync<HolidaysApi.PlanStateDto>();
        var staffId = plan.Watches[0].StaffId ?? (await school.GetOkAsync<HolidaysApi.PlanDto>($"/api/v1/attendance/holiday-plans/{id}")).Watches[0].StaffId;
        await using (var db = app.Db())
        {
            staffId ??= await db.Staff.Where(s => s.SchoolId == w.SchoolId).Select(s => s.Id).FirstAsync();
        }
        var holidays = await school.GetOkAsync<PagedResult<HolidaysApi.HolidayDto>>("/api/v1/attendance/holidays?pageSize=50");
        var summer = Assert.Single(holidays.Items, h => h.Code == w.Summer);
        await (await school.PostJsonAsync($"/api/v1/attendance/holiday-plans/{id}/visit-plans", new { StudentId = w.Students["林晓峰"], StaffId = staffId, PlannedOn = summer.To.AddDays(5) }))
            .AssertRefusedAsync("PlannedOn", $"计划日期应在假期前后（{Cn(summer.From)}至{Cn(summer.To)}）。");
        await (await school.PostJsonAsync($"/api/v1/attendance/holiday-plans/{id}/visit-plans", new { StudentId = w.Students["林晓峰"], StaffId = staffId, PlannedOn = summer.From.AddDays(5) })).OkAsync<HolidaysApi.VisitPlanDto>();
        var filed = await (await school.PostJsonAsync($"/api/v1/attendance/holiday-plans/{id}/submission", new { })).OkAsync<HolidaysApi.PlanStateDto>();
        Assert.Equal(HolidayPlanState.Submitted, filed.State);
        await (await school.PutJsonAsync($"/api/v1/attendance/holiday-plans/{id}", new { Measures = "改" })).AssertRefusedAsync("State", "预案已报送，县教育局退回后才能修改。");

        // The county sees who has filed: this school, and the others not.
        var rows = await county.GetOkAsync<PagedResult<HolidayPlans.SchoolRow>>($"/api/v1/attendance/holidays/{w.Summer}/plans?pageSize=200");
        Assert.Equal(HolidayPlanState.Submitted, Assert.Single(rows.Items, r => r.SchoolId == w.SchoolId).State);
        Assert.Equal(1, Assert.Single(rows.Items, r => r.SchoolId == w.SchoolId).VisitsPlanned);
        Assert.Contains(rows.Items, r => r.State is null);
        await (await county.GetAsync("/api/v1/attendance/holidays/2026-Spring/plans")).AssertRefusedAsync("holiday", "假期的写法应为“学年-Winter”或“学年-Summer”，如 2026-Winter。");

        // It returns the plan with a reason; the school reads the reason and may change the plan again.
        await (await county.PostJsonAsync($"/api/v1/attendance/holiday-plans/{id}/return", new { Reason = "" })).AssertRefusedAsync("Reason", "“退回理由”不能为空。");
        var back = await (await county.PostJsonAsync($"/api/v1/attendance/holiday-plans/{id}/return", new { Reason = "请补充留守儿童的家访安排。" })).OkAsync<HolidaysApi.PlanStateDto>();
        Assert.Equal(HolidayPlanState.Returned, back.State);
        Assert.Contains("请补充留守儿童的家访安排。", await school.PageTextAsync($"/attendance/holidays/plans/{id}"));
        await (await school.PutJsonAsync($"/api/v1/attendance/holiday-plans/{id}", new { Measures = "班主任每两周联系一次家长；留守儿童每月家访；与村委会对接去向。" })).OkAsync<HolidaysApi.PlanStateDto>();
        await using (var db = app.Db())
        {
            Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(HolidayPlan) && a.EntityId == id.ToString()));
        }

        var html = await county.PageTextAsync($"/attendance/holidays?holiday={w.Summer}");
        Assert.Contains("已退回", html);
        Assert.Contains("未制定", html);

        using var xlsx = await county.GetAsync($"/api/v1/attendance/holidays/{w.Summer}/plans.xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using var document = SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), false);
        var part = (WorksheetPart)document.WorkbookPart!.GetPartById(document.WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Single().Id!);
        var sheet = part.Worksheet;
        var cells = sheet.Descendants<Row>().ToList();
        string Text(Cell c) => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "";
        var title = Text(cells[0].Elements<Cell>().Single());
        Assert.Contains("控辍预案报送情况", title);
        Assert.Contains(Cn(w.Today), title);
        Assert.Equal("乡镇", Text(cells[1].Elements<Cell>().First()));
        Assert.Equal("A3", sheet.Descendants<Pane>().Single().TopLeftCell!.Value);
        Assert.StartsWith("A2:H", sheet.Descendants<AutoFilter>().Single().Reference!.Value);
        Assert.Equal(rows.Total, cells.Count - 2);
        Assert.Contains(cells.Skip(2), r => r.Elements<Cell>().Select(Text).Contains("已退回"));
    }

    [Fact]
    public async Task A_home_visit_retried_in_parallel_is_recorded_once_and_bad_input_writes_nothing()
    {
        var w = await WorldAsync();
        var id = await PlanAsync(w);
        using var head = await app.ClientAsync(Head);
        var holidays = await head.GetOkAsync<PagedResult<HolidaysApi.HolidayDto>>("/api/v1/attendance/holidays?pageSize=50");
        var summer = Assert.Single(holidays.Items, h => h.Code == w.Summer);
        var child = w.Students["郑子轩"];
        await (await head.PostJsonAsync("/api/v1/attendance/holiday-visits", new { PlanId = id, StudentId = child, VisitedOn = summer.From.AddDays(3), Said = "在家", ClientKey = Guid.NewGuid().ToString("N") }))
            .AssertRefusedAsync("Met", "“见到何人”不能为空。");
        await (await head.PostJsonAsync("/api/v1/attendance/holiday-visits", new { PlanId = id, StudentId = child, VisitedOn = w.Today.AddDays(1), Met = "母亲", Said = "在家", ClientKey = Guid.NewGuid().ToString("N") }))
            .AssertRefusedAsync("VisitedOn", "家访日期不能晚于今天。");
        await using (var db = app.Db())
        {
            Assert.Equal(0, await db.HolidayVisits.CountAsync(v => v.StudentId == child));
        }

        var key = Guid.NewGuid().ToString("N");
        var body = new { PlanId = id, StudentId = child, VisitedOn = summer.From.AddDays(3), Met = "母亲", Said = "孩子暑假在家，作业完成一半，开学按时返校。", ClientKey = key };
        var sent = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var client = await app.ClientAsync(Head);
            return await (await client.PostJsonAsync("/api/v1/attendance/holiday-visits", body)).OkAsync<HolidaysApi.VisitDto>();
        }));
        Assert.Single(sent.Select(v => v.Id).Distinct());
        await using (var db = app.Db())
        {
            Assert.Equal(1, await db.HolidayVisits.CountAsync(v => v.ClientKey == key));
            Assert.Equal("母亲", (await db.HolidayVisits.SingleAsync(v => v.ClientKey == key)).Met);
        }
        var plan = await head.GetOkAsync<HolidaysApi.PlanDto>($"/api/v1/attendance/holiday-plans/{id}");
        Assert.Contains(plan.Visits, v => v.StudentId == child && v.Said.StartsWith("孩子暑假在家"));
    }

    [Fact]
    public async Task The_return_check_writes_the_days_roll_and_a_child_not_back_without_excuse_starts_the_clock_that_day()
    {
        var w = await WorldAsync();
        using var head = await app.ClientAsync(Head);
        var home = await head.GetOkAsync<JsonElement>("/api/v1/home");
        Assert.Contains(home.GetProperty("tasks").EnumerateArray(), t => t.GetProperty("key").GetString() == "Holiday.Task.ReturnCheck" && t.GetProperty("count").GetInt32() == 1);
        var view = await head.GetOkAsync<HolidaysApi.ClassCheckDto>($"/api/v1/attendance/return-checks/classes/{w.ClassId}");
        Assert.True(view.Open);
        Assert.Equal(w.Today, view.WindowFirst);
        Assert.Equal(Names.Length, view.Roster.Count);
        var url = $"/api/v1/attendance/return-checks/classes/{w.ClassId}";
        var (missing, sick) = (w.Students["陈思远"], w.Students["吴佳怡"]);

        await (await head.PostJsonAsync(url, new { ClientKey = Guid.NewGuid().ToString("N"), NotBack = new object[] { new { StudentId = missing, Reason = "Other" } } }))
            .AssertRefusedAsync("NotBack", "陈思远选择“其他”时须说明情况。");
        await using (var db = app.Db())
        {
            Assert.False(await db.ReturnChecks.AnyAsync(r => r.ClassId == w.ClassId && r.Date == w.Today));
            Assert.False(await db.AttendanceRecords.AnyAsync(r => r.ClassId == w.ClassId && r.Date == w.Today));
        }

        var key = Guid.NewGuid().ToString("N");
        var body = new { ClientKey = key, NotBack = new object[] { new { StudentId = missing, Reason = "Unknown" }, new { StudentId = sick, Reason = "SickLeave", Note = "肺炎住院" } } };
        var sent = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using var client = await app.ClientAsync(Head);
            return await (await client.PostJsonAsync(url, body)).OkAsync<HolidaysApi.CheckDto>();
        }));
        Assert.Single(sent.Select(c => c.Id).Distinct());
        Assert.Equal((Names.Length, 2, 1), (sent[0].OnRoll, sent[0].NotBack, sent[0].Unexcused));

        // The check is the day's roll: one record, one absence, one excused.
        await using (var db = app.Db())
        {
            var record = await db.AttendanceRecords.AsNoTracking().SingleAsync(r => r.ClassId == w.ClassId && r.Date == w.Today && r.Lesson == 0);
            var marks = await db.AttendanceMarks.AsNoTracking().Where(m => m.SubmissionId == record.CurrentSubmissionId).ToDictionaryAsync(m => m.StudentId);
            Assert.Equal(2, marks.Count);
            Assert.Equal(AttendanceKind.Absent, marks[missing].Kind);
            Assert.Equal("开学未返校（原因不明）", marks[missing].Reason);
            Assert.Equal(AttendanceKind.OnLeave, marks[sick].Kind);
            Assert.Equal(1, await db.ReturnChecks.CountAsync(r => r.ClassId == w.ClassId && r.Date == w.Today));
        }

        // The daily clock counts that day as it counts any absence on the roll: the follow-up starts today.
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<ClockRunner>().RunAsync(w.Today, "test");
        }
        await using (var db = app.Db())
        {
            var clock = await db.AbsenceClocks.AsNoTracking().SingleAsync(c => c.StudentId == missing);
            Assert.Equal(ClockStage.FollowUp, clock.Stage);
            Assert.Equal(w.Today, clock.FirstDay);
            Assert.False(await db.AbsenceClocks.AnyAsync(c => c.StudentId == sick && c.Stage != ClockStage.None));
        }
        home = await head.GetOkAsync<JsonElement>("/api/v1/home");
        Assert.DoesNotContain(home.GetProperty("tasks").EnumerateArray(), t => t.GetProperty("key").GetString() == "Holiday.Task.ReturnCheck");

        // Progress: the school's classes with this one confirmed, and the children not back.
        using var county = await app.ClientAsync(County);
        var townships = await county.GetOkAsync<PagedResult<ReturnChecks.ProgressRow>>("/api/v1/attendance/return-checks/progress");
        Assert.True(townships.Items.Sum(t => t.NotBack) >= 2);
        var classes = await county.GetOkAsync<PagedResult<ReturnChecks.ProgressRow>>($"/api/v1/attendance/return-checks/progress?school={w.SchoolId}&pageSize=100");
        var mine = Assert.Single(classes.Items, c => c.Id == w.ClassId);
        Assert.Equal((1, 1, Names.Length, 2, 1), (mine.Classes, mine.Confirmed, mine.OnRoll, mine.NotBack, mine.Unexcused));
        var children = await county.GetOkAsync<PagedResult<ReturnChecks.ChildRow>>($"/api/v1/attendance/return-checks/children?school={w.SchoolId}&pageSize=100");
        Assert.Contains(children.Items, c => c.StudentId == missing && c.Reason == NotBackReason.Unknown && !c.Excused);
        Assert.Contains(children.Items, c => c.StudentId == sick && c.Excused && c.Note == "肺炎住院");
        var page = await county.PageTextAsync($"/attendance/return-check?school={w.SchoolId}");
        Assert.Contains("陈思远", page);
        Assert.Contains("原因不明", page);

        using var xlsx = await county.GetAsync("/api/v1/attendance/return-checks/progress.xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using var document = SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), false);
        var part = (WorksheetPart)document.WorkbookPart!.GetPartById(document.WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Single().Id!);
        var cells = part.Worksheet.Descendants<Row>().ToList();
        string Text(Cell c) => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "";
        Assert.Contains("开学返校核查进度", Text(cells[0].Elements<Cell>().Single()));
        Assert.Equal("A3", part.Worksheet.Descendants<Pane>().Single().TopLeftCell!.Value);
        Assert.StartsWith("A2:G", part.Worksheet.Descendants<AutoFilter>().Single().Reference!.Value);

        // Out of reach: another school's class is not the head teacher's to confirm.
        await using (var db = app.Db())
        {
            var other = await db.Classes.Where(c => c.SchoolId != w.SchoolId && c.SchoolYear!.IsCurrent).Select(c => c.Id).FirstAsync();
            Assert.Equal(HttpStatusCode.NotFound, (await head.PostJsonAsync($"/api/v1/attendance/return-checks/classes/{other}", new { ClientKey = Guid.NewGuid().ToString("N") })).StatusCode);
        }
    }

    private static string Cn(DateOnly d) => $"{d.Year}年{d.Month}月{d.Day}日";
}

public sealed class HolidayTests_Sqlite(SqliteApp app) : HolidayTests<SqliteApp>(app);

public sealed class HolidayTests_Postgres(PostgresApp app) : HolidayTests<PostgresApp>(app);
