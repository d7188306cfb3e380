using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Tests.Features.Organisation;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Baoxue.Tests.Features.Accounts.AccountKit;

namespace Baoxue.Tests.Features.Accounts;

/// <summary>
/// Accounts for a whole county, through the real app: from the staff list (roles inferred, linked to the staff record,
/// random initial passwords changed at first sign-in), the account sheet, resets and unlocks, who has access, leaving
/// and moving, and the user's own sign-ins and recovery codes. Each test works in a school of its own.
/// </summary>
public abstract class ProvisioningTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private static readonly JsonSerializerOptions Json = OrganisationKit.Json;

    /// <summary>The n-th small school (a village primary school) with its administrator's demo account.</summary>
    private async Task<(School School, string Admin)> SchoolAsync(int n)
    {
        await using var db = app.Db();
        var school = await db.Schools.Where(s => s.CentralSchoolId != null && s.Kind == SchoolKind.Primary).OrderBy(s => s.Code).Skip(n).FirstAsync();
        return (school, DemoAccounts.SchoolAdmin(school.Code));
    }

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<List<JsonElement>> ProvisionAsync(string admin, object request)
    {
        using var client = await app.ClientAsync(admin);
        var body = await OkJsonAsync(await client.PostAsJsonAsync("/api/v1/accounts/provision", request));
        return [.. body.GetProperty("slips").EnumerateArray()];
    }

    [Fact]
    public async Task A_school_administrator_provisions_the_whole_school_with_roles_from_posts_and_accounts_linked_to_staff()
    {
        var (school, admin) = await SchoolAsync(0);
        using var client = await app.ClientAsync(admin);
        Dictionary<Guid, Guid> headOf;
        List<Staff> staff;
        await using (var db = app.Db())
        {
            headOf = await db.Classes.Where(c => c.SchoolId == school.Id && c.HeadTeacherId != null && c.SchoolYear!.IsCurrent).ToDictionaryAsync(c => c.HeadTeacherId!.Value, c => c.Id);
            staff = await db.Staff.Where(s => s.SchoolId == school.Id && s.IsActive).ToListAsync();
        }
        Assert.NotEmpty(headOf);

        var preview = (await OkJsonAsync(await client.PostAsJsonAsync("/api/v1/accounts/provision/preview", new { schoolId = school.Id }))).EnumerateArray().ToList();
        Assert.Equal(staff.Count, preview.Count);
        foreach (var p in preview)
        {
            var person = staff.Single(s => s.Id == p.GetProperty("staffId").GetGuid());
            var role = p.GetProperty("role").GetString();
            if (headOf.TryGetValue(person.Id, out var classId))
            {
                Assert.Equal("HeadTeacher", role);
                Assert.Equal(classId, p.GetProperty("placeId").GetGuid());
                Assert.True(p.GetProperty("willCreate").GetBoolean());
            }
            else if (person.Post.Contains("学籍", StringComparison.Ordinal))
            {
                // The registrar would be a school administrator; in the demo county they already are (admin.<code>).
                Assert.Equal("SchoolAdmin", role);
                Assert.False(p.GetProperty("willCreate").GetBoolean());
                Assert.Equal("已有账号", p.GetProperty("problem").GetString());
            }
            else
            {
                Assert.Equal("SubjectTeacher", role);
                Assert.Equal(school.Id, p.GetProperty("placeId").GetGuid());
            }
        }

        var slips = await ProvisionAsync(admin, new { schoolId = school.Id });
        Assert.Equal(preview.Count(p => p.GetProperty("willCreate").GetBoolean()), slips.Count);
        await using (var db = app.Db())
        {
            foreach (var slip in slips)
            {
                var user = await db.Users.SingleAsync(u => u.Id == slip.GetProperty("accountId").GetGuid());
                Assert.Equal(slip.GetProperty("userName").GetString(), user.UserName);
                Assert.StartsWith(school.Code + ".", user.UserName, StringComparison.Ordinal);
                Assert.True(user.MustChangePassword);
                Assert.NotNull(user.StaffId);
                Assert.Equal(staff.Single(s => s.Id == user.StaffId).Name, user.DisplayName);
                Assert.EndsWith("/login", slip.GetProperty("signInAddress").GetString(), StringComparison.Ordinal);
                // The account's creation is audited with its state, never its password.
                var created = await db.AuditEntries.SingleAsync(a => a.EntityType == nameof(AppUser) && a.EntityId == user.Id.ToString() && a.Action == AuditAction.Create);
                Assert.Contains(user.UserName!, created.After!, StringComparison.Ordinal);
                Assert.DoesNotContain(user.PasswordHash!, created.After!, StringComparison.Ordinal);
                Assert.DoesNotContain(slip.GetProperty("initialPassword").GetString()!, created.After!, StringComparison.Ordinal);
            }
        }

        // Asked again, everyone has an account; nothing more is made.
        var again = (await OkJsonAsync(await client.PostAsJsonAsync("/api/v1/accounts/provision/preview", new { schoolId = school.Id }))).EnumerateArray().ToList();
        Assert.All(again, p => Assert.False(p.GetProperty("willCreate").GetBoolean()));
        using var none = await client.PostAsJsonAsync("/api/v1/accounts/provision", new { schoolId = school.Id });
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("没有可以开通账号的人", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_subject_teacher_provisioned_from_the_staff_list_sees_the_students_of_the_classes_that_teacher_teaches()
    {
        var (school, admin) = await SchoolAsync(1);
        Guid teacherId, taughtClass;
        await using (var db = app.Db())
        {
            var taughtBySomeone = await db.Classes.Where(c => c.SchoolId == school.Id && c.SchoolYear!.IsCurrent).OrderBy(c => c.Grade).FirstAsync();
            taughtClass = taughtBySomeone.Id;
            var teacher = await db.Staff.Where(s => s.SchoolId == school.Id && s.Post.EndsWith("教师") && !db.Classes.Any(c => c.HeadTeacherId == s.Id)).FirstAsync();
            teacherId = teacher.Id;
            db.TeachingAssignments.Add(new TeachingAssignment { StaffId = teacher.Id, ClassId = taughtBySomeone.Id, Path = taughtBySomeone.Path });
            await db.SaveChangesAsync();
        }
        using var schoolClient = await app.ClientAsync(admin);
        var created = await OkJsonAsync(await schoolClient.PostAsJsonAsync("/api/v1/students", new
        {
            IdNumber = new ChineseNames(4242).IdNumberFor("350123", new DateOnly(2017, 5, 6), Gender.Female), Name = "林思琪", Gender = Gender.Female,
            BirthDate = new DateOnly(2017, 5, 6), Ethnicity = "01", HouseholdRegionCode = "350123", HouseholdAddress = "罗源县某村1号", ClassId = taughtClass,
            Guardians = new[] { new { Relation = GuardianRelation.Mother, Name = "林美华", Phone = "13905910000", WorksAway = false } },
        }, Json));

        var slip = Assert.Single(await ProvisionAsync(admin, new { staffIds = new[] { teacherId } }));
        Assert.Equal("SubjectTeacher", slip.GetProperty("role").GetString());
        var userName = slip.GetProperty("userName").GetString()!;
        var initial = slip.GetProperty("initialPassword").GetString()!;

        // First sign-in through the API: the initial password alone opens nothing; with a new one it signs in.
        var (status, problem) = await TokenAsync(app, userName, initial);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("PasswordChangeRequired", Reason(problem));
        using var weak = await AnonymousTokenAsync(userName, initial, "short");
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        using var ok = await AnonymousTokenAsync(userName, initial, GoodPassword);
        var token = (await OkJsonAsync(ok)).GetProperty("accessToken").GetString()!;
        Assert.False((await StoredUserAsync(app, userName)).MustChangePassword);

        using var teacherClient = BearerClient(app, token);
        var students = await OkJsonAsync(await teacherClient.GetAsync("/api/v1/students"));
        Assert.Contains(students.GetProperty("items").EnumerateArray(), s => s.GetProperty("id").GetGuid() == created.GetProperty("id").GetGuid());
    }

    private async Task<HttpResponseMessage> AnonymousTokenAsync(string userName, string password, string newPassword)
    {
        using var client = app.AnonymousClient();
        return await client.PostAsJsonAsync("/api/v1/auth/token", new { userName, password, newPassword });
    }

    [Fact]
    public async Task An_administrator_reset_gives_a_new_initial_password_that_the_page_makes_the_user_change_first()
    {
        var (school, admin) = await SchoolAsync(2);
        Guid personId;
        await using (var db = app.Db())
        {
            personId = await db.Staff.Where(s => s.SchoolId == school.Id && s.Post.EndsWith("教师")).Select(s => s.Id).FirstAsync();
        }
        var slip = Assert.Single(await ProvisionAsync(admin, new { staffIds = new[] { personId } }));
        var id = slip.GetProperty("accountId").GetGuid();
        var userName = slip.GetProperty("userName").GetString()!;

        using var client = await app.ClientAsync(admin);
        var reset = await OkJsonAsync(await client.PostAsync($"/api/v1/accounts/{id}/reset-password", null));
        var initial = reset.GetProperty("initialPassword").GetString()!;
        Assert.NotEqual(slip.GetProperty("initialPassword").GetString(), initial);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(app, userName, slip.GetProperty("initialPassword").GetString()!)).Status);
        await using (var db = app.Db())
        {
            var line = await db.AuditEntries.Where(a => a.EntityType == nameof(AppUser) && a.EntityId == id.ToString() && a.After!.Contains("password-reset")).SingleAsync();
            Assert.Equal(admin, line.UserName);
            Assert.DoesNotContain(initial, line.After!, StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/accounts/{id}/unlock", null)).StatusCode);

        // The page: signed in with the slip's password, every page leads to the change form until it is changed.
        using var browser = CookieClient(app);
        using (var login = await SubmitLoginAsync(browser, userName, initial))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }
        using (var students = await browser.GetAsync("/students"))
        {
            Assert.Equal(HttpStatusCode.Redirect, students.StatusCode);
            Assert.Equal("/account", PathOf(students));
        }
        var (_, accountPage) = await Pages.GetAsync(browser, "/account");
        Assert.Contains("初始密码", accountPage, StringComparison.Ordinal);
        using (var changed = await Pages.PostFormAsync(browser, "/account", "password", new Dictionary<string, string> { ["Input.Current"] = initial, ["Input.Next"] = GoodPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            Assert.Contains("密码已修改。", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var home = await browser.GetAsync("/students"))
        {
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        }
        Assert.False((await StoredUserAsync(app, userName)).MustChangePassword);

        // Outside the school: the administrator cannot reset the county administrator.
        var countyAdmin = (await StoredUserAsync(app, "county.admin")).Id;
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/v1/accounts/{countyAdmin}/reset-password", null)).StatusCode);
    }

    [Fact]
    public async Task The_account_sheet_is_all_or_nothing_and_answers_the_slips()
    {
        var (school, admin) = await SchoolAsync(3);
        string classText;
        await using (var db = app.Db())
        {
            var cls = await db.Classes.Where(c => c.SchoolId == school.Id && c.SchoolYear!.IsCurrent).OrderBy(c => c.Grade).FirstAsync();
            classText = $"{cls.Grade}年级{cls.Number}班";
        }
        string[] headers = ["姓名", "角色", "单位代码", "班级", "用户名"];
        using var client = await app.ClientAsync(admin);
        var bad = OrganisationKit.Csv(headers, ["王一", "班主任", school.Code, classText, ""], ["李二", "县级管理员", school.Code, "", ""], ["赵三", "任课教师", "9999999999", "", ""]);
        using (var refused = await client.UploadAsync("/api/v1/accounts/import", System.Text.Encoding.UTF8.GetBytes(bad), "accounts.csv"))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            var body = await refused.Content.ReadFromJsonAsync<JsonElement>();
            var problems = body.GetProperty("problems").EnumerateArray().ToList();
            Assert.Contains(problems, p => p.GetProperty("row").GetInt32() == 3 && p.GetProperty("column").GetString() == "角色");
            Assert.Contains(problems, p => p.GetProperty("row").GetInt32() == 4 && p.GetProperty("column").GetString() == "单位代码");
        }
        await using (var db = app.Db())
        {
            Assert.False(await db.Users.AnyAsync(u => u.DisplayName == "王一"));
        }

        var good = OrganisationKit.Xlsx(headers, ["王一", "班主任", school.Code, classText, "wang.yi." + school.Code], ["赵三", "任课教师", school.Code, "", ""]);
        using var accepted = await client.UploadAsync("/api/v1/accounts/import", good, "accounts.xlsx");
        var result = await OkJsonAsync(accepted);
        var slips = result.GetProperty("slips").EnumerateArray().ToList();
        Assert.Equal(2, slips.Count);
        Assert.Contains(slips, s => s.GetProperty("userName").GetString() == "wang.yi." + school.Code && s.GetProperty("role").GetString() == "HeadTeacher");
        var zhao = (await StoredUserAsync(app, slips.Single(s => s.GetProperty("name").GetString() == "赵三").GetProperty("userName").GetString()!));
        Assert.Equal(Role.SubjectTeacher, zhao.Role);
        Assert.True(zhao.MustChangePassword);

        using var template = await client.GetAsync("/api/v1/accounts/import/template");
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        var (templateHeaders, _) = OrganisationKit.ReadSheet(await template.Content.ReadAsByteArrayAsync());
        Assert.Equal(headers, templateHeaders);
    }

    [Fact]
    public async Task Who_has_access_lists_the_schools_accounts_with_usage_and_exports_the_same()
    {
        var (school, admin) = await SchoolAsync(4);
        Guid personId;
        await using (var db = app.Db())
        {
            personId = await db.Staff.Where(s => s.SchoolId == school.Id && s.Post.EndsWith("教师")).Select(s => s.Id).FirstAsync();
        }
        var slip = Assert.Single(await ProvisionAsync(admin, new { staffIds = new[] { personId } }));
        var userName = slip.GetProperty("userName").GetString()!;
        using var client = await app.ClientAsync(admin);
        var list = await OkJsonAsync(await client.GetAsync($"/api/v1/accounts/access?unitId={school.Id}&pageSize=200"));
        var items = list.GetProperty("items").EnumerateArray().ToList();
        var row = items.Single(i => i.GetProperty("userName").GetString() == userName);
        Assert.Equal("NeverUsed", row.GetProperty("usage").GetString());
        Assert.Contains(items, i => i.GetProperty("userName").GetString() == admin && i.GetProperty("role").GetString() == "SchoolAdmin");
        Assert.All(items, i => Assert.Equal(school.Name, i.GetProperty("unit").GetString()));

        var never = await OkJsonAsync(await client.GetAsync($"/api/v1/accounts/access?unitId={school.Id}&usage=NeverUsed"));
        Assert.Contains(never.GetProperty("items").EnumerateArray(), i => i.GetProperty("userName").GetString() == userName);

        using var export = await client.GetAsync($"/api/v1/accounts/access/export?unitId={school.Id}");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var (headers, rows) = OrganisationKit.ReadSheet(await export.Content.ReadAsByteArrayAsync());
        Assert.Contains("最近登录", headers);
        Assert.Contains(rows, r => r[0].Text == userName && r.Any(c => c.Text == "从未使用"));
        Assert.Equal(items.Count, rows.Count);

        var page = await client.PageTextAsync($"/accounts/access?unitId={school.Id}");
        Assert.Contains(userName, page, StringComparison.Ordinal);
        Assert.Contains("从未登录", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_person_who_leaves_loses_access_and_one_who_moves_takes_the_account_along_with_a_handover_list()
    {
        var (school, _) = await SchoolAsync(5);
        var (otherSchool, _) = await SchoolAsync(6);
        List<Guid> people;
        await using (var db = app.Db())
        {
            people = await db.Staff.Where(s => s.SchoolId == school.Id && s.Post.EndsWith("教师")).OrderBy(s => s.Id).Select(s => s.Id).Take(2).ToListAsync();
        }
        Assert.Equal(2, people.Count);
        var slips = await ProvisionAsync("county.admin", new { staffIds = people });
        JsonElement SlipOf(Guid staffId)
        {
            using var db = app.Db();
            var account = db.Users.Single(u => u.StaffId == staffId).Id;
            return slips.Single(x => x.GetProperty("accountId").GetGuid() == account);
        }
        var leaver = SlipOf(people[0]);
        var mover = SlipOf(people[1]);
        var leaverToken = (await OkJsonAsync(await AnonymousTokenAsync(leaver.GetProperty("userName").GetString()!, leaver.GetProperty("initialPassword").GetString()!, GoodPassword))).GetProperty("accessToken").GetString()!;

        using var county = await app.ClientAsync("county.admin");
        var person = await county.GetOkAsync<Baoxue.Features.Organisation.OrganisationApi.StaffDto>($"/api/v1/staff/{people[0]}");
        await (await county.PutJsonAsync($"/api/v1/staff/{people[0]}", new { person.Name, person.Post, PlaceKind = "School", PlaceId = school.Id, IsActive = false })).OkAsync<JsonElement>();
        var left = await StoredUserAsync(app, leaver.GetProperty("userName").GetString()!);
        Assert.True(left.IsDisabled);
        using (var leaverClient = BearerClient(app, leaverToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await leaverClient.GetAsync("/api/v1/home")).StatusCode);
        }

        var moving = await county.GetOkAsync<Baoxue.Features.Organisation.OrganisationApi.StaffDto>($"/api/v1/staff/{people[1]}");
        await (await county.PutJsonAsync($"/api/v1/staff/{people[1]}", new { moving.Name, moving.Post, PlaceKind = "School", PlaceId = otherSchool.Id, IsActive = true })).OkAsync<JsonElement>();
        var moved = await StoredUserAsync(app, mover.GetProperty("userName").GetString()!);
        Assert.False(moved.IsDisabled);
        Assert.Equal(otherSchool.Id, moved.PlaceId);
        Assert.Equal(otherSchool.Path, moved.Path);
        Assert.Equal(Role.SubjectTeacher, moved.Role);
        await using (var db = app.Db())
        {
            Assert.Contains(await db.AuditEntries.Where(a => a.EntityType == nameof(AppUser) && a.EntityId == moved.Id.ToString() && a.Action == AuditAction.Update).Select(a => a.After).ToListAsync(),
                a => a!.Contains(otherSchool.Path, StringComparison.Ordinal));
        }

        using var handover = await county.GetAsync($"/api/v1/accounts/{left.Id}/handover");
        Assert.Equal(HttpStatusCode.OK, handover.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await handover.Content.ReadFromJsonAsync<JsonElement>()).ValueKind);
        var page = await county.PageTextAsync($"/accounts/{left.Id}/handover");
        Assert.Contains("工作交接", page, StringComparison.Ordinal);
        Assert.Contains("已停用", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_township_administrator_provisions_village_cadres_but_not_the_staff_of_a_school_that_is_not_central()
    {
        Division township;
        Guid cadre, outsider;
        await using (var db = app.Db())
        {
            var central = await db.Schools.Where(s => db.Schools.Any(x => x.CentralSchoolId == s.Id)).OrderByDescending(s => s.Code).FirstAsync();
            township = await db.Divisions.SingleAsync(d => d.Id == central.TownshipId);
            cadre = await db.Staff.Where(s => s.Division!.ParentId == township.Id && s.Division.Level == DivisionLevel.Village).Select(s => s.Id).FirstAsync();
            outsider = await db.Staff.Where(s => s.School!.TownshipId == township.Id && s.School.CentralSchoolId != null && s.Post.EndsWith("教师")).Select(s => s.Id).FirstAsync();
        }
        using var client = await app.ClientAsync(DemoAccounts.TownshipAdmin(township.Code));
        var preview = (await OkJsonAsync(await client.PostAsJsonAsync("/api/v1/accounts/provision/preview", new { staffIds = new[] { cadre, outsider } }))).EnumerateArray().ToList();
        var village = preview.Single(p => p.GetProperty("staffId").GetGuid() == cadre);
        Assert.Equal("VillageCadre", village.GetProperty("role").GetString());
        Assert.True(village.GetProperty("willCreate").GetBoolean());
        Assert.False(preview.Single(p => p.GetProperty("staffId").GetGuid() == outsider).GetProperty("willCreate").GetBoolean());

        var slip = Assert.Single(await ProvisionAsync(DemoAccounts.TownshipAdmin(township.Code), new { staffIds = new[] { cadre, outsider } }));
        var stored = await StoredUserAsync(app, slip.GetProperty("userName").GetString()!);
        Assert.Equal(Role.VillageCadre, stored.Role);
        Assert.Equal(cadre, stored.StaffId);
    }

    [Fact]
    public async Task A_user_reads_their_recent_sign_ins_and_makes_recovery_codes_that_sign_in_once()
    {
        var userName = "self." + Guid.NewGuid().ToString("N")[..8];
        await CreateAsync(app, userName, Role.Inspector);
        using var browser = await SignedInBrowserAsync(app, userName);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(app, userName, "Wrong#Pass1")).Status);
        var key = await EnrolAsync(browser);

        var token = (await TokenAsync(app, userName, GoodPassword, Totp.Next(key))).Body.GetProperty("accessToken").GetString()!;
        using var client = BearerClient(app, token);
        var signIns = (await OkJsonAsync(await client.GetAsync("/api/v1/account/sign-ins"))).EnumerateArray().ToList();
        Assert.Contains(signIns, s => s.GetProperty("succeeded").GetBoolean());
        Assert.Contains(signIns, s => !s.GetProperty("succeeded").GetBoolean());
        Assert.Contains("最近登录记录", await browser.PageTextAsync("/account"), StringComparison.Ordinal);

        var codes = (await OkJsonAsync(await client.PostAsync("/api/v1/account/recovery-codes", null))).GetProperty("codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(10, codes.Count);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(app, userName, GoodPassword, codes[0])).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(app, userName, GoodPassword, codes[0])).Status);
        await using var db = app.Db();
        var tokens = await db.Set<Microsoft.AspNetCore.Identity.IdentityUserToken<Guid>>().Where(t => t.Name == "RecoveryCodes").Select(t => t.UserId).ToListAsync();
        Assert.Contains((await StoredUserAsync(app, userName)).Id, tokens);
        Assert.DoesNotContain(await db.AuditEntries.Where(a => a.EntityType != "" && a.After != null).Select(a => a.After!).ToListAsync(), a => a.Contains(codes[1], StringComparison.Ordinal));
    }
}

public sealed class ProvisioningTests_Sqlite(SqliteApp app) : ProvisioningTests<SqliteApp>(app);

public sealed class ProvisioningTests_Postgres(PostgresApp app) : ProvisioningTests<PostgresApp>(app);
