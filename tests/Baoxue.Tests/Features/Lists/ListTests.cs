using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Baoxue.Domain;
using Baoxue.Features.Accounts;
using Baoxue.Features.Audit;
using Baoxue.Features.Organisation.Classes;
using Baoxue.Features.Organisation.Departments;
using Baoxue.Features.Organisation.Divisions;
using Baoxue.Features.Organisation.People;
using Baoxue.Features.Organisation.Schools;
using Baoxue.Features.Registry.RollCalls;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Baoxue.Tests.Features.Organisation;
using Baoxue.Tests.Features.Registry.StatusChanges;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Baoxue.Features.Registry.StatusChangeApi;

namespace Baoxue.Tests.Features.Lists;

/// <summary>
/// Every list but the student list: the page, the API and the xlsx export read one query, so for the same filter
/// they show the same rows in the same order; the API answers a bounded, paged envelope; counts per school and
/// village are the students in reach.
/// </summary>
public abstract partial class ListTests<TApp>(TApp app) where TApp : StatusChangeApp
{
    private const string County = "county.admin";
    private const string Registrar = "school.admin";

    private static async Task<PagedResult<T>> EnvelopeAsync<T>(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<PagedResult<T>>(body, OrganisationKit.Json)!;
    }

    private static async Task<string> HtmlAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The downloaded workbook: its sheet's name (the title), its header row and its data rows.</summary>
    private static async Task<(string Title, IReadOnlyList<string> Headers, List<string[]> Rows)> ExportAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return OrganisationKit.Workbook(bytes);
    }

    private static List<string> Attributes(string html, string table, string attribute)
    {
        var start = html.IndexOf($"id=\"{table}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no #{table} on the page");
        var end = html.IndexOf("</table>", start, StringComparison.Ordinal);
        var section = end < 0 ? html[start..] : html[start..end];
        return [.. Regex.Matches(section, attribute + "=\"([^\"]+)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];
    }

    private static List<string> FirstCells(string html, string table)
    {
        var start = html.IndexOf($"id=\"{table}\"", StringComparison.Ordinal);
        var body = html[html.IndexOf("<tbody>", start, StringComparison.Ordinal)..html.IndexOf("</tbody>", start, StringComparison.Ordinal)];
        return [.. Regex.Matches(body, @"<tr[^>]*>\s*<td[^>]*>(.*?)</td>", RegexOptions.Singleline).Select(m => OrganisationKit.TextOf(m.Groups[1].Value).Trim())];
    }

    private async Task EnrolAsync(int count)
    {
        var cls = await app.ClassAsync(app.OwnSchoolId, 3);
        for (var i = 0; i < count; i++)
        {
            await app.EnrolAsync(Registrar, cls.Id, 3);
        }
    }

    [Fact]
    public async Task Schools_page_API_and_export_list_the_same_schools_with_students_counted_in_one_place()
    {
        await EnrolAsync(2);
        using var client = await app.ClientAsync(County);
        Guid township;
        int expected;
        await using (var db = app.Db())
        {
            township = await db.Schools.Where(s => s.Id == app.OwnSchoolId).Select(s => s.TownshipId).SingleAsync();
            expected = await db.Students.CountAsync(s => s.SchoolId == app.OwnSchoolId && (s.Status == StudentStatus.InSchool || s.Status == StudentStatus.Suspended));
        }
        Assert.True(expected >= 2);

        foreach (var filter in new[] { $"townshipId={township}&sort=-students", "sort=name", "q=&townshipId=&kind=&sort=" })
        {
            var page = Attributes(await HtmlAsync(client, "/schools?pageSize=200&" + filter), "schools", "data-code");
            var api = (await EnvelopeAsync<SchoolQueries.SchoolRow>(client, "/api/v1/schools?pageSize=200&" + filter)).Items;
            var export = await ExportAsync(client, "/api/v1/schools/export?" + filter);
            Assert.NotEmpty(page);
            Assert.Equal(page, api.Select(s => s.Code));
            Assert.Equal(page, export.Rows.Select(r => r[0]));
            Assert.Equal(OrganisationKit.SchoolHeaders, export.Headers);
            Assert.Equal("学校", export.Title);
        }

        var byStudents = (await EnvelopeAsync<SchoolQueries.SchoolRow>(client, $"/api/v1/schools?townshipId={township}&sort=-students")).Items;
        Assert.Equal(app.OwnSchoolId, byStudents[0].Id);
        Assert.Equal(expected, byStudents[0].Students);
        Assert.Contains($"<td class=\"text-end\">{ChineseFormat.Number(expected)}</td>", await HtmlAsync(client, $"/schools?townshipId={township}&sort=-students"));

        // A registrar of another school counts none of these students: the count is within reach.
        using var other = await app.ClientAsync(StatusChangeApp.OtherRegistrar);
        Assert.All((await EnvelopeAsync<SchoolQueries.SchoolRow>(other, "/api/v1/schools")).Items, s => Assert.NotEqual(app.OwnSchoolId, s.Id));

        // The township's line in the county's list of townships carries the same students.
        await using var check = app.Db();
        var countyId = await check.Divisions.Where(d => d.Id == township).Select(d => d.ParentId).SingleAsync();
        var townships = await EnvelopeAsync<DivisionQueries.DivisionRow>(client, $"/api/v1/divisions?parentId={countyId}&pageSize=200");
        var inTownship = await check.Students.CountAsync(s => s.School!.TownshipId == township && (s.Status == StudentStatus.InSchool || s.Status == StudentStatus.Suspended));
        Assert.Equal(inTownship, townships.Items.Single(t => t.Id == township).Students);
        var divisionPage = await HtmlAsync(client, $"/divisions/{countyId}?pageSize=200");
        Assert.Equal(townships.Items.Select(t => t.Code), Attributes(divisionPage, "divisions", "data-code"));
    }

    [Fact]
    public async Task Villages_are_listed_with_their_schools_and_students()
    {
        using var client = await app.ClientAsync(County);
        await using var db = app.Db();
        var township = await db.Divisions.Where(d => d.Level == DivisionLevel.Township && db.Schools.Any(s => s.VillageId != null && s.TownshipId == d.Id)).FirstAsync();
        var villages = await EnvelopeAsync<DivisionQueries.DivisionRow>(client, $"/api/v1/divisions?parentId={township.Id}&pageSize=200");
        var expected = await db.Divisions.Where(d => d.ParentId == township.Id).OrderBy(d => d.Code).Select(d => d.Code).ToListAsync();
        Assert.Equal(expected, villages.Items.Select(v => v.Code));
        Assert.Equal(expected.Count, villages.Total);
        foreach (var v in villages.Items)
        {
            Assert.Equal(await db.Schools.CountAsync(s => s.VillageId == v.Id), v.Schools);
            Assert.Equal(await db.Students.CountAsync(s => s.School!.VillageId == v.Id && (s.Status == StudentStatus.InSchool || s.Status == StudentStatus.Suspended)), v.Students);
        }
        var page = await HtmlAsync(client, $"/divisions/{township.Id}?pageSize=200");
        Assert.Equal(expected, Attributes(page, "divisions", "data-code"));
        Assert.Contains($"共 {ChineseFormat.Number(expected.Count)} 个村（社区）", OrganisationKit.TextOf(page));
    }

    [Fact]
    public async Task Classes_of_a_school_are_the_same_on_its_page_the_API_and_the_export()
    {
        using var client = await app.ClientAsync(County);
        var page = FirstCells(await HtmlAsync(client, $"/schools/{app.OwnSchoolId}"), "classes");
        var api = await EnvelopeAsync<ClassQueries.ClassRow>(client, $"/api/v1/classes?schoolId={app.OwnSchoolId}&pageSize=200");
        var export = await ExportAsync(client, $"/api/v1/classes/export?schoolId={app.OwnSchoolId}");
        Assert.NotEmpty(page);
        Assert.Equal(page, api.Items.Select(c => c.Name));
        Assert.Equal(page, export.Rows.Select(r => $"{r[3]}（{r[4]}）班"));
        Assert.Equal(OrganisationKit.ClassHeaders, export.Headers);
        Assert.Equal("班级", export.Title);

        // Paging the county's classes walks every class once, following next.
        var seen = new List<Guid>();
        string? next = "/api/v1/classes?pageSize=37";
        var total = 0;
        while (next is not null)
        {
            var onePage = await EnvelopeAsync<ClassQueries.ClassRow>(client, next);
            Assert.Equal(37, onePage.PageSize);
            Assert.True(onePage.Items.Count <= 37);
            seen.AddRange(onePage.Items.Select(c => c.Id));
            total = onePage.Total;
            next = onePage.Next;
        }
        await using var db = app.Db();
        Assert.Equal(await db.Classes.CountAsync(c => c.SchoolYear!.IsCurrent), total);
        Assert.Equal(total, seen.Distinct().Count());
        Assert.Equal(total, seen.Count);
    }

    [Fact]
    public async Task Staff_are_paged_filtered_by_unit_and_sorted_by_pinyin_the_same_on_the_page_and_the_API()
    {
        using var client = await app.ClientAsync(County);
        await using var db = app.Db();
        var expected = await db.Staff.Where(s => s.SchoolId == app.OwnSchoolId && s.IsActive).Select(s => s.Name).ToListAsync();
        Assert.True(expected.Count > 1);
        expected = [.. expected.OrderBy(n => n, RollCallQueries.NameOrder)];

        var api = await EnvelopeAsync<StaffQueries.StaffRow>(client, $"/api/v1/staff?unitId={app.OwnSchoolId}&sort=name&pageSize=200");
        var html = await HtmlAsync(client, $"/staff?unitId={app.OwnSchoolId}&sort=name&pageSize=200");
        Assert.Equal(expected, api.Items.Select(s => s.Name));
        Assert.Equal(expected, FirstCells(html, "staff"));
        Assert.Equal(expected.Count, api.Total);
        Assert.Contains($"共 {ChineseFormat.Number(expected.Count)} 人", OrganisationKit.TextOf(html));

        // The whole county: 50 to a page, page x / y, and the same people on page 2 of either.
        var all = await db.Staff.CountAsync(s => s.IsActive);
        var second = await EnvelopeAsync<StaffQueries.StaffRow>(client, "/api/v1/staff?page=2");
        var secondHtml = await HtmlAsync(client, "/staff?page=2");
        Assert.Equal(all, second.Total);
        Assert.Equal(50, second.Items.Count);
        Assert.Equal(second.Items.Select(s => s.Name), FirstCells(secondHtml, "staff"));
        var text = OrganisationKit.TextOf(secondHtml);
        Assert.Contains($"共 {ChineseFormat.Number(all)} 人", text);
        Assert.Contains($"第 2 / {ChineseFormat.Number((all + 49) / 50)} 页", text);
        Assert.Contains("name=\"page\"", secondHtml); // jump to page
    }

    [Fact]
    public async Task Departments_and_accounts_are_the_same_on_their_pages_and_the_API()
    {
        using var client = await app.ClientAsync(County);
        var departments = await EnvelopeAsync<DepartmentQueries.DepartmentRow>(client, "/api/v1/departments?pageSize=200");
        Assert.NotEmpty(departments.Items);
        var html = await HtmlAsync(client, "/departments?pageSize=200");
        Assert.Equal(departments.Items.Select(d => d.Code), Regex.Matches(html, "data-department=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
        await using var db = app.Db();
        var police = departments.Items.Single(d => d.Kind == DepartmentKind.PublicSecurity);
        Assert.Equal(await db.Staff.CountAsync(s => s.DepartmentId == police.Id && s.IsActive), police.StaffCount);

        var accounts = await EnvelopeAsync<AccountQueries.AccountDto>(client, "/api/v1/accounts/?q=a&pageSize=200");
        var accountsHtml = await HtmlAsync(client, "/accounts?q=a&pageSize=200");
        Assert.NotEmpty(accounts.Items);
        Assert.Equal(accounts.Items.Select(a => a.UserName), FirstCells(accountsHtml, "accounts"));
    }

    [Fact]
    public async Task Status_changes_and_the_audit_log_are_the_same_on_their_pages_the_API_and_the_export()
    {
        var cls = await app.ClassAsync(app.OwnSchoolId, 4);
        var (studentId, _) = await app.EnrolAsync(Registrar, cls.Id, 4);
        using var registrar = await app.ClientAsync(Registrar);
        using var requested = await registrar.PostAsJsonAsync("/api/v1/status-changes", new { kind = "Suspension", studentId, reason = "病休", expectedReturnOn = "2027-03-01", evidence = "诊断证明" }, StatusChangeApp.Json);
        Assert.Equal(HttpStatusCode.OK, requested.StatusCode);

        using var county = await app.ClientAsync(County);
        foreach (var filter in new[] { "view=All", "view=All&kind=Suspension&state=Pending", "view=AwaitingMe&kind=&state=" })
        {
            var api = await EnvelopeAsync<StatusChangeDto>(county, "/api/v1/status-changes/?pageSize=200&" + filter);
            var page = Attributes(await HtmlAsync(county, "/status-changes?pageSize=200&" + filter), "status-changes", "data-id");
            var export = await ExportAsync(county, "/api/v1/status-changes/export?" + filter);
            Assert.NotEmpty(api.Items);
            Assert.Equal(page, api.Items.Select(c => c.Id.ToString()));
            Assert.Equal(api.Items.Select(c => c.StudentName), export.Rows.Select(r => r[0]));
            Assert.Equal("学籍异动", export.Title);
        }

        // The audit log for schools, newest first: the first page is the same three ways.
        var audit = await EnvelopeAsync<AuditApi.AuditDto>(county, "/api/v1/audit/?entityType=Student&pageSize=20");
        // Rows by their own attribute: each line's changes are a small table of their own inside the row.
        var auditPage = Regex.Matches(await HtmlAsync(county, "/audit?entityType=Student&pageSize=20"), "<tr data-sequence=\"(\\d+)\"")
            .Select(m => ChineseFormat.Number(long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var auditExport = await ExportAsync(county, "/api/v1/audit/export?entityType=Student&user=&entityId=&action=&from=&to=");
        Assert.NotEmpty(audit.Items);
        Assert.Equal(audit.Items.Select(a => ChineseFormat.Number(a.Sequence)), auditPage);
        Assert.Equal(audit.Items.Select(a => a.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)), auditExport.Rows.Take(20).Select(r => r[0]));
        Assert.Equal(audit.Total, auditExport.Rows.Count);
        Assert.Equal("操作日志", auditExport.Title);
    }

    [Fact]
    public async Task Roll_calls_anomalies_and_unconfirmed_transfers_are_the_same_on_their_pages_the_API_and_the_export()
    {
        await using (var county = await app.DbAs(County))
        {
            var year = await county.SchoolYears.SingleAsync(y => y.IsCurrent);
            var opens = OpenCampaign.MonthStart(year.StartYear, 3);
            await OpenCampaign.HandleAsync(county, new OpenCampaign.Command("3月列表核查", 3, opens, opens.AddDays(20)));
        }
        using var client = await app.ClientAsync(County);
        var campaigns = await EnvelopeAsync<RollCallQueries.CampaignRow>(client, "/api/v1/roll-calls?pageSize=200");
        var html = await HtmlAsync(client, "/roll-calls");
        Assert.NotEmpty(campaigns.Items);
        Assert.Equal(campaigns.Items.Select(c => c.Title), FirstCells(html, "campaigns"));

        var campaign = campaigns.Items[0];
        var anomalies = await EnvelopeAsync<RollCallApi.AnomalyDto>(client, $"/api/v1/roll-calls/{campaign.Id}/anomalies?includeResolved=");
        var anomaliesPage = await HtmlAsync(client, $"/roll-calls/{campaign.Id}/anomalies");
        var anomaliesExport = await ExportAsync(client, $"/api/v1/roll-calls/{campaign.Id}/anomalies.xlsx?includeResolved=");
        Assert.Equal("异常名单", anomaliesExport.Title);
        Assert.Equal(anomalies.Total, anomaliesExport.Rows.Count);
        Assert.Equal(anomalies.Items.Select(a => a.Name), anomaliesExport.Rows.Select(r => r[2]));
        Assert.Equal(anomalies.Total == 0, anomaliesPage.Contains("id=\"no-anomalies\"", StringComparison.Ordinal));

        var unconfirmed = await EnvelopeAsync<UnconfirmedDto>(client, "/api/v1/status-changes/unconfirmed?pageSize=200");
        var unconfirmedPage = await HtmlAsync(client, "/status-changes/unconfirmed?pageSize=200");
        var unconfirmedExport = await ExportAsync(client, "/api/v1/status-changes/unconfirmed/export");
        Assert.Equal(unconfirmed.Items.Select(u => u.Change.Id.ToString()), unconfirmed.Total == 0 ? [] : Attributes(unconfirmedPage, "status-changes", "data-id"));
        Assert.Equal(unconfirmed.Items.Select(u => u.Change.StudentName), unconfirmedExport.Rows.Select(r => r[0]));
    }

    [Fact]
    public async Task Every_list_endpoint_answers_the_envelope_and_refuses_pages_out_of_bounds_in_Chinese()
    {
        using var county = await app.ClientAsync(County);
        string[] lists = ["/api/v1/staff", "/api/v1/schools", "/api/v1/classes", "/api/v1/departments", "/api/v1/divisions", "/api/v1/accounts/", "/api/v1/audit/", "/api/v1/status-changes/", "/api/v1/status-changes/unconfirmed", "/api/v1/roll-calls", "/api/v1/school-years"];
        foreach (var list in lists)
        {
            var first = await EnvelopeAsync<JsonElement>(county, list + "?pageSize=1");
            Assert.Equal((1, 1), (first.Page, first.PageSize));
            Assert.True(first.Items.Count <= 1, list);
            Assert.Equal(first.Total > 1, first.Next is not null);
            var beyond = await EnvelopeAsync<JsonElement>(county, list + "?page=1000000&pageSize=200");
            Assert.Empty(beyond.Items);
            Assert.Equal(first.Total, beyond.Total);
            Assert.Null(beyond.Next);

            foreach (var (query, field, reason) in new[]
            {
                ("pageSize=201", "pageSize", "每页条数应为 1 至 200 之间的整数。"),
                ("pageSize=0", "pageSize", "每页条数应为 1 至 200 之间的整数。"),
                ("page=0", "page", "页码应为 1 至 1,000,000 之间的整数。"),
                ("page=2147483647", "page", "页码应为 1 至 1,000,000 之间的整数。"),
                ("page=abc", "page", "页码应为 1 至 1,000,000 之间的整数。"),
            })
            {
                using var refused = await county.GetAsync(list + "?" + query);
                var errors = await refused.RefusedAsync();
                Assert.Equal([reason], errors[field]);
            }
        }

        // A next link keeps the filter.
        var staff = await EnvelopeAsync<StaffQueries.StaffRow>(county, $"/api/v1/staff?unitId={app.OwnSchoolId}&pageSize=1");
        Assert.Equal($"/api/v1/staff?unitId={app.OwnSchoolId}&page=2&pageSize=1", staff.Next);
    }

    [Fact]
    public async Task Exports_with_every_filter_left_empty_answer_the_whole_list()
    {
        using var county = await app.ClientAsync(County);
        var audit = await ExportAsync(county, "/api/v1/audit/export?user=&entityType=&entityId=&action=&from=&to=");
        Assert.NotEmpty(audit.Rows);
        Assert.Equal("序号", audit.Headers[0]);
        var changes = await ExportAsync(county, "/api/v1/status-changes/export?view=&kind=&state=&studentId=");
        Assert.Equal("学籍异动", changes.Title);
        var schools = await ExportAsync(county, "/api/v1/schools/export?q=&townshipId=&kind=&sort=");
        await using var db = app.Db();
        Assert.Equal(await db.Schools.CountAsync(), schools.Rows.Count);
        var classes = await ExportAsync(county, "/api/v1/classes/export?schoolId=&schoolYearId=");
        Assert.Equal(await db.Classes.CountAsync(c => c.SchoolYear!.IsCurrent), classes.Rows.Count);
    }

    [Fact]
    public async Task OpenAPI_describes_the_paged_envelope_and_its_bounds()
    {
        using var anonymous = app.AnonymousClient();
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        foreach (var path in new[] { "/api/v1/staff", "/api/v1/schools", "/api/v1/classes", "/api/v1/departments", "/api/v1/audit", "/api/v1/status-changes" })
        {
            Assert.True(paths.TryGetProperty(path, out var operations) || paths.TryGetProperty(path + "/", out operations), path + " is not in " + string.Join(", ", paths.EnumerateObject().Select(p => p.Name)));
            var get = operations.GetProperty("get");
            Assert.True(get.TryGetProperty("parameters", out _), path + ": " + get);
            var parameters = get.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
            Assert.Equal(200, parameters["pageSize"].GetProperty("schema").GetProperty("maximum").GetInt32());
            Assert.Equal(1, parameters["page"].GetProperty("schema").GetProperty("minimum").GetInt32());
            var schema = get.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");
            var name = schema.GetProperty("$ref").GetString()!.Split('/')[^1];
            Assert.StartsWith("PagedResultOf", name);
            var properties = schemas.GetProperty(name).GetProperty("properties");
            Assert.All(new[] { "items", "total", "page", "pageSize", "next", "totalIsEstimate" }, p => Assert.True(properties.TryGetProperty(p, out _), $"{path}: {p}"));
        }
    }
}

public sealed class ListTests_Sqlite(StatusChangeSqliteApp app) : ListTests<StatusChangeSqliteApp>(app), IClassFixture<StatusChangeSqliteApp>;

public sealed class ListTests_Postgres(StatusChangePostgresApp app) : ListTests<StatusChangePostgresApp>(app), IClassFixture<StatusChangePostgresApp>;
