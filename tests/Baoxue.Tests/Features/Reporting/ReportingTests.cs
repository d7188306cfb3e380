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

    /// <summary>Adds students on roll to the demo school's class of a grade (5 unless said), with priority groups; returns their ids.</summary>
    public async Task<List<Guid>> AddStudentsAsync(int count, GroupKind? tag = null, int grade = 5, DateOnly? tagFrom = null)
    {
        await using var db = Db();
        var schoolId = (await db.Users.SingleAsync(u => u.UserName == "school.admin")).PlaceId;
        var cls = await db.Classes.Where(c => c.SchoolId == schoolId && c.Grade == grade && c.SchoolYear!.IsCurrent).OrderBy(c => c.Number).FirstAsync();
        var ids = new List<Guid>();
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
                Grade = grade,
                Path = cls.Path,
            };
            db.Students.Add(student);
            ids.Add(student.Id);
            if (tag is { } kind)
            {
                db.GroupTags.Add(new GroupTag { StudentId = student.Id, Kind = kind, StartedOn = tagFrom ?? db.County.Today.AddYears(-1), Source = "测试" });
            }
        }
        await db.SaveChangesAsync();
        return ids;
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

    private async Task<string> PathOfAsync(string userName)
    {
        await using var db = app.Db();
        return (await db.Users.SingleAsync(u => u.UserName == userName)).Path;
    }

    private static long Count(JsonElement board, string measure, string dimension) =>
        board.GetProperty("counts").EnumerateArray().Where(c => c.GetProperty("measure").GetString() == measure && c.GetProperty("dimension").GetString() == dimension)
            .Sum(c => c.GetProperty("value").GetInt64());

    [Fact]
    public async Task A_reports_figures_are_its_rates_snapshots_equal_the_dashboard_for_its_date_and_stay_frozen()
    {
        await app.AddStudentsAsync(2, GroupKind.LeftBehind);
        await app.AddStudentsAsync(1, grade: 3);
        var schoolPath = await PathOfAsync("school.admin");
        using var school = await app.ClientAsync("school.admin");
        using var county = await app.ClientAsync("county.admin");
        var report = await GenerateAsync(school, ReportKind.SchoolMonthly, (await TodayAsync()).AddMonths(-2));
        var id = report.GetProperty("id").GetGuid();
        var setId = report.GetProperty("figureSetId").GetGuid();
        var asOf = report.GetProperty("asOf").GetString();
        var figures = report.GetProperty("figures");

        // The dashboard of the report's date reads the very snapshot the report refers to, and shows the same figures.
        var board = await county.GetOkAsync<JsonElement>($"/api/v1/rates?path={Uri.EscapeDataString(schoolPath)}&asOf={asOf}");
        Assert.Equal(setId, board.GetProperty("set").GetProperty("id").GetGuid());
        Assert.Equal(asOf, board.GetProperty("set").GetProperty("asOf").GetString());
        void SameAsBoard(JsonElement f, JsonElement b)
        {
            Assert.Equal(Count(b, "enrolled", ""), f.GetProperty("total").GetProperty("students").GetInt32());
            Assert.Equal(Count(b, "enrolled", ""), f.GetProperty("gradeTotal").GetProperty("students").GetInt32());
            var lists = Enum.GetValues<Baoxue.Features.Ledger.LedgerList>().Sum(l => Count(b, "ledger", "list=" + (int)l));
            Assert.Equal(lists, f.GetProperty("total").GetProperty("openLedger").GetInt32());
            foreach (var g in f.GetProperty("grades").EnumerateArray())
            {
                Assert.Equal(Count(b, "enrolled", "grade=" + g.GetProperty("grade").GetInt32()), g.GetProperty("students").GetInt32());
            }
        }
        SameAsBoard(figures, board);
        Assert.Contains(figures.GetProperty("grades").EnumerateArray(), g => g.GetProperty("grade").GetInt32() == 3 && g.GetProperty("students").GetInt32() >= 1);
        var students = figures.GetProperty("total").GetProperty("students").GetInt32();
        await using (var db = app.Db())
        {
            Assert.Equal(await db.Students.CountAsync(s => s.Path.StartsWith(schoolPath) && s.Status == StudentStatus.InSchool), students);
            var stored = await db.Reports.AsNoTracking().SingleAsync(r => r.Id == id);
            Assert.Equal(setId, stored.FigureSetId);
            Assert.Equal("", stored.Figures);
            Assert.Equal(Baoxue.Features.Rates.FigureSetKind.OnDemand, (await db.FigureSets.SingleAsync(x => x.Id == setId)).Kind);
        }

        // The registry changes and the figures are recomputed: today's dashboard moves on, the report and its snapshot do not.
        await app.AddStudentsAsync(3);
        await (await county.PostJsonAsync("/api/v1/rates/recompute", new { })).OkAsync<JsonElement>();
        var today = await county.GetOkAsync<JsonElement>($"/api/v1/rates?path={Uri.EscapeDataString(schoolPath)}");
        Assert.Equal(students + 3, Count(today, "enrolled", ""));
        await (await StepAsync(school, id, "submit", new { })).OkAsync<JsonElement>();
        var filed = await county.GetOkAsync<JsonElement>($"/api/v1/reports/{id}");
        Assert.Equal(students, filed.GetProperty("figures").GetProperty("total").GetProperty("students").GetInt32());
        SameAsBoard(filed.GetProperty("figures"), await county.GetOkAsync<JsonElement>($"/api/v1/rates?path={Uri.EscapeDataString(schoolPath)}&set={setId}"));
        // The words the unit wrote are its own, beside the snapshot's figures.
        Assert.Equal(JsonValueKind.Null, filed.GetProperty("narrative").ValueKind);
    }

    [Fact]
    public async Task A_transfer_out_of_a_grade_3_student_shows_in_grade_3s_movement_on_the_year_end_table()
    {
        var student = (await app.AddStudentsAsync(1, grade: 3))[0];
        using var school = await app.ClientAsync("school.admin");
        using var county = await app.ClientAsync("county.admin");
        static JsonElement? Grade3(JsonElement table) => table.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("grade").GetInt32() == 3).Cast<JsonElement?>().FirstOrDefault();
        var before = Grade3(await school.GetOkAsync<JsonElement>("/api/v1/reporting/tables?moment=YearEnd"));
        var outBefore = before?.GetProperty("transfersOut").GetInt32() ?? 0;
        var onRollBefore = before?.GetProperty("students").GetInt32() ?? 0;

        var change = await (await school.PostJsonAsync("/api/v1/status-changes", new
        {
            kind = StatusChangeKind.TransferOut, studentId = student, reason = "随父母外出务工转学", effectiveOn = await TodayAsync(), externalSchool = "广东省深圳市宝安区新安小学",
        })).OkAsync<JsonElement>();
        static JsonElement Change(JsonElement x) => x.TryGetProperty("change", out var inner) ? inner : x;
        var changeId = Change(change).GetProperty("id").GetGuid();
        // The bureau approves the stage waiting for it; the change takes effect there.
        for (var i = 0; i < 3; i++)
        {
            var detail = Change(await county.GetOkAsync<JsonElement>($"/api/v1/status-changes/{changeId}"));
            if (detail.GetProperty("awaitingStage").ValueKind == JsonValueKind.Null || detail.GetProperty("awaitingStage").GetString() == "ReceivingSchool")
            {
                break;
            }
            var by = detail.GetProperty("awaitingStage").GetString() == "School" ? school : county;
            await (await by.PostJsonAsync($"/api/v1/status-changes/{changeId}/decision", new { approve = true, comment = "同意" })).OkAsync<JsonElement>();
        }
        await using (var db = app.Db())
        {
            var stored = await db.StatusChanges.AsNoTracking().SingleAsync(c => c.Id == changeId);
            Assert.Equal(3, stored.Grade);
            Assert.Equal(StudentStatus.TransferredOut, (await db.Students.AsNoTracking().SingleAsync(s => s.Id == student)).Status);
        }

        var table = await school.GetOkAsync<JsonElement>("/api/v1/reporting/tables?moment=YearEnd");
        var after = Grade3(table)!.Value;
        Assert.Equal(outBefore + 1, after.GetProperty("transfersOut").GetInt32());
        Assert.Equal(onRollBefore - 1, after.GetProperty("students").GetInt32());
        Assert.Equal(0, table.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("grade").GetInt32() != 3).Sum(r => r.GetProperty("transfersOut").GetInt32())
            - (table.GetProperty("total").GetProperty("transfersOut").GetInt32() - after.GetProperty("transfersOut").GetInt32()));
        // The county sees the same line in its table (the school's grade 3 is part of it).
        var countyTable = await county.GetOkAsync<JsonElement>("/api/v1/reporting/tables?moment=YearEnd");
        Assert.True(Grade3(countyTable)!.Value.GetProperty("transfersOut").GetInt32() >= 1);

        // The xlsx and the Word file carry the movement columns.
        var xlsx = await school.GetAsync("/api/v1/reporting/tables/xlsx?moment=YearEnd");
        using (var reader = Baoxue.Infrastructure.Spreadsheets.SpreadsheetReader.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), "table.xlsx"))
        {
            var outColumn = reader.Headers.ToList().IndexOf("转出");
            Assert.True(outColumn > 0);
            var lines = new List<Baoxue.Infrastructure.Spreadsheets.SheetRow>();
            while (reader.TryReadRow(out var line))
            {
                lines.Add(line);
            }
            Assert.Equal((outBefore + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), lines.Single(l => l[0].Text == "三年级")[outColumn].Text);
        }
        var docx = await school.GetAsync("/api/v1/reporting/tables/docx?moment=YearEnd");
        using (var word = WordprocessingDocument.Open(new MemoryStream(await docx.Content.ReadAsByteArrayAsync()), false))
        {
            var text = word.MainDocumentPart!.Document!.Body!.InnerText;
            Assert.Contains("转出", text, StringComparison.Ordinal);
            Assert.Contains("出国、缓学、免学", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Migration_M0022_gives_earlier_status_changes_the_grade_of_the_class_they_left()
    {
        var student = (await app.AddStudentsAsync(1, grade: 3))[0];
        Guid withClass, withoutClass;
        await using (var db = app.Db())
        {
            var s = await db.Students.SingleAsync(x => x.Id == student);
            StatusChange Old(Guid? fromClass) => new()
            {
                StudentId = s.Id, Kind = StatusChangeKind.Suspension, State = StatusChangeState.Withdrawn, Reason = "迁移前的记录", EffectiveOn = db.County.Today,
                RequestedBy = "test", FromSchoolId = s.SchoolId, FromClassId = fromClass, Path = s.Path,
            };
            var a = Old(s.ClassId);
            var b = Old(null);
            db.StatusChanges.AddRange(a, b);
            await db.SaveChangesAsync();
            (withClass, withoutClass) = (a.Id, b.Id);
            Assert.Null(a.Grade);
            await db.Database.ExecuteSqlRawAsync(Baoxue.Data.Migrations.M0022_ReportSnapshots.Backfill);
        }
        await using (var db = app.Db())
        {
            Assert.Equal(3, (await db.StatusChanges.AsNoTracking().SingleAsync(c => c.Id == withClass)).Grade);
            Assert.Null((await db.StatusChanges.AsNoTracking().SingleAsync(c => c.Id == withoutClass)).Grade);
        }
    }

    [Fact]
    public async Task The_floating_student_monthly_report_counts_the_months_changes_and_goes_through_return_and_approval()
    {
        var today = await TodayAsync();
        var (monthStart, monthEnd) = ReportRhythm.PeriodOf(ReportKind.FloatingMonthly, today);
        // This month: two migrant children arrive, a left-behind child's parents come home, one child transfers in from another school.
        await app.AddStudentsAsync(2, GroupKind.Migrant, grade: 4, tagFrom: today);
        var leftBehind = (await app.AddStudentsAsync(1, GroupKind.LeftBehind, grade: 4))[0];
        var schoolPath = await PathOfAsync("school.admin");
        await using (var db = app.Db())
        {
            var tag = await db.GroupTags.SingleAsync(t => t.StudentId == leftBehind);
            tag.EndedOn = today;
            await db.SaveChangesAsync();
        }
        using var school = await app.ClientAsync("school.admin");
        using var county = await app.ClientAsync("county.admin");
        var report = await GenerateAsync(school, ReportKind.FloatingMonthly, today);
        var id = report.GetProperty("id").GetGuid();
        var total = report.GetProperty("figures").GetProperty("total");

        // What the report assembled equals the registry's own records of the month, counted here straight from them.
        await using (var db = app.Db())
        {
            bool InMonth(DateOnly d) => d >= monthStart && d <= monthEnd;
            var tags = await db.GroupTags.AsNoTracking().Where(t => t.Student!.Path.StartsWith(schoolPath)).Select(t => new { t.Kind, t.StartedOn, t.EndedOn }).ToListAsync();
            Assert.Equal(tags.Count(t => t.Kind == GroupKind.Migrant && InMonth(t.StartedOn)), total.GetProperty("migrantIn").GetInt32());
            Assert.Equal(tags.Count(t => t.Kind == GroupKind.Migrant && t.EndedOn is { } e && InMonth(e)), total.GetProperty("migrantOut").GetInt32());
            Assert.Equal(tags.Count(t => t.Kind == GroupKind.LeftBehind && InMonth(t.StartedOn)), total.GetProperty("leftBehindIn").GetInt32());
            Assert.Equal(tags.Count(t => t.Kind == GroupKind.LeftBehind && t.EndedOn is { } e && InMonth(e)), total.GetProperty("leftBehindOut").GetInt32());
            Assert.True(total.GetProperty("migrantIn").GetInt32() >= 2);
            Assert.True(total.GetProperty("leftBehindOut").GetInt32() >= 1);
            StatusChangeKind[] transfers = [StatusChangeKind.TransferWithinCounty, StatusChangeKind.TransferAcrossCounty, StatusChangeKind.TransferOut];
            var changes = await db.StatusChanges.AsNoTracking().Where(c => transfers.Contains(c.Kind) && c.EffectiveOn >= monthStart && c.EffectiveOn <= monthEnd
                && (c.State == StatusChangeState.Approved || (c.State == StatusChangeState.Pending && c.AwaitingStage == ApprovalStage.ReceivingSchool && c.Kind == StatusChangeKind.TransferOut))).ToListAsync();
            Assert.Equal(changes.Count(c => c.Path.StartsWith(schoolPath) && c.TargetPath?.StartsWith(schoolPath) != true), total.GetProperty("transfersOut").GetInt32());
            Assert.Equal(changes.Count(c => c.TargetPath?.StartsWith(schoolPath) == true && !c.Path.StartsWith(schoolPath)), total.GetProperty("transfersIn").GetInt32());
            Assert.Equal(await db.AbsenceClocks.CountAsync(c => c.Path.StartsWith(schoolPath) && c.SuspectedOn >= monthStart && c.SuspectedOn <= monthEnd), total.GetProperty("lost").GetInt32());
            Assert.Equal(await db.Students.CountAsync(s => s.Path.StartsWith(schoolPath) && s.Status == StudentStatus.InSchool), total.GetProperty("students").GetInt32());
            Assert.Equal(await db.AttendanceMarks.CountAsync(m => m.Kind == AttendanceKind.Absent && m.Submission!.Record!.CurrentSubmissionId == m.SubmissionId && m.Submission.Record.Lesson == 0
                && m.Submission.Record.Date >= monthStart && m.Submission.Record.Date <= monthEnd && m.Submission.Record.Path.StartsWith(schoolPath)), total.GetProperty("absentDays").GetInt32());
        }

        // Submitted to the county, returned with a reason, corrected and submitted again, accepted.
        await (await StepAsync(school, id, "submit", new { })).OkAsync<JsonElement>();
        Assert.Contains(id.ToString(), await county.GetStringAsync("/api/v1/reports?view=ToReview&kind=FloatingMonthly"), StringComparison.Ordinal);
        await (await StepAsync(county, id, "decision", new { approve = false })).AssertRefusedAsync("Note", "退回时请填写意见，说明需要修改的地方。");
        var returned = await (await StepAsync(county, id, "decision", new { approve = false, note = "请说明两名随迁子女的来源地。" })).OkAsync<JsonElement>();
        Assert.Equal("Returned", returned.GetProperty("state").GetString());
        await (await school.PutJsonAsync($"/api/v1/reports/{id}/narrative", new { narrative = "两名随迁子女随父母自福清市务工迁入。" })).OkAsync<JsonElement>();
        await (await StepAsync(school, id, "submit", new { })).OkAsync<JsonElement>();
        var accepted = await (await StepAsync(county, id, "decision", new { approve = true })).OkAsync<JsonElement>();
        Assert.Equal("Approved", accepted.GetProperty("state").GetString());
        Assert.Equal("两名随迁子女随父母自福清市务工迁入。", accepted.GetProperty("narrative").GetString());
        Assert.Equal(total.GetProperty("migrantIn").GetInt32(), accepted.GetProperty("figures").GetProperty("total").GetProperty("migrantIn").GetInt32());

        var docx = await county.GetAsync($"/api/v1/reports/{id}/docx");
        using (var word = WordprocessingDocument.Open(new MemoryStream(await docx.Content.ReadAsByteArrayAsync()), false))
        {
            var text = word.MainDocumentPart!.Document!.Body!.InnerText;
            Assert.Contains("流动学生月报", text, StringComparison.Ordinal);
            Assert.Contains("随迁子女流入", text, StringComparison.Ordinal);
        }
        await using (var db = app.Db())
        {
            var key = id.ToString();
            var states = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == nameof(Report) && a.EntityId == key && a.Action == AuditAction.Update && a.After!.Contains("\"State\""))
                .OrderBy(a => a.Sequence).Select(a => a.UserName).ToListAsync();
            Assert.Equal(["school.admin", "county.admin", "school.admin", "county.admin"], states);
        }
    }

    [Fact]
    public async Task The_report_tabs_follow_what_the_users_permissions_allow()
    {
        using var schoolBrowser = await Baoxue.Tests.Features.Accounts.AccountKit.SignedInBrowserAsync(app, "school.admin", BaoxueApp.Password);
        var (status, html) = await Pages.GetAsync(schoolBrowser, "/reports");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("href=\"/reports?view=Mine\">本单位报表</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/reports?view=ToReview\"", html, StringComparison.Ordinal);
        // Asking for the tab by its address shows every report in reach instead.
        (status, html) = await Pages.GetAsync(schoolBrowser, "/reports?view=ToReview");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("href=\"/reports?view=ToReview\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/reports?view=All\" aria-current=\"page\"", html, StringComparison.Ordinal);

        using var countyBrowser = await Baoxue.Tests.Features.Accounts.AccountKit.SignedInBrowserAsync(app, "county.admin", BaoxueApp.Password);
        (_, html) = await Pages.GetAsync(countyBrowser, "/reports?view=ToReview");
        Assert.Contains("href=\"/reports?view=ToReview\" aria-current=\"page\"", html, StringComparison.Ordinal);

        // The API says the same: a school asking for the reviewers' view is refused.
        using var school = await app.ClientAsync("school.admin");
        Assert.Equal(HttpStatusCode.Forbidden, (await school.GetAsync("/api/v1/reports?view=ToReview")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await school.GetAsync("/api/v1/reports?view=Mine")).StatusCode);
        using var inspector = await app.ClientAsync("inspector");
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.GetAsync("/api/v1/reports?view=Mine")).StatusCode);
        using var county = await app.ClientAsync("county.admin");
        Assert.Equal(HttpStatusCode.OK, (await county.GetAsync("/api/v1/reports?view=ToReview")).StatusCode);
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
        // Schools file two monthly reports: 控辍保学月报 and 流动学生月报.
        Assert.Equal(schools * due * 2, overdue.Length);
        Assert.Equal(schools * due, overdue.Count(o => o.GetProperty("kind").GetString() == "SchoolMonthly"));
        Assert.Equal(schools * due, overdue.Count(o => o.GetProperty("kind").GetString() == "FloatingMonthly"));
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

        var exports = await db.AuditEntries.CountAsync(a => a.EntityType == "StatTable" && a.Action == AuditAction.Export && a.UserName == "school.admin");
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
            Assert.Equal(["年级", "班数", "在校学生数", "其中：女生", "少数民族", "留守儿童", "残疾学生", "随迁子女", "建档立卡",
                "转入", "转出", "休学", "复学", "死亡", "出国、缓学、免学", "辍学", "劝返复学"], reader.Headers);
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
        Assert.Equal(exports + 2, await db.AuditEntries.CountAsync(a => a.EntityType == "StatTable" && a.Action == AuditAction.Export && a.UserName == "school.admin"));
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
