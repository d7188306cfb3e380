using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Tests.Features.Organisation;
using Baoxue.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Tests.Features.Reporting;

/// <summary>The app with reporting's arrangements: administrators without two-factor sign-in, students made directly in the database.</summary>
public abstract class ReportingApp : BaoxueApp
{
    private int _students;

    protected ReportingApp(TestDatabase database) : base(database) => With("Security:RequireTwoFactorForAdministrators", "false");

    /// <summary>Adds students on roll to the demo school's grade-5 class, with priority groups; returns how many.</summary>
    public async Task AddStudentsAsync(int count, GroupKind? tag = null)
    {
        await using var db = Db();
        var schoolId = (await db.Users.SingleAsync(u => u.UserName == "school.admin")).PlaceId;
        var cls = await db.Classes.Where(c => c.SchoolId == schoolId && c.Grade == 5 && c.SchoolYear!.IsCurrent).OrderBy(c => c.Number).FirstAsync();
        for (var i = 0; i < count; i++)
        {
            var n = Interlocked.Increment(ref _students);
            var names = new ChineseNames(9000 + n);
            var gender = n % 2 == 0 ? Gender.Female : Gender.Male;
            var student = new Student
            {
                RegistryNumber = $"L{n:000000000000000000}",
                Name = names.FullName(gender),
                Gender = gender,
                BirthDate = new DateOnly(2016, 3, 1).AddDays(n),
                Ethnicity = n % 3 == 0 ? "02" : "01",
                SchoolId = schoolId,
                ClassId = cls.Id,
                Grade = 5,
                Path = cls.Path,
            };
            db.Students.Add(student);
            if (tag is { } kind)
            {
                db.GroupTags.Add(new GroupTag { StudentId = student.Id, Kind = kind, StartedOn = db.County.Today.AddYears(-1), Source = "测试" });
            }
        }
        await db.SaveChangesAsync();
    }
}

public sealed class ReportingSqliteApp() : ReportingApp(TestDatabase.Sqlite());

public sealed class ReportingPostgresApp() : ReportingApp(TestDatabase.Postgres());

/// <summary>
/// The reporting rhythm end to end through the API on a real database: a school's monthly report generated with its
/// figures frozen, returned for correction and approved (two reviewers at once: one wins, the other hears 409), a
/// county's quarterly circular approved by the city, the overdue list, the statistical table in xlsx and Word, and a
/// phased campaign worked by a school and confirmed by the county, on the home page as tasks.
/// </summary>
public abstract class ReportingTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : ReportingApp
{
    private static readonly JsonSerializerOptions Json = OrganisationKit.Json;

    private async Task<DateOnly> TodayAsync()
    {
        await using var db = app.Db();
        return db.County.Today;
    }

    private async Task<JsonElement> GenerateAsync(HttpClient client, ReportKind kind, DateOnly period) =>
        await (await client.PostJsonAsync("/api/v1/reports", new { kind, period })).OkAsync<JsonElement>();

    private static async Task<HttpResponseMessage> StepAsync(HttpClient client, Guid id, string step, object body) => await client.PostJsonAsync($"/api/v1/reports/{id}/{step}", body);

    [Fact]
    public async Task A_monthly_report_keeps_the_figures_it_was_generated_with()
    {
        await app.AddStudentsAsync(3, GroupKind.LeftBehind);
        using var school = await app.ClientAsync("school.admin");
        var month = (await TodayAsync()).AddMonths(-4);
        var report = await GenerateAsync(school, ReportKind.SchoolMonthly, month);
        var id = report.GetProperty("id").GetGuid();
        Assert.Equal("Draft", report.GetProperty("state").GetString());
        Assert.Equal(new DateOnly(month.Year, month.Month, 1), report.GetProperty("periodStart").Deserialize<DateOnly>());

        await using (var db = app.Db())
        {
            var schoolPath = (await db.Users.SingleAsync(u => u.UserName == "school.admin")).Path;
            var onRoll = await db.Students.CountAsync(s => s.Path.StartsWith(schoolPath) && s.Status == StudentStatus.InSchool);
            var leftBehind = await db.GroupTags.Where(t => t.Kind == GroupKind.LeftBehind && t.Student!.Path.StartsWith(schoolPath) && t.Student.Status == StudentStatus.InSchool).Select(t => t.StudentId).Distinct().CountAsync();
            var figures = report.GetProperty("figures");
            Assert.Equal(onRoll, figures.GetProperty("total").GetProperty("students").GetInt32());
            Assert.Equal(onRoll, figures.GetProperty("gradeTotal").GetProperty("students").GetInt32());
            Assert.Equal(leftBehind, figures.GetProperty("gradeTotal").GetProperty("leftBehind").GetInt32());
            Assert.True(onRoll >= 3);
        }
        var before = report.GetProperty("figures").GetProperty("total").GetProperty("students").GetInt32();

        // Students added later do not change what the report says; counting again is the unit's choice while it edits.
        await app.AddStudentsAsync(2);
        var again = await school.GetOkAsync<JsonElement>($"/api/v1/reports/{id}");
        Assert.Equal(before, again.GetProperty("figures").GetProperty("total").GetProperty("students").GetInt32());
        var refreshed = await (await StepAsync(school, id, "refresh", new { })).OkAsync<JsonElement>();
        Assert.Equal(before + 2, refreshed.GetProperty("figures").GetProperty("total").GetProperty("students").GetInt32());

        // Once submitted, it stays as filed.
        await (await StepAsync(school, id, "submit", new { })).OkAsync<JsonElement>();
        await app.AddStudentsAsync(1);
        await (await StepAsync(school, id, "refresh", new { })).AssertRefusedAsync("State", "报表当前状态下不能进行此操作。");
        var filed = await school.GetOkAsync<JsonElement>($"/api/v1/reports/{id}");
        Assert.Equal(before + 2, filed.GetProperty("figures").GetProperty("total").GetProperty("students").GetInt32());

        // The same period twice is refused, naming the field.
        await (await school.PostJsonAsync("/api/v1/reports", new { kind = ReportKind.SchoolMonthly, period = month })).AssertRefusedAsync("Period", "本单位该期间的报表已经生成，请在列表中打开。");
        // A school does not file the county's circular.
        await (await school.PostJsonAsync("/api/v1/reports", new { kind = ReportKind.CountyQuarterly })).AssertRefusedAsync("Kind", "本单位不报送这类报表：学校报送月报；县（区）报送季度通报和学期、学年总结；市报送学期、学年总结。");
        await (await school.PostJsonAsync("/api/v1/reports", new { kind = ReportKind.SchoolMonthly, period = (await TodayAsync()).AddMonths(2) })).AssertRefusedAsync("Period", "该期间尚未开始，不能生成报表。");
    }

    [Fact]
    public async Task The_county_returns_a_report_for_correction_then_two_reviewers_approve_at_once_and_one_wins()
    {
        using var school = await app.ClientAsync("school.admin");
        using var county = await app.ClientAsync("county.admin");
        using var bureau = await app.ClientAsync("bureau.staff");
        var report = await GenerateAsync(school, ReportKind.SchoolMonthly, (await TodayAsync()).AddMonths(-5));
        var id = report.GetProperty("id").GetGuid();

        // Nothing to decide before it is submitted; the county does not submit for the school.
        Assert.Equal(HttpStatusCode.Forbidden, (await StepAsync(county, id, "submit", new { })).StatusCode);
        await (await StepAsync(county, id, "decision", new { approve = true })).AssertRefusedAsync("State", "报表当前状态下不能进行此操作。");
        var edited = await (await school.PutJsonAsync($"/api/v1/reports/{id}/narrative", new { narrative = "本月无新增辍学。" })).OkAsync<JsonElement>();
        await (await StepAsync(school, id, "submit", new { version = edited.GetProperty("version").GetInt32() })).OkAsync<JsonElement>();
        Assert.Contains(id.ToString(), (await county.GetStringAsync("/api/v1/reports?view=ToReview")), StringComparison.Ordinal);

        // Returning says why; the school corrects and submits again.
        await (await StepAsync(county, id, "decision", new { approve = false })).AssertRefusedAsync("Note", "退回时请填写意见，说明需要修改的地方。");
        var returned = await (await StepAsync(county, id, "decision", new { approve = false, note = "请补充劝返措施。" })).OkAsync<JsonElement>();
        Assert.Equal("Returned", returned.GetProperty("state").GetString());
        Assert.Equal("请补充劝返措施。", returned.GetProperty("decisionNote").GetString());
        // A school administrator cannot decide (the policy refuses before the use case runs).
        Assert.Equal(HttpStatusCode.Forbidden, (await StepAsync(school, id, "decision", new { approve = true })).StatusCode);
        await (await school.PutJsonAsync($"/api/v1/reports/{id}/narrative", new { narrative = "本月无新增辍学；已对两名学生入户家访。" })).OkAsync<JsonElement>();
        var resubmitted = await (await StepAsync(school, id, "submit", new { })).OkAsync<JsonElement>();
        var version = resubmitted.GetProperty("version").GetInt32();

        // Two reviewers decide on the same reading at the same moment: one is recorded, the other is told in Chinese.
        var answers = await Task.WhenAll(
            StepAsync(county, id, "decision", new { approve = true, version }),
            StepAsync(bureau, id, "decision", new { approve = true, version }));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        var lost = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Conflict);
        using (var problem = JsonDocument.Parse(await lost.Content.ReadAsStringAsync()))
        {
            Assert.Equal("已被他人处理，请刷新后再试。", problem.RootElement.GetProperty("title").GetString());
        }
        // A decision already taken answers the same way, with or without a version.
        Assert.Equal(HttpStatusCode.Conflict, (await StepAsync(bureau, id, "decision", new { approve = false, note = "晚了" })).StatusCode);

        var archived = await (await StepAsync(county, id, "archive", new { })).OkAsync<JsonElement>();
        Assert.Equal("Archived", archived.GetProperty("state").GetString());

        // Every transition is an audit line with the state before and after.
        await using var db = app.Db();
        var key = id.ToString();
        var lines = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == nameof(Report) && a.EntityId == key).OrderBy(a => a.Sequence).ToListAsync();
        var states = lines.Where(l => l.Action == AuditAction.Update && l.After != null && l.After.Contains("\"State\"", StringComparison.Ordinal)).Select(l => l.UserName).ToList();
        Assert.Equal(["school.admin", "county.admin", "school.admin"], states.Take(3));
        Assert.Equal(5, lines.Count(l => l.Action == AuditAction.Update && l.After!.Contains("\"State\"", StringComparison.Ordinal)));
        var stored = await db.Reports.AsNoTracking().SingleAsync(r => r.Id == id);
        Assert.Equal(ReportState.Archived, stored.State);
        Assert.Contains(stored.DecidedBy, new[] { "county.admin", "bureau.staff" });
    }

    [Fact]
    public async Task The_countys_quarterly_circular_goes_to_the_city_which_approves_it()
    {
        using var county = await app.ClientAsync("county.admin");
        using var city = await app.ClientAsync("city.staff");
        var report = await GenerateAsync(county, ReportKind.CountyQuarterly, (await TodayAsync()).AddMonths(-3));
        var id = report.GetProperty("id").GetGuid();
        // A county's circular lists its schools, each with its movement and loss.
        await using (var db = app.Db())
        {
            var countyPath = (await db.Users.SingleAsync(u => u.UserName == "county.admin")).Path;
            Assert.Equal(await db.Schools.CountAsync(s => s.Path.StartsWith(countyPath) && s.IsActive), report.GetProperty("figures").GetProperty("units").GetArrayLength());
            var stored = await db.Reports.AsNoTracking().SingleAsync(r => r.Id == id);
            Assert.Equal((await db.Users.SingleAsync(u => u.UserName == "city.staff")).Path, stored.ReviewerPath);
        }
        await (await StepAsync(county, id, "submit", new { })).OkAsync<JsonElement>();
        // The county cannot approve its own circular; the city can.
        Assert.Equal(HttpStatusCode.Forbidden, (await StepAsync(county, id, "decision", new { approve = true })).StatusCode);
        var approved = await (await StepAsync(city, id, "decision", new { approve = true, note = "已阅。" })).OkAsync<JsonElement>();
        Assert.Equal("Approved", approved.GetProperty("state").GetString());
        // The school below the county neither sees the county's circular.
        using var school = await app.ClientAsync("school.admin");
        Assert.Equal(HttpStatusCode.NotFound, (await school.GetAsync($"/api/v1/reports/{id}")).StatusCode);
        // People outside the rhythm are refused by the policy.
        using var teacher = await app.ClientAsync("head.teacher");
        Assert.Equal(HttpStatusCode.Forbidden, (await teacher.GetAsync("/api/v1/reports")).StatusCode);
    }

    [Fact]
    public async Task The_county_sees_which_schools_have_not_filed_on_time()
    {
        var today = await TodayAsync();
        using var county = await app.ClientAsync("county.admin");
        var overdue = await county.GetOkAsync<JsonElement[]>("/api/v1/reports/overdue");
        await using var db = app.Db();
        var countyPath = (await db.Users.SingleAsync(u => u.UserName == "county.admin")).Path;
        var schools = await db.Schools.CountAsync(s => s.Path.StartsWith(countyPath) && s.IsActive);
        // Every school owes every monthly report due since the school year began; none was filed before its due date.
        var since = new DateOnly(SchoolYear.StartYearOf(today), 9, 1);
        var due = 0;
        for (var (start, end) = ReportRhythm.PreviousPeriod(ReportKind.SchoolMonthly, today); end.AddDays(5) >= since; (start, end) = ReportRhythm.PeriodOf(ReportKind.SchoolMonthly, start.AddDays(-1)))
        {
            due += end.AddDays(5) < today ? 1 : 0;
        }
        Assert.Equal(schools * due, overdue.Length);
        Assert.All(overdue, o => Assert.Equal("SchoolMonthly", o.GetProperty("kind").GetString()));
        // A school sees no one below it.
        using var school = await app.ClientAsync("school.admin");
        Assert.Empty(await school.GetOkAsync<JsonElement[]>("/api/v1/reports/overdue"));
    }

    [Fact]
    public async Task The_statistical_table_counts_by_grade_and_downloads_as_xlsx_and_word()
    {
        await app.AddStudentsAsync(2, GroupKind.Disabled);
        using var school = await app.ClientAsync("school.admin");
        var table = await school.GetOkAsync<JsonElement>("/api/v1/reporting/tables?moment=YearEnd");
        await using var db = app.Db();
        var schoolPath = (await db.Users.SingleAsync(u => u.UserName == "school.admin")).Path;
        var grade5 = await db.Students.CountAsync(s => s.Path.StartsWith(schoolPath) && s.Status == StudentStatus.InSchool && s.Grade == 5);
        var disabled = await db.GroupTags.Where(t => t.Kind == GroupKind.Disabled && t.Student!.Path.StartsWith(schoolPath) && t.Student.Status == StudentStatus.InSchool).Select(t => t.StudentId).Distinct().CountAsync();
        var row = table.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("grade").GetInt32() == 5);
        Assert.Equal(grade5, row.GetProperty("students").GetInt32());
        Assert.Equal(disabled, table.GetProperty("total").GetProperty("disabled").GetInt32());
        var title = table.GetProperty("title").GetString()!;
        Assert.EndsWith("学年末在校学生登记统计表", title, StringComparison.Ordinal);

        var xlsx = await school.GetAsync("/api/v1/reporting/tables/xlsx?moment=YearEnd");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using (var zip = new ZipArchive(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync())))
        {
            var sheet = await new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open()).ReadToEndAsync();
            Assert.Contains("state=\"frozen\"", sheet, StringComparison.Ordinal);
            Assert.Contains("<autoFilter", sheet, StringComparison.Ordinal);
            Assert.Contains("<col ", sheet, StringComparison.Ordinal);
        }
        using (var reader = Baoxue.Infrastructure.Spreadsheets.SpreadsheetReader.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), "table.xlsx"))
        {
            Assert.Equal(["年级", "班数", "在校学生数", "其中：女生", "少数民族", "留守儿童", "残疾学生", "随迁子女", "建档立卡"], reader.Headers);
            var lines = new List<Baoxue.Infrastructure.Spreadsheets.SheetRow>();
            while (reader.TryReadRow(out var line))
            {
                lines.Add(line);
            }
            Assert.Equal("五年级", lines.Single(l => l[0].Text == "五年级")[0].Text);
            Assert.Equal(grade5.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), lines.Single(l => l[0].Text == "五年级")[2].Text);
            Assert.Equal("合计", lines[^1][0].Text);
        }

        var docx = await school.GetAsync("/api/v1/reporting/tables/docx?moment=YearEnd");
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
        using (var word = WordprocessingDocument.Open(new MemoryStream(await docx.Content.ReadAsByteArrayAsync()), false))
        {
            var text = word.MainDocumentPart!.Document!.Body!.InnerText;
            Assert.Contains(title, text, StringComparison.Ordinal);
            Assert.Contains("留守儿童", text, StringComparison.Ordinal);
            Assert.Contains("五年级", text, StringComparison.Ordinal);
        }
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.EntityType == "StatTable" && a.Action == AuditAction.Export && a.UserName == "school.admin"));
    }

    [Fact]
    public async Task A_campaign_runs_phase_by_phase_at_each_school_and_shows_on_the_home_page()
    {
        var today = await TodayAsync();
        using var county = await app.ClientAsync("county.admin");
        using var school = await app.ClientAsync("school.admin");
        await (await county.PostJsonAsync("/api/v1/campaigns", new { title = "秋季控辍保学专项行动", selfCheckDue = today.AddDays(3), countyCheckDue = today.AddDays(1), rectificationDue = today.AddDays(20) }))
            .AssertRefusedAsync("CountyCheckDue", "各阶段截止日期应依次为：自查、县级复查、整改。");
        await (await county.PostJsonAsync("/api/v1/campaigns", new { selfCheckDue = today })).AssertRefusedAsync("Title", "“行动名称”不能为空。");
        var created = await (await county.PostJsonAsync("/api/v1/campaigns", new
        {
            title = "秋季控辍保学专项行动", description = "学校自查学籍与台账", selfCheckDue = today.AddDays(3), countyCheckDue = today.AddDays(10), rectificationDue = today.AddDays(20),
        })).OkAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Forbidden, (await school.PostJsonAsync("/api/v1/campaigns", new { title = "x" })).StatusCode);

        // The school sees its own line only, and has the self-check due as a task.
        var mine = await school.GetOkAsync<JsonElement>($"/api/v1/campaigns/{id}");
        var row = Assert.Single(mine.GetProperty("schools").EnumerateArray());
        var cells = row.GetProperty("cells").EnumerateArray().ToList();
        var home = await school.GetOkAsync<JsonElement>("/api/v1/home");
        Assert.Contains(home.GetProperty("tasks").EnumerateArray(), t => t.GetProperty("key").GetString() == "Reporting.Task.PhaseDue" && t.GetProperty("count").GetInt32() >= 1);

        var self = cells[0].GetProperty("progressId").GetGuid();
        var check = cells[1].GetProperty("progressId").GetGuid();
        await (await school.PostJsonAsync($"/api/v1/campaigns/progress/{check}/mark", new { note = "已配合" })).AssertRefusedAsync("State", "上一阶段经县级确认后，才能报告本阶段完成。");
        await (await school.PostJsonAsync($"/api/v1/campaigns/progress/{self}/mark", new { })).AssertRefusedAsync("Note", "“完成情况说明”不能为空。");
        var marked = await (await school.PostJsonAsync($"/api/v1/campaigns/progress/{self}/mark", new { note = "已完成学籍、台账自查，问题清单附后。" })).OkAsync<JsonElement>();
        Assert.Equal("Marked", marked.GetProperty("state").GetString());

        var countyHome = await county.GetOkAsync<JsonElement>("/api/v1/home");
        Assert.Contains(countyHome.GetProperty("tasks").EnumerateArray(), t => t.GetProperty("key").GetString() == "Reporting.Task.PhaseToConfirm" && t.GetProperty("count").GetInt32() >= 1);
        await (await county.PostJsonAsync($"/api/v1/campaigns/progress/{self}/review", new { confirm = false })).AssertRefusedAsync("Note", "退回时请填写意见，说明需要修改的地方。");
        var returned = await (await county.PostJsonAsync($"/api/v1/campaigns/progress/{self}/review", new { confirm = false, note = "缺少问题清单" })).OkAsync<JsonElement>();
        Assert.Equal("Returned", returned.GetProperty("state").GetString());
        await (await school.PostJsonAsync($"/api/v1/campaigns/progress/{self}/mark", new { note = "已补充问题清单。" })).OkAsync<JsonElement>();
        await (await county.PostJsonAsync($"/api/v1/campaigns/progress/{self}/review", new { confirm = true })).OkAsync<JsonElement>();
        await (await school.PostJsonAsync($"/api/v1/campaigns/progress/{check}/mark", new { note = "已配合县级复查" })).OkAsync<JsonElement>();

        // The dashboard's query: per phase, schools, marked and confirmed within the reader's reach.
        var running = await county.GetOkAsync<JsonElement[]>("/api/v1/campaigns/running");
        var summary = running.Single(c => c.GetProperty("id").GetGuid() == id);
        var phases = summary.GetProperty("phases").EnumerateArray().ToList();
        await using var db = app.Db();
        var countyPath = (await db.Users.SingleAsync(u => u.UserName == "county.admin")).Path;
        var schools = await db.Schools.CountAsync(s => s.Path.StartsWith(countyPath) && s.IsActive);
        Assert.Equal(schools, phases[0].GetProperty("schools").GetInt32());
        Assert.Equal(1, phases[0].GetProperty("confirmed").GetInt32());
        Assert.Equal(1, phases[1].GetProperty("marked").GetInt32());
        Assert.Equal(0, phases[1].GetProperty("confirmed").GetInt32());
        var audited = await db.AuditEntries.CountAsync(a => a.EntityType == nameof(CampaignProgress) && a.EntityId == self.ToString() && a.Action == AuditAction.Update);
        Assert.Equal(4, audited);
    }
}

public sealed class ReportingSqliteTests(ReportingSqliteApp app) : ReportingTests<ReportingSqliteApp>(app);

public sealed class ReportingPostgresTests(ReportingPostgresApp app) : ReportingTests<ReportingPostgresApp>(app);
