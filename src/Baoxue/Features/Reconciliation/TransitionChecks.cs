using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Ledger;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Reconciliation;

/// <summary>
/// 小升初 and 幼升小 for one county and entry year (decision 0031). 小升初: every grade-6 leaver of the county (graduated
/// in the year before the cut-off) must be a grade-7 student somewhere in the deployment. 幼升小: every household child
/// of the county aged <see cref="ReconciliationOptions.EntryAge"/> on the cut-off must be a grade-1 student somewhere
/// (or have an approved deferral). Found by the ID's keyed hash, or by name, birth date and gender without one.
/// </summary>
/// <remarks>
/// The missing are kept as <see cref="TransitionCase"/> rows so that a rerun adds nobody twice, notices who has since
/// been found, and keeps a person's follow-up. After the deadline (<see cref="ReconciliationOptions.TransitionDeadline"/>)
/// those still missing and not explained go to the ledger through <see cref="ILedgerIntake"/>: a leaver as 疑似辍学, a
/// child of entry age as 适龄未入学; the source key is the case, so a rerun reports nobody twice.
/// </remarks>
public static class TransitionChecks
{
    public sealed record Command(TransitionKind? Kind, int? Year);

    public sealed record Result(TransitionKind Kind, int Year, DateOnly CutOff, DateOnly Deadline, int Checked, int Missing, int Found, int Reported);

    /// <param name="Self">The leaver's own record when it is already a grade-7 student (the registry keeps one record per child).</param>
    private sealed record Subject(Guid Id, string Name, Gender Gender, DateOnly BirthDate, string? Hash, string? Masked, string? From, string Path, Guid? Self = null);

    public static async Task<Outcome<Result>> RunAsync(BaoxueDb db, ILedgerIntake ledger, PersonalData personal, ReconciliationOptions options, Command c, CancellationToken ct = default, string? countyPath = null)
    {
        var scope = db.ScopePath ?? countyPath;
        var county = scope is null ? null : await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Path == scope && d.Level == DivisionLevel.County, ct);
        if (county is null)
        {
            return Outcome<Result>.Invalid("Path", "Recon.CountyOnly");
        }
        if (c.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            return Outcome<Result>.Invalid("Kind", "Transition.KindRequired");
        }
        var today = db.County.Today;
        var year = c.Year ?? options.DefaultCutOff(today).Year;
        if (year < today.Year - 5 || year > today.Year + 1)
        {
            return Outcome<Result>.Invalid("Year", "Transition.YearRange");
        }
        var cutOff = options.CutOffOf(year);
        var deadline = options.TransitionDeadline(year);
        var now = db.County.UtcNow;

        var subjects = kind == TransitionKind.PrimaryToJunior
            ? await Leavers(db, county.Path, cutOff, ct)
            : await EntryAgeChildren(db, county.Path, cutOff, options, ct);

        // The entrants of the deployment (a child may start school in another county): the grade, in school.
        var grade = kind == TransitionKind.PrimaryToJunior ? 7 : 1;
        var entrants = await db.Students.IgnoreQueryFilters().AsNoTracking()
            .Where(s => (s.Grade == grade && (s.Status == StudentStatus.InSchool || s.Status == StudentStatus.Suspended))
                || (kind == TransitionKind.EntryToPrimary && (s.Status == StudentStatus.Deferred || s.Status == StudentStatus.Exempted)))
            .Select(s => new { s.Id, s.IdNumberHash, s.Name, s.BirthDate, s.Gender }).ToListAsync(ct);
        var byHash = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var byPerson = new Dictionary<(string, DateOnly, Gender), Guid>();
        foreach (var e in entrants)
        {
            if (e.IdNumberHash is { } h)
            {
                byHash.TryAdd(h, e.Id);
            }
            byPerson.TryAdd((e.Name, e.BirthDate, e.Gender), e.Id);
        }
        Guid? Entrant(Subject s) =>
            s.Self is { } self ? self
            : s.Hash is { } h && byHash.TryGetValue(h, out var id) ? id
            : byPerson.TryGetValue((s.Name, s.BirthDate, s.Gender), out id) ? id
            : null;

        var cases = await db.TransitionCases.IgnoreQueryFilters().Where(x => x.Kind == kind && x.Year == year && x.Path.StartsWith(county.Path))
            .ToDictionaryAsync(x => x.SubjectId, ct);
        int missing = 0, found = 0, reported = 0;
        var toReport = new List<(TransitionCase Case, Subject Subject)>();
        using (db.AuditAsBatch(kind == TransitionKind.PrimaryToJunior ? "小升初核查" : "幼升小核查"))
        {
            foreach (var s in subjects)
            {
                var entrant = Entrant(s);
                cases.TryGetValue(s.Id, out var tc);
                if (entrant is { } studentId)
                {
                    found++;
                    if (tc is { State: TransitionState.Missing })
                    {
                        tc.State = TransitionState.Found;
                        tc.FoundStudentId = studentId;
                        tc.CheckedAt = now;
                    }
                    continue;
                }
                missing++;
                if (tc is null)
                {
                    tc = new TransitionCase
                    {
                        Kind = kind, Year = year, SubjectId = s.Id, Name = s.Name, Gender = s.Gender, BirthDate = s.BirthDate,
                        IdNumberMasked = s.Masked, From = s.From, Path = s.Path, CheckedAt = now,
                    };
                    db.TransitionCases.Add(tc);
                    cases[s.Id] = tc;
                }
                else if (tc.State == TransitionState.Found)
                {
                    tc.State = TransitionState.Missing;
                    tc.FoundStudentId = null;
                }
                tc.CheckedAt = now;
                if (tc.State == TransitionState.Missing && today > deadline)
                {
                    toReport.Add((tc, s));
                }
            }
            foreach (var (tc, s) in toReport)
            {
                var sourceKey = $"transition:{(int)kind}:{year}:{s.Id:N}";
                LedgerIntakeResult intake;
                if (kind == TransitionKind.PrimaryToJunior)
                {
                    intake = await ledger.ReportAsync(new LedgerReport(s.Id, null, LedgerList.SuspectedDropout, LedgerSource.Reconciliation, sourceKey,
                        "小升初核查：小学毕业后未在任何初中入学", today), ct);
                }
                else
                {
                    var stored = await db.HouseholdChildren.IgnoreQueryFilters().AsNoTracking().Where(h => h.Id == s.Id)
                        .Select(h => new { h.IdNumberCipher, h.DivisionCode, h.HouseholdAddress }).FirstAsync(ct);
                    intake = await ledger.ReportAsync(new LedgerReport(null,
                        new UnregisteredChild(s.Name, stored.IdNumberCipher is { } cipher ? personal.Decrypt(cipher) : null, s.BirthDate, s.Gender, stored.DivisionCode, stored.HouseholdAddress),
                        LedgerList.NotEnrolled, LedgerSource.Reconciliation, sourceKey, "幼升小核查：已达入学年龄，未在一年级入学", today), ct);
                }
                tc.State = TransitionState.Reported;
                tc.LedgerEntryId = intake.EntryId;
                reported++;
            }
        }
        db.Audit(AuditAction.Create, nameof(TransitionCase), null, county.Path,
            System.Text.Json.JsonSerializer.Serialize(new { kind = kind.ToString(), year, @checked = subjects.Count, missing, found, reported }));
        await db.SaveChangesAsync(ct);
        return Outcome<Result>.Ok(new Result(kind, year, cutOff, deadline, subjects.Count, missing, found, reported));
    }

    /// <summary>
    /// Grade-6 leavers of the county: students whose graduation from a primary school (not a nine-year school, where
    /// grade 7 follows inside the school) took effect in the twelve months up to the cut-off, wherever they are now.
    /// </summary>
    private static async Task<List<Subject>> Leavers(BaoxueDb db, string countyPath, DateOnly cutOff, CancellationToken ct)
    {
        var from = cutOff.AddYears(-1);
        var graduations = db.StatusChanges.IgnoreQueryFilters().Where(x => x.Kind == StatusChangeKind.Graduation && x.State == StatusChangeState.Approved
            && x.EffectiveOn > from && x.EffectiveOn <= cutOff);
        var rows = await graduations
            .Join(db.Schools.IgnoreQueryFilters().Where(sc => sc.Path.StartsWith(countyPath) && (sc.Kind == SchoolKind.Primary || sc.Kind == SchoolKind.TeachingPoint)),
                x => x.FromSchoolId, sc => sc.Id, (x, sc) => new { x.StudentId, SchoolName = sc.Name, SchoolPath = sc.Path })
            .Join(db.Students.IgnoreQueryFilters(), x => x.StudentId, s => s.Id, (x, s) => new
            {
                s.Id, s.Name, s.Gender, s.BirthDate, s.IdNumberHash, s.IdNumberMasked, x.SchoolName, x.SchoolPath,
                Entered = s.Grade == 7 && (s.Status == StudentStatus.InSchool || s.Status == StudentStatus.Suspended),
            })
            .AsNoTracking().ToListAsync(ct);
        // The case is kept under the primary school left: its users follow the leaver up.
        return [.. rows.DistinctBy(r => r.Id).Select(r => new Subject(r.Id, r.Name, r.Gender, r.BirthDate, r.IdNumberHash, r.IdNumberMasked, r.SchoolName, r.SchoolPath, r.Entered ? r.Id : null))];
    }

    /// <summary>Household children of the county of entry age on the cut-off.</summary>
    private static async Task<List<Subject>> EntryAgeChildren(BaoxueDb db, string countyPath, DateOnly cutOff, ReconciliationOptions options, CancellationToken ct)
    {
        var (bornAfter, bornBy) = EntryBirths(cutOff, options);
        return await db.HouseholdChildren.IgnoreQueryFilters().AsNoTracking()
            .Where(h => h.Path.StartsWith(countyPath) && h.BirthDate > bornAfter && h.BirthDate <= bornBy)
            .Select(h => new Subject(h.Id, h.Name, h.Gender, h.BirthDate, h.IdNumberHash, h.IdNumberMasked,
                db.Divisions.Where(d => d.Code == h.DivisionCode).Select(d => d.Name).FirstOrDefault(), h.Path))
            .ToListAsync(ct);
    }

    /// <summary>Birth dates of the children aged exactly <see cref="ReconciliationOptions.EntryAge"/> on the cut-off.</summary>
    public static (DateOnly BornAfter, DateOnly BornBy) EntryBirths(DateOnly cutOff, ReconciliationOptions options) =>
        (cutOff.AddYears(-options.EntryAge - 1), cutOff.AddYears(-options.EntryAge));

    public sealed record FollowUpCommand(Guid Id, string? Note, int? Version);

    /// <summary>A person explains a missing child (school outside the deployment, moved away…): the case leaves the list and stays off the ledger.</summary>
    public static async Task<Outcome<TransitionCase>> FollowUpAsync(BaoxueDb db, FollowUpCommand c, CancellationToken ct = default)
    {
        var tc = await db.TransitionCases.FirstOrDefaultAsync(x => x.Id == c.Id, ct);
        if (tc is null)
        {
            return Outcome<TransitionCase>.Missing();
        }
        if (string.IsNullOrWhiteSpace(c.Note))
        {
            return Outcome<TransitionCase>.Invalid("Note", "Transition.NoteRequired");
        }
        if (c.Note.Trim().Length > 500)
        {
            return Outcome<TransitionCase>.Invalid("Note", "Transition.NoteTooLong");
        }
        if (tc.State is not TransitionState.Missing || (c.Version is { } v && v != tc.Version))
        {
            return Outcome<TransitionCase>.Conflicted();
        }
        tc.State = TransitionState.FollowedUp;
        tc.FollowUp = c.Note.Trim();
        tc.FollowUpBy = db.CurrentUser.UserName;
        tc.FollowUpAt = db.County.UtcNow;
        return await db.SaveAsync(tc, ct);
    }

    /// <summary>The cases of a kind and year under the user's jurisdiction, in pinyin order (page, API and export).</summary>
    public static IQueryable<TransitionCase> List(BaoxueDb db, TransitionKind kind, int year, TransitionState? state) =>
        db.TransitionCases.AsNoTracking().Where(x => x.Kind == kind && x.Year == year && (state == null || x.State == state))
            .OrderBy(x => x.NameKey).ThenBy(x => x.Id);
}
