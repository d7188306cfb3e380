using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Ledger;
using Baoxue.Features.Reconciliation;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Demo;

/// <summary>
/// Issue 11's second half in the demo county, on top of the household data (<see cref="DemoHouseholds"/>): last
/// summer's primary-school leavers (a sample of this year's grade 7, and a few who went nowhere) with both transition
/// checks run; children due to start school next autumn with the entry notices of the village cadre's village issued
/// and some receipts back; and the census under way in three villages of the first township.
/// </summary>
internal static class DemoReconciliation
{
    private const int Leavers = 300;
    private const int MissingLeavers = 4;

    public static async Task SeedAsync(SystemDb systemDb, IServiceProvider services, DemoOptions o, CancellationToken ct)
    {
        if (o.Students <= 0)
        {
            return;
        }
        await using var db = systemDb.Open("demo");
        var personal = services.GetRequiredService<PersonalData>();
        var options = services.GetRequiredService<IOptions<ReconciliationOptions>>().Value;
        var ledger = LedgerIntake.For(db, personal);
        var random = new Random(o.Seed + 31);
        var names = new ChineseNames(o.Seed + 32);
        var today = db.County.Today;
        var now = db.County.UtcNow;
        var county = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.County && d.Code == o.CountyCode).FirstAsync(ct);
        var cutOff = options.DefaultCutOff(today);

        // 小升初: graduations from a primary school of the same township on 1 July before the cut-off.
        var primaries = await db.Schools.AsNoTracking().Where(s => s.Path.StartsWith(county.Path) && s.Kind == SchoolKind.Primary && s.IsActive)
            .OrderBy(s => s.Code).Select(s => new { s.Id, s.Path, s.TownshipId }).ToListAsync(ct);
        if (primaries.Count == 0)
        {
            return;
        }
        var graduatedOn = new DateOnly(cutOff.Year, 7, 1);
        var grade7 = await db.Students.AsNoTracking()
            .Where(s => s.Path.StartsWith(county.Path) && s.Grade == 7 && s.Status == StudentStatus.InSchool && s.School!.Kind != SchoolKind.NineYear)
            .OrderBy(s => s.Id).Take(Leavers).Select(s => new { s.Id, s.School!.TownshipId }).ToListAsync(ct);
        using (db.AuditAsBatch("demo"))
        {
            StatusChange Graduation(Guid student, Guid? township)
            {
                var near = primaries.Where(p => p.TownshipId == township).ToList();
                var from = near.Count > 0 ? near[random.Next(near.Count)] : primaries[random.Next(primaries.Count)];
                return new StatusChange
                {
                    StudentId = student, Kind = StatusChangeKind.Graduation, State = StatusChangeState.Approved, Reason = "小学毕业", EffectiveOn = graduatedOn,
                    RequestedAt = now, RequestedBy = "system", DecidedAt = now, FromSchoolId = from.Id, Path = from.Path,
                };
            }
            foreach (var s in grade7)
            {
                db.StatusChanges.Add(Graduation(s.Id, s.TownshipId));
            }
            // A few leavers in grade 7 nowhere: the check lists them (and, after the deadline, reports them to the ledger).
            for (var i = 0; i < MissingLeavers; i++)
            {
                var from = primaries[random.Next(primaries.Count)];
                var gender = names.RandomGender();
                var birth = new DateOnly(cutOff.Year - 12, 1, 1).AddDays(random.Next(365));
                var id = names.IdNumberFor(county.Code, birth, gender);
                var student = new Student
                {
                    RegistryNumber = RegistryNumber.Stored(RegistryNumber.ForId(id), id), Name = names.FullName(gender), Gender = gender, BirthDate = birth, Ethnicity = "01",
                    SchoolId = from.Id, Grade = 6, Path = from.Path, Status = StudentStatus.Graduated,
                    IdNumberCipher = personal.Encrypt(id), IdNumberHash = personal.Hash(id), IdNumberMasked = IdNumber.Mask(id),
                };
                db.Students.Add(student);
                var change = Graduation(student.Id, from.TownshipId);
                change.FromSchoolId = from.Id;
                change.Path = from.Path;
                db.StatusChanges.Add(change);
            }
            await db.SaveChangesAsync(ct);
        }
        db.ChangeTracker.Clear();
        foreach (var kind in new[] { TransitionKind.PrimaryToJunior, TransitionKind.EntryToPrimary })
        {
            await TransitionChecks.RunAsync(db, ledger, personal, options, new TransitionChecks.Command(kind, cutOff.Year), ct, county.Path);
            db.ChangeTracker.Clear();
        }

        // Next autumn's entrants in the village cadre's village (the demo's first village, see DemoSeeder) and a few
        // others of its township, then that village's notices issued and some receipts back.
        var township = await db.Divisions.AsNoTracking().Where(d => d.ParentId == county.Id).OrderBy(d => d.Code).FirstAsync(ct);
        var villages = await db.Divisions.AsNoTracking().Where(d => d.ParentId == township.Id && d.Kind == "Village").OrderBy(d => d.Code).ToListAsync(ct);
        var entryYear = EntryNotices.DefaultYear(options, today);
        var (bornAfter, bornBy) = TransitionChecks.EntryBirths(options.CutOffOf(entryYear), options);
        using (db.AuditAsBatch("demo"))
        {
            for (var v = 0; v < Math.Min(3, villages.Count); v++)
            {
                for (var i = 0; i < (v == 0 ? 12 : 4); i++)
                {
                    var gender = names.RandomGender();
                    var birth = bornAfter.AddDays(1 + random.Next(bornBy.DayNumber - bornAfter.DayNumber));
                    var id = names.IdNumberFor(county.Code, birth, gender);
                    var father = names.AdultName(Gender.Male);
                    db.HouseholdChildren.Add(new HouseholdChild
                    {
                        Name = father[..1] + names.FullName(gender)[1..], Gender = gender, BirthDate = birth, Ethnicity = "01", DivisionCode = villages[v].Code, Path = villages[v].Path,
                        HouseholdAddress = $"{random.Next(1, 12)}组{random.Next(1, 80)}号", HouseholdType = HouseholdType.Agricultural,
                        RelationToHead = gender == Gender.Male ? "子" : "女", GuardianName = father, GuardianPhone = names.MobilePhone(), Residency = Residency.Resident, ImportedAt = now,
                        IdNumberCipher = personal.Encrypt(id), IdNumberHash = personal.Hash(id), IdNumberMasked = IdNumber.Mask(id),
                    });
                }
            }
            await db.SaveChangesAsync(ct);
        }
        db.ChangeTracker.Clear();
        if (villages.Count > 0)
        {
            await EntryNotices.IssueAsync(db, options, new EntryNotices.IssueCommand(null, entryYear, villages[0].Code), ct);
            db.ChangeTracker.Clear();
            var issued = await db.EntryNotices.Where(n => n.Year == entryYear && n.Path == villages[0].Path).OrderBy(n => n.Sequence).Take(5).ToListAsync(ct);
            foreach (var n in issued)
            {
                n.State = EntryNoticeState.Returned;
                n.ReturnedOn = today.AddDays(-random.Next(1, 10));
                n.ReturnedBy = "village.cadre";
            }
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }

        // 学户普查 under way in three villages: households of the household data visited, their children recorded by
        // ID; one child with no household registration and one floating child met on the way.
        for (var v = 0; v < Math.Min(3, villages.Count); v++)
        {
            var village = villages[v];
            var households = await db.HouseholdChildren.AsNoTracking().Where(h => h.Path == village.Path && h.IdNumberCipher != null)
                .OrderBy(h => h.Id).Take(8 - 2 * v).Select(h => new { h.Name, h.IdNumberCipher, h.GuardianName, h.HouseholdAddress }).ToListAsync(ct);
            for (var i = 0; i < households.Count; i++)
            {
                var h = households[i];
                List<Census.ChildInput> children = [new(h.Name, personal.Decrypt(h.IdNumberCipher!), null, null, false, false, null)];
                if (v == 0 && i == 1)
                {
                    var gender = names.RandomGender();
                    children.Add(new(h.GuardianName![..1] + names.FullName(gender)[1..], null, gender, today.AddYears(-9).AddDays(-random.Next(300)), true, false, null));
                }
                if (v == 1 && i == 0)
                {
                    var gender = names.RandomGender();
                    children.Add(new(names.FullName(gender), null, gender, today.AddYears(-11).AddDays(-random.Next(300)), false, true, "罗源县实验小学"));
                }
                await Census.RecordAsync(db, ledger, personal, options, new Census.VisitCommand(village.Code, h.GuardianName ?? h.Name[..1] + "某", h.HouseholdAddress ?? "1组1号",
                    today.AddDays(-random.Next(0, 20)), null, children), ct);
                db.ChangeTracker.Clear();
            }
        }
    }
}
