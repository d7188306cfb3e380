using System.Diagnostics;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Ledger;
using Baoxue.Features.Reconciliation.Matching;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Reconciliation;

/// <summary>
/// 人籍比对 for one county: every household child of the county against the whole deployment's registry. The
/// database supplies both sides in bulk (a few columns per row); matching runs in memory over arrays
/// (<see cref="ExactJoin"/>, then <see cref="FuzzyMatcher"/> for the rest); the results go back in one save.
/// </summary>
/// <remarks>
/// Reruns are idempotent: one result per child, updated in place; a person's decision (an accepted candidate, a
/// recorded outcome) is kept; rejected candidates are not proposed again; pending candidates are replaced by the new
/// ones; the ledger report's source key is the child, so a child is reported once however often the run is repeated.
/// </remarks>
public static class RunReconciliation
{
    public sealed record Command(DateOnly? CutOff);

    internal sealed record SchoolInfo(Guid Id, string Name, string Path, SchoolKind Kind, Guid TownshipId, Guid? VillageId, bool IsActive);

    /// <param name="countyPath">For the system (demo seeding, the command line): the county to run; users run their own.</param>
    public static async Task<Outcome<ReconciliationRun>> HandleAsync(BaoxueDb db, ILedgerIntake ledger, PersonalData personal, ReconciliationOptions options, Command c, CancellationToken ct = default, string? countyPath = null)
    {
        var scope = db.ScopePath ?? countyPath;
        var county = scope is null ? null : await db.Divisions.AsNoTracking().FirstOrDefaultAsync(d => d.Path == scope && d.Level == DivisionLevel.County, ct);
        if (county is null)
        {
            return Outcome<ReconciliationRun>.Invalid("Path", "Recon.CountyOnly");
        }
        var today = db.County.Today;
        var cutOff = c.CutOff ?? options.DefaultCutOff(today);
        if (cutOff > today.AddYears(1) || cutOff < today.AddYears(-5))
        {
            return Outcome<ReconciliationRun>.Invalid("CutOff", "Recon.CutOffRange");
        }
        var watch = Stopwatch.StartNew();
        var now = db.County.UtcNow;

        // Places as small integers: codes interned once.
        var places = new Dictionary<string, int>(StringComparer.Ordinal) { [""] = 0 };
        int Place(string? code) => string.IsNullOrEmpty(code) ? 0 : places.TryGetValue(code, out var p) ? p : places[code] = places.Count;
        var divisions = await db.Divisions.IgnoreQueryFilters().AsNoTracking().Select(d => new { d.Id, d.Code, d.Path, d.Level }).ToListAsync(ct);
        var divisionCode = divisions.ToDictionary(d => d.Id, d => d.Code);
        var divisionByCode = divisions.ToDictionary(d => d.Code, d => d.Id, StringComparer.Ordinal);
        var schools = (await db.Schools.IgnoreQueryFilters().AsNoTracking()
            .Select(s => new SchoolInfo(s.Id, s.Name, s.Path, s.Kind, s.TownshipId, s.VillageId, s.IsActive)).ToListAsync(ct)).ToDictionary(s => s.Id);

        // The household side: this county's children.
        var children = await db.HouseholdChildren.AsNoTracking().Where(h => h.Path.StartsWith(county.Path)).OrderBy(h => h.Id)
            .Select(h => new { h.Id, h.Name, h.IdNumberHash, h.BirthDate, h.Gender, h.DivisionCode, h.Path }).ToListAsync(ct);
        var left = new PersonTable(children.Count);
        foreach (var h in children)
        {
            var code = h.DivisionCode;
            left.Add(IdKey.FromHash(h.IdNumberHash), h.BirthDate, (byte)h.Gender, Place(code[..Math.Min(6, code.Length)]),
                Place(code.Length >= 9 ? code[..9] : null), Place(code.Length == 12 ? code : null), h.Name);
        }

        // The registry side: every student of the deployment (a child may be at school in another county).
        var students = await db.Students.IgnoreQueryFilters().AsNoTracking()
            .Select(s => new { s.Id, s.Name, s.IdNumberHash, s.BirthDate, s.Gender, s.SchoolId, s.Status }).ToListAsync(ct);
        var right = new PersonTable(students.Count);
        foreach (var s in students)
        {
            var school = schools.GetValueOrDefault(s.SchoolId);
            var township = school is null ? null : divisionCode.GetValueOrDefault(school.TownshipId);
            var village = school?.VillageId is { } v ? divisionCode.GetValueOrDefault(v) : null;
            right.Add(IdKey.FromHash(s.IdNumberHash), s.BirthDate, (byte)s.Gender, Place(township?[..6]), Place(township), Place(village), s.Name);
        }

        var exact = ExactJoin.Match(left.Keys(), right.Keys());
        var nearest = new NearestSchools(schools.Values);

        // What people decided before: kept.
        var results = await db.ReconciliationResults.Where(r => r.Path.StartsWith(county.Path)).ToDictionaryAsync(r => r.HouseholdChildId, ct);
        var candidates = await db.MatchCandidates.Where(m => m.Path.StartsWith(county.Path)).ToListAsync(ct);
        var rejected = candidates.Where(m => m.State == CandidateState.Rejected).Select(m => (m.ResultId, m.StudentId)).ToHashSet();
        var studentIndex = new Dictionary<Guid, int>(students.Count);
        for (var i = 0; i < students.Count; i++)
        {
            studentIndex[students[i].Id] = i;
        }
        var taken = new bool[students.Count];
        for (var i = 0; i < children.Count; i++)
        {
            if (exact.LeftToRight[i] >= 0)
            {
                taken[exact.LeftToRight[i]] = true;
            }
        }
        foreach (var r in results.Values.Where(r => r.DecidedByPerson && r.StudentId is { } id && studentIndex.ContainsKey(id)))
        {
            taken[studentIndex[r.StudentId!.Value]] = true;
        }

        var openLeft = new List<int>();
        for (var i = 0; i < children.Count; i++)
        {
            var decided = results.TryGetValue(children[i].Id, out var r) && r.DecidedByPerson;
            if (exact.LeftToRight[i] < 0 && !decided)
            {
                openLeft.Add(i);
            }
        }
        var openRight = new List<int>();
        for (var i = 0; i < students.Count; i++)
        {
            if (!taken[i])
            {
                openRight.Add(i);
            }
        }
        var fuzzy = new FuzzyMatcher(options.Fuzzy).Match(left, openLeft, right, openRight, out var pairs);
        var proposals = new Dictionary<int, List<Candidate>>(openLeft.Count);
        for (var k = 0; k < openLeft.Count; k++)
        {
            proposals[openLeft[k]] = fuzzy[k];
        }

        var run = new ReconciliationRun { CutOff = cutOff, StartedAt = now, StartedBy = db.CurrentUser.UserName ?? "system", Path = county.Path, Children = children.Count };
        db.ReconciliationRuns.Add(run);
        var pendingByResult = candidates.Where(m => m.State == CandidateState.Pending).ToLookup(m => m.ResultId);
        var reports = new List<(ReconciliationResult Result, HouseholdChildRef Child)>();
        using (db.AuditAsBatch("人籍比对"))
        {
            for (var i = 0; i < children.Count; i++)
            {
                var h = children[i];
                var band = options.Band(h.BirthDate, cutOff);
                if (!results.TryGetValue(h.Id, out var result))
                {
                    result = new ReconciliationResult { HouseholdChildId = h.Id, Path = h.Path };
                    db.ReconciliationResults.Add(result);
                    results[h.Id] = result;
                }
                result.RunId = run.Id;
                result.AgeBand = band;
                result.UpdatedAt = now;
                Guid? village = h.DivisionCode.Length == 12 && divisionByCode.TryGetValue(h.DivisionCode, out var vid) ? vid : null;
                Guid? township = h.DivisionCode.Length >= 9 && divisionByCode.TryGetValue(h.DivisionCode[..9], out var tid) ? tid : null;
                result.NearestSchoolId = nearest.For(village, township, band);
                if (result.DecidedByPerson)
                {
                    if (result.Outcome is ReconciliationOutcome.NotFound)
                    {
                        run.NotFound++;
                    }
                    continue;
                }
                var matchedAt = exact.LeftToRight[i];
                if (matchedAt >= 0)
                {
                    run.Exact++;
                    var s = students[matchedAt];
                    Apply(result, s.Id, s.Status, schools.GetValueOrDefault(s.SchoolId), county.Path, MatchKind.Exact);
                    foreach (var stale in pendingByResult[result.Id])
                    {
                        db.MatchCandidates.Remove(stale);
                    }
                    continue;
                }
                var proposed = proposals[i].Where(p => !rejected.Contains((result.Id, students[p.Right].Id))).ToList();
                var old = pendingByResult[result.Id].ToDictionary(m => m.StudentId);
                foreach (var p in proposed)
                {
                    var sid = students[p.Right].Id;
                    if (!old.Remove(sid, out var m))
                    {
                        m = new MatchCandidate { ResultId = result.Id, StudentId = sid, Path = h.Path };
                        db.MatchCandidates.Add(m);
                    }
                    m.Score = p.Score;
                    m.NameSimilarity = Math.Round(p.NameSimilarity, 4);
                    m.NameAgreement = (int)p.Name;
                    m.Days = p.Days;
                    m.Place = (int)p.Place;
                }
                foreach (var stale in old.Values)
                {
                    db.MatchCandidates.Remove(stale);
                }
                result.StudentId = null;
                result.SchoolId = null;
                result.SchoolName = null;
                result.Match = MatchKind.None;
                if (proposed.Count > 0)
                {
                    run.Candidates++;
                    result.Outcome = ReconciliationOutcome.AwaitingDecision;
                }
                else
                {
                    run.NotFound++;
                    result.Outcome = ReconciliationOutcome.NotFound;
                    if (ReconciliationOptions.Compulsory(band) && result.LedgerEntryId is null)
                    {
                        reports.Add((result, new HouseholdChildRef(h.Id, h.Name, h.BirthDate, h.Gender, h.DivisionCode)));
                    }
                }
            }
        }
        run.PairsScored = pairs;
        foreach (var (result, child) in reports)
        {
            await ReportAsync(db, ledger, personal, result, child, today, ct);
            run.Reported++;
        }
        run.Milliseconds = (int)watch.ElapsedMilliseconds;
        db.Audit(AuditAction.Create, nameof(ReconciliationRun), run.Id.ToString(), county.Path,
            System.Text.Json.JsonSerializer.Serialize(new { cutOff, run.Children, run.Exact, run.Candidates, run.NotFound, run.Reported }));
        await db.SaveChangesAsync(ct);
        return Outcome<ReconciliationRun>.Ok(run);
    }

    public sealed record HouseholdChildRef(Guid Id, string Name, DateOnly BirthDate, Gender Gender, string DivisionCode);

    /// <summary>The not-found child of compulsory age goes on the ledger as 适龄未入学, once (the source key is the child).</summary>
    public static async Task ReportAsync(BaoxueDb db, ILedgerIntake ledger, PersonalData personal, ReconciliationResult result, HouseholdChildRef child, DateOnly today, CancellationToken ct)
    {
        var stored = await db.HouseholdChildren.IgnoreQueryFilters().AsNoTracking().Where(h => h.Id == child.Id).Select(h => new { h.HouseholdAddress, h.IdNumberCipher }).FirstAsync(ct);
        var intake = await ledger.ReportAsync(new LedgerReport(
            null,
            new UnregisteredChild(child.Name, stored.IdNumberCipher is { } cipher ? personal.Decrypt(cipher) : null, child.BirthDate, child.Gender, child.DivisionCode, stored.HouseholdAddress),
            LedgerList.NotEnrolled,
            LedgerSource.Reconciliation,
            "reconciliation:" + child.Id.ToString("N"),
            "人籍比对：户籍在本地、学籍系统中未找到",
            today), ct);
        result.LedgerEntryId = intake.EntryId;
    }

    /// <summary>The outcome a registry record gives the child it matched.</summary>
    internal static void Apply(ReconciliationResult result, Guid studentId, StudentStatus status, SchoolInfo? school, string countyPath, MatchKind kind)
    {
        result.Match = kind;
        result.StudentId = studentId;
        result.SchoolId = school?.Id;
        result.SchoolName = school?.Name;
        var here = school is not null && school.Path.StartsWith(countyPath, StringComparison.Ordinal);
        result.Outcome = status switch
        {
            StudentStatus.InSchool or StudentStatus.Suspended => school?.Kind == SchoolKind.SpecialEducation ? ReconciliationOutcome.SpecialEducation
                : here ? ReconciliationOutcome.InSchoolHere : ReconciliationOutcome.InSchoolElsewhere,
            StudentStatus.Deferred or StudentStatus.Exempted => ReconciliationOutcome.DeferredOrExempted,
            StudentStatus.Deceased => ReconciliationOutcome.Deceased,
            StudentStatus.TransferredOut or StudentStatus.Emigrated => ReconciliationOutcome.MovedAway,
            StudentStatus.Graduated => ReconciliationOutcome.Graduated,
            _ => ReconciliationOutcome.LeftSchool,
        };
    }

    internal static async Task ApplyAsync(BaoxueDb db, ReconciliationResult result, Guid studentId, MatchKind kind, CancellationToken ct)
    {
        var s = await db.Students.IgnoreQueryFilters().AsNoTracking().Where(x => x.Id == studentId).Select(x => new { x.Status, x.SchoolId }).FirstAsync(ct);
        var school = await db.Schools.IgnoreQueryFilters().AsNoTracking().Where(x => x.Id == s.SchoolId)
            .Select(x => new SchoolInfo(x.Id, x.Name, x.Path, x.Kind, x.TownshipId, x.VillageId, x.IsActive)).FirstOrDefaultAsync(ct);
        Apply(result, studentId, s.Status, school, PlacePath.County(result.Path) ?? "", kind);
    }

    /// <summary>
    /// The school line of 两线劝返: for each place (village, then township) and level (primary, junior secondary),
    /// the first active school there of that level by name (a stable answer).
    /// </summary>
    internal sealed class NearestSchools
    {
        private readonly Dictionary<(Guid Place, bool Junior), Guid> _at = [];

        public NearestSchools(IEnumerable<SchoolInfo> schools)
        {
            foreach (var s in schools.Where(s => s.IsActive).OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                foreach (var junior in new[] { false, true })
                {
                    if (!Serves(s.Kind, junior))
                    {
                        continue;
                    }
                    if (s.VillageId is { } v)
                    {
                        _at.TryAdd((v, junior), s.Id);
                    }
                    _at.TryAdd((s.TownshipId, junior), s.Id);
                }
            }
        }

        private static bool Serves(SchoolKind kind, bool junior) => junior
            ? kind is SchoolKind.JuniorSecondary or SchoolKind.NineYear or SchoolKind.CompleteSecondary
            : kind is SchoolKind.Primary or SchoolKind.NineYear or SchoolKind.TeachingPoint;

        public Guid? For(Guid? village, Guid? township, AgeBand band)
        {
            var junior = band >= AgeBand.JuniorSecondary;
            if (village is { } v && _at.TryGetValue((v, junior), out var id))
            {
                return id;
            }
            return township is { } t && _at.TryGetValue((t, junior), out id) ? id : null;
        }
    }
}
