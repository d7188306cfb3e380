using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Ledger;
using Baoxue.Features.Reconciliation;
using Baoxue.Features.Reconciliation.Matching;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Demo;

/// <summary>
/// The demo county's household data (户籍数据) as public security would deliver it: most compulsory-age students
/// with their ID; some without one or with the name written differently (同音字, 繁体) — these wait in the fuzzy
/// queue; about 2% of children who are in no school at all (not found, on the ledger); and floating children.
/// Then one reconciliation run, so the pages have results to show.
/// </summary>
public static class DemoHouseholds
{
    public static async Task SeedAsync(BaoxueDb db, IServiceProvider services, DemoOptions o, CancellationToken ct)
    {
        if (o.Students <= 0)
        {
            return;
        }
        var personal = services.GetRequiredService<PersonalData>();
        var random = new Random(o.Seed + 11);
        var names = new ChineseNames(o.Seed + 12);
        var now = db.County.UtcNow;
        var today = db.County.Today;
        var county = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.County).OrderBy(d => d.Code).FirstAsync(ct);
        var villages = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Village).Select(d => new { d.Id, d.Code, d.Path, d.ParentId }).ToListAsync(ct);
        var schoolPlace = await db.Schools.AsNoTracking().Select(s => new { s.Id, s.TownshipId, s.VillageId }).ToDictionaryAsync(s => s.Id, ct);
        var students = await db.Students.AsNoTracking().Where(s => s.IdNumberCipher != null && s.Status == StudentStatus.InSchool)
            .Select(s => new { s.Name, s.IdNumberCipher, s.Gender, s.BirthDate, s.Ethnicity, s.SchoolId }).ToListAsync(ct);
        var children = new List<(HouseholdChild Child, string? Id)>(students.Count + students.Count / 20);
        foreach (var s in students)
        {
            var place = schoolPlace[s.SchoolId];
            var near = villages.Where(v => v.Id == place.VillageId || v.ParentId == place.TownshipId).ToList();
            var village = near.Count > 0 ? near[random.Next(near.Count)] : villages[random.Next(villages.Count)];
            var id = personal.Decrypt(s.IdNumberCipher!);
            var roll = random.NextDouble();
            var name = s.Name;
            string? keptId = id;
            if (roll < 0.015)
            {
                // No ID in the household extract, and the name typed by its reading.
                keptId = null;
                var at = name.Length - 1;
                if (NameForms.Homophone(name[at], random.Next(5)) is { } other)
                {
                    name = name[..at] + other;
                }
            }
            else if (roll < 0.025)
            {
                keptId = null;
                name = NameForms.Traditionalise(name);
            }
            children.Add((Child(name, s.Gender, s.BirthDate, s.Ethnicity, village.Code, village.Path, Residency.Resident, names, random, now), keptId));
        }
        // Children in no school: about 2% more, of every age 3–15, and a few floating children among them.
        var extra = Math.Max(5, students.Count / 50);
        for (var i = 0; i < extra; i++)
        {
            var village = villages[random.Next(villages.Count)];
            var gender = names.RandomGender();
            var birth = today.AddDays(-random.Next(3 * 365 + 1, 16 * 365 - 1));
            var id = names.IdNumberFor(county.Code, birth, gender);
            var residency = random.Next(10) == 0 ? Residency.Floating : Residency.Resident;
            children.Add((Child(names.FullName(gender), gender, birth, "01", village.Code, village.Path, residency, names, random, now), id));
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var secrets = new (string Cipher, string Hash)?[children.Count];
        Parallel.For(0, children.Count, i => secrets[i] = children[i].Id is { } id ? (personal.Encrypt(id), personal.Hash(id)) : null);
        using (db.AuditAsBatch("demo"))
        {
            for (var i = 0; i < children.Count; i++)
            {
                var (child, id) = children[i];
                if (secrets[i] is { } secret)
                {
                    if (!seen.Add(secret.Hash))
                    {
                        continue;
                    }
                    child.IdNumberCipher = secret.Cipher;
                    child.IdNumberHash = secret.Hash;
                    child.IdNumberMasked = IdNumber.Mask(id!);
                }
                db.HouseholdChildren.Add(child);
            }
            await db.SaveChangesAsync(ct);
        }
        db.ChangeTracker.Clear();
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReconciliationOptions>>().Value;
        await RunReconciliation.HandleAsync(db, LedgerIntake.For(db, personal), personal, options, new RunReconciliation.Command(null), ct, county.Path);
        db.ChangeTracker.Clear();
    }

    private static HouseholdChild Child(string name, Gender gender, DateOnly birth, string? ethnicity, string code, string path, Residency residency, ChineseNames names, Random random, DateTime now)
    {
        var father = names.AdultName(Gender.Male);
        return new HouseholdChild
        {
            Name = name,
            Gender = gender,
            BirthDate = birth,
            Ethnicity = ethnicity,
            DivisionCode = code,
            Path = path,
            HouseholdAddress = $"{random.Next(1, 12)}组{random.Next(1, 80)}号",
            HouseholdType = random.Next(3) == 0 ? HouseholdType.NonAgricultural : HouseholdType.Agricultural,
            RelationToHead = gender == Gender.Male ? "子" : "女",
            GuardianName = father,
            GuardianPhone = names.MobilePhone(),
            Residency = residency,
            ImportedAt = now,
        };
    }
}
