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
    // Which roles each policy admits: the `policy <name> <Role,Role,…|*>` lines of the contract files,
    // written out independently of Permission.Grants.
    private static readonly Dictionary<string, Role[]> Admits = ContractLines()
        .Where(l => l.StartsWith("policy ", StringComparison.Ordinal))
        .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .ToDictionary(p => p[1], p => p[2] == "*" ? Enum.GetValues<Role>() : [.. p[2].Split(',').Select(Enum.Parse<Role>)]);

    // method, route, policy — every route the application answers, in Security/Contracts/*.txt (one file per area).
    private static IEnumerable<string> ContractLines() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Security", "Contracts"), "*.txt").Order(StringComparer.Ordinal)
            .SelectMany(File.ReadAllLines).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));

    private static List<EndpointCatalogue.Route> Expected() =>
        [.. ContractLines().Where(l => !l.StartsWith("policy ", StringComparison.Ordinal))
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
    public async Task A_service_account_reaches_the_API_routes_of_its_permissions_and_nothing_else()
    {
        // A machine of the county with a chosen set of permissions: allowed where the route's policy is one of them, and only
        // under /api; every page and every other policy is refused. The signed-in policy is a person's, never a machine's.
        string[] granted = [Permission.RegistryView, Permission.RegistryEdit, Permission.OrgView];
        Baoxue.Features.ServiceAccounts.ServiceAccountWork.Issued issued;
        await using (var db = app.Db())
        {
            var county = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users, u => u.UserName == "county.admin");
            var admin = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                [new System.Security.Claims.Claim(Baoxue.Infrastructure.Security.BaoxueClaims.Role, nameof(Role.CountyAdmin))], "test"));
            issued = (await Baoxue.Features.ServiceAccounts.ServiceAccountWork.CreateAsync(db, admin,
                new(Guid.NewGuid().ToString("N"), PlaceKind.County, county.PlaceId, granted))).Value!;
        }
        using var anonymous = app.AnonymousClient();
        var token = await anonymous.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent(
            [new("grant_type", "client_credentials"), new("client_id", issued.Account.ClientId), new("client_secret", issued.Secret)]));
        token.EnsureSuccessStatusCode();
        using var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(token.Content)).GetProperty("access_token").GetString());

        var failures = new StringBuilder();
        foreach (var route in Expected().Where(r => r.Policy != EndpointCatalogue.Anonymous))
        {
            var status = await CallAsync(client, route);
            var allowed = route.Pattern.StartsWith("/api/", StringComparison.Ordinal) && granted.Contains(route.Policy);
            var denied = status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized;
            if (allowed == denied)
            {
                failures.AppendLine($"service account {route.Method} {route.Pattern}: {(int)status}, expected {(allowed ? "allowed" : "denied")}");
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
        // Every GUID parameter ({Id:guid}, {classId:guid}, …) gets a fresh value.
        var url = System.Text.RegularExpressions.Regex.Replace(route.Pattern, @"\{[A-Za-z]+:guid\}", _ => Guid.NewGuid().ToString())
            .Replace("{documentName}", "v1", StringComparison.Ordinal);
        // "POST /page#form": the page's form of that name, posted as the browser would.
        var form = url.Contains('#', StringComparison.Ordinal) ? url[(url.IndexOf('#', StringComparison.Ordinal) + 1)..].Replace("*", "x", StringComparison.Ordinal) : null;
        url = form is null ? url : url[..url.IndexOf('#', StringComparison.Ordinal)];
        using var request = new HttpRequestMessage(route.Method == "*" ? HttpMethod.Get : new HttpMethod(route.Method), url);
        if (route.Method is "POST" or "PUT")
        {
            request.Content = url.EndsWith("/import", StringComparison.Ordinal) && url.StartsWith("/api/", StringComparison.Ordinal)
                ? new MultipartFormDataContent { { new ByteArrayContent([]), "file", "empty.xlsx" } }
                : url.StartsWith("/api/", StringComparison.Ordinal)
                    ? new StringContent("{}", Encoding.UTF8, "application/json")
                    : new FormUrlEncodedContent(form is null ? [] : [new("_handler", form)]);
        }
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
