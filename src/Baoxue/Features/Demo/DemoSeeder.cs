using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Organisation.Divisions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Demo;

/// <summary>The <c>Demo</c> section. Off unless set: a real county never gets default accounts.</summary>
public sealed class DemoOptions
{
    public bool Enabled { get; set; }
    public string Password { get; set; } = "Baoxue@2026";
    public string CountyCode { get; set; } = "350123";
    public int Seed { get; set; } = 350123;
    /// <summary>About how many students the demo county has (罗源 has some 30,000 in compulsory education).</summary>
    public int Students { get; set; } = 30_000;
    /// <summary>A second county under the same city (issue 12, e.g. 闽侯县 350121); none when empty.</summary>
    public string? SecondCountyCode { get; set; }
    /// <summary>The second county's students; a tenth of <see cref="Students"/> when not set.</summary>
    public int? SecondCountyStudents { get; set; }
}

public static class DemoSetup
{
    public static void AddDemo(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<DemoOptions>(builder.Configuration.GetSection("Demo"));
        builder.Services.AddSingleton<DemoSeeder>();
    }
}

/// <summary>
/// Fills an empty database with a county that looks real: 罗源县's actual townships, invented villages,
/// about forty schools of realistic sizes, this school year's classes, their staff, member departments,
/// and one account for each role.
/// </summary>
public sealed class DemoSeeder(SystemDb systemDb, IServiceProvider services, Infrastructure.Time.CountyClock clock, Microsoft.Extensions.Options.IOptions<DemoOptions> options, ILogger<DemoSeeder> log)
{
    public sealed record DemoAccount(string UserName, Role Role, string Place);

    public static readonly IReadOnlyList<(string UserName, Role Role)> Accounts =
    [
        ("county.admin", Role.CountyAdmin), ("bureau.staff", Role.BureauStaff), ("school.admin", Role.SchoolAdmin),
        ("head.teacher", Role.HeadTeacher), ("subject.teacher", Role.SubjectTeacher), ("township.cadre", Role.TownshipCadre),
        ("village.cadre", Role.VillageCadre), ("dept.liaison", Role.DepartmentLiaison), ("inspector", Role.Inspector), ("leader", Role.ReadOnlyLeader),
        ("township.admin", Role.TownshipAdmin),
        // Above the county (issue 12): bound to 福州市.
        ("city.staff", Role.RegionalStaff), ("city.admin", Role.RegionalAdmin),
    ];

    public async Task SeedIfEnabledAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        await using var db = systemDb.Open("demo");
        if (!o.Enabled)
        {
            if (!await db.Users.IgnoreQueryFilters().AnyAsync(ct))
            {
                Console.WriteLine("No accounts yet. Create the first administrator with:");
                Console.WriteLine("  dotnet run --project src/Baoxue -- admin create --county 350123 --user admin --password '<password>'");
            }
            return;
        }
        if (!await db.Divisions.IgnoreQueryFilters().AnyAsync(ct))
        {
            log.LogInformation("Creating the demo county {County}", o.CountyCode);
            await SeedAsync(db, o, ct);
        }
        Console.WriteLine();
        Console.WriteLine("Baoxue demo county is ready. Sign in with any of these accounts, password: " + o.Password);
        foreach (var (userName, role) in Accounts)
        {
            Console.WriteLine($"  {userName,-16} {role}");
        }
        foreach (var (userName, role, _, _) in DemoSecondCounty.RegionalAccounts)
        {
            Console.WriteLine($"  {userName,-16} {role}");
        }
        if (!string.IsNullOrEmpty(o.SecondCountyCode))
        {
            foreach (var (userName, role) in DemoSecondCounty.CountyAccounts)
            {
                Console.WriteLine($"  {userName,-16} {role} ({o.SecondCountyCode})");
            }
        }
        Console.WriteLine();
    }

    private async Task SeedAsync(BaoxueDb db, DemoOptions o, CancellationToken ct)
    {
        var random = new Random(o.Seed);
        var names = new ChineseNames(o.Seed);
        var today = clock.Today;
        var catalogue = DivisionCatalogue.Find(o.CountyCode) ?? throw new InvalidOperationException($"County {o.CountyCode} is not in the catalogue.");
        var county = await DivisionCatalogue.EnsureCountyAsync(db, catalogue, ct);
        var townships = await db.Divisions.Where(d => d.ParentId == county.Id).OrderBy(d => d.Code).ToListAsync(ct);

        // Villages: invented names, real-shaped 12-digit codes (communities 0xx, villages 2xx).
        var villages = new Dictionary<Guid, List<Division>>();
        var usedVillageNames = new HashSet<string>();
        foreach (var t in townships)
        {
            var list = new List<Division>();
            var communities = t.Kind == "Subdistrict" || t == townships[0] ? 3 : 1;
            var count = t.Kind == "Zone" ? 3 : random.Next(7, 13);
            for (var i = 0; i < count; i++)
            {
                var isCommunity = i < communities;
                var code = t.Code + (isCommunity ? $"{i + 1:000}" : $"{200 + i - communities + 1:000}");
                string name;
                do
                {
                    name = DemoPlaces.VillageName(random) + (isCommunity ? "社区" : "村");
                } while (!usedVillageNames.Add(t.Code + name));
                var v = new Division { Code = code, Name = name, Level = DivisionLevel.Village, ParentId = t.Id, Path = PlacePath.Child(t.Path, code), Kind = isCommunity ? "Community" : "Village" };
                db.Divisions.Add(v);
                list.Add(v);
            }
            villages[t.Id] = list;
        }

        // School years: last year and this one, this one current.
        var startYear = SchoolYear.StartYearOf(today);
        var previous = SchoolYear.Create(startYear - 1);
        var current = SchoolYear.Create(startYear);
        current.IsCurrent = true;
        db.SchoolYears.AddRange(previous, current);

        // Member departments with their written duties.
        var departments = DemoPlaces.Departments.Select((d, i) => new Department
        {
            Code = $"{i + 1:00}",
            Name = d.Name,
            Kind = d.Kind,
            Duties = d.Duties,
            CountyId = county.Id,
            Path = PlacePath.Child(county.Path, $"D{i + 1:00}"),
        }).ToList();
        db.Departments.AddRange(departments);

        // Schools: sizes as in a mountain county of 200k people — a big county town, small townships.
        var schools = new List<(School School, int ClassesPerGrade)>();
        var serial = 1;
        School AddSchool(Division township, Division? village, string name, SchoolKind kind, int perGrade, School? central)
        {
            var code = $"2135{o.CountyCode[2..]}{serial++:00}";
            var s = new School
            {
                Code = code,
                Name = name,
                Kind = kind,
                TownshipId = township.Id,
                VillageId = village?.Id,
                Address = $"福建省福州市罗源县{township.Name}{village?.Name ?? ""}{DemoPlaces.Street(random)}",
                HeadName = names.AdultName(names.RandomGender()),
                Phone = $"0591-26{random.Next(100000, 999999)}",
                CentralSchoolId = central?.Id,
                Path = PlacePath.Child(township.Path, code),
            };
            db.Schools.Add(s);
            schools.Add((s, perGrade));
            return s;
        }
        var town = townships[0];
        AddSchool(town, null, "罗源县实验小学", SchoolKind.Primary, 8, null);
        AddSchool(town, null, "罗源县第二实验小学", SchoolKind.Primary, 6, null);
        AddSchool(town, null, "罗源县凤山中心小学", SchoolKind.Primary, 5, null);
        AddSchool(town, null, "罗源县第一中学", SchoolKind.CompleteSecondary, 10, null);
        AddSchool(town, null, "罗源县第二中学", SchoolKind.JuniorSecondary, 8, null);
        AddSchool(town, null, "罗源县特殊教育学校", SchoolKind.SpecialEducation, 1, null);
        foreach (var t in townships.Skip(1))
        {
            var shortName = t.Name.Replace("畲族乡", "", StringComparison.Ordinal).Replace("镇", "", StringComparison.Ordinal).Replace("乡", "", StringComparison.Ordinal);
            if (t.Kind == "Zone")
            {
                AddSchool(t, villages[t.Id][0], $"罗源县{shortName}学校", SchoolKind.NineYear, 2, null);
                continue;
            }
            var central = AddSchool(t, null, $"罗源县{shortName}中心小学", SchoolKind.Primary, random.Next(2, 4), null);
            AddSchool(t, null, $"罗源县{shortName}中学", SchoolKind.JuniorSecondary, random.Next(2, 5), null);
            var vs = villages[t.Id].Where(v => v.Kind == "Village").ToList();
            AddSchool(t, vs[0], $"罗源县{shortName}{vs[0].Name.TrimEnd('村')}小学", SchoolKind.Primary, 1, central);
            if (random.Next(2) == 0)
            {
                AddSchool(t, vs[^1], $"罗源县{shortName}{vs[^1].Name.TrimEnd('村')}教学点", SchoolKind.TeachingPoint, 1, central);
            }
        }

        // Staff and classes: a principal and a registrar per school, a head teacher per class, some subject teachers.
        var classes = new List<SchoolClass>();
        foreach (var (school, perGrade) in schools)
        {
            db.Staff.Add(Person("校长", school.HeadName!, school));
            db.Staff.Add(Person("学籍管理员", names.AdultName(names.RandomGender()), school));
            var (first, last) = school.Grades;
            for (var grade = first; grade <= last; grade++)
            {
                var n = school.Kind == SchoolKind.TeachingPoint && grade > 2 ? 0 : perGrade;
                for (var number = 1; number <= n; number++)
                {
                    var teacher = Person("班主任", names.AdultName(names.RandomGender()), school);
                    db.Staff.Add(teacher);
                    var c = new SchoolClass
                    {
                        SchoolId = school.Id,
                        SchoolYearId = current.Id,
                        Grade = grade,
                        Number = number,
                        HeadTeacherId = teacher.Id,
                        Capacity = school.Kind switch { SchoolKind.TeachingPoint => 15, SchoolKind.SpecialEducation => 12, _ when grade >= 7 => 50, _ => 45 },
                        Path = PlacePath.Child(school.Path, SchoolClass.PathSegment(current.StartYear, grade, number)),
                    };
                    db.Classes.Add(c);
                    classes.Add(c);
                }
            }
            for (var i = 0; i < Math.Max(1, (last - first + 1) * perGrade / 3); i++)
            {
                db.Staff.Add(Person(DemoPlaces.Subjects[random.Next(DemoPlaces.Subjects.Length)] + "教师", names.AdultName(names.RandomGender()), school));
            }
        }
        Staff Person(string post, string name, School? school = null, Division? division = null, Department? department = null) => new()
        {
            Name = name,
            Post = post,
            Phone = names.MobilePhone(),
            SchoolId = school?.Id,
            DivisionId = division?.Id,
            DepartmentId = department?.Id,
            Path = school?.Path ?? department?.Path ?? division!.Path,
        };
        foreach (var post in new[] { "局长", "分管副局长", "基础教育股股长", "学籍管理员", "控辍保学专干" })
        {
            db.Staff.Add(Person(post, names.AdultName(names.RandomGender()), division: county));
        }
        foreach (var t in townships)
        {
            db.Staff.Add(Person(t.Kind == "Town" ? "分管副镇长" : t.Kind == "Township" ? "分管副乡长" : "分管副主任", names.AdultName(names.RandomGender()), division: t));
            foreach (var v in villages[t.Id])
            {
                db.Staff.Add(Person(v.Kind == "Community" ? "社区主任" : "村主任", names.AdultName(names.RandomGender()), division: v));
            }
        }
        foreach (var d in departments)
        {
            db.Staff.Add(Person("联络员", names.AdultName(names.RandomGender()), department: d));
        }
        await db.SaveChangesAsync(ct);
        await DemoStudents.SeedAsync(db, services, clock, o, ct);
        await DemoHouseholds.SeedAsync(db, services, o, ct);

        var city = await db.Divisions.SingleAsync(d => d.Id == county.ParentId, ct);
        await CreateAccountsAsync(o, city, county, townships[0], villages[townships[0].Id].First(v => v.Kind == "Village"), schools[2].School, classes, departments);
        await DemoLedger.SeedAsync(systemDb, services, clock, o.Seed, ct);
        await DemoAccounts.SeedAsync(systemDb, services, clock, o, ct);
        await DemoAttendance.SeedAsync(systemDb, services, clock, o.Seed, ct);
        await DemoCasework.SeedAsync(db, services, ct);
        await DemoSecondCounty.SeedRegionalAccountsAsync(systemDb, services, clock, o, county, ct);
        await DemoSecondCounty.SeedAsync(systemDb, services, clock, o, ct);
        await DemoReporting.SeedAsync(db, services, ct);
        await DemoHolidays.SeedAsync(systemDb, clock, ct);
        await DemoReconciliation.SeedAsync(systemDb, services, o, ct);
        await DemoRates.SeedAsync(services, ct);
    }

    private async Task CreateAccountsAsync(DemoOptions o, Division city, Division county, Division township, Division village, School school, List<SchoolClass> classes, List<Department> departments)
    {
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var headClass = classes.First(c => c.SchoolId == school.Id && c.Grade == 3);
        var police = departments.First(d => d.Kind == DepartmentKind.PublicSecurity);
        foreach (var (userName, role) in Accounts)
        {
            var (kind, id, path, display) = role switch
            {
                Role.SchoolAdmin => (PlaceKind.School, school.Id, school.Path, "学籍管理员"),
                Role.SubjectTeacher => (PlaceKind.School, school.Id, school.Path, "任课教师"),
                Role.HeadTeacher => (PlaceKind.Class, headClass.Id, headClass.Path, "班主任"),
                Role.TownshipCadre => (PlaceKind.Township, township.Id, township.Path, "乡镇干部"),
                Role.TownshipAdmin => (PlaceKind.Township, township.Id, township.Path, "乡镇管理员"),
                Role.VillageCadre => (PlaceKind.Village, village.Id, village.Path, "村干部"),
                Role.DepartmentLiaison => (PlaceKind.Department, police.Id, police.Path, "公安局联络员"),
                Role.Inspector => (PlaceKind.County, county.Id, county.Path, "督学"),
                Role.ReadOnlyLeader => (PlaceKind.County, county.Id, county.Path, "分管县领导"),
                Role.BureauStaff => (PlaceKind.County, county.Id, county.Path, "教育局干部"),
                Role.RegionalStaff => (PlaceKind.City, city.Id, city.Path, "市教育局干部"),
                Role.RegionalAdmin => (PlaceKind.City, city.Id, city.Path, "市级管理员"),
                _ => (PlaceKind.County, county.Id, county.Path, "系统管理员"),
            };
            var user = new AppUser
            {
                UserName = userName,
                DisplayName = display,
                Role = role,
                PlaceKind = kind,
                PlaceId = id,
                Path = path,
                IsDemo = true,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
            };
            var result = await users.CreateAsync(user, o.Password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("Demo account " + userName + ": " + string.Join("; ", result.Errors.Select(e => e.Code)));
            }
        }

        // The subject teacher is one of the school's teachers and teaches a few classes (the head teacher's among
        // them): those are the students they see.
        await using var db = systemDb.Open("demo");
        var account = await db.Users.SingleAsync(u => u.UserName == "subject.teacher");
        var teacher = await db.Staff.Where(s => s.SchoolId == school.Id && s.Post.EndsWith("教师")).OrderBy(s => s.Id).FirstAsync();
        account.StaffId = teacher.Id;
        foreach (var c in classes.Where(c => c.SchoolId == school.Id && c.Grade is 3 or 4).OrderBy(c => c.Grade).ThenBy(c => c.Number).Take(3))
        {
            db.TeachingAssignments.Add(new TeachingAssignment { StaffId = teacher.Id, ClassId = c.Id, Path = c.Path });
        }
        await db.SaveChangesAsync();
    }
}
