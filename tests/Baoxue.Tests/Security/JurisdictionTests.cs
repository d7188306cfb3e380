using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Baoxue.Domain;
using Baoxue.Infrastructure.Security;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Tests.Security;

/// <summary>
/// Each account sees and changes only what lies under its place: a class, a school, a township, a
/// department, the county. Out of reach reads as not there (404); the database refuses any write that
/// would land outside, whichever feature attempts it.
/// </summary>
public abstract class JurisdictionTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private const string FengshanCentral = "罗源县凤山中心小学"; // school.admin's school; head.teacher's class is in it
    private const string Experimental = "罗源县实验小学"; // another school of the same township
    private const string Fengshan = "凤山镇";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private sealed record SchoolRow(Guid Id, string Code, string Name, Guid TownshipId);
    private sealed record StaffRow(Guid Id, string Name, Guid? SchoolId, Guid? DepartmentId);
    private sealed record ClassRow(Guid Id, Guid SchoolId, int Grade, int Number);

    [Fact]
    public async Task A_head_teacher_sees_the_school_of_its_class_and_no_other()
    {
        var own = await SchoolAsync(FengshanCentral);
        var other = await SchoolAsync(Experimental);
        using var client = await app.ClientAsync("head.teacher");

        var listed = await ListAsync<SchoolRow>(client, "/api/v1/schools");
        Assert.Equal(own.Id, Assert.Single(listed).Id);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/schools/{own.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/schools/{other.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_head_teacher_opening_another_schools_page_is_told_it_is_out_of_reach()
    {
        var own = await SchoolAsync(FengshanCentral);
        var other = await SchoolAsync(Experimental);
        using var client = await app.ClientAsync("head.teacher");

        var (ownStatus, ownHtml) = await Pages.GetAsync(client, $"/schools/{own.Id}");
        Assert.Equal(HttpStatusCode.OK, ownStatus);
        var ownText = WebUtility.HtmlDecode(ownHtml);
        Assert.Contains(own.Name, ownText, StringComparison.Ordinal);
        Assert.DoesNotContain("不在您的管辖范围内", ownText, StringComparison.Ordinal);

        using var response = await client.GetAsync($"/schools/{other.Id}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType); // the page, not a bare error
        var text = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("不在您的管辖范围内", text, StringComparison.Ordinal);
        Assert.DoesNotContain(other.Name, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_township_cadre_sees_exactly_the_schools_of_its_township()
    {
        await using var db = app.Db();
        var township = await db.Divisions.AsNoTracking().SingleAsync(d => d.Name == Fengshan && d.Level == DivisionLevel.Township);
        var expected = await db.Schools.AsNoTracking().Where(s => s.TownshipId == township.Id).Select(s => s.Id).ToListAsync();
        var county = await db.Schools.CountAsync();
        using var client = await app.ClientAsync("township.cadre");

        var listed = await ListAsync<SchoolRow>(client, "/api/v1/schools");

        Assert.NotEmpty(expected);
        Assert.True(expected.Count < county, "the township should hold only some of the county's schools");
        Assert.Equal(expected.Order(), listed.Select(s => s.Id).Order());
        Assert.All(listed, s => Assert.Equal(township.Id, s.TownshipId));
    }

    [Fact]
    public async Task A_department_liaison_sees_only_its_own_departments_staff_and_no_schools()
    {
        await using var db = app.Db();
        var liaison = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "dept.liaison");
        var police = await db.Departments.AsNoTracking().SingleAsync(d => d.Id == liaison.PlaceId);
        Assert.Equal(DepartmentKind.PublicSecurity, police.Kind);
        var expected = await db.Staff.AsNoTracking().Where(s => s.DepartmentId == police.Id).Select(s => s.Id).ToListAsync();
        using var client = await app.ClientAsync("dept.liaison");

        var listed = await ListAsync<StaffRow>(client, "/api/v1/staff");

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), listed.Select(s => s.Id).Order());
        Assert.All(listed, s => Assert.Equal(police.Id, s.DepartmentId));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/schools")).StatusCode);
    }

    [Fact]
    public async Task County_bureau_staff_see_every_school_of_the_county()
    {
        await using var db = app.Db();
        var all = await db.Schools.AsNoTracking().Select(s => s.Id).ToListAsync();
        using var client = await app.ClientAsync("bureau.staff");

        var listed = await ListAsync<SchoolRow>(client, "/api/v1/schools");

        Assert.InRange(listed.Count, 30, 60); // the demo county has about forty
        Assert.Equal(all.Order(), listed.Select(s => s.Id).Order());
    }

    [Fact]
    public async Task A_school_administrator_opens_and_changes_classes_only_in_its_own_school()
    {
        var own = await SchoolAsync(FengshanCentral);
        var other = await SchoolAsync(Experimental);
        var year = await CurrentYearAsync();
        using var client = await app.ClientAsync("school.admin");

        var opened = await client.PostAsJsonAsync("/api/v1/classes", new { schoolId = own.Id, schoolYearId = year, grade = 6, number = 91, capacity = 40 });
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var created = (await opened.Content.ReadFromJsonAsync<ClassRow>(Json))!;
        Assert.Equal(own.Id, created.SchoolId);

        var elsewhere = await client.PostAsJsonAsync("/api/v1/classes", new { schoolId = other.Id, schoolYearId = year, grade = 6, number = 92, capacity = 40 });
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);

        await using var db = app.Db();
        var theirs = await db.Classes.AsNoTracking().Where(c => c.SchoolId == other.Id).OrderBy(c => c.Grade).ThenBy(c => c.Number).FirstAsync();
        var change = await client.PutAsJsonAsync($"/api/v1/classes/{theirs.Id}",
            new { schoolId = theirs.SchoolId, schoolYearId = theirs.SchoolYearId, grade = theirs.Grade, number = theirs.Number, headTeacherId = theirs.HeadTeacherId, capacity = 7 });
        Assert.Equal(HttpStatusCode.NotFound, change.StatusCode);

        Assert.True(await db.Classes.AnyAsync(c => c.Id == created.Id && c.SchoolId == own.Id && c.Grade == 6 && c.Number == 91));
        Assert.False(await db.Classes.AnyAsync(c => c.SchoolId == other.Id && c.Grade == 6 && c.Number == 92));
        Assert.Equal(theirs.Capacity, (await db.Classes.AsNoTracking().SingleAsync(c => c.Id == theirs.Id)).Capacity);
    }

    [Fact]
    public async Task A_school_administrator_cannot_place_staff_at_another_school()
    {
        var own = await SchoolAsync(FengshanCentral);
        var other = await SchoolAsync(Experimental);
        using var client = await app.ClientAsync("school.admin");
        var insider = "郑" + Guid.NewGuid().ToString("N")[..6];
        var outsider = "黄" + Guid.NewGuid().ToString("N")[..6];

        var atOwn = await client.PostAsJsonAsync("/api/v1/staff", new { name = insider, post = "数学教师", placeKind = "School", placeId = own.Id });
        var atOther = await client.PostAsJsonAsync("/api/v1/staff", new { name = outsider, post = "数学教师", placeKind = "School", placeId = other.Id });

        Assert.Equal(HttpStatusCode.OK, atOwn.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, atOther.StatusCode);
        using var problem = JsonDocument.Parse(await atOther.Content.ReadAsStringAsync());
        var reasons = problem.RootElement.GetProperty("errors").GetProperty("PlaceId");
        Assert.Contains("请选择所在单位", reasons[0].GetString(), StringComparison.Ordinal);

        await using var db = app.Db();
        Assert.True(await db.Staff.AnyAsync(s => s.Name == insider && s.SchoolId == own.Id));
        Assert.False(await db.Staff.AnyAsync(s => s.Name == outsider));
    }

    [Fact]
    public async Task The_database_refuses_to_store_a_record_outside_the_writers_jurisdiction()
    {
        var other = await SchoolAsync(Experimental);
        var name = "冯" + Guid.NewGuid().ToString("N")[..6];
        var person = new Staff { Name = name, Post = "体育教师", SchoolId = other.Id, Path = other.Path };
        await using (var schoolAdmin = await app.DbAs("school.admin"))
        {
            schoolAdmin.Staff.Add(person);
            await Assert.ThrowsAsync<ScopeViolationException>(() => schoolAdmin.SaveChangesAsync());
        }

        await using var db = app.Db();
        Assert.False(await db.Staff.AnyAsync(s => s.Name == name));
        Assert.False(await db.AuditEntries.AnyAsync(a => a.EntityId == person.Id.ToString()));
    }

    [Fact]
    public async Task The_database_refuses_to_move_a_visible_record_out_of_the_writers_jurisdiction()
    {
        var own = await SchoolAsync(FengshanCentral);
        var other = await SchoolAsync(Experimental);
        var person = new Staff { Name = "谢" + Guid.NewGuid().ToString("N")[..6], Post = "英语教师", SchoolId = own.Id, Path = own.Path };
        await using (var arrange = app.Db())
        {
            arrange.Staff.Add(person);
            await arrange.SaveChangesAsync();
        }

        await using (var schoolAdmin = await app.DbAs("school.admin"))
        {
            var mine = await schoolAdmin.Staff.SingleAsync(s => s.Id == person.Id); // within reach
            mine.SchoolId = other.Id;
            mine.Path = other.Path;
            await Assert.ThrowsAsync<ScopeViolationException>(() => schoolAdmin.SaveChangesAsync());
        }

        await using var db = app.Db();
        var stored = await db.Staff.AsNoTracking().SingleAsync(s => s.Id == person.Id);
        Assert.Equal(own.Path, stored.Path);
        Assert.Equal(own.Id, stored.SchoolId);
    }

    [Fact]
    public async Task A_head_teacher_cannot_change_the_school_it_sees_above_its_class()
    {
        var own = await SchoolAsync(FengshanCentral);
        await using (var headTeacher = await app.DbAs("head.teacher"))
        {
            var school = await headTeacher.Schools.SingleAsync(s => s.Id == own.Id); // visible on the way up
            school.Phone = "0591-26999999";
            await Assert.ThrowsAsync<ScopeViolationException>(() => headTeacher.SaveChangesAsync());
        }

        await using var db = app.Db();
        Assert.Equal(own.Phone, (await db.Schools.AsNoTracking().SingleAsync(s => s.Id == own.Id)).Phone);
    }

    [Fact]
    public async Task An_account_moved_to_another_school_no_longer_reaches_the_old_one_from_its_next_request()
    {
        var before = await SchoolAsync(FengshanCentral);
        var after = await SchoolAsync(Experimental);
        using var admin = await app.ClientAsync("county.admin");
        var (id, userName) = await CreateTeacherAsync(admin, before.Id);
        using var teacher = await app.ClientAsync(userName);
        Assert.Equal(before.Id, Assert.Single(await ListAsync<SchoolRow>(teacher, "/api/v1/schools")).Id);

        var move = await admin.PutAsJsonAsync($"/api/v1/accounts/{id}", TeacherBody(userName, after.Id, disabled: false));
        Assert.Equal(HttpStatusCode.OK, move.StatusCode);
        Assert.Equal(after.Path, (await AccountAsync(id)).Path);

        // The same sign-in, next request: either it follows the move (old school out of reach, new one in)
        // or it is ended and the teacher signs in again; it never keeps the old school.
        var old = (await teacher.GetAsync($"/api/v1/schools/{before.Id}")).StatusCode;
        Assert.True(old is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, $"a moved account still reads its old school: {(int)old}");
        using var list = await teacher.GetAsync("/api/v1/schools");
        if (list.StatusCode != HttpStatusCode.Unauthorized)
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            Assert.Equal(after.Id, Assert.Single((await list.Content.ReadFromJsonAsync<Baoxue.Infrastructure.Paging.PagedResult<SchoolRow>>(Json))!.Items).Id);
        }
    }

    [Fact]
    public async Task A_disabled_account_reaches_nothing_from_its_next_request()
    {
        var school = await SchoolAsync(FengshanCentral);
        using var admin = await app.ClientAsync("county.admin");
        var (id, userName) = await CreateTeacherAsync(admin, school.Id);
        using var teacher = await app.ClientAsync(userName);
        Assert.Equal(HttpStatusCode.OK, (await teacher.GetAsync($"/api/v1/schools/{school.Id}")).StatusCode);

        var disable = await admin.PutAsJsonAsync($"/api/v1/accounts/{id}", TeacherBody(userName, school.Id, disabled: true));
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.True((await AccountAsync(id)).IsDisabled);
        using (var anonymous = app.AnonymousClient())
        {
            var signIn = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { userName, password = BaoxueApp.Password });
            Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode); // no new sign-in …
        }

        // … and the sign-in it already had no longer opens anything either.
        var status = (await teacher.GetAsync($"/api/v1/schools/{school.Id}")).StatusCode;
        Assert.True(status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"a disabled account still reads a school: {(int)status}");
    }

    private static object TeacherBody(string userName, Guid schoolId, bool disabled) => new
    {
        userName,
        displayName = "任课教师",
        role = "SubjectTeacher",
        placeKind = "School",
        placeId = schoolId,
        isDisabled = disabled,
    };

    private static async Task<(Guid Id, string UserName)> CreateTeacherAsync(HttpClient admin, Guid schoolId)
    {
        var userName = "teacher." + Guid.NewGuid().ToString("N")[..8];
        var response = await admin.PostAsJsonAsync("/api/v1/accounts/", new
        {
            userName,
            displayName = "任课教师",
            role = "SubjectTeacher",
            placeKind = "School",
            placeId = schoolId,
            password = BaoxueApp.Password,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("id").GetGuid(), userName);
    }

    private async Task<AppUser> AccountAsync(Guid id)
    {
        await using var db = app.Db();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Id == id);
    }

    private async Task<School> SchoolAsync(string name)
    {
        await using var db = app.Db();
        return await db.Schools.AsNoTracking().SingleAsync(s => s.Name == name);
    }

    private async Task<Guid> CurrentYearAsync()
    {
        await using var db = app.Db();
        return await db.SchoolYears.Where(y => y.IsCurrent).Select(y => y.Id).SingleAsync();
    }

    /// <summary>Every item of a paged list endpoint (the lists here are small: one page of 200 holds them).</summary>
    private static async Task<List<T>> ListAsync<T>(HttpClient client, string url)
    {
        var page = await GetAsync<Baoxue.Infrastructure.Paging.PagedResult<T>>(client, url + (url.Contains('?') ? "&" : "?") + "pageSize=200");
        Assert.Null(page.Next);
        return [.. page.Items];
    }

    private static async Task<T> GetAsync<T>(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }
}

public sealed class JurisdictionTests_Sqlite(SqliteApp app) : JurisdictionTests<SqliteApp>(app);

public sealed class JurisdictionTests_Postgres(PostgresApp app) : JurisdictionTests<PostgresApp>(app);
