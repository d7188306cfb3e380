using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Features.Registry;
using Baoxue.Tests.Features.Registry.StatusChanges;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Baoxue.Features.Registry.StatusChangeApi;

namespace Baoxue.Tests.Features.Jurisdictions;

/// <summary>
/// The demo with its second county (闽侯县 350121 beside 罗源县 under 福州市): the status-change app's registrars, plus the
/// city's and the province's accounts and 闽侯's own.
/// </summary>
public abstract class TwoCountyApp : StatusChangeApp
{
    public const string SecondCounty = "350121";

    protected TwoCountyApp(TestDatabase database) : base(database)
    {
        With("Demo:SecondCountyCode", SecondCounty);
        With("Demo:SecondCountyStudents", "36");
    }

    public Guid MinhouSchoolId { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Db();
        MinhouSchoolId = await db.Users.Where(u => u.UserName == "minhou.school").Select(u => u.PlaceId).SingleAsync();
    }
}

public sealed class TwoCountySqliteApp() : TwoCountyApp(TestDatabase.Sqlite());

public sealed class TwoCountyPostgresApp() : TwoCountyApp(TestDatabase.Postgres());

/// <summary>
/// Above the county (issue 12, decision 0026), through the API on both databases: a city and a province see the counties
/// below and change nothing of a child's; each county sees only its own; a transfer between the two counties runs
/// through both bureaus; case assignment stays in the case's county; the city administrator starts a county off.
/// </summary>
public abstract class AboveTheCountyTests<TApp>(TApp app) where TApp : TwoCountyApp
{
    private static readonly JsonSerializerOptions Json = StatusChangeApp.Json;

    private async Task<HttpResponseMessage> SendAsync(string user, HttpMethod method, string url, object? body = null)
    {
        using var client = await app.ClientAsync(user);
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        return await client.SendAsync(request);
    }

    private Task<HttpResponseMessage> GetAsync(string user, string url) => SendAsync(user, HttpMethod.Get, url);
    private Task<HttpResponseMessage> PostAsync(string user, string url, object body) => SendAsync(user, HttpMethod.Post, url, body);

    private static async Task<T> OkAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    private static async Task<string> StatusAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body;
    }

    private sealed record Paged<T>(List<T> Items, int Total);
    private sealed record SchoolRow(Guid Id, string Code, string Name);
    private sealed record StudentRow(Guid Id, string Name, string? IdNumberMasked, string RegistryNumber);

    private async Task<List<SchoolRow>> SchoolsAsync(string user) => (await OkAsync<Paged<SchoolRow>>(await GetAsync(user, "/api/v1/schools?pageSize=200"))).Items;

    [Fact]
    public async Task The_city_and_the_province_see_both_counties_and_each_county_only_its_own()
    {
        await using var db = app.Db();
        var luoyuan = await db.Schools.CountAsync(s => s.Path.StartsWith("35/3501/350123/"));
        var minhou = await db.Schools.CountAsync(s => s.Path.StartsWith("35/3501/350121/"));
        Assert.True(luoyuan > 0 && minhou > 0);

        foreach (var user in new[] { "city.staff", "province.staff", "city.leader", "city.inspector" })
        {
            var seen = await SchoolsAsync(user);
            Assert.Equal(luoyuan + minhou, seen.Count);
            Assert.Contains(seen, s => s.Name == "闽侯县实验小学");
            Assert.Contains(seen, s => s.Name == "罗源县实验小学");
        }
        var county = await SchoolsAsync("county.admin");
        Assert.Equal(luoyuan, county.Count);
        Assert.DoesNotContain(county, s => s.Name.StartsWith("闽侯县", StringComparison.Ordinal));
        var second = await SchoolsAsync("minhou.admin");
        Assert.Equal(minhou, second.Count);
        Assert.All(second, s => Assert.StartsWith("闽侯县", s.Name));

        // Students: the city reads 闽侯's (masked: no registry.reveal above the county); 罗源's bureau does not.
        // The demo's 36 (other tests of this fixture may move a child in from 罗源).
        Assert.Equal(36, await db.Students.CountAsync(s => s.Path.StartsWith("35/3501/350121/") && s.RegistryNumber.StartsWith("G350121")));
        var cityStudents = await OkAsync<Paged<StudentRow>>(await GetAsync("city.staff", "/api/v1/students?pageSize=200"));
        Assert.Equal(await db.Students.CountAsync(), cityStudents.Total);
        Assert.All(cityStudents.Items, s => Assert.Matches(@"^\d{6}\*{12}$", s.IdNumberMasked!));
        var one = cityStudents.Items.First(s => s.RegistryNumber.StartsWith("G350121", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("bureau.staff", $"/api/v1/students/{one.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("minhou.staff", $"/api/v1/students/{one.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("city.staff", $"/api/v1/students/{one.Id}/reveal", new { })).StatusCode);
    }

    [Fact]
    public async Task The_province_and_the_city_read_the_figures_of_both_counties_on_the_dashboard()
    {
        using (var admin = await app.ClientAsync("county.admin"))
        {
            using var recompute = await admin.PostAsync("/api/v1/rates/recompute", null);
            Assert.True(recompute.IsSuccessStatusCode, await recompute.Content.ReadAsStringAsync());
        }
        // The enrolment rate's numerator: the children in school under the place.
        static long Enrolled(JsonElement board) => board.GetProperty("rates").EnumerateArray()
            .Single(r => r.GetProperty("rate").GetString() == "enrolment").GetProperty("numerator").GetInt64();
        async Task<JsonElement> BoardAsync(string user)
        {
            using var client = await app.ClientAsync(user);
            using var response = await client.GetAsync("/api/v1/rates");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }
        var province = await BoardAsync("province.staff");
        var city = await BoardAsync("city.staff");
        var luoyuan = await BoardAsync("county.admin");
        var minhou = await BoardAsync("minhou.admin");
        Assert.Equal("福建省", province.GetProperty("place").GetProperty("name").GetString());
        Assert.Equal("福州市", city.GetProperty("place").GetProperty("name").GetString());
        Assert.True(Enrolled(minhou) > 0);
        Assert.Equal(Enrolled(luoyuan) + Enrolled(minhou), Enrolled(city));
        Assert.Equal(Enrolled(city), Enrolled(province));

        using var pages = await app.ClientAsync("province.staff");
        Assert.Contains("福建省", await pages.GetStringAsync("/rates"));
        using var reports = await pages.GetAsync("/reports");
        Assert.Equal(HttpStatusCode.OK, reports.StatusCode);
    }

    [Fact]
    public async Task The_city_changes_no_childs_record()
    {
        var cls = await app.ClassAsync(app.MinhouSchoolId, 2);
        await using var db = app.Db();
        var student = await db.Students.AsNoTracking().FirstAsync(s => s.ClassId == cls.Id);
        var before = student.Name;
        var change = new { name = "改名测试", classId = cls.Id };
        foreach (var user in new[] { "city.staff", "province.staff", "city.leader", "city.admin" })
        {
            using var put = await SendAsync(user, HttpMethod.Put, $"/api/v1/students/{student.Id}", change);
            Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
            using var request = await PostAsync(user, "/api/v1/status-changes", new { kind = "Suspension", studentId = student.Id, reason = "病休" });
            Assert.Equal(HttpStatusCode.Forbidden, request.StatusCode);
            using var tip = await PostAsync(user, "/api/v1/ledger/entries", new { list = "NotEnrolled", reason = "线索", name = "某某", birthDate = "2018-01-01", gender = "Male" });
            Assert.Equal(HttpStatusCode.Forbidden, tip.StatusCode);
        }
        Assert.Equal(before, (await app.StudentAsync(student.Id)).Name);
    }

    [Fact]
    public async Task A_transfer_from_Luoyuan_to_Minhou_needs_both_bureaus_and_lands_the_student_in_Minhou()
    {
        var from = await app.ClassAsync(app.OwnSchoolId, 4);
        var (studentId, idNumber) = await app.EnrolAsync("school.admin", from.Id, 4);
        var target = await app.ClassAsync(app.MinhouSchoolId, 4);

        // 闽侯's registrar cannot browse 罗源's student, only find them by number and name, and asks for them.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("minhou.school", $"/api/v1/students/{studentId}")).StatusCode);
        var requested = await OkAsync<StatusChangeDetailDto>(await PostAsync("minhou.school", "/api/v1/status-changes",
            new { kind = "TransferAcrossCounty", studentNumber = idNumber, reason = "随父母迁居闽侯", toClassId = target.Id }));
        var id = requested.Change.Id;
        Assert.Equal(StatusChangeKind.TransferAcrossCounty, requested.Change.Kind);
        Assert.Equal(ApprovalStage.SendingSchool, requested.Change.AwaitingStage);

        // Sending school, then 罗源's bureau — not 闽侯's, not the city.
        await OkAsync<StatusChangeDetailDto>(await PostAsync("school.admin", $"/api/v1/status-changes/{id}/decision", new { approve = true, comment = "同意转出" }));
        Assert.NotEqual(HttpStatusCode.OK, (await PostAsync("minhou.staff", $"/api/v1/status-changes/{id}/decision", new { approve = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("city.staff", $"/api/v1/status-changes/{id}/decision", new { approve = true })).StatusCode);
        var sent = await OkAsync<StatusChangeDetailDto>(await PostAsync("bureau.staff", $"/api/v1/status-changes/{id}/decision", new { approve = true, comment = "准予转出" }));
        Assert.Equal(ApprovalStage.ReceivingBureau, sent.Change.AwaitingStage);
        Assert.Equal(app.OwnSchoolId, (await app.StudentAsync(studentId)).SchoolId);

        // Then 闽侯's bureau — not 罗源's — and the student lands in 闽侯.
        Assert.NotEqual(HttpStatusCode.OK, (await PostAsync("bureau.staff", $"/api/v1/status-changes/{id}/decision", new { approve = true })).StatusCode);
        var done = await OkAsync<StatusChangeDetailDto>(await PostAsync("minhou.staff", $"/api/v1/status-changes/{id}/decision", new { approve = true, comment = "准予转入" }));
        Assert.Equal(StatusChangeState.Approved, done.Change.State);
        Assert.Equal(["minhou.school", "school.admin", "bureau.staff", "minhou.staff"], done.Steps.Select(s => s.DecidedBy));
        var student = await app.StudentAsync(studentId);
        Assert.Equal(app.MinhouSchoolId, student.SchoolId);
        Assert.Equal(target.Path, student.Path);
        Assert.StartsWith("35/3501/350121/", student.Path);
        Assert.Equal(StudentStatus.InSchool, student.Status);

        // Each bureau sees what it should: the record is 闽侯's now; both keep the change; the city sees both.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("bureau.staff", $"/api/v1/students/{studentId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("minhou.staff", $"/api/v1/students/{studentId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("bureau.staff", $"/api/v1/status-changes/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("minhou.staff", $"/api/v1/status-changes/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("city.staff", $"/api/v1/students/{studentId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("city.staff", $"/api/v1/status-changes/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_case_is_assigned_only_to_people_of_its_own_county()
    {
        Guid village, minhouPrincipal, minhouCadre, ownPrincipal, ownCadre;
        await using (var db = app.Db())
        {
            village = await db.Users.Where(u => u.UserName == "village.cadre").Select(u => u.PlaceId).SingleAsync();
            var villagePath = await db.Divisions.Where(d => d.Id == village).Select(d => d.Path).SingleAsync();
            minhouPrincipal = await db.Staff.Where(s => s.SchoolId == app.MinhouSchoolId && s.Post == "校长").Select(s => s.Id).SingleAsync();
            minhouCadre = await db.Staff.Where(s => s.Path.StartsWith("35/3501/350121/") && s.DivisionId != null && s.Path.Length > "35/3501/350121/".Length).Select(s => s.Id).FirstAsync();
            ownPrincipal = await db.Staff.Where(s => s.SchoolId == app.OwnSchoolId && s.Post == "校长").Select(s => s.Id).SingleAsync();
            ownCadre = await db.Staff.Where(s => s.Path == villagePath).Select(s => s.Id).FirstAsync();
        }
        var code = await VillageCodeAsync(village);
        var tip = await OkAsync<Baoxue.Features.Ledger.LedgerApi.IntakeDto>(await PostAsync("village.cadre", "/api/v1/ledger/entries", new
        {
            list = "NotEnrolled", reason = "村干部反映：秋季未到校报到", name = "两县童" + app.Provider[0], birthDate = "2018-05-06", gender = "Female", householdDivisionCode = code,
        }));
        await OkAsync<JsonElement>(await PostAsync("village.cadre", $"/api/v1/ledger/entries/{tip.EntryId}/verification", new { outcome = "Dropout", note = "家访见到孩子在家。" }));
        var approved = await OkAsync<Baoxue.Features.Ledger.LedgerApi.EntryDetailDto>(await PostAsync("township.cadre", $"/api/v1/ledger/entries/{tip.EntryId}/approval", new { approve = true }));
        var caseId = approved.Case!.Id;

        // 闽侯's principal and cadre are real, active staff — but of another county: refused, nothing changes.
        var refused = await StatusAsync(await PostAsync("county.admin", $"/api/v1/ledger/cases/{caseId}/assignment", new { educationStaffId = minhouPrincipal, governmentStaffId = minhouCadre }), HttpStatusCode.BadRequest);
        Assert.Contains("educationStaffId", refused, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("governmentStaffId", refused, StringComparison.OrdinalIgnoreCase);
        await using (var db = app.Db())
        {
            var stored = await db.LedgerCases.AsNoTracking().SingleAsync(c => c.Id == caseId);
            Assert.Null(stored.EducationStaffId);
            Assert.Equal(LedgerCaseState.Opened, stored.State);
        }
        var assigned = await OkAsync<Baoxue.Features.Ledger.LedgerApi.EntryDetailDto>(await PostAsync("county.admin", $"/api/v1/ledger/cases/{caseId}/assignment", new { educationStaffId = ownPrincipal, governmentStaffId = ownCadre }));
        Assert.Equal(LedgerCaseState.Assigned, assigned.Case!.State);
    }

    private async Task<string> VillageCodeAsync(Guid village)
    {
        await using var db = app.Db();
        return await db.Divisions.Where(d => d.Id == village).Select(d => d.Code).SingleAsync();
    }

    [Fact]
    public async Task The_city_administrator_starts_a_county_off_and_no_further()
    {
        Guid minhou, city, province, minhouSchool = app.MinhouSchoolId;
        await using (var db = app.Db())
        {
            minhou = await db.Divisions.Where(d => d.Code == TwoCountyApp.SecondCounty).Select(d => d.Id).SingleAsync();
            city = await db.Divisions.Where(d => d.Code == "3501").Select(d => d.Id).SingleAsync();
            province = await db.Divisions.Where(d => d.Code == "35").Select(d => d.Id).SingleAsync();
        }
        object Account(string role, string kind, Guid place) => new
        {
            userName = "j." + Guid.NewGuid().ToString("N")[..10], displayName = "测试账号", role, placeKind = kind, placeId = place, password = BaoxueApp.Password,
        };

        // A county administrator for 闽侯, and a colleague at the city: yes.
        await OkAsync<JsonElement>(await PostAsync("city.admin", "/api/v1/accounts", Account("CountyAdmin", "County", minhou)));
        await OkAsync<JsonElement>(await PostAsync("city.admin", "/api/v1/accounts", Account("RegionalStaff", "City", city)));
        // The county's own people, and anything at the province above: no, with a reason.
        foreach (var (role, kind, place) in new[] { ("BureauStaff", "County", minhou), ("SchoolAdmin", "School", minhouSchool), ("Inspector", "County", minhou) })
        {
            var refused = await StatusAsync(await PostAsync("city.admin", "/api/v1/accounts", Account(role, kind, place)), HttpStatusCode.Forbidden);
            Assert.Contains("role", refused, StringComparison.OrdinalIgnoreCase);
        }
        var above = await StatusAsync(await PostAsync("city.admin", "/api/v1/accounts", Account("RegionalStaff", "Province", province)), HttpStatusCode.BadRequest);
        Assert.Contains("不在您的管辖范围内", above);
        // A county administrator gives no city role and reaches no city place.
        await StatusAsync(await PostAsync("county.admin", "/api/v1/accounts", Account("RegionalStaff", "City", city)), HttpStatusCode.Forbidden);
        // (A place outside one's jurisdiction is refused as the field it is: 400 naming PlaceId.)
        Assert.Contains("PlaceId", await StatusAsync(await PostAsync("county.admin", "/api/v1/accounts", Account("Inspector", "City", city)), HttpStatusCode.BadRequest));

        // The city administrator's account list holds the city's and the counties' accounts; 闽侯's administrator sees only 闽侯's.
        var cityList = await (await GetAsync("city.admin", "/api/v1/accounts?pageSize=200")).Content.ReadAsStringAsync();
        Assert.Contains("minhou.admin", cityList);
        Assert.Contains("county.admin", cityList);
        var minhouList = await (await GetAsync("minhou.admin", "/api/v1/accounts?pageSize=200")).Content.ReadAsStringAsync();
        Assert.Contains("minhou.staff", minhouList);
        Assert.DoesNotContain("county.admin", minhouList);
        Assert.DoesNotContain("city.staff", minhouList);
    }
}

public sealed class AboveTheCountyTests_Sqlite(TwoCountySqliteApp app) : AboveTheCountyTests<TwoCountySqliteApp>(app), IClassFixture<TwoCountySqliteApp>;

public sealed class AboveTheCountyTests_Postgres(TwoCountyPostgresApp app) : AboveTheCountyTests<TwoCountyPostgresApp>(app), IClassFixture<TwoCountyPostgresApp>;
