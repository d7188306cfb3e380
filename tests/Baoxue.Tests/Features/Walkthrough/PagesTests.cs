using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Features.Home;
using Baoxue.Features.Organisation;
using Baoxue.Features.Registry.Import;
using Baoxue.Features.Registry.RollCalls;
using Baoxue.Infrastructure.Localization;
using Baoxue.Tests.Features.Organisation;
using Baoxue.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Baoxue.Tests.Features.Walkthrough;

/// <summary>
/// What a county office found walking through every page (issue 7), checked through the real app on a real
/// database: the home page's tasks and figures, one 未找到 page, people's names, the roll-call confirm step, the
/// audit log in Chinese, import templates and signature lines, hints, and English that reads as English.
/// </summary>
public abstract class PagesTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private const string County = "county.admin";
    private const string School = "school.admin";
    private const string Head = "head.teacher";

    private static readonly string[] HeadClassNames = ["欧阳晓峰", "林雨桐"];
    private const string OtherClassName = "郑佳怡";

    private sealed record World(Guid CampaignId, Guid HeadClassId, Guid OtherClassId, Guid SchoolId, int StartYear, Dictionary<string, Guid> Students, Guid SuspensionId);

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

    private async Task<World> BuildWorldAsync()
    {
        await using var db = app.Db();
        var head = await db.Users.SingleAsync(u => u.UserName == Head);
        var headClass = await db.Classes.AsNoTracking().SingleAsync(c => c.Id == head.PlaceId);
        var other = await db.Classes.AsNoTracking().Where(c => c.SchoolId == headClass.SchoolId && c.SchoolYearId == headClass.SchoolYearId && c.Id != headClass.Id).OrderBy(c => c.Path).FirstAsync();
        var year = await db.SchoolYears.AsNoTracking().SingleAsync(y => y.IsCurrent);

        using var school = await app.ClientAsync(School);
        var names = new ChineseNames(20261201);
        var students = new Dictionary<string, Guid>();
        var i = 0;
        foreach (var (name, classId) in HeadClassNames.Select(n => (n, headClass.Id)).Append((OtherClassName, other.Id)))
        {
            var gender = i % 2 == 0 ? Gender.Male : Gender.Female;
            var birth = new DateOnly(year.StartYear - 9, 4 + i, 12 + i);
            var body = new
            {
                IdNumber = names.IdNumberFor("350123", birth, gender),
                Name = name,
                Gender = gender,
                BirthDate = birth,
                Ethnicity = "01",
                HouseholdAddress = $"罗源县凤山镇西门路{i + 1}号",
                ClassId = classId,
                Guardians = new[] { new { Relation = GuardianRelation.Father, Name = "郑国强", Phone = $"1395912{i:0000}", WorksAway = false } },
            };
            var created = await (await school.PostJsonAsync("/api/v1/students", body)).OkAsync<JsonElement>();
            students[name] = created.GetProperty("id").GetGuid();
            i++;
        }
        var suspension = await (await school.PostJsonAsync("/api/v1/status-changes", new
        {
            kind = "Suspension", studentId = students[HeadClassNames[1]], reason = "病休", effectiveOn = "2026-10-08", expectedReturnOn = "2027-03-01", evidence = "县医院诊断证明 2026-201",
        })).OkAsync<JsonElement>();

        using var county = await app.ClientAsync(County);
        var opens = OpenCampaign.MonthStart(year.StartYear, 9);
        var campaign = await (await county.PostJsonAsync("/api/v1/roll-calls", new OpenCampaign.Command($"{opens.Year}年9月人籍一致核查", 9, opens, opens.AddDays(29)))).OkAsync<RollCallApi.CampaignDto>();
        return new World(campaign.Id, headClass.Id, other.Id, headClass.SchoolId, year.StartYear, students, suspension.GetProperty("change").GetProperty("id").GetGuid());
    }

    private sealed record HomeBody(string Place, List<HomeSetup.TaskDto> Tasks, List<HomeSetup.TileDto> Tiles);

    private async Task<HomeBody> HomeAsync(string user)
    {
        using var client = await app.ClientAsync(user);
        return await (await client.GetAsync("/api/v1/home")).OkAsync<HomeBody>();
    }

    // ---------- item 0 and 6: the home page ----------

    [Fact]
    public async Task Head_teacher_home_names_the_class_counts_its_school_and_lists_the_return_to_submit()
    {
        var world = await WorldAsync();
        var home = await HomeAsync(Head);

        Assert.Matches(@"^罗源县凤山中心小学 三年级（\d+）班$", home.Place);
        bool open;
        await using (var db = app.Db())
        {
            open = await db.RollCallReturns.AnyAsync(r => r.CampaignId == world.CampaignId && r.ClassId == world.HeadClassId && r.State == RollCallState.Open);
        }
        if (open) // unless the confirm-step test has already signed it
        {
            var task = Assert.Single(home.Tasks, t => t.Key == "Home.Task.ReturnsToSubmit");
            Assert.Equal(1, task.Count);
            Assert.Equal($"/roll-calls/{world.CampaignId}/classes/{world.HeadClassId}", task.Link);
            Assert.Equal("未提交的点名表", task.Label);
        }
        else
        {
            Assert.DoesNotContain(home.Tasks, t => t.Key == "Home.Task.ReturnsToSubmit");
        }
        var students = home.Tiles.Single(t => t.Key == "Home.StudentsTile");
        Assert.Equal(HeadClassNames.Length, students.Figures.Single(f => f.Key == "Home.StudentsTotal").Value);
        var organisation = home.Tiles.Single(t => t.Key == "Home.OrganisationTile");
        Assert.Equal(1, organisation.Figures.Single(f => f.Key == "Home.Schools").Value);
        Assert.Equal(1, organisation.Figures.Single(f => f.Key == "Home.Classes").Value);

        using var head = await app.ClientAsync(Head);
        var text = await head.PageTextAsync("/");
        Assert.Contains("管辖范围：" + home.Place, text);
        Assert.DoesNotContain("3-1", text);
        Assert.Contains("待办事项", text);
        Assert.Equal(open, text.Contains("未提交的点名表 1", StringComparison.Ordinal));
        Assert.Contains("进班点名进度", text);
    }

    [Fact]
    public async Task County_home_counts_changes_awaiting_its_decision_and_the_whole_county_roll_call()
    {
        var world = await WorldAsync();
        var home = await HomeAsync(County);
        using var county = await app.ClientAsync(County);
        var awaiting = (await county.GetOkAsync<Baoxue.Infrastructure.Paging.PagedResult<JsonElement>>("/api/v1/status-changes?view=AwaitingMe&pageSize=200")).Items;

        Assert.Contains(awaiting, c => c.GetProperty("id").GetGuid() == world.SuspensionId);
        var task = home.Tasks.Single(t => t.Key == "Home.Task.AwaitingMe");
        Assert.Equal(awaiting.Count, task.Count);
        Assert.Equal("/status-changes?view=AwaitingMe", task.Link);
        Assert.DoesNotContain(home.Tasks, t => t.Key == "Home.Task.ReturnsToSubmit"); // the county does not call rolls

        await using var db = app.Db();
        var countyClasses = await db.Classes.CountAsync(c => c.SchoolYear!.IsCurrent);
        var rollCall = home.Tiles.Single(t => t.Key == "Home.RollCallTile");
        Assert.Equal(countyClasses, rollCall.Figures.Single(f => f.Key == "Home.RollCallClasses").Value);
        var students = home.Tiles.Single(t => t.Key == "Home.StudentsTile");
        Assert.Equal(await db.Students.CountAsync(), students.Figures.Single(f => f.Key == "Home.StudentsTotal").Value);
        Assert.Equal("罗源县", home.Place);

        // The registrar's own school only, and no decision of the bureau's.
        var registrar = await HomeAsync(School);
        var schoolClasses = await db.Classes.CountAsync(c => c.SchoolYear!.IsCurrent && c.SchoolId == world.SchoolId);
        var open = await db.RollCallReturns.CountAsync(r => r.CampaignId == world.CampaignId && r.SchoolId == world.SchoolId && r.State == RollCallState.Open);
        Assert.Equal(open, registrar.Tasks.Single(t => t.Key == "Home.Task.ReturnsToSubmit").Count);
        Assert.True(open <= schoolClasses);
        Assert.DoesNotContain(registrar.Tasks, t => t.Key == "Home.Task.AwaitingMe");
        var page = await county.PageTextAsync("/");
        Assert.Contains($"待我审批的学籍异动 {awaiting.Count}", page);
    }

    [Fact]
    public async Task A_class_head_teacher_is_named_in_the_school_class_list_even_to_the_head_teacher()
    {
        var world = await WorldAsync();
        await using var db = app.Db();
        var teacher = await db.Classes.Where(c => c.Id == world.HeadClassId).Select(c => c.HeadTeacher!.Name).SingleAsync();

        foreach (var user in new[] { Head, School })
        {
            using var client = await app.ClientAsync(user);
            var (status, html) = await Pages.GetAsync(client, $"/schools/{world.SchoolId}");
            Assert.Equal(HttpStatusCode.OK, status);
            var table = Regex.Match(html, "<table[^>]*id=\"classes\".*?</table>", RegexOptions.Singleline).Value;
            Assert.Contains($"<td>{teacher}</td>", table);
        }
    }

    // ---------- item 3: a text file named .xlsx ----------

    [Fact]
    public async Task A_text_file_renamed_xlsx_is_one_clear_error_for_every_import()
    {
        using var county = await app.ClientAsync(County);
        var text = Encoding.UTF8.GetBytes("这是记事本里的名单\r\n张三 三年级一班\r\n");
        foreach (var url in new[] { "/api/v1/students/import", "/api/v1/schools/import", "/api/v1/classes/import" })
        {
            var report = await county.ImportAsync(url, text, "学生名单.xlsx", HttpStatusCode.UnprocessableEntity);
            var problem = Assert.Single(report.Problems);
            Assert.StartsWith("不是有效的 Excel 文件", problem.Reason);
            Assert.Equal(0, report.Created + report.Updated);
        }
    }

    // ---------- item 4: one 未找到 page ----------

    [Fact]
    public async Task Unknown_addresses_and_records_out_of_reach_get_the_styled_not_found_page_and_the_api_a_problem()
    {
        var world = await WorldAsync();
        await using var db = app.Db();
        var otherSchoolClass = await db.Classes.Where(c => c.SchoolId != world.SchoolId && c.SchoolYear!.IsCurrent).Select(c => c.Id).FirstAsync();
        using var head = await app.ClientAsync(Head);
        using var school = await app.ClientAsync(School);

        foreach (var (client, url) in new[]
        {
            (head, "/no-such-page"), (school, "/students/" + Guid.NewGuid() + "/nothing"),
            (school, $"/status-changes/{Guid.NewGuid()}"), (head, $"/roll-calls/{world.CampaignId}/classes/{otherSchoolClass}"),
            (school, $"/roll-calls/{Guid.NewGuid()}"), (school, $"/classes/{otherSchoolClass}/roster"),
        })
        {
            var response = await client.GetAsync(url);
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url}: {(int)response.StatusCode}");
            Assert.True(html.Contains("<title>未找到 · ", StringComparison.Ordinal), url + ": " + html);
            Assert.Contains("该记录不存在或不在您的管辖范围内。", html);
            Assert.Contains("<nav", html); // inside the application's layout, not Chrome's own error page
        }

        var api = await school.GetAsync($"/api/v1/status-changes/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        var unknownApi = await school.GetAsync("/api/v1/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, unknownApi.StatusCode);
        Assert.DoesNotContain("<html", await unknownApi.Content.ReadAsStringAsync());
    }

    // ---------- item 9: people's names, not user names ----------

    [Fact]
    public async Task Requesters_deciders_and_roll_call_signers_are_shown_by_their_names()
    {
        var world = await WorldAsync();
        await using var db = app.Db();
        var registrarName = await db.Users.Where(u => u.UserName == School).Select(u => u.DisplayName).SingleAsync();
        using var school = await app.ClientAsync(School);

        var change = await school.PageTextAsync($"/status-changes/{world.SuspensionId}");
        Assert.Contains($"申请人 {registrarName} ·", change);
        Assert.DoesNotContain(School, change);
        var dto = await school.GetOkAsync<JsonElement>($"/api/v1/status-changes/{world.SuspensionId}");
        Assert.Equal(registrarName, dto.GetProperty("change").GetProperty("requestedByName").GetString());

        // The registrar confirms the other class (its head teacher's return is left to them).
        var confirmed = await school.PostJsonAsync($"/api/v1/roll-calls/{world.CampaignId}/classes/{world.OtherClassId}/confirm",
            new RollCallApi.ConfirmBody([new ConfirmReturn.MarkInput(world.Students[OtherClassName], RollCallMarkKind.Present)], null));
        Assert.True(confirmed.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, await confirmed.Content.ReadAsStringAsync());
        var sheet = await school.PageTextAsync($"/roll-calls/{world.CampaignId}/classes/{world.OtherClassId}");
        Assert.Contains($"班主任确认 {registrarName}", sheet);
        Assert.DoesNotContain(School, sheet);
        using var county = await app.ClientAsync(County);
        var progress = await county.PageTextAsync($"/roll-calls/{world.CampaignId}");
        Assert.Contains(registrarName, progress);
        Assert.DoesNotContain(School, progress);
    }

    // ---------- item 10: the confirm step ----------

    [Fact]
    public async Task Confirming_shows_the_counts_first_and_signs_only_from_there_and_a_child_not_in_school_needs_a_reason()
    {
        var world = await WorldAsync();
        using var head = await app.ClientAsync(Head);
        var url = $"/roll-calls/{world.CampaignId}/classes/{world.HeadClassId}";
        var marks = new Dictionary<string, string>
        {
            ["Marks[0].StudentId"] = world.Students[HeadClassNames[0]].ToString(),
            ["Marks[0].Kind"] = nameof(RollCallMarkKind.Present),
            ["Marks[1].StudentId"] = world.Students[HeadClassNames[1]].ToString(),
            ["Marks[1].Kind"] = nameof(RollCallMarkKind.NotInSchool),
            ["Marks[1].Reason"] = "",
        };

        // Not in school without a reason: refused on the page and over the API, naming the child.
        var refusal = $"学生“{HeadClassNames[1]}”标记为不在校（空挂学籍），必须填写原因（如去向、联系情况）。";
        using (var posted = await Pages.PostFormAsync(head, url, "confirm", marks))
        {
            var html = await posted.Content.ReadAsStringAsync();
            Assert.True(html.Contains(refusal, StringComparison.Ordinal), OrganisationKit.TextOf(html));
        }
        await (await head.PostJsonAsync($"/api/v1/roll-calls/{world.CampaignId}/classes/{world.HeadClassId}/confirm", new RollCallApi.ConfirmBody(
            [new ConfirmReturn.MarkInput(world.Students[HeadClassNames[0]], RollCallMarkKind.Present), new ConfirmReturn.MarkInput(world.Students[HeadClassNames[1]], RollCallMarkKind.NotInSchool, " ")], null)))
            .AssertRefusedAsync("Marks", refusal);

        // With a reason: the first press shows what would be signed, and saves nothing.
        marks["Marks[1].Reason"] = "随父母去福州就读";
        string review;
        using (var posted = await Pages.PostFormAsync(head, url, "confirm", marks))
        {
            review = await posted.Content.ReadAsStringAsync();
        }
        Assert.Contains("id=\"confirm-step\"", review);
        Assert.Matches("data-count=\"on-roll\">2<", review);
        Assert.Matches("data-count=\"present\">1<", review);
        Assert.Matches("data-count=\"not-in-school\">1<", review);
        Assert.Contains("随父母去福州就读", review);
        await using (var db = app.Db())
        {
            Assert.Equal(RollCallState.Open, (await db.RollCallReturns.SingleAsync(r => r.CampaignId == world.CampaignId && r.ClassId == world.HeadClassId)).State);
        }

        // Going back keeps what was entered; signing from the step saves and locks.
        using (var back = await Pages.PostFormAsync(head, url, "confirm", new Dictionary<string, string>(marks) { ["Step"] = "edit" }))
        {
            var html = await back.Content.ReadAsStringAsync();
            Assert.DoesNotContain("id=\"confirm-step\"", html);
            Assert.Contains("value=\"随父母去福州就读\"", html);
        }
        using (var signed = await Pages.PostFormAsync(head, url, "confirm", new Dictionary<string, string>(marks) { ["Step"] = "sign" }))
        {
            Assert.True(signed.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.Found, $"{(int)signed.StatusCode}");
        }
        await using (var db = app.Db())
        {
            var ret = await db.RollCallReturns.Include(r => r.Marks).SingleAsync(r => r.CampaignId == world.CampaignId && r.ClassId == world.HeadClassId);
            Assert.Equal(RollCallState.Confirmed, ret.State);
            Assert.Equal(Head, ret.ConfirmedBy);
            Assert.Equal("随父母去福州就读", ret.Marks.Single(m => m.Kind == RollCallMarkKind.NotInSchool).Reason);
        }
        var home = await HomeAsync(Head);
        Assert.DoesNotContain(home.Tasks, t => t.Key == "Home.Task.ReturnsToSubmit");
        var registrar = await HomeAsync(School);
        Assert.True(registrar.Tasks.Single(t => t.Key == "Home.Task.OpenAnomalies").Count >= 1);
    }

    // ---------- item 11: the audit log for people ----------

    [Fact]
    public async Task The_audit_log_names_record_types_and_fields_in_chinese_shows_changes_field_by_field_and_links_the_record()
    {
        var world = await WorldAsync();
        using var county = await app.ClientAsync(County);
        var student = world.Students[OtherClassName];

        var (status, html) = await Pages.GetAsync(county, $"/audit?entityType=学生&entityId={student}");
        Assert.Equal(HttpStatusCode.OK, status);
        var text = OrganisationKit.TextOf(html);
        Assert.Contains("学生", text);
        Assert.Contains($"href=\"/students/{student}\"", html);
        Assert.Contains($"姓名 {OtherClassName}", text);
        Assert.Contains("性别 男", text); // an enum shown by name, not by number
        Assert.DoesNotContain("\"Gender\"", html);
        Assert.DoesNotContain("IdNumberCipher", text);
        Assert.DoesNotContain("<td>Student", html);
        Assert.Contains("学籍管理员", text); // who: the person, their user name beneath

        var accounts = await county.PageTextAsync("/audit?entityType=账号");
        Assert.Contains("账号", accounts);
        Assert.DoesNotContain("AppUser", accounts);
        var tokens = await county.PageTextAsync("/audit");
        Assert.DoesNotContain("IdentityUserToken`1", tokens);

        // An update reads as before → after in Chinese: the registrar confirms the other class (unless a test already has).
        using var school = await app.ClientAsync(School);
        using var confirmed = await school.PostJsonAsync($"/api/v1/roll-calls/{world.CampaignId}/classes/{world.OtherClassId}/confirm",
            new RollCallApi.ConfirmBody([new ConfirmReturn.MarkInput(world.Students[OtherClassName], RollCallMarkKind.Present)], null));
        var changed = await county.PageTextAsync("/audit?entityType=班级点名表&action=Update");
        Assert.Contains("班级点名表", changed);
        Assert.Contains("状态 待点名 → 班主任已确认", changed);
    }

    // ---------- item 14: templates and signature lines ----------

    [Fact]
    public async Task Each_import_has_a_template_with_its_headers_an_example_and_notes()
    {
        using var county = await app.ClientAsync(County);
        var table = app.Services.GetRequiredService<TextTable>();
        var zh = new CultureInfo("zh-CN");
        foreach (var (page, url, keys) in new[]
        {
            ("/students/import", "/api/v1/students/import/template", RegistryColumns.All.Select(c => c.Keys[0]).ToArray()),
            ("/schools/import", "/api/v1/schools/import/template", Baoxue.Features.Organisation.Schools.SchoolSheet.Columns.Select(c => c.Key).ToArray()),
            ("/classes/import", "/api/v1/classes/import/template", Baoxue.Features.Organisation.Classes.ClassSheet.Columns.Select(c => c.Key).ToArray()),
        })
        {
            var (_, html) = await Pages.GetAsync(county, page);
            Assert.Contains($"href=\"{url}\"", html);
            var response = await county.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var (headers, rows) = OrganisationKit.ReadSheet(bytes);
            Assert.Equal(keys.Select(k => table.Find(k, zh)), headers);
            var example = Assert.Single(rows);
            Assert.False(string.IsNullOrWhiteSpace(example[0].Text));
            using var workbook = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
            var sheets = workbook.WorkbookPart!.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Select(s => s.Name!.Value).ToList();
            Assert.Equal(2, sheets.Count);
            Assert.Equal("填写说明", sheets[1]);
        }

        // Headers the import accepts: uploading the template finds no column missing.
        var students = await (await county.GetAsync("/api/v1/students/import/template")).Content.ReadAsByteArrayAsync();
        using var school = await app.ClientAsync(School);
        var checkedReport = await school.UploadAsync("/api/v1/classes/import", await (await county.GetAsync("/api/v1/classes/import/template")).Content.ReadAsByteArrayAsync(), "班级导入模板.xlsx");
        Assert.DoesNotContain("缺少必填列", await checkedReport.Content.ReadAsStringAsync());
        Assert.NotEmpty(students);
    }

    [Fact]
    public async Task Filed_rosters_and_lists_carry_signature_lines()
    {
        var world = await WorldAsync();
        using var head = await app.ClientAsync(Head);
        foreach (var url in new[] { $"/classes/{world.HeadClassId}/roster", $"/classes/{world.HeadClassId}/attendance-book" })
        {
            var text = await head.PageTextAsync(url);
            Assert.Contains("制表人：", text);
            Assert.Contains("审核人：", text);
            Assert.Contains("学校（盖章）：", text);
            Assert.Contains("日期：______年____月____日", text);
        }
        using var county = await app.ClientAsync(County);
        Assert.Contains("单位（盖章）：", await county.PageTextAsync($"/roll-calls/{world.CampaignId}"));

        var docx = await (await head.GetAsync($"/api/v1/classes/{world.HeadClassId}/roster.docx")).Content.ReadAsByteArrayAsync();
        using var document = WordprocessingDocument.Open(new MemoryStream(docx), false);
        var body = document.MainDocumentPart!.Document.Body!.InnerText;
        Assert.Contains("制表人：", body);
        Assert.Contains("学校（盖章）：", body);
    }

    // ---------- item 15: hints before errors ----------

    [Fact]
    public async Task The_roll_call_date_rule_is_shown_beside_the_field_and_year_end_sends_the_county_to_school_years()
    {
        var world = await WorldAsync();
        using var county = await app.ClientAsync(County);
        var listResponse = await county.GetAsync("/roll-calls");
        Assert.True(listResponse.StatusCode == HttpStatusCode.OK, await listResponse.Content.ReadAsStringAsync());
        var list = await county.PageTextAsync("/roll-calls");
        Assert.Contains($"开始日期须在所选月份内：9月核查 {world.StartYear}年9月1日至{world.StartYear}年9月30日，3月核查 {world.StartYear + 1}年3月1日至{world.StartYear + 1}年3月31日。", list);

        var (_, yearEnd) = await Pages.GetAsync(county, $"/schools/{world.SchoolId}/year-end");
        if (yearEnd.Contains("id=\"next-year-missing\"", StringComparison.Ordinal))
        {
            Assert.Contains("href=\"/school-years\"", yearEnd);
            Assert.DoesNotContain("请先由县级管理员开设", yearEnd);
            using var school = await app.ClientAsync(School);
            var (_, asRegistrar) = await Pages.GetAsync(school, $"/schools/{world.SchoolId}/year-end");
            Assert.Contains("请先由县级管理员开设", asRegistrar);
        }
        else
        {
            await using var db = app.Db();
            Assert.True(await db.SchoolYears.AnyAsync(y => y.StartYear == world.StartYear + 1), "the page hid the missing-year warning though next year is missing");
        }
    }

    // ---------- item 18: English ----------

    [Fact]
    public async Task English_pages_use_english_colons_plurals_and_ethnicity_names()
    {
        var world = await WorldAsync();
        using var school = await app.ClientAsync(School);
        school.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Culture=c%3Den-US%7Cuic%3Den-US");

        var change = await school.PageTextAsync($"/status-changes/{world.SuspensionId}");
        Assert.DoesNotContain("：", change);
        Assert.Matches(@"Step 1 \S.*?:", change);
        var student = await school.PageTextAsync($"/students/{world.Students[OtherClassName]}");
        Assert.Contains("Han", student);
        Assert.DoesNotContain("汉族", student);

        var localizer = new TextTableLocalizer(app.Services.GetRequiredService<TextTable>());
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en-US");
            Assert.Equal("5 registered, 4 in school, 1 open anomaly", localizer["RollCall.SchoolCounts", 5, "4", 1].Value);
            Assert.Equal("5 registered, 4 in school, 2 open anomalies", localizer["RollCall.SchoolCounts", 5, "4", 2].Value);
            Assert.Equal("1 student", localizer["Roster.Count", 1].Value);
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("zh-CN");
            Assert.Equal("注册学籍 5 人，在校 4 人，待处理异常 1 项", localizer["RollCall.SchoolCounts", 5, "4", 1].Value);
        }
        finally
        {
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = before;
        }
    }
}

public sealed class PagesTests_Sqlite(SqliteApp app) : PagesTests<SqliteApp>(app);

public sealed class PagesTests_Postgres(PostgresApp app) : PagesTests<PostgresApp>(app);
