using System.Net.Http.Json;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Tests.Features.Demo;

/// <summary>The demo county looks like 罗源县 really is: its real townships, believable schools, classes and staff, one account per role.</summary>
public sealed class DemoCountyTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    // 罗源县's townships in the NBS 2023 statistical codes, written out here rather than read from the app's catalogue.
    private static readonly (string Code, string Name)[] Townships =
    [
        ("350123100", "凤山镇"), ("350123101", "松山镇"), ("350123102", "起步镇"), ("350123103", "中房镇"),
        ("350123104", "飞竹镇"), ("350123105", "鉴江镇"), ("350123200", "白塔乡"), ("350123201", "洪洋乡"),
        ("350123202", "西兰乡"), ("350123203", "霍口畲族乡"), ("350123204", "碧里乡"), ("350123500", "罗源湾"),
    ];

    private static (int First, int Last) GradesOf(SchoolKind kind) => kind switch
    {
        SchoolKind.Primary => (1, 6),
        SchoolKind.TeachingPoint => (1, 4),
        SchoolKind.JuniorSecondary or SchoolKind.CompleteSecondary => (7, 9),
        SchoolKind.NineYear or SchoolKind.SpecialEducation => (1, 9),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    [Fact]
    public async Task The_county_sits_under_Fuzhou_and_Fujian_with_its_twelve_real_townships()
    {
        await using var db = app.Db();
        var county = await db.Divisions.Include(d => d.Parent).ThenInclude(p => p!.Parent).SingleAsync(d => d.Level == DivisionLevel.County);

        Assert.Equal(("350123", "罗源县"), (county.Code, county.Name));
        Assert.Equal(("3501", "福州市"), (county.Parent!.Code, county.Parent.Name));
        Assert.Equal(("35", "福建省"), (county.Parent.Parent!.Code, county.Parent.Parent.Name));
        var townships = await db.Divisions.Where(d => d.Level == DivisionLevel.Township).OrderBy(d => d.Code).ToListAsync();
        Assert.Equal(Townships, townships.Select(t => (t.Code, t.Name)));
        Assert.All(townships, t => Assert.Equal(county.Id, t.ParentId));
    }

    [Fact]
    public async Task Every_township_has_villages_coded_under_its_own_code()
    {
        await using var db = app.Db();
        var townships = await db.Divisions.Where(d => d.Level == DivisionLevel.Township).ToDictionaryAsync(d => d.Id);
        var villages = await db.Divisions.Where(d => d.Level == DivisionLevel.Village).ToListAsync();

        Assert.Equal(townships.Keys.Order(), villages.Select(v => v.ParentId!.Value).Distinct().Order());
        Assert.All(villages, v =>
        {
            Assert.Matches("^[0-9]{12}$", v.Code);
            Assert.StartsWith(townships[v.ParentId!.Value].Code, v.Code, StringComparison.Ordinal);
            Assert.Contains(v.Kind, new[] { "Village", "Community" });
            Assert.EndsWith(v.Kind == "Village" ? "村" : "社区", v.Name, StringComparison.Ordinal);
        });
        Assert.Equal(villages.Count, villages.Select(v => v.Code).Distinct().Count());
    }

    [Fact]
    public async Task The_county_has_35_to_50_schools_of_every_kind()
    {
        await using var db = app.Db();
        var schools = await db.Schools.Include(s => s.Township).ToListAsync();

        Assert.InRange(schools.Count, 35, 50);
        Assert.Equal(Enum.GetValues<SchoolKind>().Order(), schools.Select(s => s.Kind).Distinct().Order());
        Assert.All(schools, s => Assert.Matches("^[0-9]{10}$", s.Code));
        Assert.Equal(schools.Count, schools.Select(s => s.Code).Distinct().Count());
        Assert.All(schools, s => Assert.Contains((s.Township!.Code, s.Township.Name), Townships));
        Assert.Equal(Townships.Length, schools.Select(s => s.TownshipId).Distinct().Count());
    }

    [Fact]
    public async Task Classes_are_opened_only_for_the_current_school_year_in_grades_each_school_teaches()
    {
        await using var db = app.Db();
        var years = await db.SchoolYears.ToListAsync();
        var current = Assert.Single(years, y => y.IsCurrent);
        var chinaToday = DateTime.UtcNow.AddHours(8);
        Assert.Equal(chinaToday.Month >= 9 ? chinaToday.Year : chinaToday.Year - 1, current.StartYear);
        var schools = await db.Schools.ToDictionaryAsync(s => s.Id);
        var classes = await db.Classes.ToListAsync();

        Assert.NotEmpty(classes);
        Assert.All(classes, c => Assert.Equal(current.Id, c.SchoolYearId));
        Assert.All(classes, c =>
        {
            var (first, last) = GradesOf(schools[c.SchoolId].Kind);
            Assert.True(c.Grade >= first && c.Grade <= last, $"{schools[c.SchoolId].Name} ({schools[c.SchoolId].Kind}) has a class in grade {c.Grade}");
        });
        Assert.Equal(schools.Keys.Order(), classes.Select(c => c.SchoolId).Distinct().Order());
        Assert.Equal(classes.Count, classes.Select(c => (c.SchoolId, c.Grade, c.Number)).Distinct().Count());
    }

    [Fact]
    public async Task Every_class_has_a_head_teacher_on_its_schools_staff()
    {
        await using var db = app.Db();
        var staff = await db.Staff.ToDictionaryAsync(s => s.Id);
        var classes = await db.Classes.ToListAsync();

        Assert.All(classes, c =>
        {
            Assert.NotNull(c.HeadTeacherId);
            Assert.Equal(c.SchoolId, staff[c.HeadTeacherId!.Value].SchoolId);
        });
    }

    [Fact]
    public async Task There_are_fourteen_member_departments_with_written_duties()
    {
        await using var db = app.Db();
        var departments = await db.Departments.ToListAsync();

        Assert.Equal(14, departments.Count);
        Assert.Equal(14, departments.Select(d => d.Kind).Distinct().Count());
        Assert.DoesNotContain(departments, d => d.Kind == DepartmentKind.Other);
        Assert.All(departments, d => Assert.False(string.IsNullOrWhiteSpace(d.Duties), d.Name));
        Assert.Contains(departments, d => d.Name == "罗源县教育局" && d.Kind == DepartmentKind.Education);
        Assert.Contains(departments, d => d.Name == "罗源县公安局" && d.Kind == DepartmentKind.PublicSecurity);
    }

    [Fact]
    public async Task There_is_one_demo_account_per_role_and_each_can_sign_in()
    {
        await using var db = app.Db();
        var all = await db.Users.IgnoreQueryFilters().ToListAsync();
        var users = all.Where(u => DemoSeeder.Accounts.Any(a => a.UserName == u.UserName)).ToList();

        Assert.Equal(Enum.GetValues<Role>().Order(), users.Select(u => u.Role).Order());
        Assert.All(all, u => Assert.True(u.IsDemo, u.UserName));
        foreach (var user in users)
        {
            Assert.False(string.IsNullOrEmpty(await app.TokenAsync(user.UserName!)), user.UserName);
        }

        // Delegated administration: a school administrator per school (linked to its registrar), a township administrator per township.
        var schools = await db.Schools.ToListAsync();
        var townships = await db.Divisions.Where(d => d.Level == DivisionLevel.Township).ToListAsync();
        Assert.All(schools, s => Assert.Contains(all, u => u.UserName == DemoAccounts.SchoolAdmin(s.Code) && u.Role == Role.SchoolAdmin && u.PlaceId == s.Id && u.StaffId != null));
        Assert.All(townships, t => Assert.Contains(all, u => u.UserName == DemoAccounts.TownshipAdmin(t.Code) && u.Role == Role.TownshipAdmin && u.PlaceId == t.Id));
        // Above the county: 福州市's and 福建省's readers, bound to the city and the province (no second county in this fixture).
        foreach (var (userName, role, level, _) in DemoSecondCounty.RegionalAccounts)
        {
            var account = Assert.Single(all, u => u.UserName == userName);
            Assert.Equal(role, account.Role);
            Assert.Equal(level == DivisionLevel.City ? "35/3501/" : "35/", account.Path);
        }
        Assert.Equal("35/3501/", all.Single(u => u.UserName == "city.staff").Path);
        Assert.DoesNotContain(all, u => u.UserName == "minhou.admin");
        Assert.Equal(users.Count + schools.Count + townships.Count + DemoSecondCounty.RegionalAccounts.Count, all.Count);
        Assert.False(string.IsNullOrEmpty(await app.TokenAsync(DemoAccounts.SchoolAdmin(schools[0].Code))));
        Assert.False(string.IsNullOrEmpty(await app.TokenAsync(DemoAccounts.TownshipAdmin(townships[0].Code))));
    }
}

/// <summary>The same application over an empty database with the demo switched off.</summary>
public sealed class DemoCountySwitchedOffApp : IAsyncLifetime
{
    public BaoxueApp App { get; } = new SqliteApp().With("Demo:Enabled", "false");

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => App.DisposeAsync();
}

/// <summary>A real county never gets default accounts or invented places.</summary>
public sealed class DemoCountySwitchedOffTests(DemoCountySwitchedOffApp off) : IClassFixture<DemoCountySwitchedOffApp>
{
    [Fact]
    public async Task Without_the_demo_there_are_no_accounts_and_no_divisions()
    {
        await using var db = off.App.Db();

        Assert.Empty(await db.Users.IgnoreQueryFilters().ToListAsync());
        Assert.Empty(await db.Divisions.IgnoreQueryFilters().ToListAsync());
        Assert.Empty(await db.Schools.IgnoreQueryFilters().ToListAsync());

        using var client = off.App.AnonymousClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = "county.admin", password = BaoxueApp.Password });
        Assert.False(response.IsSuccessStatusCode, $"county.admin signed in: {(int)response.StatusCode}");
    }
}
