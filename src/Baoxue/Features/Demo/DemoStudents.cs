using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Demo;

/// <summary>
/// The demo county's students: about thirty thousand, as many as 罗源县 really has in compulsory education,
/// filling this year's classes to 80–95% of their capacity (teaching points and the special school less).
/// Each has a valid ID whose region, birth date and sex agree with the child, guardians, a household, and the
/// priority-group tags at the rates the county's ledgers show; a few are suspended or waiting for a transfer.
/// Written in batches, audited as a few summary lines, IDs encrypted and hashed on the way in.
/// </summary>
public static class DemoStudents
{
    private const int BatchSize = 5_000;
    private const string County = "350123";
    private const string HuokouSheTownship = "350123203";

    // Other counties of 福州 that send children to 罗源 (birth registered there).
    private static readonly (string Code, string Place)[] NearbyFujian =
    [
        ("350121", "福建省福州市闽侯县"), ("350122", "福建省福州市连江县"), ("350124", "福建省福州市闽清县"), ("350125", "福建省福州市永泰县"),
    ];

    // Where the county's migrant workers' children come from.
    private static readonly (string Code, string Place)[] MigrantOrigins =
    [
        ("360124", "江西省南昌市进贤县"), ("412726", "河南省周口市郸城县"), ("342221", "安徽省宿州市砀山县"),
        ("511621", "四川省广安市岳池县"), ("522422", "贵州省毕节市大方县"), ("431021", "湖南省郴州市桂阳县"),
    ];

    private static readonly (string Code, string Place)[] UyghurOrigins = [("652901", "新疆维吾尔自治区阿克苏地区阿克苏市"), ("653101", "新疆维吾尔自治区喀什地区喀什市")];
    private static readonly (string Code, string Place)[] TibetanOrigins = [("540102", "西藏自治区拉萨市城关区"), ("632521", "青海省海南藏族自治州共和县")];

    // 畲族 surnames: 雷, 蓝, 钟 above all.
    private static readonly (string Surname, int Weight)[] SheSurnames = [("雷", 50), ("蓝", 30), ("钟", 15), ("李", 5)];

    private static readonly string[] IllnessReasons = ["因病休学（急性淋巴细胞白血病住院治疗）", "因病休学（肾病综合征需长期治疗）", "因病休学（重度抑郁症住院治疗）", "因病休学（股骨骨折术后康复）", "因病休学（先天性心脏病手术）"];
    private static readonly string[] TransferReasons = ["随父母工作调动迁居", "随父母迁居县城", "家庭搬迁，就近入学", "随祖父母居住"];

    public static async Task SeedAsync(BaoxueDb db, IServiceProvider services, Infrastructure.Time.CountyClock clock, DemoOptions o, CancellationToken ct)
    {
        if (o.Students <= 0)
        {
            return;
        }
        var personal = services.GetRequiredService<PersonalData>();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoStudents));
        var started = clock.GetTimestamp();
        var random = new Random(o.Seed + 1);
        var names = new ChineseNames(o.Seed + 2);
        var now = clock.GetUtcNow().UtcDateTime;
        var today = clock.DateOf(now);
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.ChangeTracker.Clear();
        try
        {
            using var batch = db.AuditAsBatch("demo");
            var year = await db.SchoolYears.AsNoTracking().SingleAsync(y => y.IsCurrent, ct);
            var schools = await db.Schools.AsNoTracking().OrderBy(s => s.Code).ToListAsync(ct);
            var divisions = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Township || d.Level == DivisionLevel.Village).OrderBy(d => d.Code).ToListAsync(ct);
            var townships = divisions.Where(d => d.Level == DivisionLevel.Township).ToDictionary(d => d.Id);
            var villages = divisions.Where(d => d.Level == DivisionLevel.Village).GroupBy(d => d.ParentId!.Value).ToDictionary(g => g.Key, g => g.ToList());
            var registrars = await db.Staff.AsNoTracking().Where(s => s.Post == "学籍管理员" && s.SchoolId != null).ToDictionaryAsync(s => s.SchoolId!.Value, s => s.Name, ct);
            var classes = await db.Classes.AsNoTracking().Where(c => c.SchoolYearId == year.Id).OrderBy(c => c.Path).ToListAsync(ct);
            var schoolById = schools.ToDictionary(s => s.Id);

            await OpenClassesForTheCountysSizeAsync(db, names, schoolById, classes, year, o.Students, ct);
            // A smaller demo (tests ask for a few hundred) fills every class thinly rather than some classes fully.
            var scale = o.Students / Math.Max(1.0, classes.Sum(c => ExpectedIn(schoolById[c.SchoolId], c)));
            scale = scale > 0.9 ? 1.0 : scale;

            // Students, class by class.
            var students = new List<Student>(o.Students + 2_000);
            var seen = new HashSet<long>();
            var ids = new List<string>(o.Students + 2_000);
            var town = townships.Values.OrderBy(t => t.Code).First();
            foreach (var c in classes)
            {
                var school = schoolById[c.SchoolId];
                var township = townships[school.TownshipId];
                var capacity = c.Capacity ?? 45;
                var count = school.Kind switch
                {
                    SchoolKind.TeachingPoint => random.Next(4, 13),
                    SchoolKind.SpecialEducation => random.Next(6, 12),
                    _ => (int)Math.Round(capacity * (0.80 + random.NextDouble() * 0.15)),
                };
                count = (int)Math.Round(count * scale);
                var urban = township.Id == town.Id || township.Kind == "Zone";
                for (var i = 0; i < count; i++)
                {
                    var (student, id) = NewStudent(random, names, seen, year, c, school, township, villages[township.Id], urban, today);
                    students.Add(student);
                    ids.Add(id);
                }
            }

            // Encrypt and hash each ID (in parallel: they are independent); keep only the masked form in clear.
            var secrets = new (string Cipher, string Hash)[students.Count];
            Parallel.For(0, students.Count, i => secrets[i] = (personal.Encrypt(ids[i]), personal.Hash(ids[i])));
            for (var i = 0; i < students.Count; i++)
            {
                var s = students[i];
                s.IdNumberCipher = secrets[i].Cipher;
                s.IdNumberHash = secrets[i].Hash;
                s.IdNumberMasked = IdNumber.Mask(ids[i]);
                s.RegistryNumber = RegistryNumber.Stored(RegistryNumber.ForId(ids[i]), ids[i]);
            }

            var generated = clock.GetElapsedTime(started);
            var changes = StatusChanges(random, students, classes, schoolById, registrars, today, now);

            for (var start = 0; start < students.Count; start += BatchSize)
            {
                db.Students.AddRange(students.Skip(start).Take(BatchSize));
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
            db.StatusChanges.AddRange(changes);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            log.LogInformation("Created {Students} demo students in {Classes} classes in {Seconds:F1} s (generated and encrypted in {Generated:F1} s)",
                students.Count, classes.Count, clock.GetElapsedTime(started).TotalSeconds, generated.TotalSeconds);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    /// <summary>How many students a class holds on average at 80–95% of capacity.</summary>
    private static double ExpectedIn(School school, SchoolClass c) => school.Kind switch
    {
        SchoolKind.TeachingPoint => 8,
        SchoolKind.SpecialEducation => 8.5,
        _ => (c.Capacity ?? 45) * 0.875,
    };

    /// <summary>
    /// 罗源 has about 30,000 pupils in compulsory education. Where the demo's schools have too few classes to
    /// hold them at 80–95% of capacity, the bigger schools open more classes per grade (扩班), each with a head teacher.
    /// </summary>
    private static async Task OpenClassesForTheCountysSizeAsync(BaoxueDb db, ChineseNames names, Dictionary<Guid, School> schools, List<SchoolClass> classes, SchoolYear year, int target, CancellationToken ct)
    {
        static bool Regular(School s) => s.Kind is SchoolKind.Primary or SchoolKind.JuniorSecondary or SchoolKind.CompleteSecondary or SchoolKind.NineYear;
        double Expected(SchoolClass c) => ExpectedIn(schools[c.SchoolId], c);
        // Schools of one class per grade (village schools) stay as they are: it is the bigger ones that grow.
        var growing = classes.Where(c => Regular(schools[c.SchoolId])).GroupBy(c => (c.SchoolId, c.Grade)).Where(g => g.Count() >= 2).ToList();
        var expected = classes.Sum(Expected);
        var regular = growing.SelectMany(g => g).Sum(Expected);
        if (expected >= target * 0.97 || regular == 0)
        {
            return;
        }
        var factor = 1 + (target - expected) / regular;
        var added = new List<SchoolClass>();
        foreach (var group in growing)
        {
            var school = schools[group.Key.SchoolId];
            var have = group.Count();
            var want = (int)Math.Round(have * factor);
            var last = group.Max(c => c.Number);
            var template = group.First();
            for (var number = last + 1; number <= last + (want - have); number++)
            {
                var teacher = new Staff { Name = names.AdultName(names.RandomGender()), Post = "班主任", Phone = names.MobilePhone(), SchoolId = school.Id, Path = school.Path };
                db.Staff.Add(teacher);
                var c = new SchoolClass
                {
                    SchoolId = school.Id,
                    SchoolYearId = year.Id,
                    Grade = group.Key.Grade,
                    Number = number,
                    HeadTeacherId = teacher.Id,
                    Capacity = template.Capacity,
                    Path = PlacePath.Child(school.Path, SchoolClass.PathSegment(year.StartYear, group.Key.Grade, number)),
                };
                db.Classes.Add(c);
                added.Add(c);
            }
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        classes.AddRange(added);
        classes.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
    }

    private static (Student Student, string Id) NewStudent(Random random, ChineseNames names, HashSet<long> seen, SchoolYear year, SchoolClass c, School school, Division township, List<Division> villages, bool urban, DateOnly today)
    {
        var gender = names.RandomGender();
        var grade = c.Grade;
        // 6 by 31 August to start grade 1: born between 1 September (Y−6−g) and 31 August (Y−5−g); a few a year older or younger.
        var shift = random.Next(100) switch { < 2 => -1, < 3 => 1, _ => 0 };
        if (school.Kind == SchoolKind.SpecialEducation && random.Next(3) == 0)
        {
            shift = -1;
        }
        var from = new DateOnly(year.StartYear - 6 - grade + shift, 9, 1);
        var birth = from.AddDays(random.Next(from.AddYears(1).DayNumber - from.DayNumber));

        // Who the child is and where the ID was issued.
        string name, ethnicity, region, householdRegion, householdPlace;
        var migrant = false;
        var roll = random.NextDouble();
        var minority = roll < 0.003;
        var migrantShare = urban ? 0.085 : 0.025;
        if (minority)
        {
            name = names.MinorityName(gender);
            var tibetan = ChineseNames.IsTibetanStyle(name);
            ethnicity = tibetan ? "04" : "05";
            (region, householdPlace) = Pick(random, tibetan ? TibetanOrigins : UyghurOrigins);
            householdRegion = region;
            migrant = true;
        }
        else
        {
            var she = random.NextDouble() < (township.Code == HuokouSheTownship ? 0.15 : 0.03);
            name = she ? WeightedSurname(random) + names.GivenName(gender) : names.FullName(gender);
            ethnicity = she ? "22" : "01";
            var origin = random.NextDouble();
            if (!she && origin < migrantShare)
            {
                (region, householdPlace) = Pick(random, MigrantOrigins);
                householdRegion = region;
                migrant = true;
            }
            else if (origin < migrantShare + 0.035)
            {
                (region, householdPlace) = Pick(random, NearbyFujian);
                // Some families have since moved their household registration to 罗源.
                householdRegion = random.Next(5) < 3 ? County : region;
                householdPlace = householdRegion == County ? "" : householdPlace;
            }
            else
            {
                region = County;
                householdRegion = County;
                householdPlace = "";
            }
        }
        string id;
        do
        {
            id = names.IdNumberFor(region, birth, gender);
        }
        while (!seen.Add(IdNumber.Pack(id)));

        var village = school.VillageId is { } vid && random.Next(10) < 7 ? villages.FirstOrDefault(v => v.Id == vid) ?? villages[random.Next(villages.Count)] : villages[random.Next(villages.Count)];
        var local = $"福建省福州市罗源县{township.Name}{village.Name}";
        var householdAddress = householdRegion == County
            ? $"{local}{random.Next(1, 120)}号"
            : $"{householdPlace}{DemoPlaces.VillageName(random)}村{random.Next(1, 120)}号";
        var residence = householdRegion != County || random.Next(5) == 0 || urban
            ? $"福建省福州市罗源县{township.Name}{DemoPlaces.Street(random)}"
            : householdAddress;

        var student = new Student
        {
            RegistryNumber = "",
            Name = name,
            Gender = gender,
            BirthDate = birth,
            Ethnicity = ethnicity,
            HouseholdRegionCode = householdRegion,
            HouseholdAddress = householdAddress,
            HouseholdType = migrant || !urban ? (random.Next(10) < 6 ? HouseholdType.Agricultural : HouseholdType.Resident) : (random.Next(10) < 6 ? HouseholdType.Resident : HouseholdType.NonAgricultural),
            Residence = residence,
            SchoolId = school.Id,
            ClassId = c.Id,
            Grade = grade,
            Status = StudentStatus.InSchool,
            EnrolledOn = new DateOnly(year.StartYear - grade + 1, 9, 1),
            Path = c.Path,
        };
        var surname = name.Contains(ChineseNames.MiddleDot, StringComparison.Ordinal) ? null : name[..(name.Length - names.GivenPartOf(name).Length)];
        var leftBehind = !migrant && random.NextDouble() < 0.155;
        AddGuardians(random, names, student, surname, leftBehind);
        var startOfYear = year.StartDate;
        void Tag(GroupKind kind, string source, string? type = null, int? level = null) =>
            student.Tags.Add(new GroupTag { StudentId = student.Id, Kind = kind, Source = source, DisabilityType = type, DisabilityGrade = level, StartedOn = kind is GroupKind.Migrant or GroupKind.Disabled ? student.EnrolledOn!.Value : startOfYear });
        if (leftBehind)
        {
            Tag(GroupKind.LeftBehind, "学校摸排");
        }
        if (migrant)
        {
            Tag(GroupKind.Migrant, "学校摸排");
        }
        if (random.NextDouble() < (urban ? 0.015 : 0.04))
        {
            Tag(GroupKind.PovertyRegistered, "县乡村振兴局");
            student.HouseholdType = HouseholdType.Agricultural;
        }
        if (random.NextDouble() < 0.03)
        {
            Tag(GroupKind.LowIncome, "县民政局");
        }
        if (school.Kind == SchoolKind.SpecialEducation)
        {
            Tag(GroupKind.Disabled, "县残联", Pick(random, ["Intellectual", "Intellectual", "Intellectual", "Hearing", "Hearing", "Visual", "Multiple", "Speech"]), random.Next(1, 4));
        }
        else if (random.NextDouble() < 0.0025)
        {
            Tag(GroupKind.Disabled, "县残联", Pick(random, ["Physical", "Physical", "Visual", "Hearing", "Speech", "Intellectual"]), random.Next(3, 5));
        }
        if (random.NextDouble() < 0.05 && school.Kind != SchoolKind.SpecialEducation)
        {
            Tag(GroupKind.StrugglingLearner, "学校");
        }
        if (random.NextDouble() < 0.01)
        {
            Tag(GroupKind.InDifficulty, "县民政局");
        }
        return (student, id);
    }

    /// <summary>
    /// One or two guardians. A left-behind child's parents both work away (or the one parent listed does, beside a
    /// grandparent); otherwise at least one parent is at home.
    /// </summary>
    private static void AddGuardians(Random random, ChineseNames names, Student student, string? surname, bool leftBehind)
    {
        Guardian Parent(GuardianRelation relation, bool away)
        {
            var gender = relation == GuardianRelation.Mother ? Gender.Female : Gender.Male;
            var adult = names.AdultName(gender);
            var fullName = relation != GuardianRelation.Mother && surname is not null ? surname + names.GivenPartOf(adult) : adult;
            return new Guardian { StudentId = student.Id, Relation = relation, Name = fullName, Phone = names.MobilePhone(), WorksAway = away };
        }
        Guardian Grandparent()
        {
            var grandmother = random.Next(2) == 0;
            var name = grandmother ? names.AdultName(Gender.Female) : surname is not null ? surname + names.GivenPartOf(names.AdultName(Gender.Male)) : names.AdultName(Gender.Male);
            return new Guardian { StudentId = student.Id, Relation = GuardianRelation.Grandparent, Name = name, Phone = random.Next(10) < 7 ? names.MobilePhone() : null, WorksAway = false };
        }
        var roll = random.Next(100);
        if (leftBehind)
        {
            if (roll < 65)
            {
                student.Guardians.Add(Parent(GuardianRelation.Father, true));
                student.Guardians.Add(Parent(GuardianRelation.Mother, true));
            }
            else
            {
                student.Guardians.Add(Grandparent());
                student.Guardians.Add(Parent(random.Next(4) == 0 ? GuardianRelation.Mother : GuardianRelation.Father, true));
            }
            return;
        }
        if (roll < 78)
        {
            var oneAway = random.NextDouble() < 0.40;
            var fatherAway = oneAway && random.Next(4) != 0;
            student.Guardians.Add(Parent(GuardianRelation.Father, fatherAway));
            student.Guardians.Add(Parent(GuardianRelation.Mother, oneAway && !fatherAway));
        }
        else if (roll < 86)
        {
            student.Guardians.Add(Parent(GuardianRelation.Mother, false));
        }
        else if (roll < 91)
        {
            student.Guardians.Add(Parent(GuardianRelation.Father, false));
        }
        else
        {
            student.Guardians.Add(Grandparent());
            student.Guardians.Add(Parent(GuardianRelation.Mother, false));
        }
    }

    /// <summary>Ten students suspended for illness (approved), five transfers within the county and three suspensions waiting.</summary>
    private static List<StatusChange> StatusChanges(Random random, List<Student> students, List<SchoolClass> classes, Dictionary<Guid, School> schools, Dictionary<Guid, string> registrars, DateOnly today, DateTime now)
    {
        var changes = new List<StatusChange>();
        var taken = new HashSet<Guid>();
        Student PickStudent(Func<Student, bool> fits)
        {
            while (true)
            {
                var s = students[random.Next(students.Count)];
                if (s.Status == StudentStatus.InSchool && fits(s) && taken.Add(s.Id))
                {
                    return s;
                }
            }
        }
        string Registrar(Guid schoolId) => registrars.GetValueOrDefault(schoolId) ?? "学籍管理员";
        var regular = (Student s) => schools[s.SchoolId].Kind is not (SchoolKind.SpecialEducation or SchoolKind.TeachingPoint);

        for (var i = 0; i < 10; i++)
        {
            var s = PickStudent(regular);
            s.Status = StudentStatus.Suspended;
            var effective = today.AddDays(-random.Next(20, 200));
            var requested = now.AddDays(-(today.DayNumber - effective.DayNumber) - random.Next(3, 10));
            var change = new StatusChange
            {
                StudentId = s.Id, Kind = StatusChangeKind.Suspension, State = StatusChangeState.Approved,
                Reason = IllnessReasons[random.Next(IllnessReasons.Length)], EffectiveOn = effective, ExpectedReturnOn = effective.AddYears(1),
                Evidence = $"福州市第一医院诊断证明书 第{random.Next(100000, 999999)}号", RequestedAt = requested, RequestedBy = Registrar(s.SchoolId),
                FromSchoolId = s.SchoolId, FromClassId = s.ClassId, DecidedAt = requested.AddDays(3), Path = s.Path, Grade = s.Grade,
            };
            change.Approvals.Add(new StatusApproval { StatusChangeId = change.Id, Stage = ApprovalStage.School, Approved = true, DecidedBy = Registrar(s.SchoolId), DecidedAt = requested.AddDays(1), Comment = "同意" });
            change.Approvals.Add(new StatusApproval { StatusChangeId = change.Id, Stage = ApprovalStage.Bureau, Approved = true, DecidedBy = "县教育局学籍管理员", DecidedAt = requested.AddDays(3), Comment = "同意休学一年" });
            changes.Add(change);
        }

        for (var i = 0; i < 5; i++)
        {
            var s = PickStudent(regular);
            var receiving = classes.Where(c => c.Grade == s.Grade && c.SchoolId != s.SchoolId && schools[c.SchoolId].Kind is not (SchoolKind.SpecialEducation or SchoolKind.TeachingPoint)).ToList();
            var to = receiving[random.Next(receiving.Count)];
            var toSchool = schools[to.SchoolId];
            var requested = now.AddDays(-random.Next(1, 6));
            var change = new StatusChange
            {
                StudentId = s.Id, Kind = StatusChangeKind.TransferWithinCounty, Reason = TransferReasons[random.Next(TransferReasons.Length)],
                EffectiveOn = today.AddDays(random.Next(3, 15)), RequestedAt = requested, RequestedBy = Registrar(toSchool.Id),
                FromSchoolId = s.SchoolId, FromClassId = s.ClassId, ToSchoolId = toSchool.Id, ToClassId = to.Id,
                Evidence = "户口簿及房屋租赁合同复印件", AwaitingStage = ApprovalStage.SendingSchool, Path = s.Path, TargetPath = toSchool.Path,
            };
            change.Approvals.Add(new StatusApproval { StatusChangeId = change.Id, Stage = ApprovalStage.ReceivingSchool, Approved = true, DecidedBy = Registrar(toSchool.Id), DecidedAt = requested.AddHours(2), Comment = "同意接收" });
            changes.Add(change);
        }

        for (var i = 0; i < 3; i++)
        {
            var s = PickStudent(regular);
            var requested = now.AddDays(-random.Next(1, 6));
            var effective = today.AddDays(random.Next(1, 10));
            var change = new StatusChange
            {
                StudentId = s.Id, Kind = StatusChangeKind.Suspension, Reason = IllnessReasons[random.Next(IllnessReasons.Length)],
                EffectiveOn = effective, ExpectedReturnOn = effective.AddYears(1), Evidence = $"罗源县医院诊断证明书 第{random.Next(100000, 999999)}号",
                RequestedAt = requested, RequestedBy = Registrar(s.SchoolId), FromSchoolId = s.SchoolId, FromClassId = s.ClassId,
                AwaitingStage = ApprovalStage.Bureau, Path = s.Path,
            };
            change.Approvals.Add(new StatusApproval { StatusChangeId = change.Id, Stage = ApprovalStage.School, Approved = true, DecidedBy = Registrar(s.SchoolId), DecidedAt = requested.AddHours(4), Comment = "情况属实，同意上报" });
            changes.Add(change);
        }
        return changes;
    }

    private static string WeightedSurname(Random random)
    {
        var roll = random.Next(SheSurnames.Sum(s => s.Weight));
        foreach (var (surname, weight) in SheSurnames)
        {
            if ((roll -= weight) < 0)
            {
                return surname;
            }
        }
        return SheSurnames[0].Surname;
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
