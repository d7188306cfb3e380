using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Organisation.Divisions;
using Baoxue.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Demo;

/// <summary>
/// Above the county (issue 12): the accounts of 福州市 and 福建省 that read the counties below, and — when
/// <c>Demo:SecondCountyCode</c> is set (闽侯县 350121) — a second, smaller county beside the demo county under the
/// same city: its real townships, invented villages, a dozen schools with this year's classes and staff, students
/// spread thinly over the classes, and its own bureau's accounts. Written in a few batches so the demo starts fast.
/// </summary>
public static class DemoSecondCounty
{
    /// <summary>The city's and province's accounts (beside city.staff and city.admin, which are in <see cref="DemoSeeder.Accounts"/>).</summary>
    public static readonly IReadOnlyList<(string UserName, Role Role, DivisionLevel Level, string Display)> RegionalAccounts =
    [
        ("city.leader", Role.ReadOnlyLeader, DivisionLevel.City, "分管副市长"),
        ("city.inspector", Role.Inspector, DivisionLevel.City, "市督学"),
        ("province.staff", Role.RegionalStaff, DivisionLevel.Province, "省教育厅干部"),
    ];

    /// <summary>The second county's own accounts: its administrator, a bureau officer, and the registrar of its first school.</summary>
    public static readonly IReadOnlyList<(string UserName, Role Role)> CountyAccounts =
    [
        ("minhou.admin", Role.CountyAdmin), ("minhou.staff", Role.BureauStaff), ("minhou.school", Role.SchoolAdmin),
    ];

    public static async Task SeedRegionalAccountsAsync(SystemDb systemDb, IServiceProvider services, Infrastructure.Time.CountyClock clock, DemoOptions o, Division county, CancellationToken ct)
    {
        await using var db = systemDb.Open("demo");
        var up = PlacePath.Ancestors(county.Path);
        var places = await db.Divisions.Where(d => up.Contains(d.Path)).ToDictionaryAsync(d => d.Level, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var accounts = RegionalAccounts.Select(a => New(a.UserName, a.Display, a.Role, places[a.Level], now)).ToList();
        await AddAsync(db, services, o, accounts, "demo city and province", ct);
    }

    public static async Task SeedAsync(SystemDb systemDb, IServiceProvider services, Infrastructure.Time.CountyClock clock, DemoOptions o, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(o.SecondCountyCode))
        {
            return;
        }
        var catalogue = DivisionCatalogue.Find(o.SecondCountyCode) ?? throw new InvalidOperationException($"County {o.SecondCountyCode} is not in the catalogue.");
        var random = new Random(o.Seed + 121);
        var names = new ChineseNames(o.Seed + 121);
        await using var db = systemDb.Open("demo");
        using var batch = db.AuditAsBatch("demo second county");
        var county = await DivisionCatalogue.EnsureCountyAsync(db, catalogue, ct);
        var townships = await db.Divisions.Where(d => d.ParentId == county.Id && d.Kind != "Zone").OrderBy(d => d.Code).Take(5).ToListAsync(ct);
        var year = await db.SchoolYears.SingleAsync(y => y.IsCurrent, ct);
        var countyName = catalogue.Self.Name;

        var villages = new Dictionary<Guid, List<Division>>();
        foreach (var t in townships)
        {
            var list = new List<Division>();
            var used = new HashSet<string>();
            for (var i = 0; i < 3; i++)
            {
                var community = i == 0;
                var code = t.Code + (community ? "001" : $"{200 + i:000}");
                string name;
                do
                {
                    name = DemoPlaces.VillageName(random) + (community ? "社区" : "村");
                } while (!used.Add(name));
                var v = new Division { Code = code, Name = name, Level = DivisionLevel.Village, ParentId = t.Id, Path = PlacePath.Child(t.Path, code), Kind = community ? "Community" : "Village" };
                db.Divisions.Add(v);
                list.Add(v);
            }
            villages[t.Id] = list;
        }

        var departments = DemoPlaces.Departments.Take(3).Select((d, i) => new Department
        {
            Code = $"{i + 1:00}",
            Name = d.Name.Replace("罗源县", countyName, StringComparison.Ordinal),
            Kind = d.Kind,
            Duties = d.Duties,
            CountyId = county.Id,
            Path = PlacePath.Child(county.Path, $"D{i + 1:00}"),
        }).ToList();
        db.Departments.AddRange(departments);

        Staff Person(string post, string name, string path, Guid? schoolId = null, Guid? divisionId = null) =>
            new() { Name = name, Post = post, Phone = names.MobilePhone(), SchoolId = schoolId, DivisionId = divisionId, Path = path };
        foreach (var post in new[] { "局长", "基础教育股股长", "学籍管理员", "控辍保学专干" })
        {
            db.Staff.Add(Person(post, names.AdultName(names.RandomGender()), county.Path, divisionId: county.Id));
        }

        var schools = new List<(School School, int PerGrade)>();
        var serial = 1;
        void AddSchool(Division township, string name, SchoolKind kind, int perGrade)
        {
            var code = $"2135{o.SecondCountyCode[2..]}{serial++:00}";
            var s = new School
            {
                Code = code, Name = name, Kind = kind, TownshipId = township.Id,
                Address = $"{catalogue.Province.Name}{catalogue.City.Name}{countyName}{township.Name}{DemoPlaces.Street(random)}",
                HeadName = names.AdultName(names.RandomGender()), Phone = $"0591-22{random.Next(100000, 999999)}",
                Path = PlacePath.Child(township.Path, code),
            };
            db.Schools.Add(s);
            schools.Add((s, perGrade));
            db.Staff.Add(Person("校长", s.HeadName, s.Path, s.Id));
            db.Staff.Add(Person("学籍管理员", names.AdultName(names.RandomGender()), s.Path, s.Id));
        }
        AddSchool(townships[0], $"{countyName}实验小学", SchoolKind.Primary, 3);
        AddSchool(townships[0], $"{countyName}第一中学", SchoolKind.CompleteSecondary, 4);
        foreach (var t in townships.Skip(1))
        {
            var shortName = t.Name.TrimEnd('镇', '乡');
            AddSchool(t, $"{countyName}{shortName}中心小学", SchoolKind.Primary, 2);
            AddSchool(t, $"{countyName}{shortName}中学", SchoolKind.JuniorSecondary, 2);
            db.Staff.Add(Person(t.Name.EndsWith('乡') ? "分管副乡长" : "分管副镇长", names.AdultName(names.RandomGender()), t.Path, divisionId: t.Id));
            foreach (var v in villages[t.Id])
            {
                db.Staff.Add(Person(v.Kind == "Community" ? "社区主任" : "村主任", names.AdultName(names.RandomGender()), v.Path, divisionId: v.Id));
            }
        }

        var classes = new List<(SchoolClass Class, School School)>();
        foreach (var (school, perGrade) in schools)
        {
            var (first, last) = school.Grades;
            for (var grade = first; grade <= last; grade++)
            {
                for (var number = 1; number <= perGrade; number++)
                {
                    var teacher = Person("班主任", names.AdultName(names.RandomGender()), school.Path, school.Id);
                    db.Staff.Add(teacher);
                    var c = new SchoolClass
                    {
                        SchoolId = school.Id, SchoolYearId = year.Id, Grade = grade, Number = number, HeadTeacherId = teacher.Id,
                        Capacity = grade >= 7 ? 50 : 45,
                        Path = PlacePath.Child(school.Path, SchoolClass.PathSegment(year.StartYear, grade, number)),
                    };
                    db.Classes.Add(c);
                    classes.Add((c, school));
                }
            }
        }
        await db.SaveChangesAsync(ct);

        await SeedStudentsAsync(db, services, o, catalogue, year, classes, townships, villages, random, names, ct);
        await SeedAccountsAsync(db, services, o, county, schools[0].School, clock.GetUtcNow().UtcDateTime, ct);
    }

    private static async Task SeedStudentsAsync(BaoxueDb db, IServiceProvider services, DemoOptions o, DivisionCatalogue.County catalogue, SchoolYear year,
        List<(SchoolClass Class, School School)> classes, List<Division> townships, Dictionary<Guid, List<Division>> villages, Random random, ChineseNames names, CancellationToken ct)
    {
        var total = o.SecondCountyStudents ?? o.Students / 10;
        if (total <= 0)
        {
            return;
        }
        var personal = services.GetRequiredService<PersonalData>();
        var townshipOf = townships.ToDictionary(t => t.Id);
        // The first county has children born in this one (their IDs carry its region): never issue one of theirs again.
        var taken = (await db.Students.IgnoreQueryFilters().Where(s => s.IdNumberHash != null).Select(s => s.IdNumberHash!).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var students = new List<(Student Student, string Id)>(total);
        for (var i = 0; i < total; i++)
        {
            var (c, school) = classes[i % classes.Count];
            var gender = names.RandomGender();
            var age = c.Grade + 5;
            var birth = new DateOnly(year.StartYear - age, 9, 1).AddDays(-random.Next(0, 365));
            string id, hash;
            do
            {
                id = names.IdNumberFor(catalogue.Self.Code, birth, gender);
                hash = personal.Hash(id);
            } while (!seen.Add(id) || taken.Contains(hash));
            var township = townshipOf[school.TownshipId];
            var village = villages[township.Id][random.Next(villages[township.Id].Count)];
            var name = names.FullName(gender);
            var s = new Student
            {
                RegistryNumber = RegistryNumber.Stored(RegistryNumber.ForId(id), id),
                IdNumberCipher = personal.Encrypt(id),
                IdNumberHash = hash,
                IdNumberMasked = IdNumber.Mask(id),
                Name = name,
                Gender = gender,
                BirthDate = birth,
                Ethnicity = "01", // 汉族
                HouseholdRegionCode = catalogue.Self.Code,
                HouseholdAddress = $"{catalogue.Province.Name}{catalogue.City.Name}{catalogue.Self.Name}{township.Name}{village.Name}{random.Next(1, 99)}号",
                HouseholdType = HouseholdType.Agricultural,
                Residence = $"{catalogue.Self.Name}{township.Name}{village.Name}",
                SchoolId = school.Id,
                ClassId = c.Id,
                Grade = c.Grade,
                EnrolledOn = new DateOnly(year.StartYear - (c.Grade <= 6 ? c.Grade : c.Grade - 6) + 1, 9, 1),
                Path = c.Path,
            };
            var surname = name[..1];
            s.Guardians.Add(new Guardian { StudentId = s.Id, Relation = GuardianRelation.Father, Name = surname + names.GivenPartOf(names.AdultName(Gender.Male)), Phone = names.MobilePhone() });
            s.Guardians.Add(new Guardian { StudentId = s.Id, Relation = GuardianRelation.Mother, Name = names.AdultName(Gender.Female), Phone = names.MobilePhone() });
            students.Add((s, id));
        }
        db.Students.AddRange(students.Select(s => s.Student));
        await db.SaveChangesAsync(ct);
    }

    private static async Task SeedAccountsAsync(BaoxueDb db, IServiceProvider services, DemoOptions o, Division county, School school, DateTime now, CancellationToken ct)
    {
        var registrar = await db.Staff.Where(s => s.SchoolId == school.Id && s.Post == "学籍管理员").Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
        List<AppUser> accounts =
        [
            New("minhou.admin", "系统管理员", Role.CountyAdmin, county, now),
            New("minhou.staff", "教育局干部", Role.BureauStaff, county, now),
            new()
            {
                UserName = "minhou.school", DisplayName = "学籍管理员", Role = Role.SchoolAdmin, PlaceKind = PlaceKind.School, PlaceId = school.Id,
                Path = school.Path, StaffId = registrar, IsDemo = true, CreatedAt = now,
            },
        ];
        await AddAsync(db, services, o, accounts, "demo second county", ct);
    }

    private static AppUser New(string userName, string display, Role role, Division place, DateTime now) => new()
    {
        UserName = userName, DisplayName = display, Role = role, PlaceKind = Organisation.Places.KindOf(place.Level), PlaceId = place.Id,
        Path = place.Path, IsDemo = true, CreatedAt = now,
    };

    private static async Task AddAsync(BaoxueDb db, IServiceProvider services, DemoOptions o, List<AppUser> accounts, string batchName, CancellationToken ct)
    {
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        // One hash of the demo password for all of them, as DemoAccounts does: key derivations are what slow a demo start.
        var hash = users.PasswordHasher.HashPassword(accounts[0], o.Password);
        foreach (var a in accounts)
        {
            a.PasswordHash = hash;
            a.NormalizedUserName = users.NormalizeName(a.UserName);
            a.SecurityStamp = Guid.NewGuid().ToString("N");
            a.ConcurrencyStamp = Guid.NewGuid().ToString();
            a.LockoutEnabled = true;
        }
        using (db.AuditAsBatch(batchName))
        {
            db.Users.AddRange(accounts);
            await db.SaveChangesAsync(ct);
        }
    }
}
