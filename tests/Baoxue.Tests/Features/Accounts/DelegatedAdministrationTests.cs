using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Features.Accounts;
using Baoxue.Features.Demo;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Baoxue.Tests.Features.Accounts.AccountKit;

namespace Baoxue.Tests.Features.Accounts;

/// <summary>
/// Delegated administration through the real endpoints: every (actor role, target role) pair, created with
/// POST /api/v1/accounts and changed with PUT, allowed or refused as the table below says — written out here,
/// independently of <see cref="AccountRules"/>. Every target place lies inside the actor's own jurisdiction, so a refusal
/// is for the role; the jurisdiction has tests of its own.
/// </summary>
public abstract class DelegatedAdministrationTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    // Who may give which role: the county administrator every role; a township administrator the staff of its central
    // school and its village cadres; a school administrator its head teachers and subject teachers; nobody else anything.
    private static readonly Dictionary<Role, Role[]> MayGive = new()
    {
        [Role.CountyAdmin] = [.. Enum.GetValues<Role>().Where(r => r is not (Role.RegionalStaff or Role.RegionalAdmin))],
        // Above the county (decision 0026): the city administrator its city's regional accounts and the county administrators below.
        [Role.RegionalAdmin] = [Role.RegionalAdmin, Role.RegionalStaff, Role.CountyAdmin],
        [Role.TownshipAdmin] = [Role.SchoolAdmin, Role.HeadTeacher, Role.SubjectTeacher, Role.VillageCadre],
        [Role.SchoolAdmin] = [Role.HeadTeacher, Role.SubjectTeacher],
    };

    /// <summary>A township with a central school, that school, one of its classes, a village of the township, a department, the county.</summary>
    private sealed record Ground(Guid City, Guid County, Guid Township, string TownshipCode, Guid CentralSchool, string CentralCode, Guid CentralClass, Guid Village, Guid Department,
        Guid OtherSchoolInTownship, Guid OtherTownshipVillage, Guid OtherSchoolClass);

    private async Task<Ground> GroundAsync()
    {
        await using var db = app.Db();
        var central = await db.Schools.Where(s => db.Schools.Any(x => x.CentralSchoolId == s.Id)).OrderBy(s => s.Code).FirstAsync();
        var township = await db.Divisions.SingleAsync(d => d.Id == central.TownshipId);
        var cls = await db.Classes.Where(c => c.SchoolId == central.Id).OrderBy(c => c.Grade).FirstAsync();
        var village = await db.Divisions.Where(d => d.ParentId == township.Id).OrderBy(d => d.Code).FirstAsync();
        var department = await db.Departments.OrderBy(d => d.Code).Select(d => d.Id).FirstAsync();
        var county = await db.Divisions.Where(d => d.Level == DivisionLevel.County).Select(d => d.Id).SingleAsync();
        var otherSchool = await db.Schools.Where(s => s.TownshipId == township.Id && s.Id != central.Id && !db.Schools.Any(x => x.CentralSchoolId == s.Id)).Select(s => s.Id).FirstAsync();
        var otherVillage = await db.Divisions.Where(d => d.Level == DivisionLevel.Village && d.ParentId != township.Id).Select(d => d.Id).FirstAsync();
        var otherClass = await db.Classes.Where(c => c.SchoolId != central.Id).Select(c => c.Id).FirstAsync();
        var city = await db.Divisions.Where(d => d.Level == DivisionLevel.City).Select(d => d.Id).SingleAsync();
        return new Ground(city, county, township.Id, township.Code, central.Id, central.Code, cls.Id, village.Id, department, otherSchool, otherVillage, otherClass);
    }

    /// <summary>The demo account acting in each role: administrators of the central school and its township, the demo county's others.</summary>
    private static string ActorFor(Role role, Ground g) => role switch
    {
        Role.SchoolAdmin => DemoAccounts.SchoolAdmin(g.CentralCode),
        Role.TownshipAdmin => DemoAccounts.TownshipAdmin(g.TownshipCode),
        _ => DemoSeeder.Accounts.Single(a => a.Role == role).UserName,
    };

    private static (PlaceKind Kind, Guid Id) PlaceFor(Role role, Ground g) => role switch
    {
        Role.SchoolAdmin or Role.SubjectTeacher => (PlaceKind.School, g.CentralSchool),
        Role.HeadTeacher => (PlaceKind.Class, g.CentralClass),
        Role.TownshipCadre or Role.TownshipAdmin => (PlaceKind.Township, g.Township),
        Role.VillageCadre => (PlaceKind.Village, g.Village),
        Role.DepartmentLiaison => (PlaceKind.Department, g.Department),
        Role.RegionalStaff or Role.RegionalAdmin => (PlaceKind.City, g.City),
        _ => (PlaceKind.County, g.County),
    };

    private static string NewName(string prefix) => prefix + "." + Guid.NewGuid().ToString("N")[..8];

    private async Task<bool> ExistsAsync(string userName)
    {
        await using var db = app.Db();
        return await db.Users.AnyAsync(u => u.UserName == userName);
    }

    [Fact]
    public async Task Every_actor_role_creates_exactly_the_roles_the_table_allows()
    {
        var g = await GroundAsync();
        var failures = new StringBuilder();
        var allowedCount = 0;
        foreach (var actor in Enum.GetValues<Role>())
        {
            using var client = await app.ClientAsync(ActorFor(actor, g));
            foreach (var target in Enum.GetValues<Role>())
            {
                var (kind, placeId) = PlaceFor(target, g);
                var userName = NewName($"pair{(int)actor}-{(int)target}");
                using var response = await client.PostAsJsonAsync("/api/v1/accounts", Body(userName, target, kind, placeId));
                var allowed = MayGive.TryGetValue(actor, out var roles) && roles.Contains(target);
                var exists = await ExistsAsync(userName);
                if (allowed ? response.StatusCode != HttpStatusCode.OK || !exists : response.StatusCode != HttpStatusCode.Forbidden || exists)
                {
                    failures.AppendLine($"{actor} creating {target}: {(int)response.StatusCode} {(exists ? "stored" : "not stored")}, expected {(allowed ? "allowed" : "refused")}");
                }
                allowedCount += allowed ? 1 : 0;
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
        Assert.Equal(Enum.GetValues<Role>().Length - 2 + 3 + 4 + 2, allowedCount);
    }

    [Fact]
    public async Task Every_actor_role_changes_exactly_the_accounts_the_table_allows()
    {
        var g = await GroundAsync();
        // One existing account per target role, made by the system, each changed by every actor.
        var targets = new Dictionary<Role, Guid>();
        await using (var db = app.Db())
        {
            foreach (var target in Enum.GetValues<Role>())
            {
                var (kind, placeId) = PlaceFor(target, g);
                var place = await Baoxue.Features.Organisation.Places.FindAsync(db, kind, placeId);
                var user = new AppUser { UserName = NewName($"edit{(int)target}"), DisplayName = "原名", Role = target, PlaceKind = kind, PlaceId = placeId, Path = place!.Path, SecurityStamp = Guid.NewGuid().ToString("N") };
                user.NormalizedUserName = user.UserName!.ToUpperInvariant();
                db.Users.Add(user);
                targets[target] = user.Id;
            }
            await db.SaveChangesAsync();
        }
        var failures = new StringBuilder();
        foreach (var actor in Enum.GetValues<Role>())
        {
            using var client = await app.ClientAsync(ActorFor(actor, g));
            foreach (var (target, id) in targets)
            {
                var (kind, placeId) = PlaceFor(target, g);
                string userName;
                await using (var db = app.Db())
                {
                    userName = (await db.Users.SingleAsync(u => u.Id == id)).UserName!;
                }
                var newName = $"改名{(int)actor}";
                using var response = await client.PutAsJsonAsync($"/api/v1/accounts/{id}", new { userName, displayName = newName, role = target.ToString(), placeKind = kind.ToString(), placeId, isDisabled = false });
                var allowed = MayGive.TryGetValue(actor, out var roles) && roles.Contains(target);
                string stored;
                await using (var db = app.Db())
                {
                    stored = (await db.Users.SingleAsync(u => u.Id == id)).DisplayName;
                }
                // Refused: 403 when the account is in reach but above the actor, 404 when out of reach altogether.
                var ok = allowed
                    ? response.StatusCode == HttpStatusCode.OK && stored == newName
                    : response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound && stored != newName;
                if (!ok)
                {
                    failures.AppendLine($"{actor} changing {target}: {(int)response.StatusCode}, name now {stored}, expected {(allowed ? "allowed" : "refused")}");
                }
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Fact]
    public async Task Nobody_creates_an_account_outside_their_jurisdiction()
    {
        var g = await GroundAsync();
        async Task<(HttpStatusCode, bool)> TryAsync(string actor, Role role, PlaceKind kind, Guid placeId)
        {
            using var client = await app.ClientAsync(actor);
            var userName = NewName("outside");
            using var response = await client.PostAsJsonAsync("/api/v1/accounts", Body(userName, role, kind, placeId));
            return (response.StatusCode, await ExistsAsync(userName));
        }

        // A school administrator: a head teacher of another school's class.
        Assert.Equal((HttpStatusCode.BadRequest, false), await TryAsync(DemoAccounts.SchoolAdmin(g.CentralCode), Role.HeadTeacher, PlaceKind.Class, g.OtherSchoolClass));
        // A township administrator: a village cadre of another township; a subject teacher of a school that is not central.
        Assert.Equal((HttpStatusCode.BadRequest, false), await TryAsync(DemoAccounts.TownshipAdmin(g.TownshipCode), Role.VillageCadre, PlaceKind.Village, g.OtherTownshipVillage));
        Assert.Equal((HttpStatusCode.Forbidden, false), await TryAsync(DemoAccounts.TownshipAdmin(g.TownshipCode), Role.SubjectTeacher, PlaceKind.School, g.OtherSchoolInTownship));
    }

    [Fact]
    public async Task A_refusal_is_a_problem_document_in_Chinese_naming_the_role()
    {
        var g = await GroundAsync();
        using var client = await app.ClientAsync(DemoAccounts.SchoolAdmin(g.CentralCode));
        using var response = await client.PostAsJsonAsync("/api/v1/accounts", Body(NewName("above"), Role.CountyAdmin, PlaceKind.County, g.County));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("不能创建或授予", problem.GetProperty("title").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("Role", out _), problem.ToString());
    }

    [Fact]
    public async Task The_account_page_offers_a_school_administrator_only_the_roles_they_may_give()
    {
        var g = await GroundAsync();
        using var browser = await SignedInBrowserAsync(app, DemoAccounts.SchoolAdmin(g.CentralCode), BaoxueApp.Password);
        var (status, html) = await Pages.GetAsync(browser, "/accounts/new");
        Assert.Equal(HttpStatusCode.OK, status);
        var select = html[html.IndexOf("id=\"role\"", StringComparison.Ordinal)..];
        select = select[..select.IndexOf("</select>", StringComparison.Ordinal)];
        Assert.Contains("班主任", select);
        Assert.Contains("任课教师", select);
        Assert.DoesNotContain("县级管理员", select);
        Assert.DoesNotContain("学校管理员", select);
    }
}

public sealed class DelegatedAdministrationTests_Sqlite(SqliteApp app) : DelegatedAdministrationTests<SqliteApp>(app);

public sealed class DelegatedAdministrationTests_Postgres(PostgresApp app) : DelegatedAdministrationTests<PostgresApp>(app);
