using System.Text.RegularExpressions;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Security;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Baoxue.Tests.Features.Demo;

/// <summary>
/// The demo county's students look like 罗源县's: about thirty thousand in this year's classes, IDs that agree with
/// the child, 畲族 where the She live, guardians and priority groups at the rates the ledgers show, a few status changes.
/// </summary>
/// <summary>The demo county at its full size.</summary>
public sealed class FullDemoApp : IAsyncLifetime
{
    public BaoxueApp App { get; } = new SqliteApp().With("Demo:Students", "30000");
    public Task InitializeAsync() => App.InitializeAsync();
    public Task DisposeAsync() => App.DisposeAsync();
}

public sealed partial class DemoStudentsTests(FullDemoApp fixture) : IClassFixture<FullDemoApp>
{
    private BaoxueApp app => fixture.App;

    private const string HuokouSheTownship = "350123203";

    private static readonly string[] FujianRegions = ["350121", "350122", "350123", "350124", "350125"];

    // The registry the demo generates is this year's roll; the reconciliation demo adds last summer's primary leavers
    // who went nowhere (graduated, no class) for the transition check to find, and they are not what these tests describe.
    private static IQueryable<Student> OnRoll(BaoxueDb db) => db.Students.Where(s => s.Status != StudentStatus.Graduated);

    private async Task<List<Student>> StudentsAsync()
    {
        await using var db = app.Db();
        return await OnRoll(db).AsNoTracking().Include(s => s.Guardians).Include(s => s.Tags).AsSplitQuery().ToListAsync();
    }

    [Fact]
    public async Task There_are_25_to_35_thousand_students_all_in_this_years_classes_none_over_capacity()
    {
        await using var db = app.Db();
        var year = await db.SchoolYears.SingleAsync(y => y.IsCurrent);
        var classes = await db.Classes.Include(c => c.School).ToDictionaryAsync(c => c.Id);
        var students = await OnRoll(db).Select(s => new { s.ClassId, s.SchoolId, s.Grade, s.Path, s.Status }).ToListAsync();

        Assert.InRange(students.Count, 25_000, 35_000);
        Assert.All(students, s =>
        {
            var c = classes[s.ClassId!.Value];
            Assert.Equal((year.Id, c.SchoolId, c.Grade, c.Path), (c.SchoolYearId, s.SchoolId, s.Grade, s.Path));
        });
        var sizes = students.GroupBy(s => s.ClassId!.Value).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(classes.Values, c =>
        {
            var size = sizes.GetValueOrDefault(c.Id);
            Assert.True(size <= c.Capacity, $"{c.School!.Name} {c.Grade}({c.Number}) has {size} for {c.Capacity}");
            Assert.True(size > 0, $"{c.School!.Name} {c.Grade}({c.Number}) is empty");
            if (c.School.Kind is not (SchoolKind.TeachingPoint or SchoolKind.SpecialEducation))
            {
                Assert.InRange(size / (double)c.Capacity!.Value, 0.79, 0.96);
            }
        });
        Assert.All(classes.Values.Where(c => c.School!.Kind == SchoolKind.TeachingPoint), c => Assert.True(sizes[c.Id] <= 12, $"teaching point class of {sizes[c.Id]}"));
    }

    [Fact]
    public async Task Every_ID_is_valid_unique_and_agrees_with_the_childs_birth_date_sex_and_registry_number()
    {
        var personal = app.Services.GetRequiredService<PersonalData>();
        var students = await StudentsAsync();
        var ids = new HashSet<string>();

        foreach (var s in students)
        {
            var id = personal.Decrypt(s.IdNumberCipher!);
            var parsed = IdNumber.Parse(id);
            Assert.True(parsed.IsValid, $"{s.Name}: {parsed.Error}");
            Assert.Equal(id, parsed.Normalized);
            Assert.Equal((s.BirthDate, s.Gender), (parsed.BirthDate, parsed.Gender));
            Assert.Equal(personal.Hash(id), s.IdNumberHash);
            Assert.Equal(IdNumber.Mask(id), s.IdNumberMasked);
            Assert.Equal("G" + IdNumber.Mask(id), s.RegistryNumber);
            Assert.True(ids.Add(id), "repeated ID");
            // Born in 罗源 or a neighbouring Fujian county, unless the family came from another province.
            var migrant = s.Tags.Any(t => t.Kind == GroupKind.Migrant);
            if (!migrant)
            {
                Assert.Contains(parsed.RegionCode, FujianRegions);
                Assert.True(s.HouseholdRegionCode == parsed.RegionCode || s.HouseholdRegionCode == "350123", $"{s.HouseholdRegionCode} for an ID of {parsed.RegionCode}");
            }
            else
            {
                Assert.False(parsed.RegionCode.StartsWith("35", StringComparison.Ordinal), parsed.RegionCode);
                Assert.Equal(parsed.RegionCode, s.HouseholdRegionCode);
            }
        }
        Assert.InRange(students.Count(s => s.IdNumberMasked!.StartsWith("350123", StringComparison.Ordinal)) / (double)students.Count, 0.88, 0.95);
        Assert.InRange(students.Count(s => s.IdNumberMasked![..6] is "350121" or "350122" or "350124" or "350125") / (double)students.Count, 0.02, 0.05);
    }

    [Fact]
    public async Task Grades_fit_ages_and_each_child_enrolled_on_1_September_of_their_first_grade()
    {
        await using var db = app.Db();
        var start = (await db.SchoolYears.SingleAsync(y => y.IsCurrent)).StartDate;
        var students = await OnRoll(db).Select(s => new { s.BirthDate, s.Grade, s.EnrolledOn }).ToListAsync();

        int AgeOn(DateOnly birth) => start.Year - birth.Year - (start < birth.AddYears(start.Year - birth.Year) ? 1 : 0);
        Assert.All(students, s =>
        {
            Assert.InRange(AgeOn(s.BirthDate) - s.Grade, 4, 7);
            Assert.Equal(new DateOnly(start.Year - s.Grade + 1, 9, 1), s.EnrolledOn);
        });
        // Grade 1 at six (born September to August, seven years before the year starts); a few a year off.
        Assert.True(students.Count(s => AgeOn(s.BirthDate) - s.Grade is 5) / (double)students.Count > 0.9);
    }

    [Fact]
    public async Task Names_are_Chinese_with_a_few_minority_names_and_She_people_where_the_She_township_is()
    {
        await using var db = app.Db();
        var students = await OnRoll(db).Select(s => new { s.Name, s.Ethnicity, Township = s.School!.Township!.Code }).ToListAsync();

        Assert.All(students, s => Assert.Matches(NamePattern(), s.Name));
        var dotted = students.Where(s => s.Name.Contains('·', StringComparison.Ordinal)).ToList();
        Assert.InRange(dotted.Count / (double)students.Count, 0.001, 0.006);
        Assert.All(dotted, s => Assert.Contains(s.Ethnicity, new[] { "04", "05" }));
        Assert.All(students.Where(s => !s.Name.Contains('·', StringComparison.Ordinal)), s => Assert.Contains(s.Ethnicity, new[] { "01", "22" }));

        var huokou = students.Where(s => s.Township == HuokouSheTownship).ToList();
        var elsewhere = students.Where(s => s.Township != HuokouSheTownship).ToList();
        Assert.InRange(huokou.Count(s => s.Ethnicity == "22") / (double)huokou.Count, 0.09, 0.22);
        Assert.InRange(elsewhere.Count(s => s.Ethnicity == "22") / (double)elsewhere.Count, 0.02, 0.045);
        Assert.InRange(students.Select(s => s.Name).Distinct().Count() / (double)students.Count, 0.3, 1.0);
    }

    [Fact]
    public async Task Guardians_are_one_or_two_with_mobiles_and_a_child_whose_parents_all_work_away_is_left_behind()
    {
        var students = await StudentsAsync();

        Assert.All(students, s => Assert.InRange(s.Guardians.Count, 1, 2));
        var guardians = students.SelectMany(s => s.Guardians).ToList();
        Assert.All(guardians.Where(g => g.Phone is not null), g => Assert.True(PhoneNumber.IsValidMobile(g.Phone), g.Phone));
        Assert.InRange(guardians.Count(g => g.WorksAway) / (double)guardians.Count, 0.22, 0.36);
        Assert.All(guardians.Where(g => g.WorksAway), g => Assert.Contains(g.Relation, new[] { GuardianRelation.Father, GuardianRelation.Mother }));
        Assert.All(students, s =>
        {
            var parents = s.Guardians.Where(g => g.Relation is GuardianRelation.Father or GuardianRelation.Mother).ToList();
            var allAway = parents.Count > 0 && parents.All(g => g.WorksAway);
            Assert.Equal(allAway, s.Tags.Any(t => t.Kind == GroupKind.LeftBehind));
        });
        // A father carries the child's surname (minority names aside).
        var fathers = students.Where(s => !s.Name.Contains('·', StringComparison.Ordinal)).SelectMany(s => s.Guardians.Where(g => g.Relation == GuardianRelation.Father).Select(g => (Child: s.Name, Father: g.Name))).ToList();
        Assert.True(fathers.Count(f => f.Child[0] == f.Father[0]) / (double)fathers.Count > 0.98);
    }

    [Fact]
    public async Task Priority_groups_are_tagged_at_realistic_rates_and_disabled_children_have_a_type_and_grade()
    {
        var students = await StudentsAsync();
        double Rate(GroupKind kind) => students.Count(s => s.Tags.Any(t => t.Kind == kind)) / (double)students.Count;

        Assert.InRange(Rate(GroupKind.LeftBehind), 0.12, 0.18);
        Assert.InRange(Rate(GroupKind.Migrant), 0.03, 0.07);
        Assert.InRange(Rate(GroupKind.PovertyRegistered), 0.015, 0.045);
        Assert.InRange(Rate(GroupKind.LowIncome), 0.02, 0.04);
        Assert.InRange(Rate(GroupKind.Disabled), 0.003, 0.008);
        Assert.InRange(Rate(GroupKind.StrugglingLearner), 0.035, 0.065);
        Assert.InRange(Rate(GroupKind.InDifficulty), 0.005, 0.015);
        Assert.All(students.SelectMany(s => s.Tags), t =>
        {
            Assert.False(string.IsNullOrEmpty(t.Source));
            if (t.Kind == GroupKind.Disabled)
            {
                Assert.Contains(t.DisabilityType, Baoxue.Features.Registry.SaveStudent.DisabilityTypes);
                Assert.InRange(t.DisabilityGrade!.Value, 1, 4);
            }
            else
            {
                Assert.Null(t.DisabilityType);
            }
        });
        Assert.All(students.Where(s => s.Tags.Any(t => t.Kind == GroupKind.Migrant)), s => Assert.DoesNotContain(s.Tags, t => t.Kind == GroupKind.LeftBehind));
    }

    [Fact]
    public async Task Households_are_in_the_childs_township_and_have_a_type()
    {
        await using var db = app.Db();
        var students = await OnRoll(db).Select(s => new { s.HouseholdRegionCode, s.HouseholdAddress, s.HouseholdType, s.Residence, Township = s.School!.Township!.Name }).ToListAsync();

        Assert.All(students, s =>
        {
            Assert.NotNull(s.HouseholdType);
            Assert.StartsWith("福建省福州市罗源县" + s.Township, s.Residence, StringComparison.Ordinal);
            if (s.HouseholdRegionCode == "350123")
            {
                Assert.StartsWith("福建省福州市罗源县" + s.Township, s.HouseholdAddress, StringComparison.Ordinal);
            }
            else
            {
                Assert.DoesNotContain("罗源县", s.HouseholdAddress, StringComparison.Ordinal);
            }
        });
    }

    [Fact]
    public async Task Ten_are_suspended_for_illness_and_five_transfers_and_three_suspensions_wait_for_approval()
    {
        await using var db = app.Db();
        var changes = await db.StatusChanges.Include(c => c.Student).Include(c => c.Approvals).ToListAsync();
        var schools = await db.Schools.ToDictionaryAsync(s => s.Id);

        var suspended = await db.Students.Where(s => s.Status == StudentStatus.Suspended).ToListAsync();
        Assert.Equal(10, suspended.Count);
        var approved = changes.Where(c => c.Kind == StatusChangeKind.Suspension && c.State == StatusChangeState.Approved).ToList();
        Assert.Equal(suspended.Select(s => s.Id).Order(), approved.Select(c => c.StudentId).Order());
        Assert.All(approved, c =>
        {
            Assert.StartsWith("因病休学", c.Reason, StringComparison.Ordinal);
            Assert.Null(c.AwaitingStage);
            Assert.NotNull(c.DecidedAt);
            Assert.Equal(c.Student!.Path, c.Path);
            Assert.Contains(c.Approvals, a => a.Stage == ApprovalStage.Bureau && a.Approved);
        });

        var transfers = changes.Where(c => c.Kind == StatusChangeKind.TransferWithinCounty).ToList();
        Assert.Equal(5, transfers.Count);
        Assert.All(transfers, c =>
        {
            Assert.Equal((StatusChangeState.Pending, ApprovalStage.SendingSchool), (c.State, c.AwaitingStage!.Value));
            Assert.Equal(c.Student!.Path, c.Path);
            Assert.Equal(StudentStatus.InSchool, c.Student.Status);
            Assert.NotEqual(c.FromSchoolId, c.ToSchoolId);
            Assert.Equal(schools[c.ToSchoolId!.Value].Path, c.TargetPath);
            Assert.True(schools[c.ToSchoolId.Value].Teaches(c.Student.Grade));
            var approval = Assert.Single(c.Approvals);
            Assert.Equal((ApprovalStage.ReceivingSchool, true), (approval.Stage, approval.Approved));
        });

        var waiting = changes.Where(c => c.Kind == StatusChangeKind.Suspension && c.State == StatusChangeState.Pending).ToList();
        Assert.Equal(3, waiting.Count);
        Assert.All(waiting, c =>
        {
            Assert.Equal(ApprovalStage.Bureau, c.AwaitingStage);
            Assert.Equal(StudentStatus.InSchool, c.Student!.Status);
            Assert.Equal(c.Student.Path, c.Path);
        });
        Assert.Equal(18, changes.Where(c => c.Kind != StatusChangeKind.Graduation).Select(c => c.StudentId).Distinct().Count());
    }

    [Fact]
    public async Task No_ID_is_stored_in_clear_in_any_column_of_the_students_table()
    {
        var personal = app.Services.GetRequiredService<PersonalData>();
        await using var db = app.Db();
        var rows = await db.Students.AsNoTracking().ToListAsync();
        var ids = rows.Select(r => personal.Decrypt(r.IdNumberCipher!)).ToHashSet();

        foreach (var r in rows)
        {
            // (The hash is 64 hex digits and may hold 18 decimal digits in a row by chance; it is checked for form instead.)
            foreach (var text in new[] { r.RegistryNumber, r.IdNumberMasked, r.IdNumberCipher, r.Name, r.HouseholdAddress, r.Residence })
            {
                Assert.DoesNotMatch(PlainId(), text ?? "");
            }
            Assert.DoesNotContain(personal.Decrypt(r.IdNumberCipher!), r.IdNumberHash!, StringComparison.Ordinal);
            Assert.DoesNotContain(personal.Decrypt(r.IdNumberCipher!), r.IdNumberCipher!, StringComparison.Ordinal);
            Assert.Matches("^[0-9a-f]{64}$", r.IdNumberHash);
        }
        Assert.Equal(rows.Count, ids.Count);
    }

    [Fact]
    public async Task Thirty_thousand_rows_are_audited_as_a_few_summary_lines()
    {
        await using var db = app.Db();
        var lines = await db.AuditEntries.Where(a => a.EntityType == nameof(Student) || a.EntityType == nameof(Guardian) || a.EntityType == nameof(GroupTag)).ToListAsync();

        Assert.InRange(lines.Count, 3, 40);
        Assert.All(lines, l => Assert.Contains("\"batch\":\"demo\"", l.After, StringComparison.Ordinal));
        Assert.Equal(await db.Students.CountAsync(), lines.Where(l => l.EntityType == nameof(Student)).Sum(l => RowsOf(l.After!)));
    }

    private static int RowsOf(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("rows").GetInt32();

    [GeneratedRegex("^[\\p{IsCJKUnifiedIdeographs}]{2,4}$|^[\\p{IsCJKUnifiedIdeographs}]{2,6}·[\\p{IsCJKUnifiedIdeographs}]{2,6}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("[0-9]{17}[0-9X]")]
    private static partial Regex PlainId();
}
