using System.Net;
using System.Text;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Tests.Support;

namespace Baoxue.Tests.Security;

/// <summary>
/// Every endpoint and page against every role. The tables below are the contract: a new endpoint that is
/// not listed here, or that declares no policy, fails this test; every listed one is called as every role
/// and must answer allow or deny as written.
/// </summary>
public sealed class AuthorizationMatrixTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    // Which roles each policy admits, written out independently of Permission.Grants.
    private static readonly Dictionary<string, Role[]> Admits = new()
    {
        ["signed-in"] = Enum.GetValues<Role>(),
        ["org.view"] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin, Role.HeadTeacher, Role.SubjectTeacher, Role.TownshipCadre, Role.VillageCadre, Role.Inspector, Role.ReadOnlyLeader],
        ["divisions.edit"] = [Role.CountyAdmin],
        ["schools.edit"] = [Role.CountyAdmin, Role.BureauStaff],
        ["classes.edit"] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin],
        ["schoolyears.edit"] = [Role.CountyAdmin],
        ["staff.view"] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin, Role.TownshipCadre, Role.VillageCadre, Role.DepartmentLiaison, Role.Inspector, Role.ReadOnlyLeader],
        ["staff.edit"] = [Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin],
        ["departments.view"] = [Role.CountyAdmin, Role.BureauStaff, Role.DepartmentLiaison, Role.TownshipCadre, Role.Inspector, Role.ReadOnlyLeader],
        ["departments.edit"] = [Role.CountyAdmin],
        ["accounts.manage"] = [Role.CountyAdmin],
        ["audit.view"] = [Role.CountyAdmin, Role.Inspector],
    };

    // method, route, policy — every route the application answers.
    private const string Contract = """
        GET /  signed-in
        POST /  signed-in
        GET /account  signed-in
        POST /account  signed-in
        GET /account/two-factor  signed-in
        POST /account/two-factor  signed-in
        GET /accounts  accounts.manage
        POST /accounts  accounts.manage
        GET /accounts/new  accounts.manage
        POST /accounts/new  accounts.manage
        GET /accounts/{Id:guid}  accounts.manage
        POST /accounts/{Id:guid}  accounts.manage
        GET /api/v1/accounts/  accounts.manage
        POST /api/v1/accounts/  accounts.manage
        GET /api/v1/accounts/{id:guid}  accounts.manage
        PUT /api/v1/accounts/{id:guid}  accounts.manage
        GET /api/v1/audit/  audit.view
        GET /api/v1/audit/export  audit.view
        POST /api/v1/audit/verify  audit.view
        POST /api/v1/auth/token  (anonymous)
        GET /api/v1/classes  org.view
        POST /api/v1/classes  classes.edit
        GET /api/v1/classes/export  org.view
        POST /api/v1/classes/import  classes.edit
        GET /api/v1/classes/{id:guid}  org.view
        PUT /api/v1/classes/{id:guid}  classes.edit
        GET /api/v1/departments  departments.view
        POST /api/v1/departments  departments.edit
        GET /api/v1/departments/{id:guid}  departments.view
        PUT /api/v1/departments/{id:guid}  departments.edit
        GET /api/v1/divisions  org.view
        POST /api/v1/divisions  divisions.edit
        GET /api/v1/divisions/{id:guid}  org.view
        PUT /api/v1/divisions/{id:guid}  divisions.edit
        GET /api/v1/school-years  org.view
        POST /api/v1/school-years  schoolyears.edit
        POST /api/v1/school-years/{id:guid}/current  schoolyears.edit
        GET /api/v1/schools  org.view
        POST /api/v1/schools  schools.edit
        GET /api/v1/schools/export  org.view
        POST /api/v1/schools/import  schools.edit
        GET /api/v1/schools/{id:guid}  org.view
        PUT /api/v1/schools/{id:guid}  schools.edit
        GET /api/v1/staff  staff.view
        POST /api/v1/staff  staff.edit
        GET /api/v1/staff/{id:guid}  staff.view
        PUT /api/v1/staff/{id:guid}  staff.edit
        PUT /api/v1/terms/{id:guid}  schoolyears.edit
        GET /audit  audit.view
        POST /audit  audit.view
        GET /classes/import  classes.edit
        POST /classes/import  classes.edit
        GET /classes/new  classes.edit
        POST /classes/new  classes.edit
        GET /classes/{Id:guid}  classes.edit
        POST /classes/{Id:guid}  classes.edit
        POST /culture  (anonymous)
        GET /denied  (anonymous)
        POST /denied  (anonymous)
        GET /departments  departments.view
        POST /departments  departments.view
        GET /departments/new  departments.edit
        POST /departments/new  departments.edit
        GET /departments/{Id:guid}  departments.edit
        POST /departments/{Id:guid}  departments.edit
        GET /divisions  org.view
        POST /divisions  org.view
        GET /divisions/new  divisions.edit
        POST /divisions/new  divisions.edit
        GET /divisions/{Id:guid}  org.view
        POST /divisions/{Id:guid}  org.view
        GET /divisions/{Id:guid}/edit  divisions.edit
        POST /divisions/{Id:guid}/edit  divisions.edit
        * /health  (anonymous)
        GET /login  (anonymous)
        POST /login  (anonymous)
        GET /login/two-factor  (anonymous)
        POST /login/two-factor  (anonymous)
        POST /logout  (anonymous)
        GET /openapi/{documentName}.json  (anonymous)
        GET /school-years  org.view
        POST /school-years  org.view
        GET /schools  org.view
        POST /schools  org.view
        GET /schools/import  schools.edit
        POST /schools/import  schools.edit
        GET /schools/new  schools.edit
        POST /schools/new  schools.edit
        GET /schools/{Id:guid}  org.view
        POST /schools/{Id:guid}  org.view
        GET /schools/{Id:guid}/edit  schools.edit
        POST /schools/{Id:guid}/edit  schools.edit
        GET /staff  staff.view
        POST /staff  staff.view
        GET /staff/new  staff.edit
        POST /staff/new  staff.edit
        GET /staff/{Id:guid}  staff.edit
        POST /staff/{Id:guid}  staff.edit
        """;

    private static List<EndpointCatalogue.Route> Expected() =>
        [.. Contract.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => new EndpointCatalogue.Route(p[0], p[1], p[2]))
            .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)];

    [Fact]
    public void Every_endpoint_is_in_the_contract_with_its_declared_policy()
    {
        var actual = EndpointCatalogue.Read(app.Services);
        Assert.DoesNotContain(actual, r => r.Policy == EndpointCatalogue.Undeclared);
        Assert.Equal(Expected().Select(r => r.ToString()), actual.Select(r => r.ToString()));
        Assert.All(actual.Where(r => r.Policy != EndpointCatalogue.Anonymous), r => Assert.True(Admits.ContainsKey(r.Policy), r.Policy));
    }

    [Fact]
    public async Task Every_role_is_allowed_or_denied_as_the_contract_says()
    {
        var failures = new StringBuilder();
        foreach (var (userName, role) in DemoSeeder.Accounts)
        {
            using var client = await app.ClientAsync(userName);
            foreach (var route in Expected().Where(r => r.Policy != EndpointCatalogue.Anonymous))
            {
                var status = await CallAsync(client, route);
                var allowed = Admits[route.Policy].Contains(role);
                var denied = status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized;
                if (allowed == denied)
                {
                    failures.AppendLine($"{role} {route.Method} {route.Pattern}: {(int)status}, expected {(allowed ? "allowed" : "denied")}");
                }
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Fact]
    public async Task Anonymous_callers_are_sent_to_sign_in_except_on_public_routes()
    {
        using var client = app.AnonymousClient();
        var failures = new StringBuilder();
        foreach (var route in Expected())
        {
            var status = await CallAsync(client, route);
            var isPublic = route.Policy == EndpointCatalogue.Anonymous;
            var turnedAway = route.Pattern.StartsWith("/api/", StringComparison.Ordinal)
                ? status == HttpStatusCode.Unauthorized
                : status == HttpStatusCode.Redirect;
            if (isPublic == turnedAway && !(isPublic && route.Pattern is "/logout" or "/culture" or "/api/v1/auth/token"))
            {
                failures.AppendLine($"anonymous {route.Method} {route.Pattern}: {(int)status}");
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    private static async Task<HttpStatusCode> CallAsync(HttpClient client, EndpointCatalogue.Route route)
    {
        var url = route.Pattern.Replace("{Id:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{id:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{documentName}", "v1", StringComparison.Ordinal);
        using var request = new HttpRequestMessage(route.Method == "*" ? HttpMethod.Get : new HttpMethod(route.Method), url);
        if (route.Method is "POST" or "PUT")
        {
            request.Content = url.EndsWith("/import", StringComparison.Ordinal) && url.StartsWith("/api/", StringComparison.Ordinal)
                ? new MultipartFormDataContent { { new ByteArrayContent([]), "file", "empty.xlsx" } }
                : url.StartsWith("/api/", StringComparison.Ordinal)
                    ? new StringContent("{}", Encoding.UTF8, "application/json")
                    : new FormUrlEncodedContent([]);
        }
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
