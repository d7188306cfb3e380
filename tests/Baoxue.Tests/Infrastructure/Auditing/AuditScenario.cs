using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Baoxue.Domain;
using Baoxue.Features.Audit;
using Baoxue.Features.Organisation;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Tests.Infrastructure.Auditing;

/// <summary>What the audit tests arrange through the API as a user would: schools, staff, accounts, and reading the log back.</summary>
internal static class AuditScenario
{
    /// <summary>The API's JSON: camelCase, enums as names.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>A ten-digit school code no demo school has (demo codes start 2135).</summary>
    public static string NewSchoolCode() => "29" + Random.Shared.NextInt64(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    public static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..6];

    public static async Task<Division> TownshipAsync(BaoxueApp app, string name)
    {
        await using var db = app.Db();
        return await db.Divisions.AsNoTracking().SingleAsync(d => d.Name == name && d.Level == DivisionLevel.Township);
    }

    /// <summary>A township of the demo county other than the named one.</summary>
    public static async Task<Division> OtherTownshipAsync(BaoxueApp app, string notThis)
    {
        await using var db = app.Db();
        return await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Township && d.Name != notThis).OrderBy(d => d.Code).FirstAsync();
    }

    public static async Task<School> SchoolAsync(BaoxueApp app, string name)
    {
        await using var db = app.Db();
        return await db.Schools.AsNoTracking().SingleAsync(s => s.Name == name);
    }

    public static object SchoolBody(string code, string name, Guid townshipId) => new
    {
        code,
        name,
        kind = "Primary",
        townshipId,
        address = "福建省福州市罗源县测试路1号",
        headName = "林校长",
        isActive = true,
    };

    public static async Task<OrganisationApi.SchoolDto> CreateSchoolAsync(HttpClient client, string code, string name, Guid townshipId)
    {
        var response = await client.PostAsJsonAsync("/api/v1/schools", SchoolBody(code, name, townshipId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrganisationApi.SchoolDto>(Json))!;
    }

    public static async Task RenameSchoolAsync(HttpClient client, OrganisationApi.SchoolDto school, string newName)
    {
        var response = await client.PutAsJsonAsync($"/api/v1/schools/{school.Id}", SchoolBody(school.Code, newName, school.TownshipId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static async Task<OrganisationApi.StaffDto> CreateStaffAtSchoolAsync(HttpClient client, Guid schoolId, string name)
    {
        var response = await client.PostAsJsonAsync("/api/v1/staff", new { name, post = "语文教师", placeKind = "School", placeId = schoolId });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrganisationApi.StaffDto>(Json))!;
    }

    /// <summary>Creates an inspector bound to a township, as the county administrator does on the accounts page.</summary>
    public static async Task<Guid> CreateTownshipInspectorAsync(HttpClient admin, string userName, Guid townshipId, string password)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/accounts/", new
        {
            userName,
            displayName = "乡镇督学",
            role = "Inspector",
            placeKind = "Township",
            placeId = townshipId,
            password,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>GET /api/v1/audit with the given query string, newest first.</summary>
    public static async Task<List<AuditApi.AuditDto>> LinesAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/v1/audit/?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<Baoxue.Infrastructure.Paging.PagedResult<AuditApi.AuditDto>>(Json))!.Items];
    }

    /// <summary>The Before or After of a line as a property bag.</summary>
    public static Dictionary<string, JsonElement> Values(string? json)
    {
        Assert.NotNull(json);
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
    }

    public static async Task<long> LastSequenceAsync(BaoxueApp app)
    {
        await using var db = app.Db();
        return await db.AuditEntries.MaxAsync(a => (long?)a.Sequence) ?? 0;
    }
}
