using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Ledger;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Reconciliation;

/// <summary>
/// 学户普查 (decision 0031): a village cadre visits every household and records its children on a phone, including
/// children with no household registration (无户籍) and floating children. Each child is merged as it is recorded:
/// by the ID's keyed hash, else by name, birth date and gender, against the registry (in school or not) and the
/// household data. A child of compulsory age found in school nowhere goes to the ledger as 适龄未入学 (source key: the
/// census child, so a retried visit reports nobody twice).
/// </summary>
public static class Census
{
    public sealed record ChildInput(string? Name, string? IdNumber, Gender? Gender, DateOnly? BirthDate, bool NoRegistration, bool Floating, string? SchoolSaid);

    public sealed record VisitCommand(string? DivisionCode, string? HeadName, string? Address, DateOnly? VisitedOn, string? ClientKey, IReadOnlyList<ChildInput>? Children);

    public static async Task<Outcome<CensusVisit>> RecordAsync(BaoxueDb db, ILedgerIntake ledger, PersonalData personal, ReconciliationOptions options, VisitCommand c, CancellationToken ct = default)
    {
        if (c.ClientKey is { Length: > 0 } key)
        {
            if (key.Length > 64)
            {
                return Outcome<CensusVisit>.Invalid("ClientKey", "Census.ClientKeyTooLong");
            }
            // A retried submission (the phone lost its connection): the visit already recorded is the answer.
            if (await db.CensusVisits.AsNoTracking().Include(v => v.Children).FirstOrDefaultAsync(v => v.ClientKey == key, ct) is { } done)
            {
                return Outcome<CensusVisit>.Ok(done);
            }
        }
        var errors = new List<FieldError>();
        var village = c.DivisionCode is { Length: 12 } code
            ? await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Code == code && d.Level == DivisionLevel.Village, ct)
            : null;
        if (village is null || !db.Covers(village.Path))
        {
            village = null;
            errors.Add(new FieldError("DivisionCode", "Census.VillageRequired"));
        }
        if (string.IsNullOrWhiteSpace(c.HeadName) || c.HeadName.Trim().Length > 64)
        {
            errors.Add(new FieldError("HeadName", "Census.HeadRequired"));
        }
        if (string.IsNullOrWhiteSpace(c.Address) || c.Address.Trim().Length > 200)
        {
            errors.Add(new FieldError("Address", "Census.AddressRequired"));
        }
        var today = db.County.Today;
        if (c.VisitedOn is not { } visitedOn || visitedOn > today || visitedOn < today.AddYears(-1))
        {
            errors.Add(new FieldError("VisitedOn", "Census.VisitedOnRange"));
        }
        var children = new List<(ChildInput Input, IdNumberCheck? Id)>();
        var given = (c.Children ?? []).Where(x => !string.IsNullOrWhiteSpace(x.Name) || !string.IsNullOrWhiteSpace(x.IdNumber) || x.BirthDate is not null).ToList();
        for (var i = 0; i < given.Count; i++)
        {
            var x = given[i];
            var field = $"Children[{i}]";
            IdNumberCheck? id = null;
            if (!string.IsNullOrWhiteSpace(x.IdNumber))
            {
                id = IdNumber.Parse(x.IdNumber);
                if (!id.IsValid)
                {
                    errors.Add(new FieldError(field + ".IdNumber", "Census.IdInvalid", i + 1));
                }
            }
            if (string.IsNullOrWhiteSpace(x.Name) || x.Name.Trim().Length > 64)
            {
                errors.Add(new FieldError(field + ".Name", "Census.ChildNameRequired", i + 1));
            }
            var birth = x.BirthDate ?? (id is { IsValid: true } ? id.BirthDate : null);
            if (birth is not { } b || b > today || ReconciliationOptions.AgeOn(b, today) > 18)
            {
                errors.Add(new FieldError(field + ".BirthDate", "Census.BirthRange", i + 1));
            }
            if ((x.Gender ?? (id is { IsValid: true } ? id.Gender : null)) is not { } g || !Enum.IsDefined(g))
            {
                errors.Add(new FieldError(field + ".Gender", "Census.GenderRequired", i + 1));
            }
            if (x.SchoolSaid is { Length: > 100 })
            {
                errors.Add(new FieldError(field + ".SchoolSaid", "Census.SchoolTooLong", i + 1));
            }
            children.Add((x, id));
        }
        if (errors.Count > 0)
        {
            return Outcome<CensusVisit>.Invalid(errors);
        }
        var visit = new CensusVisit
        {
            DivisionCode = village!.Code, HeadName = c.HeadName!.Trim(), Address = c.Address!.Trim(), VisitedOn = c.VisitedOn!.Value,
            RecordedBy = db.CurrentUser.UserName ?? "system", RecordedAt = db.County.UtcNow, ClientKey = string.IsNullOrEmpty(c.ClientKey) ? null : c.ClientKey, Path = village.Path,
        };
        db.CensusVisits.Add(visit);
        var cutOff = options.DefaultCutOff(today);
        var reports = new List<(CensusChild Child, string? Id)>();
        foreach (var (x, id) in children)
        {
            var normalized = id is { IsValid: true } ? id.Normalized : null;
            var child = new CensusChild
            {
                VisitId = visit.Id, Name = x.Name!.Trim(), Gender = x.Gender ?? id!.Gender, BirthDate = x.BirthDate ?? id!.BirthDate,
                NoRegistration = x.NoRegistration, Floating = x.Floating, SchoolSaid = string.IsNullOrWhiteSpace(x.SchoolSaid) ? null : x.SchoolSaid.Trim(),
                IdNumberCipher = normalized is null ? null : personal.Encrypt(normalized), IdNumberHash = normalized is null ? null : personal.Hash(normalized),
                IdNumberMasked = normalized is null ? null : IdNumber.Mask(normalized), Path = village.Path,
            };
            await MergeAsync(db, child, ct);
            visit.Children.Add(child);
            if (child.Match is CensusMatch.HouseholdOnly or CensusMatch.Unknown && ReconciliationOptions.Compulsory(options.Band(child.BirthDate, cutOff)))
            {
                reports.Add((child, normalized));
            }
        }
        foreach (var (child, id) in reports)
        {
            var intake = await ledger.ReportAsync(new LedgerReport(null,
                new UnregisteredChild(child.Name, id, child.BirthDate, child.Gender, visit.DivisionCode, visit.Address),
                LedgerList.NotEnrolled, LedgerSource.Reconciliation, "census:" + child.Id.ToString("N"),
                child.NoRegistration ? "学户普查：入户登记的无户籍适龄儿童，未在学" : "学户普查：入户登记的适龄儿童，学籍系统中未找到", today), ct);
            child.LedgerEntryId = intake.EntryId;
        }
        return await db.SaveAsync(visit, ct);
    }

    /// <summary>The child against the whole deployment's registry (a child may be at school elsewhere) and the household data.</summary>
    private static async Task MergeAsync(BaoxueDb db, CensusChild child, CancellationToken ct)
    {
        var students = db.Students.IgnoreQueryFilters().AsNoTracking();
        var student = child.IdNumberHash is { } hash
            ? await students.Where(s => s.IdNumberHash == hash).Select(s => new { s.Id, s.Status, School = s.School!.Name }).FirstOrDefaultAsync(ct)
            : null;
        student ??= await students.Where(s => s.Name == child.Name && s.BirthDate == child.BirthDate && s.Gender == child.Gender)
            .OrderBy(s => s.Status == StudentStatus.InSchool || s.Status == StudentStatus.Suspended ? 0 : 1).ThenBy(s => s.Id)
            .Select(s => new { s.Id, s.Status, School = s.School!.Name }).FirstOrDefaultAsync(ct);
        var households = db.HouseholdChildren.IgnoreQueryFilters().AsNoTracking();
        var household = child.IdNumberHash is { } h
            ? await households.Where(x => x.IdNumberHash == h).Select(x => (Guid?)x.Id).FirstOrDefaultAsync(ct)
            : null;
        household ??= await households.Where(x => x.Name == child.Name && x.BirthDate == child.BirthDate && x.Gender == child.Gender).OrderBy(x => x.Id).Select(x => (Guid?)x.Id).FirstOrDefaultAsync(ct);
        child.HouseholdChildId = household;
        child.StudentId = student?.Id;
        child.SchoolName = student?.School;
        child.Match = student is null ? household is null ? CensusMatch.Unknown : CensusMatch.HouseholdOnly
            : student.Status is StudentStatus.InSchool or StudentStatus.Suspended ? CensusMatch.InSchool : CensusMatch.RegistryNotInSchool;
    }

    public sealed record ProgressRow(string Path, string Township, string Village, int Visits, int Children, int InSchool, int NotInSchool, int NoRegistration, int Floating,
        int HouseholdChildren, int HouseholdSeen, CensusLevel Level = CensusLevel.Village);

    public enum CensusLevel
    {
        Village = 0,
        /// <summary>The sum of the township's villages, after them.</summary>
        Township = 1,
        /// <summary>The sum of every village in the user's jurisdiction (the county's total for the county), last.</summary>
        Total = 2,
    }

    /// <summary>
    /// Progress per village under the user's jurisdiction: visits, children by what the merge found, and how much of the
    /// household data the census has seen; each township's villages followed by the township's total, the jurisdiction's total last.
    /// </summary>
    public static async Task<IReadOnlyList<ProgressRow>> ProgressAsync(BaoxueDb db, CancellationToken ct = default)
    {
        var villages = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Village)
            .Select(d => new { d.Path, d.Name, Township = db.Divisions.Where(t => t.Id == d.ParentId).Select(t => new { t.Path, t.Name }).FirstOrDefault() }).ToListAsync(ct);
        var visits = await db.CensusVisits.AsNoTracking().GroupBy(v => v.Path).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var children = await db.CensusChildren.AsNoTracking().GroupBy(x => new { x.Path, x.Match, x.NoRegistration, x.Floating })
            .Select(g => new { g.Key.Path, g.Key.Match, g.Key.NoRegistration, g.Key.Floating, Count = g.Count() }).ToListAsync(ct);
        var seen = await db.CensusChildren.AsNoTracking().Where(x => x.HouseholdChildId != null).GroupBy(x => x.Path)
            .Select(g => new { g.Key, Count = g.Select(x => x.HouseholdChildId).Distinct().Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var household = await db.HouseholdChildren.AsNoTracking().GroupBy(x => x.Path).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var byPath = children.ToLookup(x => x.Path);
        var rows = new List<ProgressRow>();
        foreach (var township in villages.GroupBy(v => v.Township?.Path ?? "").OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var name = township.First().Township?.Name ?? "";
            var ofTownship = township.OrderBy(v => v.Path, StringComparer.Ordinal).Select(v =>
            {
                var c = byPath[v.Path].ToList();
                return new ProgressRow(v.Path, name, v.Name, visits.GetValueOrDefault(v.Path), c.Sum(x => x.Count), c.Where(x => x.Match == CensusMatch.InSchool).Sum(x => x.Count),
                    c.Where(x => x.Match != CensusMatch.InSchool).Sum(x => x.Count), c.Where(x => x.NoRegistration).Sum(x => x.Count), c.Where(x => x.Floating).Sum(x => x.Count),
                    household.GetValueOrDefault(v.Path), seen.GetValueOrDefault(v.Path));
            }).ToList();
            rows.AddRange(ofTownship);
            rows.Add(Sum(township.Key, name, "", ofTownship, CensusLevel.Township));
        }
        var villageRows = rows.Where(r => r.Level == CensusLevel.Village).ToList();
        rows.Add(Sum(db.ScopePath ?? "", "", "", villageRows, CensusLevel.Total));
        return rows;
    }

    private static ProgressRow Sum(string path, string township, string village, IReadOnlyCollection<ProgressRow> rows, CensusLevel level) =>
        new(path, township, village, rows.Sum(r => r.Visits), rows.Sum(r => r.Children), rows.Sum(r => r.InSchool), rows.Sum(r => r.NotInSchool), rows.Sum(r => r.NoRegistration),
            rows.Sum(r => r.Floating), rows.Sum(r => r.HouseholdChildren), rows.Sum(r => r.HouseholdSeen), level);

    public sealed record ChildRow(Guid Id, Guid VisitId, string Name, string? IdNumberMasked, Gender Gender, DateOnly BirthDate, bool NoRegistration, bool Floating,
        string? SchoolSaid, CensusMatch Match, string? SchoolName, bool OnLedger, string HeadName, string Address, DateOnly VisitedOn, string RecordedBy);

    /// <summary>The children recorded under the user's jurisdiction, latest visits first (page and API).</summary>
    public static IQueryable<ChildRow> Children(BaoxueDb db, CensusMatch? match) =>
        db.CensusChildren.AsNoTracking().Where(x => match == null || x.Match == match)
            .OrderByDescending(x => x.Visit!.VisitedOn).ThenByDescending(x => x.Visit!.RecordedAt).ThenBy(x => x.Id)
            .Select(x => new ChildRow(x.Id, x.VisitId, x.Name, x.IdNumberMasked, x.Gender, x.BirthDate, x.NoRegistration, x.Floating, x.SchoolSaid, x.Match, x.SchoolName,
                x.LedgerEntryId != null, x.Visit!.HeadName, x.Visit.Address, x.Visit.VisitedOn, x.Visit.RecordedBy));
}
