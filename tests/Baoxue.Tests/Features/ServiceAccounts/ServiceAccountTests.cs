using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Infrastructure.Spreadsheets;
using Baoxue.Tests.Api.Generated;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Baoxue.Tests.Features.Registry.Import.RegistryImportKit;

namespace Baoxue.Tests.Features.ServiceAccounts;

/// <summary>Service accounts have a small budget of calls here, so the limit can be reached; each test uses its own account.</summary>
public sealed class ServiceAccountSqliteApp : BaoxueApp
{
    public ServiceAccountSqliteApp() : base(TestDatabase.Sqlite()) => With("ServiceAccounts:CallsPerMinute", "40");
}

public sealed class ServiceAccountPostgresApp : BaoxueApp
{
    public ServiceAccountPostgresApp() : base(TestDatabase.Postgres()) => With("ServiceAccounts:CallsPerMinute", "40");
}

/// <summary>
/// A department's system connecting as a service account: through the C# client generated from the committed API
/// document (and nothing else), then the rules around it — scope, audit, rotation, revocation, the OAuth error
/// shape, the opt-in for personal data and the per-account rate limit.
/// </summary>
public abstract class ServiceAccountTests<TApp>(TApp app) where TApp : BaoxueApp
{
    private async Task<BaoxueClient> AdminAsync() => new(await app.ClientAsync("county.admin"));

    private async Task<Guid> CountyIdAsync()
    {
        await using var db = app.Db();
        return await db.Users.Where(u => u.UserName == "county.admin").Select(u => u.PlaceId).SingleAsync();
    }

    private async Task<IssuedCredentialsDto> CreateAsync(string name, CreateServiceAccountPlaceKind kind, Guid placeId, params string[] permissions) =>
        await (await AdminAsync()).ServiceAccounts_CreateAccountAsync(new CreateServiceAccount { Name = name, PlaceKind = kind, PlaceId = placeId, Permissions = permissions });

    private async Task<HttpResponseMessage> TokenResponseAsync(string clientId, string secret, string grant = "client_credentials")
    {
        using var client = app.AnonymousClient();
        return await client.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent(
            [new("grant_type", grant), new("client_id", clientId), new("client_secret", secret)]));
    }

    private async Task<HttpClient> MachineAsync(IssuedCredentialsDto credentials)
    {
        var response = await TokenResponseAsync(credentials.ClientId, credentials.ClientSecret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_department_system_signs_in_pages_students_uploads_a_sheet_and_reads_a_refusal_through_the_generated_client()
    {
        var issued = await CreateAsync("罗源县公安局户籍接口（生成客户端）", CreateServiceAccountPlaceKind.County, await CountyIdAsync(), "registry.view", "registry.edit");
        Assert.StartsWith("bxs_", issued.ClientSecret);

        // Signs in the way the document says: client credentials for a bearer token.
        using var anonymous = app.AnonymousClient();
        var request = new ClientCredentialsRequest
        {
            Client_id = issued.ClientId,
            Client_secret = issued.ClientSecret,
        };
        Assert.Equal("client_credentials", request.Grant_type);
        var token = await new BaoxueClient(anonymous).ServiceAccounts_IssueTokenAsync(request);
        Assert.Equal("Bearer", token.Token_type);
        Assert.InRange(token.Expires_in, 60, 3600);
        using var http = app.AnonymousClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Access_token);
        var machine = new BaoxueClient(http);

        // Uploads a registry sheet of five children.
        var birth = new DateOnly(2016, 5, 1);
        var rows = Enumerable.Range(0, 5).Select(i => (IReadOnlyList<string?>)Row($"服务账号{"甲乙丙丁戊"[i]}", Id(birth, 901 + i, i % 2 == 0 ? Gender.Male : Gender.Female))).ToList();
        var sheet = XlsxWriter.Build("学生", Headers, rows);
        var report = await machine.Registry_ImportStudentsAsync(new FileParameter(new MemoryStream(sheet), "学生.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        Assert.True(report.Succeeded, string.Join("; ", report.Problems.Select(p => $"{p.Row} {p.Column} {p.Value}")));
        Assert.Equal(5, report.Created);

        // Pages through the students, two at a time, and finds them all.
        var seen = new List<string>();
        var pages = 0;
        for (var page = 1; ; page++)
        {
            var result = await machine.Registry_ListStudentsAsync(q: "服务账号", township: null, division: null, school: null, schoolId: null, @class: null, classId: null,
                grade: null, status: null, group: null, disability: null, sort: null, page: page.ToString(System.Globalization.CultureInfo.InvariantCulture), pageSize: "2", after: null);
            pages++;
            seen.AddRange(result.Items.Select(s => s.Name));
            Assert.Equal(5, result.Total);
            if (result.Next is null)
            {
                break;
            }
        }
        Assert.Equal(3, pages);
        Assert.Equal(5, seen.Distinct().Count());

        // A refused request: the problem document names the field, in Chinese.
        var refused = await Assert.ThrowsAsync<ApiException<HttpValidationProblemDetails>>(() => machine.Registry_ListStudentsAsync(q: null, township: null, division: null, school: null, schoolId: null, @class: null, classId: null, grade: null, status: null, group: null, disability: null, sort: null, page: "1", pageSize: "500", after: null));
        Assert.Equal(400, refused.StatusCode);
        Assert.Contains("每页条数", string.Join("", refused.Result.Errors!["pageSize"]));
        // Personal data was not granted: the reveal is refused with a problem document.
        var studentId = (await machine.Registry_ListStudentsAsync(q: "服务账号甲", township: null, division: null, school: null, schoolId: null, @class: null, classId: null, grade: null, status: null, group: null, disability: null, sort: null, page: null, pageSize: null, after: null)).Items.Single().Id;
        var forbidden = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => machine.Registry_RevealStudentAsync(studentId));
        Assert.Equal(403, forbidden.StatusCode);

        // Everything it did is in the audit log under its own name.
        await using var db = app.Db();
        var lines = await db.AuditEntries.Where(a => a.UserName == issued.Account.Name).ToListAsync();
        Assert.Contains(lines, a => a.Action == AuditAction.LoginSucceeded && a.EntityType == nameof(ServiceAccount));
        Assert.Contains(lines, a => a.EntityType == nameof(Student));
        Assert.All(lines, a => Assert.Equal(issued.Account.Id, a.UserId));
    }

    [Fact]
    public async Task Calls_are_scoped_to_the_accounts_jurisdiction()
    {
        Division township;
        int schools;
        await using (var db = app.Db())
        {
            township = await db.Divisions.Where(d => d.Level == DivisionLevel.Township && db.Schools.Any(s => s.TownshipId == d.Id)).OrderBy(d => d.Code).FirstAsync();
            schools = await db.Schools.CountAsync(s => s.Path.StartsWith(township.Path));
            Assert.True(await db.Schools.CountAsync() > schools);
        }
        var issued = await CreateAsync($"{township.Name}平台（范围）", CreateServiceAccountPlaceKind.Township, township.Id, "org.view");
        using var machine = await MachineAsync(issued);
        var list = await machine.GetFromJsonAsync<JsonElement>("/api/v1/schools?pageSize=200");
        Assert.Equal(schools, list.GetProperty("total").GetInt32());
        // Only the permissions it was given: no registry, no account management, no pages.
        Assert.Equal(HttpStatusCode.Forbidden, (await machine.GetAsync("/api/v1/students")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await machine.GetAsync("/api/v1/service-accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await machine.GetAsync("/schools")).StatusCode);
    }

    [Fact]
    public async Task Rotating_the_secret_or_revoking_the_account_ends_the_old_credentials_at_once()
    {
        var admin = await AdminAsync();
        var issued = await CreateAsync("市级平台（轮换）", CreateServiceAccountPlaceKind.County, await CountyIdAsync(), "org.view");
        using var before = await MachineAsync(issued);
        Assert.Equal(HttpStatusCode.OK, (await before.GetAsync("/api/v1/schools")).StatusCode);

        var rotated = await admin.ServiceAccounts_RotateSecretAsync(issued.Account.Id);
        Assert.NotEqual(issued.ClientSecret, rotated.ClientSecret);
        Assert.Equal(issued.ClientId, rotated.ClientId);
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/v1/schools")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenResponseAsync(issued.ClientId, issued.ClientSecret)).StatusCode);
        using var after = await MachineAsync(rotated);
        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync("/api/v1/schools")).StatusCode);

        var revoked = await admin.ServiceAccounts_RevokeAccountAsync(issued.Account.Id);
        Assert.True(revoked.IsRevoked);
        Assert.Equal(HttpStatusCode.Unauthorized, (await after.GetAsync("/api/v1/schools")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenResponseAsync(rotated.ClientId, rotated.ClientSecret)).StatusCode);
        var again = await Assert.ThrowsAsync<ApiException<HttpValidationProblemDetails>>(() => admin.ServiceAccounts_RotateSecretAsync(issued.Account.Id));
        Assert.Contains("已停用", string.Join("", again.Result.Errors!.SelectMany(e => e.Value)));

        await using var db = app.Db();
        var stored = await db.ServiceAccounts.SingleAsync(a => a.Id == issued.Account.Id);
        Assert.NotEqual(issued.ClientSecret, stored.SecretHash);
        Assert.DoesNotContain(issued.ClientSecret, stored.SecretHash);
        var changes = await db.AuditEntries.Where(a => a.EntityType == nameof(ServiceAccount) && a.EntityId == issued.Account.Id.ToString()).ToListAsync();
        Assert.Contains(changes, a => a.Action == AuditAction.Create && a.UserName == "county.admin");
        Assert.Equal(2, changes.Count(a => a.Action == AuditAction.Update));
        Assert.All(changes, a => Assert.DoesNotContain(stored.SecretHash, (a.Before ?? "") + a.After));
    }

    [Fact]
    public async Task Bad_credentials_get_the_OAuth_error_shape_in_Chinese_and_are_audited()
    {
        var issued = await CreateAsync("残联系统（错误）", CreateServiceAccountPlaceKind.County, await CountyIdAsync(), "registry.view");
        var wrong = await TokenResponseAsync(issued.ClientId, "bxs_not-the-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var body = await wrong.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        Assert.Contains("密钥不正确", body.GetProperty("error_description").GetString());

        var grant = await TokenResponseAsync(issued.ClientId, issued.ClientSecret, grant: "password");
        Assert.Equal(HttpStatusCode.BadRequest, grant.StatusCode);
        Assert.Equal("unsupported_grant_type", (await grant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        // HTTP Basic works as well as the form (RFC 6749 §2.3.1).
        using var basic = app.AnonymousClient();
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{issued.ClientId}:{issued.ClientSecret}")));
        var viaBasic = await basic.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent([new("grant_type", "client_credentials")]));
        Assert.Equal(HttpStatusCode.OK, viaBasic.StatusCode);

        await using var db = app.Db();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.LoginFailed && a.UserName == issued.ClientId && a.EntityType == nameof(ServiceAccount)));
    }

    [Fact]
    public async Task Personal_data_is_granted_only_on_its_own_and_the_grant_is_in_the_audit_log()
    {
        var county = await CountyIdAsync();
        var admin = await AdminAsync();
        var refused = await Assert.ThrowsAsync<ApiException<HttpValidationProblemDetails>>(() => admin.ServiceAccounts_CreateAccountAsync(new CreateServiceAccount
        {
            Name = "越权（账号管理）", PlaceKind = CreateServiceAccountPlaceKind.County, PlaceId = county, Permissions = ["accounts.manage"],
        }));
        Assert.Contains("accounts.manage", string.Join("", refused.Result.Errors!["Permissions"]));

        var plain = await CreateAsync("民政系统（不含个人信息）", CreateServiceAccountPlaceKind.County, county, "registry.view");
        Assert.DoesNotContain("registry.reveal", plain.Account.Permissions);
        var reveal = await CreateAsync("公安系统（含个人信息）", CreateServiceAccountPlaceKind.County, county, "registry.view", "registry.reveal");
        Assert.Contains("registry.reveal", reveal.Account.Permissions);

        await using var db = app.Db();
        var grant = await db.AuditEntries.SingleAsync(a => a.EntityType == nameof(ServiceAccount) && a.EntityId == reveal.Account.Id.ToString() && a.Action == AuditAction.Create);
        Assert.Contains("registry.reveal", grant.After ?? "");
    }

    [Fact]
    public async Task Each_service_account_has_its_own_budget_of_calls()
    {
        var county = await CountyIdAsync();
        using var busy = await MachineAsync(await CreateAsync("省级平台（限频）", CreateServiceAccountPlaceKind.County, county, "org.view"));
        using var quiet = await MachineAsync(await CreateAsync("市级平台（不受影响）", CreateServiceAccountPlaceKind.County, county, "org.view"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 45; i++)
        {
            statuses.Add((await busy.GetAsync("/api/v1/school-years")).StatusCode);
        }
        Assert.Equal(40, statuses.Count(s => s == HttpStatusCode.OK));
        var limited = await busy.GetAsync("/api/v1/school-years");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await quiet.GetAsync("/api/v1/school-years")).StatusCode);
    }
}

public sealed class ServiceAccountTests_Sqlite(ServiceAccountSqliteApp app) : ServiceAccountTests<ServiceAccountSqliteApp>(app), IClassFixture<ServiceAccountSqliteApp>;

public sealed class ServiceAccountTests_Postgres(ServiceAccountPostgresApp app) : ServiceAccountTests<ServiceAccountPostgresApp>(app), IClassFixture<ServiceAccountPostgresApp>;
