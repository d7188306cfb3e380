using Baoxue.Infrastructure.Paging;
using System.Net;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Features.Registry.RollCalls;
using Baoxue.Tests.Features.Organisation;
using Baoxue.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Tests.Features.Registry.RollCalls;

/// <summary>
/// 进班点名 end to end on a real database: the county opens a campaign, the head teacher calls the roll of their
/// own class, anomalies are listed until the registrar settles them, the principal attests, and the roster and
/// attendance book print from the same roll.
/// </summary>
public abstract partial class RollCallTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private const string County = "county.admin";
    private const string School = "school.admin";
    private const string Head = "head.teacher";

    private static readonly string[] HeadClassNames = ["王小明", "李思琪", "张子涵", "陈一诺"];
    private const string OtherClassName = "赵宇航";

    private sealed record World(Guid CampaignId, Guid HeadClassId, Guid OtherClassId, Guid SchoolId, int StartYear, string CountyPath, Dictionary<string, Guid> Students);

    // One campaign and one set of students per application (per provider), whichever test asks first.
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
        var county = await db.Users.SingleAsync(u => u.UserName == County);
        var headClass = await db.Classes.AsNoTracking().SingleAsync(c => c.Id == head.PlaceId);
        var other = await db.Classes.AsNoTracking().Where(c => c.SchoolId == headClass.SchoolId && c.SchoolYearId == headClass.SchoolYearId && c.Id != headClass.Id).OrderBy(c => c.Path).FirstAsync();
        var year = await db.SchoolYears.AsNoTracking().SingleAsync(y => y.IsCurrent);

        using var school = await app.ClientAsync(School);
        var names = new ChineseNames(20260901);
        var students = new Dictionary<string, Guid>();
        var i = 0;
        foreach (var (name, classId) in HeadClassNames.Select(n => (n, headClass.Id)).Append((OtherClassName, other.Id)))
        {
            var gender = i % 2 == 0 ? Gender.Male : Gender.Female;
            var birth = new DateOnly(year.StartYear - 9, 3 + i, 10 + i);
            var body = new
            {
                IdNumber = names.IdNumberFor("350123", birth, gender),
                Name = name,
                Gender = gender,
                BirthDate = birth,
                Ethnicity = "01",
                HouseholdAddress = $"罗源县凤山镇东门路{i + 1}号",
                ClassId = classId,
                Guardians = new[] { new { Relation = GuardianRelation.Mother, Name = "林秀英", Phone = $"1385912{i:0000}", WorksAway = false } },
            };
            var created = await (await school.PostJsonAsync("/api/v1/students", body)).OkAsync<JsonElement>();
            students[name] = created.GetProperty("id").GetGuid();
            i++;
        }

        using var countyClient = await app.ClientAsync(County);
        var opens = OpenCampaign.MonthStart(year.StartYear, 9);
        var campaign = await (await countyClient.PostJsonAsync("/api/v1/roll-calls", new OpenCampaign.Command($"{opens.Year}年9月人籍一致核查", 9, opens, opens.AddDays(29)))).OkAsync<RollCallApi.CampaignDto>();
        return new World(campaign.Id, headClass.Id, other.Id, headClass.SchoolId, year.StartYear, county.Path!, students);
    }

    [Fact]
    public async Task Opening_a_campaign_creates_one_return_per_class_of_the_current_year_audited_as_one_batch()
    {
        var world = await WorldAsync();
        await using var db = app.Db();

        var classes = await db.Classes.AsNoTracking().Where(c => c.SchoolYear!.IsCurrent && c.Path.StartsWith(world.CountyPath)).Select(c => new { c.Id, c.Path }).ToListAsync();
        var returns = await db.RollCallReturns.AsNoTracking().Where(r => r.CampaignId == world.CampaignId).Select(r => new { r.ClassId, r.Path }).ToListAsync();

        Assert.True(classes.Count > 10, $"only {classes.Count} classes in the demo county");
        Assert.Equal(classes.Select(c => c.Id).Order(), returns.Select(r => r.ClassId).Order());
        Assert.All(returns, r => Assert.Equal(classes.Single(c => c.Id == r.ClassId).Path, r.Path));
        var campaign = await db.RollCallCampaigns.AsNoTracking().SingleAsync(c => c.Id == world.CampaignId);
        Assert.Equal(world.CountyPath, campaign.Path);
        var batch = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == nameof(RollCallReturn) && a.After!.Contains(world.CampaignId.ToString())).ToListAsync();
        Assert.Single(batch);
        Assert.Contains($"\"rows\":{classes.Count}", batch[0].After);
    }

    [Fact]
    public async Task Opening_is_refused_for_the_same_month_twice_outside_its_month_without_a_title_and_for_schools()
    {
        var world = await WorldAsync();
        using var county = await app.ClientAsync(County);
        var september = OpenCampaign.MonthStart(world.StartYear, 9);

        await (await county.PostJsonAsync("/api/v1/roll-calls", new OpenCampaign.Command("重复核查", 9, september, september.AddDays(10))))
            .AssertRefusedAsync("Month", "本学年9月的核查已经发起。");
        await (await county.PostJsonAsync("/api/v1/roll-calls", new OpenCampaign.Command("3月核查", 3, september, september.AddDays(10))))
            .AssertRefusedAsync("OpensOn", $"开始日期须在{world.StartYear + 1}年3月内。");
        var errors = await (await county.PostJsonAsync("/api/v1/roll-calls", new OpenCampaign.Command(" ", 6, null, null))).RefusedAsync();
        Assert.Equal(["ClosesOn", "Month", "OpensOn", "Title"], errors.Keys.Order(StringComparer.Ordinal));
        var march = OpenCampaign.MonthStart(world.StartYear, 3);
        await (await county.PostJsonAsync("/api/v1/roll-calls", new OpenCampaign.Command("3月核查", 3, march.AddDays(5), march)))
            .AssertRefusedAsync("ClosesOn", "截止日期不能早于开始日期。");

        foreach (var user in new[] { School, Head })
        {
            using var client = await app.ClientAsync(user);
            var response = await client.PostJsonAsync("/api/v1/roll-calls", new OpenCampaign.Command("3月核查", 3, march, march.AddDays(20)));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_county_opens_the_March_campaign_on_the_page_and_the_head_teacher_sees_it_through_their_class()
    {
        var world = await WorldAsync();
        using var county = await app.ClientAsync(County);
        var march = OpenCampaign.MonthStart(world.StartYear, 3);
        var title = $"{march.Year}年3月人籍一致核查";

        using var response = await Pages.PostFormAsync(county, "/roll-calls", "open", new Dictionary<string, string>
        {
            ["Input.Title"] = title,
            ["Input.Month"] = "3",
            ["Input.OpensOn"] = march.ToString("yyyy-MM-dd"),
            ["Input.ClosesOn"] = march.AddDays(20).ToString("yyyy-MM-dd"),
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Matches("/roll-calls/[0-9a-f-]{36}$", response.Headers.Location!.OriginalString);
        using var head = await app.ClientAsync(Head);
        var (status, html) = await Pages.GetAsync(head, "/roll-calls");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(title, html);
        Assert.DoesNotContain("name=\"Input.Title\"", html); // only the county opens campaigns
        var campaigns = (await head.GetOkAsync<PagedResult<RollCallQueries.CampaignRow>>("/api/v1/roll-calls?pageSize=200")).Items;
        Assert.All(campaigns, c => Assert.Equal(1, c.Classes)); // the head teacher's own class only
    }

    [Fact]
    public async Task A_head_teacher_reaches_only_their_own_class()
    {
        var world = await WorldAsync();
        using var head = await app.ClientAsync(Head);

        var own = await head.GetOkAsync<RollCallApi.ReturnDto>($"/api/v1/roll-calls/{world.CampaignId}/classes/{world.HeadClassId}");
        Assert.Equal(HeadClassNames.Order(RollCallQueries.NameOrder), own.Roster.Select(s => s.Name));

        Assert.Equal(HttpStatusCode.NotFound, (await head.GetAsync($"/api/v1/roll-calls/{world.CampaignId}/classes/{world.OtherClassId}")).StatusCode);
        var confirm = await head.PostJsonAsync($"/api/v1/roll-calls/{world.CampaignId}/classes/{world.OtherClassId}/confirm",
            new RollCallApi.ConfirmBody([new ConfirmReturn.MarkInput(world.Students[OtherClassName], RollCallMarkKind.Present)], null));
        Assert.Equal(HttpStatusCode.NotFound, confirm.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Pages.GetAsync(head, $"/roll-calls/{world.CampaignId}/classes/{world.OtherClassId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await head.GetAsync($"/api/v1/classes/{world.OtherClassId}/roster.docx")).StatusCode);
        await using var db = app.Db();
        Assert.Equal(RollCallState.Open, (await db.RollCallReturns.AsNoTracking().SingleAsync(r => r.CampaignId == world.CampaignId && r.ClassId == world.OtherClassId)).State);
    }

    [Fact]
    public async Task Absent_without_a_reason_is_refused_on_the_page_and_over_the_api()
    {
        var world = await WorldAsync();
        using var school = await app.ClientAsync(School);
        var url = $"/roll-calls/{world.CampaignId}/classes/{world.OtherClassId}";

        var (status, form) = await Pages.GetAsync(school, url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(OtherClassName, form);
        using var posted = await Pages.PostFormAsync(school, url, "confirm", new Dictionary<string, string>
        {
            ["Marks[0].StudentId"] = world.Students[OtherClassName].ToString(),
            ["Marks[0].Kind"] = nameof(RollCallMarkKind.AbsentWithReason),
            ["Marks[0].Reason"] = "",
        });
        var html = await posted.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains($"学生“{OtherClassName}”请假或缺席，必须填写原因。", html);

        var response = await school.PostJsonAsync($"/api/v1/roll-calls/{world.CampaignId}/classes/{world.OtherClassId}/confirm",
            new RollCallApi.ConfirmBody([new ConfirmReturn.MarkInput(world.Students[OtherClassName], RollCallMarkKind.AbsentWithReason, "  ")], null));
        await response.AssertRefusedAsync("Marks", $"学生“{OtherClassName}”请假或缺席，必须填写原因。");
        var missing = await school.PostJsonAsync($"/api/v1/roll-calls/{world.CampaignId}/classes/{world.OtherClassId}/confirm", new RollCallApi.ConfirmBody([], null));
        await missing.AssertRefusedAsync("Marks", $"请为学生“{OtherClassName}”选择一项点名结果。");

        await using var db = app.Db();
        var ret = await db.RollCallReturns.AsNoTracking().Include(r => r.Marks).SingleAsync(r => r.CampaignId == world.CampaignId && r.ClassId == world.OtherClassId);
        Assert.Equal(RollCallState.Open, ret.State);
        Assert.Empty(ret.Marks);
    }

    [Fact]
    public async Task Confirm_list_anomalies_resolve_them_and_attest_until_the_counts_agree()
    {
        var world = await WorldAsync();
        using var head = await app.ClientAsync(Head);
        using var school = await app.ClientAsync(School);
        using var county = await app.ClientAsync(County);
        var returnUrl = $"/api/v1/roll-calls/{world.CampaignId}/classes/{world.HeadClassId}";

        // The head teacher calls the roll: one ghost enrolment, two children present but not on the roll.
        var confirmed = await (await head.PostJsonAsync(returnUrl + "/confirm", new RollCallApi.ConfirmBody(
            [
                new ConfirmReturn.MarkInput(world.Students["王小明"], RollCallMarkKind.Present),
                new ConfirmReturn.MarkInput(world.Students["李思琪"], RollCallMarkKind.AbsentWithReason, "病假"),
                new ConfirmReturn.MarkInput(world.Students["张子涵"], RollCallMarkKind.NotInSchool, "随父母在福州就读"),
                new ConfirmReturn.MarkInput(world.Students["陈一诺"], RollCallMarkKind.Present),
            ],
            [new ConfirmReturn.ExtraInput("刘浩然", "从连江县转来，未办转学手续"), new ConfirmReturn.ExtraInput("黄梓萱"), new ConfirmReturn.ExtraInput(" ", " ")]))).OkAsync<RollCallApi.ReturnDto>();
        Assert.Equal(RollCallState.Confirmed, confirmed.State);
        Assert.Equal(Head, confirmed.ConfirmedBy);
        Assert.Equal(6, confirmed.Marks.Count);
        await (await head.PostJsonAsync(returnUrl + "/confirm", new RollCallApi.ConfirmBody([], null))).AssertRefusedAsync("State", "该班核查已经确认；如需修改，请先退回。");

        // Three anomalies for the school; the counts disagree until they are settled.
        var anomalies = (await school.GetOkAsync<PagedResult<RollCallApi.AnomalyDto>>($"/api/v1/roll-calls/{world.CampaignId}/anomalies?pageSize=200")).Items;
        var mine = anomalies.Where(a => a.ClassId == world.HeadClassId).ToList();
        Assert.Equal(["刘浩然", "张子涵", "黄梓萱"], mine.Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.Equal(RollCallMarkKind.NotInSchool, mine.Single(a => a.Name == "张子涵").Kind);
        Assert.Equal(world.Students["张子涵"], mine.Single(a => a.Name == "张子涵").StudentId);
        Assert.All(mine.Where(a => a.Name != "张子涵"), a => Assert.Equal(RollCallMarkKind.PresentNotOnRoll, a.Kind));
        var before = await ClassProgressAsync(county, world);
        Assert.Equal((4, 5, 3), (before.Registered, before.InSchool!.Value, before.OpenAnomalies));
        var (_, page) = await Pages.GetAsync(school, $"/roll-calls/{world.CampaignId}/anomalies");
        Assert.Contains("张子涵", page);
        Assert.Contains("name=\"Input.Resolution\"", page);
        // The same list downloads as xlsx, in Chinese, the ghost enrolment marked as such.
        var sheet = await (await school.GetAsync($"/api/v1/roll-calls/{world.CampaignId}/anomalies.xlsx")).Content.ReadAsByteArrayAsync();
        using (var reader = Baoxue.Infrastructure.Spreadsheets.SpreadsheetReader.Open(new MemoryStream(sheet), "anomalies.xlsx"))
        {
            Assert.Equal("学校", reader.Headers[0]);
            var names = new Dictionary<string, string>();
            while (reader.TryReadRow(out var line))
            {
                names[line[2].Text] = line[4].Text;
            }
            Assert.Equal("不在校（空挂学籍）", names["张子涵"]);
            Assert.Contains("刘浩然", names.Keys);
        }

        // Neither the head teacher nor anyone else attests for the principal; the head teacher does not settle anomalies.
        await (await head.PostJsonAsync(returnUrl + "/attest", new { })).AssertRefusedAsync("Role", "只有学校（校长）可以签字确认。");
        Assert.Equal(HttpStatusCode.Forbidden, (await head.PostJsonAsync($"/api/v1/roll-calls/marks/{mine[0].MarkId}/resolve", new ResolveAnomaly.Command("已办理转出"))).StatusCode);

        // The registrar settles each: the ghost was transferred out, the others enrolled here; each leaves the list.
        await (await school.PostJsonAsync($"/api/v1/roll-calls/marks/{mine[0].MarkId}/resolve", new ResolveAnomaly.Command(" "))).AssertRefusedAsync("Resolution", "“处理结果”不能为空。");
        foreach (var a in mine)
        {
            var resolved = await (await school.PostJsonAsync($"/api/v1/roll-calls/marks/{a.MarkId}/resolve",
                new ResolveAnomaly.Command(a.Kind == RollCallMarkKind.NotInSchool ? "已办理转出" : "已补录学籍"))).OkAsync<JsonElement>();
            Assert.NotNull(resolved.GetProperty("resolvedAt").GetString());
        }
        await (await school.PostJsonAsync($"/api/v1/roll-calls/marks/{mine[0].MarkId}/resolve", new ResolveAnomaly.Command("再次处理"))).AssertRefusedAsync("Resolution", "该异常已经处理。");
        var after = (await school.GetOkAsync<PagedResult<RollCallApi.AnomalyDto>>($"/api/v1/roll-calls/{world.CampaignId}/anomalies?pageSize=200")).Items;
        Assert.DoesNotContain(after, a => a.ClassId == world.HeadClassId);
        var all = (await school.GetOkAsync<PagedResult<RollCallApi.AnomalyDto>>($"/api/v1/roll-calls/{world.CampaignId}/anomalies?includeResolved=true&pageSize=200")).Items;
        Assert.Equal("已办理转出", all.Single(a => a.Name == "张子涵").Resolution);
        var settled = await ClassProgressAsync(county, world);
        Assert.Equal((5, 5, 0), (settled.Registered, settled.InSchool!.Value, settled.OpenAnomalies));
        (_, page) = await Pages.GetAsync(school, $"/roll-calls/{world.CampaignId}/anomalies");
        Assert.DoesNotContain("张子涵", page);

        // The principal attests; after that nothing reopens it.
        var attested = await (await school.PostJsonAsync(returnUrl + "/attest", new { })).OkAsync<RollCallApi.ReturnDto>();
        Assert.Equal(RollCallState.Attested, attested.State);
        Assert.Equal(School, attested.PrincipalAttestedBy);
        Assert.NotNull(attested.PrincipalAttestedAt);
        await (await school.PostJsonAsync(returnUrl + "/reopen", new { })).AssertRefusedAsync("State", "该班核查已经校长签字确认，不能再修改或退回。");
        await (await head.PostJsonAsync(returnUrl + "/confirm", new RollCallApi.ConfirmBody([], null))).AssertRefusedAsync("State", "该班核查已经校长签字确认，不能再修改或退回。");

        // Progress: the county sees the school's classes, one of them attested.
        await using var db = app.Db();
        var schoolClasses = await db.RollCallReturns.CountAsync(r => r.CampaignId == world.CampaignId && r.SchoolId == world.SchoolId);
        var progress = await county.GetOkAsync<RollCallApi.ProgressDto>($"/api/v1/roll-calls/{world.CampaignId}");
        var row = progress.Schools.Single(s => s.SchoolId == world.SchoolId);
        Assert.Equal(schoolClasses, row.Classes);
        Assert.Equal(1, row.Attested);
        Assert.Equal(1, row.Confirmed);
        Assert.Equal(RollCallQueries.Percent(1, schoolClasses), row.AttestedPercent);
        Assert.Equal(0, row.OpenAnomalies);
        Assert.Equal(progress.Schools.Sum(s => s.Classes), progress.Classes);
        Assert.Equal(1, progress.Attested);
        var (status, html) = await Pages.GetAsync(county, $"/roll-calls/{world.CampaignId}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("校长已签字", html);
        using var xlsx = await county.GetAsync($"/api/v1/roll-calls/{world.CampaignId}/progress.xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        Assert.Equal("PK"u8.ToArray(), (await xlsx.Content.ReadAsByteArrayAsync())[..2]);
    }

    private static async Task<RollCallApi.ClassProgressDto> ClassProgressAsync(HttpClient county, World world)
    {
        var progress = await county.GetOkAsync<RollCallApi.ProgressDto>($"/api/v1/roll-calls/{world.CampaignId}");
        return progress.Schools.Single(s => s.SchoolId == world.SchoolId).ClassList.Single(c => c.ClassId == world.HeadClassId);
    }

    [Fact]
    public async Task The_roster_prints_the_class_in_order_with_masked_numbers()
    {
        var world = await WorldAsync();
        using var head = await app.ClientAsync(Head);

        var (status, html) = await Pages.GetAsync(head, $"/classes/{world.HeadClassId}/roster");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("size: A4 landscape", html);
        Assert.Contains("学籍花名册", html);
        Assert.Contains($"{world.StartYear}—{world.StartYear + 1}学年", html);
        Assert.Contains("no-print", html);
        var positions = HeadClassNames.Order(RollCallQueries.NameOrder).Select(n => html.IndexOf(n, StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
        Assert.DoesNotContain(OtherClassName, html);
        Assert.Contains("********", html);
        Assert.Contains("138****", html);
        await using var db = app.Db();
        // The head teacher may not reveal: the roster shows each ID's region only, and the month of birth (decision 0014).
        var students = await db.Students.AsNoTracking().Where(s => s.ClassId == world.HeadClassId).Select(s => new { s.IdNumberMasked, s.BirthDate }).ToListAsync();
        Assert.All(students, s => Assert.DoesNotContain(s.IdNumberMasked!, html));
        Assert.All(students, s => Assert.Contains($"{s.BirthDate.Year}年{s.BirthDate.Month}月<", html));
        Assert.Contains("350123************", html);
        Assert.DoesNotMatch(@"\b350123\d{11}[\dX]\b", html);
    }

    [Fact]
    public async Task The_roster_downloads_as_a_Word_document_with_every_name()
    {
        var world = await WorldAsync();
        using var head = await app.ClientAsync(Head);

        using var response = await head.GetAsync($"/api/v1/classes/{world.HeadClassId}/roster.docx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RollCallApi.DocxType, response.Content.Headers.ContentType?.MediaType);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var doc = WordprocessingDocument.Open(stream, false);
        var body = doc.MainDocumentPart!.Document!.Body!;
        var table = Assert.Single(body.Elements<Table>());
        Assert.Equal(HeadClassNames.Length + 1, table.Elements<TableRow>().Count());
        var text = body.InnerText;
        Assert.All(HeadClassNames, n => Assert.Contains(n, text));
        Assert.Contains("学籍花名册", text);
        Assert.Contains("********", text);
        await using var db = app.Db();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.Export && a.EntityId == world.HeadClassId.ToString() && a.After!.Contains("roster.docx")));
    }

    [Fact]
    public async Task The_attendance_book_has_a_column_for_each_day_of_the_chosen_month()
    {
        var world = await WorldAsync();
        using var head = await app.ClientAsync(Head);

        var (status, february) = await Pages.GetAsync(head, $"/classes/{world.HeadClassId}/attendance-book?month={world.StartYear + 1}-02");
        var (_, march) = await Pages.GetAsync(head, $"/classes/{world.HeadClassId}/attendance-book?month={world.StartYear + 1}-03");

        Assert.Equal(HttpStatusCode.OK, status);
        var days = DateTime.DaysInMonth(world.StartYear + 1, 2);
        Assert.Equal(days, System.Text.RegularExpressions.Regex.Matches(february, "data-day=\"\\d+\"").Count);
        Assert.Contains($"data-day=\"{days}\"", february);
        Assert.DoesNotContain("data-day=\"30\"", february);
        Assert.Contains($"点名册（{world.StartYear + 1}年2月）", february);
        Assert.Contains("size: A4 landscape", february);
        Assert.All(HeadClassNames, n => Assert.Contains(n, february));
        Assert.Equal(31, System.Text.RegularExpressions.Regex.Matches(march, "data-day=\"\\d+\"").Count);
    }
}

public sealed class RollCallTests_Sqlite(SqliteApp app) : RollCallTests<SqliteApp>(app);

public sealed class RollCallTests_Postgres(PostgresApp app) : RollCallTests<PostgresApp>(app);
