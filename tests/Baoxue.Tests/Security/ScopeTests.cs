using Baoxue.Infrastructure.Paging;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Features.Organisation;
using Baoxue.Features.Registry;
using Baoxue.Features.Registry.RollCalls;
using Baoxue.Infrastructure.Security;
using Baoxue.Tests.Domain;
using Baoxue.Tests.Features.Organisation;
using Baoxue.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Baoxue.Tests.Security;

/// <summary>
/// What each role may see: IDs that cannot be rebuilt from what is shown (6.1), nobody signed in sees nothing and
/// the places above one's own are visible by one rule (6.13), a subject teacher sees the classes they teach (7.8),
/// county and township users read a class's roll-call sheet (7.5), a township cadre sees the member departments (7.7).
/// </summary>
public abstract class ScopeTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private const string SchoolAdmin = "school.admin";
    private const string SubjectTeacher = "subject.teacher";
    private static readonly string[] Concealed = ["head.teacher", "subject.teacher", "township.cadre", "inspector", "leader", "city.staff"];
    private static int _seed;

    private sealed record Child(Guid Id, string IdNumber, string Name, Gender Gender, Guid ClassId);

    private async Task<(Guid HeadClass, Guid Untaught)> ClassesAsync()
    {
        await using var db = app.Db();
        var head = await db.Users.SingleAsync(u => u.UserName == "head.teacher");
        var teacher = await db.Users.SingleAsync(u => u.UserName == SubjectTeacher);
        var taught = await db.TeachingAssignments.Where(a => a.StaffId == teacher.StaffId).Select(a => a.ClassId).ToListAsync();
        var headClass = await db.Classes.SingleAsync(c => c.Id == head.PlaceId);
        var untaught = await db.Classes.Where(c => c.SchoolId == headClass.SchoolId && c.SchoolYearId == headClass.SchoolYearId && !taught.Contains(c.Id)).OrderBy(c => c.Path).FirstAsync();
        Assert.Contains(head.PlaceId, taught);
        return (head.PlaceId, untaught.Id);
    }

    private async Task<Child> CreateAsync(Guid classId, string name)
    {
        var n = Interlocked.Increment(ref _seed);
        var gender = n % 2 == 0 ? Gender.Female : Gender.Male;
        var birth = new DateOnly(2016, 1 + n % 12, 1 + n % 27);
        var id = new ChineseNames(7000 + n).IdNumberFor("350123", birth, gender);
        using var school = await app.ClientAsync(SchoolAdmin);
        var created = await (await school.PostJsonAsync("/api/v1/students", new
        {
            IdNumber = id, Name = name, Gender = gender, BirthDate = birth, Ethnicity = "01", HouseholdRegionCode = "350123",
            HouseholdAddress = "罗源县凤山镇南门路8号", ClassId = classId,
            Guardians = new[] { new { Relation = GuardianRelation.Mother, Name = "陈美玲", Phone = "13905911234", WorksAway = false } },
        })).OkAsync<JsonElement>();
        return new Child(created.GetProperty("id").GetGuid(), id, name, gender, classId);
    }

    private static async Task<string> TextAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode}");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (bytes.Length > 2 && bytes[0] == 'P' && bytes[1] == 'K')
        {
            // xlsx and docx: every XML part's text.
            using var zip = new ZipArchive(new MemoryStream(bytes));
            var text = new StringBuilder();
            foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
            {
                using var reader = new StreamReader(entry.Open());
                text.Append(Regex.Replace(await reader.ReadToEndAsync(), "<[^>]+>", " ")).Append('\n');
            }
            return text.ToString();
        }
        return WebUtility.HtmlDecode(Encoding.UTF8.GetString(bytes));
    }

    // ---------- 6.1: the ID cannot be rebuilt from what a non-revealing role reads ----------

    [Fact]
    public async Task No_role_without_reveal_can_rebuild_a_childs_ID_from_everything_it_reads()
    {
        var (headClass, _) = await ClassesAsync();
        var child = await CreateAsync(headClass, "吴思远");
        var failures = new List<string>();
        foreach (var user in Concealed.Append(SchoolAdmin))
        {
            using var client = await app.ClientAsync(user);
            var read = new StringBuilder();
            read.Append(await TextAsync(client, $"/api/v1/students?q={child.Name}"));
            read.Append(await TextAsync(client, $"/api/v1/students/{child.Id}"));
            read.Append(await TextAsync(client, $"/api/v1/students/export?q={child.Name}"));
            read.Append(await TextAsync(client, $"/students?q={child.Name}"));
            read.Append(await TextAsync(client, $"/students/{child.Id}"));
            read.Append(await TextAsync(client, $"/classes/{child.ClassId}/roster"));
            read.Append(await TextAsync(client, $"/api/v1/classes/{child.ClassId}/roster.docx"));
            read.Append(await TextAsync(client, $"/classes/{child.ClassId}/attendance-book"));
            if (DemoSeeder.Accounts.Single(a => a.UserName == user).Role.Allows(Permission.AuditView))
            {
                read.Append(await TextAsync(client, $"/api/v1/audit?entityId={child.Id}"));
            }
            var text = read.ToString();
            Assert.Contains(child.Name, text, StringComparison.Ordinal); // the role did read the child
            var candidates = Attacker.Candidates(child.IdNumber, child.Gender, text);
            if (user == SchoolAdmin)
            {
                Assert.Equal(1, candidates); // the registrar may reveal anyway: shown the mask and the birth date
            }
            else if (candidates < 10_000)
            {
                failures.Add($"{user}: {candidates} candidate IDs");
            }
        }
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    [Fact]
    public async Task A_role_without_reveal_cannot_confirm_a_guessed_ID_by_searching_for_it()
    {
        var (headClass, _) = await ClassesAsync();
        var child = await CreateAsync(headClass, "郑可欣");
        using var head = await app.ClientAsync("head.teacher");
        Assert.Empty((await head.GetOkAsync<PagedResult<StudentQueries.StudentRow>>($"/api/v1/students?q={child.IdNumber}")).Items);
        Assert.Empty((await head.GetOkAsync<PagedResult<StudentQueries.StudentRow>>($"/api/v1/students?q=G{child.IdNumber}")).Items);
        using var school = await app.ClientAsync(SchoolAdmin);
        Assert.Single((await school.GetOkAsync<PagedResult<StudentQueries.StudentRow>>($"/api/v1/students?q={child.IdNumber}")).Items);
    }

    // ---------- 6.13: nobody signed in sees nothing; the places above are visible by one rule ----------

    [Fact]
    public async Task A_request_with_nobody_signed_in_sees_nothing_but_the_accounts_signing_in_needs()
    {
        var (headClass, _) = await ClassesAsync();
        await CreateAsync(headClass, "黄子轩");
        var context = new DefaultHttpContext { RequestServices = app.Services };
        var user = new HttpCurrentUser(new HttpContextAccessor { HttpContext = context });
        Assert.Equal(PlacePath.Nothing, user.ScopePath);
        var options = app.Services.GetRequiredService<DbContextOptions<BaoxueDb>>();
        await using var db = new BaoxueDb(options, user, TimeProvider.System);

        Assert.Empty(await db.Students.ToListAsync());
        Assert.Empty(await db.Schools.ToListAsync());
        Assert.Empty(await db.Divisions.ToListAsync());
        Assert.Empty(await db.Departments.ToListAsync());
        Assert.Empty(await db.Staff.ToListAsync());
        Assert.False(db.Disclosure.Full);
        Assert.NotNull(await db.Users.SingleOrDefaultAsync(u => u.UserName == SchoolAdmin)); // signing in finds the account
    }

    [Fact]
    public async Task Places_above_ones_own_are_visible_but_not_ones_own_and_neighbours_are_not_visible()
    {
        await using var db = await app.DbAs("head.teacher");
        var head = await db.Users.SingleAsync(u => u.UserName == "head.teacher");
        var school = await db.Schools.SingleAsync(); // the class's school, and no other
        var ancestors = PlacePath.Ancestors(head.Path);
        Assert.Contains(school.Path, ancestors);
        var divisions = await db.Divisions.Select(d => d.Path).ToListAsync();
        Assert.All(divisions, p => Assert.Contains(p, ancestors));
        Assert.Contains(PlacePath.County(head.Path), divisions);
        Assert.False(db.Covers(school.Path)); // visible, but not theirs to act on
        Assert.True(db.Covers(head.Path));
    }

    // ---------- 7.7: a township cadre reads the county's member departments ----------

    [Fact]
    public async Task A_township_cadre_reads_the_countys_member_departments_but_may_not_edit_them()
    {
        await using var system = app.Db();
        var all = await system.Departments.CountAsync();
        Assert.True(all > 5);
        using var cadre = await app.ClientAsync("township.cadre");
        var listed = (await cadre.GetOkAsync<PagedResult<JsonElement>>("/api/v1/departments?pageSize=200")).Items;
        Assert.Equal(all, listed.Count);
        var page = await cadre.PageTextAsync("/departments");
        Assert.Contains("公安局", page, StringComparison.Ordinal);
        var put = await cadre.PutJsonAsync($"/api/v1/departments/{listed[0].GetProperty("id").GetGuid()}", new { code = "99", name = "改名", kind = "Other" });
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        // Staff of a department stay the department's: the cadre sees the units, not their people.
        Assert.Empty((await cadre.GetOkAsync<PagedResult<JsonElement>>($"/api/v1/staff?q=联络员")).Items);
    }

    // ---------- 7.8: a subject teacher sees the classes they teach unless the school grants more ----------

    [Fact]
    public async Task A_subject_teacher_sees_and_exports_only_the_classes_they_teach_until_the_school_grants_the_whole_school()
    {
        var (headClass, untaught) = await ClassesAsync();
        var taughtChild = await CreateAsync(headClass, "孙浩宇");
        var otherChild = await CreateAsync(untaught, "周雨桐");
        using var teacher = await app.ClientAsync(SubjectTeacher);
        await using var system = app.Db();
        var account = await system.Users.SingleAsync(u => u.UserName == SubjectTeacher);
        var taught = await system.TeachingAssignments.Where(a => a.StaffId == account.StaffId).Select(a => a.ClassId).ToListAsync();

        var listed = (await teacher.GetOkAsync<PagedResult<StudentQueries.StudentRow>>("/api/v1/students")).Items;
        Assert.Contains(listed, r => r.Id == taughtChild.Id);
        Assert.All(listed, r => Assert.Contains(r.ClassId!.Value, taught));
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.GetAsync($"/api/v1/students/{otherChild.Id}")).StatusCode);
        var export = await TextAsync(teacher, "/api/v1/students/export");
        Assert.Contains(taughtChild.Name, export, StringComparison.Ordinal);
        Assert.DoesNotContain(otherChild.Name, export, StringComparison.Ordinal);
        Assert.DoesNotContain(otherChild.Name, await teacher.PageTextAsync("/students"), StringComparison.Ordinal);

        // The school admin grants the whole school on the person's record (API), then takes it back.
        using var school = await app.ClientAsync(SchoolAdmin);
        var staffUrl = $"/api/v1/staff/{account.StaffId}";
        var person = await school.GetOkAsync<OrganisationApi.StaffDto>(staffUrl);
        Assert.Equal(taught.Order(), person.ClassIds!.Order());
        Assert.Equal(account.Id, person.AccountId);
        var grant = new SavePerson(person.Name, person.Post, null, "School", person.SchoolId!.Value, true, null, true, null);
        Assert.True((await (await school.PutJsonAsync(staffUrl, grant)).OkAsync<OrganisationApi.StaffDto>()).SeesWholeSchool);
        Assert.Equal(HttpStatusCode.OK, (await teacher.GetAsync($"/api/v1/students/{otherChild.Id}")).StatusCode);
        await (await school.PutJsonAsync(staffUrl, grant with { SeesWholeSchool = false })).OkAsync<OrganisationApi.StaffDto>();
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.GetAsync($"/api/v1/students/{otherChild.Id}")).StatusCode);

        // Classes of another school are refused with a reason; nothing changes.
        await using var db = app.Db();
        var foreign = await db.Classes.Where(c => c.SchoolId != person.SchoolId).Select(c => c.Id).FirstAsync();
        await (await school.PutJsonAsync(staffUrl, grant with { SeesWholeSchool = null, ClassIds = [foreign] }))
            .AssertRefusedAsync("ClassIds", "所选班级须为本人所在学校的班级。");
        Assert.Equal(taught.Order(), (await school.GetOkAsync<OrganisationApi.StaffDto>(staffUrl)).ClassIds!.Order());
    }

    [Fact]
    public async Task The_school_admin_assigns_a_teachers_classes_on_the_staff_page()
    {
        var (headClass, untaught) = await ClassesAsync();
        var otherChild = await CreateAsync(untaught, "冯子墨");
        await using var system = app.Db();
        var account = await system.Users.SingleAsync(u => u.UserName == SubjectTeacher);
        var staff = await system.Staff.SingleAsync(s => s.Id == account.StaffId);
        var taught = await system.TeachingAssignments.Where(a => a.StaffId == staff.Id).Select(a => a.ClassId).ToListAsync();
        using var school = await app.ClientAsync(SchoolAdmin);
        var url = $"/staff/{staff.Id}";
        var form = await school.PageTextAsync(url);
        Assert.Contains("任教班级", form, StringComparison.Ordinal);

        var fields = new List<KeyValuePair<string, string>>
        {
            new("Input.Name", staff.Name), new("Input.Post", staff.Post), new("Input.Place", $"School:{staff.SchoolId}"),
            new("Input.IsActive", "true"), new("Input.AccountId", account.Id.ToString()),
        };
        fields.AddRange(taught.Append(untaught).Select(c => new KeyValuePair<string, string>("class", c.ToString())));
        using var response = await PostFormAsync(school, url, "staff", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        using var teacher = await app.ClientAsync(SubjectTeacher);
        Assert.Equal(HttpStatusCode.OK, (await teacher.GetAsync($"/api/v1/students/{otherChild.Id}")).StatusCode);
        await using var after = app.Db();
        Assert.Contains(untaught, await after.TeachingAssignments.Where(a => a.StaffId == staff.Id).Select(a => a.ClassId).ToListAsync());
        Assert.Contains(await after.AuditEntries.Where(a => a.EntityType == nameof(TeachingAssignment)).Select(a => a.After).ToListAsync(), a => a!.Contains(untaught.ToString(), StringComparison.Ordinal));

        // Back as it was, for the other tests.
        await (await school.PutJsonAsync($"/api/v1/staff/{staff.Id}", new SavePerson(staff.Name, staff.Post, null, "School", staff.SchoolId!.Value, true, taught, null, null))).OkAsync<OrganisationApi.StaffDto>();
    }

    private sealed record SavePerson(string Name, string Post, string? Phone, string PlaceKind, Guid PlaceId, bool IsActive, IReadOnlyList<Guid>? ClassIds, bool? SeesWholeSchool, Guid? AccountId);

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, string formName, List<KeyValuePair<string, string>> fields)
    {
        var (_, html) = await Pages.GetAsync(client, url);
        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        fields.Add(new("__RequestVerificationToken", token));
        fields.Add(new("_handler", formName));
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    // ---------- 7.5 and 6.13: county and township users read a class's sheet; writing is the class's ----------

    [Fact]
    public async Task County_and_township_users_open_a_classs_roll_call_sheet_read_only_from_the_progress_page()
    {
        var (headClass, _) = await ClassesAsync();
        var child = await CreateAsync(headClass, "钱思琪");
        await using var system = app.Db();
        var campaign = await system.RollCallCampaigns.OrderBy(c => c.Id).FirstOrDefaultAsync();
        Guid campaignId;
        if (campaign is null)
        {
            var year = await system.SchoolYears.SingleAsync(y => y.IsCurrent);
            var opens = OpenCampaign.MonthStart(year.StartYear, 9);
            using var county = await app.ClientAsync("county.admin");
            campaignId = (await (await county.PostJsonAsync("/api/v1/roll-calls", new OpenCampaign.Command($"{opens.Year}年9月人籍一致核查", 9, opens, opens.AddDays(29))))
                .OkAsync<RollCallApi.CampaignDto>()).Id;
        }
        else
        {
            campaignId = campaign.Id;
        }
        var sheet = $"/roll-calls/{campaignId}/classes/{headClass}";

        foreach (var user in new[] { "township.cadre", "bureau.staff", "inspector" })
        {
            using var client = await app.ClientAsync(user);
            var (_, progress) = await Pages.GetAsync(client, $"/roll-calls/{campaignId}");
            Assert.Contains($"href=\"{sheet}\"", progress, StringComparison.Ordinal);
            var (status, html) = await Pages.GetAsync(client, sheet);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains(child.Name, html, StringComparison.Ordinal);
            Assert.DoesNotContain("id=\"confirm-form\"", html, StringComparison.Ordinal);
            var dto = await client.GetOkAsync<RollCallApi.ReturnDto>($"/api/v1{sheet}");
            Assert.Contains(dto.Roster, s => s.Id == child.Id);

            // The sheet's forms are the class's: posting one is refused before the page runs, and nothing changes.
            var form = new Dictionary<string, string> { ["Marks[0].StudentId"] = child.Id.ToString(), ["Marks[0].Kind"] = nameof(RollCallMarkKind.Present) };
            using var posted = await Pages.PostFormAsync(client, sheet, "confirm", form);
            Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        }
        await using var after = app.Db();
        Assert.Equal(RollCallState.Open, (await after.RollCallReturns.SingleAsync(r => r.CampaignId == campaignId && r.ClassId == headClass)).State);
        using var head = await app.ClientAsync("head.teacher");
        var (_, own) = await Pages.GetAsync(head, sheet);
        Assert.Contains("id=\"confirm-form\"", own, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_role_posting_a_pages_write_form_is_refused_before_the_page_runs()
    {
        using var leader = await app.ClientAsync("leader");
        using var open = await Pages.PostFormAsync(leader, "/roll-calls", "open", new Dictionary<string, string> { ["Input.Title"] = "不应创建", ["Input.Month"] = "9" });
        Assert.Equal(HttpStatusCode.Forbidden, open.StatusCode);
        using var year = await Pages.PostFormAsync(leader, "/school-years", "new-year", new Dictionary<string, string> { ["Input.StartYear"] = "2040" });
        Assert.Equal(HttpStatusCode.Forbidden, year.StatusCode);
        await using var db = app.Db();
        Assert.False(await db.RollCallCampaigns.AnyAsync(c => c.Title == "不应创建"));
        Assert.False(await db.SchoolYears.AnyAsync(y => y.StartYear == 2040));
    }
}

public sealed class ScopeTests_Sqlite(SqliteApp app) : ScopeTests<SqliteApp>(app);

public sealed class ScopeTests_Postgres(PostgresApp app) : ScopeTests<PostgresApp>(app);
