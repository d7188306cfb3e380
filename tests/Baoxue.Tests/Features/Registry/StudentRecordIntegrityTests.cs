using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Baoxue.Domain;
using Baoxue.Features.Registry;
using Baoxue.Tests.Features.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Tests.Features.Registry;

/// <summary>
/// Issue 6, items 2, 7 and 8 through the real API: guardians and tags edited with PUT, every field held to the model's
/// limits (400 naming the field in Chinese, nothing stored), and no 500 or bare English "Bad Request" for bad requests.
/// </summary>
public abstract partial class StudentRecordTests<TApp>
{
    [Fact]
    public async Task Guardians_and_tags_can_be_added_changed_and_removed_through_the_API()
    {
        var (_, cls, _) = await PlacesAsync();
        var created = await CreateAsync("林雨桐");
        var id = await IdOfAsync(created.Id);
        using var client = await app.ClientAsync(SchoolAdmin);
        var url = $"/api/v1/students/{created.Id}";

        object[] two = [new { relation = "Father", name = "林建国", phone = "13800000001", worksAway = true }, new { relation = "Mother", name = "陈秀英", phone = (string?)null, worksAway = false }];
        object[] tags = [new { kind = "LeftBehind" }, new { kind = "Disabled", disabilityType = "Hearing", disabilityGrade = 3 }];
        var added = await (await client.PutJsonAsync(url, Body(id, "林雨桐", Gender.Female, BirthOf(id), cls, two, tags))).OkAsync<RegistryApi.StudentDto>();
        Assert.Equal(["林建国", "陈秀英"], added.Guardians.Select(g => g.Name));
        Assert.Equal([GroupKind.Disabled, GroupKind.LeftBehind], added.Tags.Select(t => t.Kind).Order());

        // Change one guardian, drop the other; swap a tag.
        object[] one = [new { relation = "Grandparent", name = "林老汉", phone = "13800000002", worksAway = false }];
        object[] otherTags = [new { kind = "LeftBehind" }, new { kind = "LowIncome" }];
        var changed = await (await client.PutJsonAsync(url, Body(id, "林雨桐", Gender.Female, BirthOf(id), cls, one, otherTags))).OkAsync<RegistryApi.StudentDto>();
        Assert.Equal(["林老汉"], changed.Guardians.Select(g => g.Name));
        Assert.Equal([GroupKind.LowIncome, GroupKind.LeftBehind], changed.Tags.Select(t => t.Kind).Order());

        await using (var db = app.Db())
        {
            var stored = await db.Students.Include(s => s.Guardians).Include(s => s.Tags).SingleAsync(s => s.Id == created.Id);
            Assert.Equal([(GuardianRelation.Grandparent, "林老汉", "13800000002")], stored.Guardians.Select(g => (g.Relation, g.Name, g.Phone)));
            Assert.Equal([GroupKind.LowIncome, GroupKind.LeftBehind], stored.Tags.Select(t => t.Kind).Order());
        }

        // Empty lists remove them all.
        var cleared = await (await client.PutJsonAsync(url, Body(id, "林雨桐", Gender.Female, BirthOf(id), cls, [], []))).OkAsync<RegistryApi.StudentDto>();
        Assert.Empty(cleared.Guardians);
        Assert.Empty(cleared.Tags);
        await using (var db = app.Db())
        {
            Assert.False(await db.Guardians.AnyAsync(g => g.StudentId == created.Id));
        }
    }

    public static TheoryData<string, string> Attacks => new()
    {
        { "address", "HouseholdAddress" },
        { "gender", "Gender" },
        { "household", "HouseholdType" },
        { "relation", "Guardians[0].Relation" },
        { "tag", "Tags[0].Kind" },
        { "birth", "BirthDate" },
        { "guardian-name", "Guardians[0].Name" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Each_attack_from_the_review_is_refused_naming_the_field_and_changes_nothing(string attack, string field)
    {
        var (_, cls, _) = await PlacesAsync();
        var created = await CreateAsync("郑可馨");
        var id = await IdOfAsync(created.Id);
        using var client = await app.ClientAsync(SchoolAdmin);
        object[] guardian = [new { relation = attack == "relation" ? 77 : 1, name = attack == "guardian-name" ? new string('王', 65) : "郑大山", phone = (string?)null, worksAway = false }];
        object[] tags = [new { kind = attack == "tag" ? 88 : 6 }];
        var body = new Dictionary<string, object?>
        {
            ["idNumber"] = attack == "birth" ? null : id,
            ["registryNumber"] = attack == "birth" ? "J350123209901010001" : null,
            ["name"] = "郑可馨",
            ["gender"] = attack == "gender" ? 5 : 2,
            ["birthDate"] = attack == "birth" ? "2099-01-01" : BirthOf(id).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["ethnicity"] = "汉族",
            ["householdAddress"] = attack == "address" ? new string('村', 100_000) : "罗源县凤山镇",
            ["householdType"] = attack == "household" ? 99 : 3,
            ["classId"] = cls,
            ["guardians"] = guardian,
            ["tags"] = tags,
        };

        // The birth-date attack comes without an ID number (whose own date would refuse it first): the range itself must hold.
        var response = await client.PutAsync($"/api/v1/students/{created.Id}", JsonContent(body));

        var errors = await response.RefusedAsync();
        Assert.True(errors.ContainsKey(field), $"{attack}: no error for {field}; got {string.Join("; ", errors.Keys)}");
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", string.Join("", errors[field]));
        await using var db = app.Db();
        var stored = await db.Students.Include(s => s.Guardians).Include(s => s.Tags).SingleAsync(s => s.Id == created.Id);
        Assert.Equal((Gender.Female, "福建省福州市罗源县凤山镇测试村8号", HouseholdType.Resident), (stored.Gender, stored.HouseholdAddress, stored.HouseholdType));
        Assert.Empty(stored.Guardians);
        Assert.Empty(stored.Tags);
    }

    [Fact]
    public async Task A_page_number_beyond_any_list_is_refused()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        foreach (var url in new[] { "/api/v1/students?page=2147483647", "/api/v1/students?page=0", "/api/v1/audit?page=2147483647" })
        {
            var errors = await (await client.GetAsync(url)).RefusedAsync();
            Assert.Contains("页码", errors["page"][0]);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/students?page=3")).StatusCode);
    }

    [Fact]
    public async Task Organisation_and_account_records_are_held_to_the_model_too()
    {
        await using var db = app.Db();
        var school = await db.Schools.OrderBy(s => s.Code).FirstAsync();
        using var client = await app.ClientAsync(CountyAdmin);

        var schoolBody = new Dictionary<string, object?>
        {
            ["code"] = school.Code, ["name"] = school.Name, ["kind"] = (int)school.Kind, ["townshipId"] = school.TownshipId, ["villageId"] = school.VillageId,
            ["address"] = new string('路', 100_000), ["headName"] = school.HeadName, ["phone"] = school.Phone, ["centralSchoolId"] = school.CentralSchoolId, ["isActive"] = school.IsActive,
        };
        Assert.Contains("200", string.Join("", (await (await client.PutAsync($"/api/v1/schools/{school.Id}", JsonContent(schoolBody))).RefusedAsync())["Address"]));

        var department = new Dictionary<string, object?> { ["code"] = "ZZ99", ["name"] = "测试单位", ["kind"] = 77, ["duties"] = null };
        Assert.True((await (await client.PostAsync("/api/v1/departments", JsonContent(department))).RefusedAsync()).ContainsKey("Kind"));

        var account = new Dictionary<string, object?> { ["userName"] = "attack.role", ["displayName"] = "测试", ["role"] = 99, ["placeKind"] = 1, ["placeId"] = school.Id, ["password"] = "Baoxue@2026x" };
        Assert.NotEmpty(await (await client.PostAsync("/api/v1/accounts", JsonContent(account))).RefusedAsync());

        await using var after = app.Db();
        Assert.Equal(school.Address, (await after.Schools.SingleAsync(s => s.Id == school.Id)).Address);
        Assert.False(await after.Departments.AnyAsync(d => d.Code == "ZZ99"));
    }

    // ---------- item 8: refusals are problem documents, in the user's language ----------

    private static StringContent JsonContent(object body, string mediaType = "application/json") =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, mediaType);

    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Malformed_JSON_wrong_types_and_unknown_enum_names_name_the_field_in_Chinese()
    {
        var (_, cls, _) = await PlacesAsync();
        using var client = await app.ClientAsync(SchoolAdmin);

        var syntax = await ProblemAsync(await client.PostAsync("/api/v1/students", Raw("{\"name\": \"张三\",")), HttpStatusCode.BadRequest);
        Assert.Equal("提交的内容有误", syntax.GetProperty("title").GetString());
        Assert.Contains("JSON", syntax.GetProperty("errors").EnumerateObject().Single().Value[0].GetString());

        var unknownEnum = await ProblemAsync(await client.PostAsync("/api/v1/students", Raw($$"""{"name":"张三","gender":"Robot","classId":"{{cls}}"}""")), HttpStatusCode.BadRequest);
        Assert.Contains("Gender", unknownEnum.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", unknownEnum.GetProperty("errors").GetProperty("Gender")[0].GetString());

        var wrongType = await ProblemAsync(await client.PostAsync("/api/v1/students", Raw("""{"name":"张三","classId":12345}""")), HttpStatusCode.BadRequest);
        Assert.Contains("ClassId", wrongType.GetProperty("errors").EnumerateObject().Select(p => p.Name));

        var query = await ProblemAsync(await client.GetAsync("/api/v1/students?page=abc"), HttpStatusCode.BadRequest);
        Assert.Contains("page", query.GetProperty("errors").EnumerateObject().Select(p => p.Name));

        var empty = await ProblemAsync(await client.PostAsync("/api/v1/students", new StringContent("", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        Assert.Equal("提交的内容有误", empty.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Problems_are_in_English_for_a_user_who_chose_English()
    {
        using var client = await app.ClientAsync(SchoolAdmin);
        client.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Culture=c%3Den-US%7Cuic%3Den-US");

        var syntax = await ProblemAsync(await client.PostAsync("/api/v1/students", Raw("{")), HttpStatusCode.BadRequest);
        Assert.Equal("The request has errors", syntax.GetProperty("title").GetString());
        Assert.Contains("not valid JSON", syntax.GetProperty("errors").EnumerateObject().Single().Value[0].GetString());
        var missing = await ProblemAsync(await client.GetAsync($"/api/v1/students/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        Assert.Equal("Not found.", missing.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Bare_status_codes_get_Chinese_titles_and_a_stranger_uploading_is_told_to_sign_in()
    {
        using var client = await app.ClientAsync(SchoolAdmin);
        var missing = await ProblemAsync(await client.GetAsync($"/api/v1/students/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        Assert.Equal("找不到该记录或页面。", missing.GetProperty("title").GetString());
        var noRoute = await ProblemAsync(await client.GetAsync("/api/v1/no-such-thing"), HttpStatusCode.NotFound);
        Assert.Equal("找不到该记录或页面。", noRoute.GetProperty("title").GetString());

        var wrongType = await ProblemAsync(await client.PostAsync("/api/v1/students/import", Raw("{}")), HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("不支持的内容类型。", wrongType.GetProperty("title").GetString());

        using var stranger = app.AnonymousClient();
        var refused = await ProblemAsync(await stranger.PostAsync("/api/v1/students/import", Raw("{}")), HttpStatusCode.Unauthorized);
        Assert.Equal("未登录或登录已过期。", refused.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsync("/api/v1/schools/import", new StringContent("x", Encoding.UTF8, "text/plain"))).StatusCode);
    }

    [Fact]
    public async Task A_bogus_charset_and_a_far_future_audit_date_answer_without_a_500()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var content = new StringContent("{\"name\":\"张三\"}", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=bogus");
        var charset = await ProblemAsync(await client.PostAsync("/api/v1/students", content), HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("bogus", charset.GetProperty("errors").GetProperty("Content-Type")[0].GetString());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/audit?To=9999-12-31")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/audit?From=0001-01-01&To=9999-12-31")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/audit/export?To=9999-12-31")).StatusCode);
    }

    [Theory]
    [InlineData("/\\evil.example")]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\\\evil.example")]
    public async Task Switching_language_never_redirects_off_site(string returnUrl)
    {
        using var client = app.AnonymousClient();
        var page = await client.GetStringAsync("/login");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await client.PostAsync("/culture", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "en-US",
            ["returnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }
}
