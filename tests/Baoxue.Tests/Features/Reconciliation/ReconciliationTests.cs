using System.Net;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Features.Ledger;
using Baoxue.Features.Reconciliation;
using Baoxue.Infrastructure.Paging;
using Baoxue.Infrastructure.Security;
using Baoxue.Tests.Features.Organisation;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Baoxue.Tests.Features.Reconciliation;

/// <summary>
/// Issue 11 end to end on a real database: household data imported (duplicates merged), a county run from the API
/// (exact matches, the fuzzy queue, not-found children on the ledger), decisions by a person, idempotent reruns, the
/// reverse check, a village cadre's scope, and bad input refused with nothing changed.
/// </summary>
public abstract class ReconciliationTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private const string County = "county.admin";
    private const string Village = "village.cadre";
    private static readonly string[] Headers = ["姓名", "公民身份号码", "性别", "出生日期", "民族", "户籍地址", "行政区划代码", "户口性质", "与户主关系", "监护人姓名", "监护人电话", "人口类别"];
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly Dictionary<string, World> Worlds = [];

    private sealed record World(string VillageCode, string OtherVillageCode, Dictionary<string, string> Ids, Dictionary<string, Guid> Students);

    /// <summary>The registry side: students made directly, with IDs hashed by the app's own key.</summary>
    private async Task<World> WorldAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (Worlds.TryGetValue(app.ConnectionString, out var world))
            {
                return world;
            }
            var personal = app.Services.GetRequiredService<PersonalData>();
            var names = new ChineseNames(11);
            await using var db = app.Db();
            var villagePath = await db.Users.Where(u => u.UserName == Village).Select(u => u.Path).SingleAsync();
            var village = await db.Divisions.SingleAsync(d => d.Path == villagePath);
            var other = await db.Divisions.Where(d => d.Level == DivisionLevel.Village && d.Id != village.Id).OrderBy(d => d.Code).FirstAsync();
            var @class = await db.Classes.Where(c => c.SchoolYear!.IsCurrent && c.Grade == 3).OrderBy(c => c.Path).FirstAsync();
            var ids = new Dictionary<string, string>();
            var students = new Dictionary<string, Guid>();
            void Student(string key, string name, Gender gender, DateOnly birth, StudentStatus status, bool withId = true)
            {
                var id = names.IdNumberFor("350123", birth, gender);
                ids[key] = id;
                var s = new Student
                {
                    RegistryNumber = withId ? RegistryNumber.Stored(RegistryNumber.ForId(id), id) : "L" + birth.ToString("yyyyMMdd") + "0001" + key.Length,
                    Name = name, Gender = gender, BirthDate = birth, Ethnicity = "01", SchoolId = @class.SchoolId, ClassId = @class.Id, Grade = 3, Path = @class.Path, Status = status,
                    IdNumberCipher = withId ? personal.Encrypt(id) : null, IdNumberHash = withId ? personal.Hash(id) : null, IdNumberMasked = withId ? IdNumber.Mask(id) : null,
                };
                if (status != StudentStatus.InSchool)
                {
                    s.ClassId = null;
                    s.Path = @class.Path[..(@class.Path.TrimEnd('/').LastIndexOf('/') + 1)];
                }
                db.Students.Add(s);
                students[key] = s.Id;
            }
            Student("here", "李明轩", Gender.Male, new DateOnly(2017, 4, 2), StudentStatus.InSchool);
            Student("fuzzy", "陈梓涵", Gender.Female, new DateOnly(2017, 6, 9), StudentStatus.InSchool);
            Student("deferred", "王浩然", Gender.Male, new DateOnly(2016, 1, 20), StudentStatus.Deferred);
            Student("rejected", "林欣怡", Gender.Female, new DateOnly(2016, 11, 3), StudentStatus.InSchool);
            Student("orphan", "黄一诺", Gender.Female, new DateOnly(2017, 2, 14), StudentStatus.InSchool);
            Student("twin", "黄一诺", Gender.Female, new DateOnly(2017, 2, 14), StudentStatus.InSchool, withId: false);
            ids["missing"] = names.IdNumberFor("350123", new DateOnly(2016, 8, 1), Gender.Male);
            ids["floating"] = names.IdNumberFor("350123", new DateOnly(2009, 5, 5), Gender.Female);
            await db.SaveChangesAsync();
            return Worlds[app.ConnectionString] = new World(village.Code, other.Code, ids, students);
        }
        finally
        {
            Once.Release();
        }
    }

    private static byte[] HouseholdFile(World w) => System.Text.Encoding.UTF8.GetBytes(OrganisationKit.Csv(Headers,
        ["李明轩", w.Ids["here"], "男", "2017-04-02", "01", "1组3号", w.VillageCode, "农业", "子", "李强", "", "户籍人口"],
        ["陳子晗", "", "女", "2017-06-09", "01", "1组8号", w.VillageCode, "农业", "女", "陈军", "13800000001", "户籍人口"],
        ["王浩然", w.Ids["deferred"], "", "", "01", "2组1号", w.VillageCode, "农业", "子", "王刚", "", ""],
        ["林馨怡", "", "女", "2016-11-03", "01", "3组2号", w.OtherVillageCode, "农业", "女", "林峰", "", "户籍人口"],
        ["赵小北", w.Ids["missing"], "男", "2016-08-01", "01", "4组6号", w.VillageCode, "农业", "孙子", "赵大山", "13800000002", "户籍人口"],
        ["李明轩", w.Ids["here"], "男", "2017-04-02", "01", "1组3号", w.VillageCode, "农业", "子", "李强", "13800000003", "户籍人口"],
        ["周小雨", w.Ids["floating"], "女", "2009-05-05", "", "", w.OtherVillageCode, "", "", "", "", "流动人口"]));

    private async Task<ReconciliationApi.RunDto> ImportAndRunOnceAsync(HttpClient client)
    {
        var w = await WorldAsync();
        await using (var db = app.Db())
        {
            if (await db.ReconciliationRuns.AnyAsync())
            {
                return ReconciliationApi.ToDto(await db.ReconciliationRuns.OrderBy(r => r.StartedAt).FirstAsync());
            }
        }
        using var imported = await client.UploadAsync("/api/v1/reconciliation/households/import", HouseholdFile(w), "户籍.csv");
        var report = JsonSerializer.Deserialize<ReconciliationApi.HouseholdImportDto>(await imported.Content.ReadAsStringAsync(), OrganisationKit.Json)!;
        Assert.True(imported.StatusCode == HttpStatusCode.OK, string.Join("; ", report.Problems.Select(p => $"{p.Row} {p.Column} {p.Reason}")));
        Assert.Equal(7, report.RowsRead);
        Assert.Equal(6, report.Created);
        Assert.Contains("第7行与第2行为同一儿童", Assert.Single(report.Merged));
        return await (await client.PostJsonAsync("/api/v1/reconciliation/runs", new { })).OkAsync<ReconciliationApi.RunDto>();
    }

    [Fact]
    public async Task A_county_run_matches_exactly_queues_the_fuzzy_and_puts_the_not_found_on_the_ledger()
    {
        using var client = await app.ClientAsync(County);
        var run = await ImportAndRunOnceAsync(client);
        var w = await WorldAsync();

        Assert.Equal(6, run.Children);
        Assert.Equal(2, run.Exact); // 李明轩 in school, 王浩然 deferred (周小雨 has no registry record)
        await using var db = app.Db();
        var results = await db.ReconciliationResults.Include(r => r.HouseholdChild).ToDictionaryAsync(r => r.HouseholdChild!.Name);
        Assert.Equal(ReconciliationOutcome.InSchoolHere, results["李明轩"].Outcome);
        Assert.Equal(MatchKind.Exact, results["李明轩"].Match);
        Assert.Equal(w.Students["here"], results["李明轩"].StudentId);
        Assert.Equal(ReconciliationOutcome.DeferredOrExempted, results["王浩然"].Outcome);
        Assert.Equal(ReconciliationOutcome.NotFound, results["赵小北"].Outcome);
        Assert.Equal(AgeBand.Primary, results["赵小北"].AgeBand);
        Assert.NotNull(results["赵小北"].NearestSchoolId);
        var entry = await db.LedgerEntries.IgnoreQueryFilters().SingleAsync(e => e.Id == results["赵小北"].LedgerEntryId);
        Assert.Equal(LedgerList.NotEnrolled, entry.List);
        Assert.Equal(LedgerSource.Reconciliation, entry.Source);
        Assert.Equal("赵小北", entry.Name);
        // 16 on the cut-off: not of compulsory age, not on the ledger.
        Assert.Equal(AgeBand.Older, results["周小雨"].AgeBand);
        Assert.Null(results["周小雨"].LedgerEntryId);
        Assert.Equal(ReconciliationOutcome.AwaitingDecision, results["陳子晗"].Outcome);
        Assert.Equal(ReconciliationOutcome.AwaitingDecision, results["林馨怡"].Outcome);
        Assert.Contains("第7行与第2行为同一儿童", results["李明轩"].HouseholdChild!.MergeNote);
        Assert.Equal("13800000003", results["李明轩"].HouseholdChild!.GuardianPhone);

        var queue = await client.GetOkAsync<PagedResult<ReconciliationQueries.QueueItem>>("/api/v1/reconciliation/queue");
        var chen = Assert.Single(queue.Items, i => i.Child.Name == "陳子晗");
        var candidate = Assert.Single(chen.Candidates);
        Assert.Equal(w.Students["fuzzy"], candidate.StudentId);
        Assert.Equal("陈梓涵", candidate.StudentName);
        Assert.Equal((int)Baoxue.Features.Reconciliation.Matching.NameAgreement.Homophone, candidate.NameAgreement);
        Assert.Equal(0, candidate.Days);
        Assert.True(candidate.Score >= 90, $"score {candidate.Score}");
    }

    [Fact]
    public async Task Decisions_are_kept_and_nothing_is_duplicated_when_the_run_is_repeated()
    {
        using var client = await app.ClientAsync(County);
        await ImportAndRunOnceAsync(client);
        var w = await WorldAsync();
        var queue = await client.GetOkAsync<PagedResult<ReconciliationQueries.QueueItem>>("/api/v1/reconciliation/queue");
        var lin = queue.Items.Single(i => i.Child.Name == "林馨怡").Candidates.Single();
        var chen = queue.Items.Single(i => i.Child.Name == "陳子晗").Candidates.Single();

        var accepted = await (await client.PostJsonAsync($"/api/v1/reconciliation/candidates/{chen.CandidateId}/accept", new { version = chen.Version })).OkAsync<ReconciliationApi.ResultDto>();
        Assert.Equal(ReconciliationOutcome.InSchoolHere, accepted.Outcome);
        Assert.Equal(MatchKind.Accepted, accepted.Match);
        Assert.Equal(County, accepted.DecidedBy);
        var rejected = await (await client.PostJsonAsync($"/api/v1/reconciliation/candidates/{lin.CandidateId}/reject", new { version = lin.Version })).OkAsync<ReconciliationApi.ResultDto>();
        Assert.Equal(ReconciliationOutcome.NotFound, rejected.Outcome);
        Assert.True(rejected.OnLedger);
        // A decision taken twice is a conflict, not a second decision.
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostJsonAsync($"/api/v1/reconciliation/candidates/{lin.CandidateId}/accept", new { })).StatusCode);

        int results, candidates, entries;
        await using (var db = app.Db())
        {
            (results, candidates, entries) = (await db.ReconciliationResults.CountAsync(), await db.MatchCandidates.CountAsync(), await db.LedgerEntries.IgnoreQueryFilters().CountAsync(e => e.Source == LedgerSource.Reconciliation));
        }
        var again = await (await client.PostJsonAsync("/api/v1/reconciliation/runs", new { })).OkAsync<ReconciliationApi.RunDto>();
        var third = await (await client.PostJsonAsync("/api/v1/reconciliation/runs", new { cutOff = "2026-08-31" })).OkAsync<ReconciliationApi.RunDto>();

        Assert.Equal(0, again.Reported);
        Assert.Equal(0, third.Reported);
        Assert.Equal(0, third.Candidates);
        await using var after = app.Db();
        Assert.Equal(results, await after.ReconciliationResults.CountAsync());
        Assert.Equal(candidates, await after.MatchCandidates.CountAsync());
        Assert.Equal(entries, await after.LedgerEntries.IgnoreQueryFilters().CountAsync(e => e.Source == LedgerSource.Reconciliation));
        var chenResult = await after.ReconciliationResults.SingleAsync(r => r.HouseholdChild!.Name == "陳子晗");
        Assert.Equal(MatchKind.Accepted, chenResult.Match);
        Assert.Equal(w.Students["fuzzy"], chenResult.StudentId);
        var linResult = await after.ReconciliationResults.SingleAsync(r => r.HouseholdChild!.Name == "林馨怡");
        Assert.Equal(ReconciliationOutcome.NotFound, linResult.Outcome);
        Assert.Equal(County, linResult.DecidedBy);
        Assert.Equal(CandidateState.Rejected, (await after.MatchCandidates.SingleAsync(m => m.Id == lin.CandidateId)).State);

        // The page shows the decision.
        var html = await client.GetStringAsync($"/reconciliation/results/{chenResult.Id}");
        Assert.Contains("人工确认", html);
        Assert.Contains(County, html);
    }

    [Fact]
    public async Task A_village_cadre_sees_only_their_village_and_records_an_outcome_with_evidence()
    {
        using var county = await app.ClientAsync(County);
        await ImportAndRunOnceAsync(county);
        using var client = await app.ClientAsync(Village);
        var children = await client.GetOkAsync<PagedResult<ReconciliationQueries.ChildRow>>("/api/v1/reconciliation/children?pageSize=200");
        var w = await WorldAsync();
        Assert.NotEmpty(children.Items);
        Assert.All(children.Items, c => Assert.Equal(w.VillageCode, c.DivisionCode));
        Assert.DoesNotContain(children.Items, c => c.Name == "周小雨");
        await using (var db = app.Db())
        {
            var elsewhere = await db.ReconciliationResults.Where(r => r.HouseholdChild!.Name == "周小雨").Select(r => r.Id).SingleAsync();
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync($"/api/v1/reconciliation/results/{elsewhere}/outcome", new { outcome = "MovedAway", evidence = "迁出证明" })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostJsonAsync("/api/v1/reconciliation/runs", new { })).StatusCode);

        var zhao = children.Items.Single(c => c.Name == "赵小北");
        var refused = await client.PostJsonAsync($"/api/v1/reconciliation/results/{zhao.ResultId}/outcome", new { outcome = "MovedAway", evidence = " " });
        var errors = await refused.RefusedAsync();
        Assert.Contains("Evidence", errors.Keys);
        var recorded = await (await client.PostJsonAsync($"/api/v1/reconciliation/results/{zhao.ResultId}/outcome", new { outcome = "MovedAway", evidence = "已随父母迁往福州市鼓楼区，有迁移证明" })).OkAsync<ReconciliationApi.ResultDto>();
        Assert.Equal(ReconciliationOutcome.MovedAway, recorded.Outcome);
        Assert.Equal(MatchKind.Recorded, recorded.Match);
        var rerun = await (await county.PostJsonAsync("/api/v1/reconciliation/runs", new { })).OkAsync<ReconciliationApi.RunDto>();
        await using var after = app.Db();
        Assert.Equal(ReconciliationOutcome.MovedAway, (await after.ReconciliationResults.SingleAsync(r => r.Id == zhao.ResultId)).Outcome);
        Assert.Equal(0, rerun.Reported);
    }

    [Fact]
    public async Task The_reverse_check_lists_students_without_a_household_record_and_those_registered_twice()
    {
        using var client = await app.ClientAsync(County);
        await ImportAndRunOnceAsync(client);
        var w = await WorldAsync();
        var none = await client.GetOkAsync<PagedResult<ReconciliationQueries.ReverseRow>>("/api/v1/reconciliation/reverse?kind=NoHousehold&pageSize=200");
        Assert.Contains(none.Items, s => s.StudentId == w.Students["orphan"]);
        Assert.DoesNotContain(none.Items, s => s.StudentId == w.Students["here"]);
        var twice = await client.GetOkAsync<PagedResult<ReconciliationQueries.ReverseRow>>("/api/v1/reconciliation/reverse?kind=Duplicate&pageSize=200");
        Assert.Contains(twice.Items, s => s.StudentId == w.Students["orphan"]);
        Assert.Contains(twice.Items, s => s.StudentId == w.Students["twin"]);
    }

    [Fact]
    public async Task A_household_file_with_a_bad_row_is_refused_whole_and_names_the_cell()
    {
        var w = await WorldAsync();
        using var client = await app.ClientAsync(County);
        int before;
        await using (var db = app.Db())
        {
            before = await db.HouseholdChildren.CountAsync();
        }
        var file = System.Text.Encoding.UTF8.GetBytes(OrganisationKit.Csv(Headers,
            ["孙悟空", "", "男", "2015-01-01", "01", "", w.VillageCode, "", "", "", "", ""],
            ["猪八戒", "350123201501011234", "男", "2015-01-01", "01", "", w.VillageCode, "", "", "", "", ""],
            ["沙和尚", "", "男", "2015-01-01", "01", "", "999999999999", "", "", "", "", ""],
            ["唐三藏", "", "男", "1990-01-01", "01", "", w.VillageCode, "", "", "", "", ""]));
        using var response = await client.UploadAsync("/api/v1/reconciliation/households/import", file, "bad.csv");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var report = JsonSerializer.Deserialize<ReconciliationApi.HouseholdImportDto>(await response.Content.ReadAsStringAsync(), OrganisationKit.Json)!;
        Assert.Contains(report.Problems, p => p.Row == 3 && p.Column == "公民身份号码");
        Assert.Contains(report.Problems, p => p.Row == 4 && p.Column == "行政区划代码" && p.Reason.Contains("行政区划代码"));
        Assert.Contains(report.Problems, p => p.Row == 5 && p.Column == "出生日期" && p.Reason.Contains("0–18"));
        await using var after = app.Db();
        Assert.Equal(before, await after.HouseholdChildren.CountAsync());
    }

    [Fact]
    public async Task The_pages_show_the_summary_the_queue_and_the_template()
    {
        using var client = await app.ClientAsync(County);
        await ImportAndRunOnceAsync(client);
        var home = await client.GetStringAsync("/reconciliation");
        Assert.Contains("人籍比对", home);
        Assert.Contains("id=\"summary\"", home);
        var template = await client.GetAsync("/api/v1/reconciliation/households/import/template");
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", template.Content.Headers.ContentType?.MediaType);
        var export = await client.GetAsync("/api/v1/reconciliation/children.xlsx?outcome=NotFound");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using var sheet = Baoxue.Infrastructure.Spreadsheets.SpreadsheetReader.Open(new MemoryStream(await export.Content.ReadAsByteArrayAsync()), "x.xlsx", 10_000_000);
        Assert.NotNull(sheet);
    }
}

public sealed class ReconciliationTests_Sqlite(SqliteApp app) : ReconciliationTests<SqliteApp>(app);

public sealed class ReconciliationTests_Postgres(PostgresApp app) : ReconciliationTests<PostgresApp>(app);
