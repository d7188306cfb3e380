using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Reconciliation;

/// <summary>The reconciliation's lists, one query each, shared by the pages, the API and the exports.</summary>
public static class ReconciliationQueries
{
    public sealed record PlaceRow(string Path, string Name, int Children, int Compulsory, IReadOnlyDictionary<ReconciliationOutcome, int> Outcomes)
    {
        public int Count(ReconciliationOutcome o) => Outcomes.GetValueOrDefault(o);
    }

    public sealed record Summary(string Path, string Name, ReconciliationRun? LastRun, PlaceRow Total, IReadOnlyList<PlaceRow> Places);

    /// <summary>The latest run of the user's county (or of the county the user's place lies in).</summary>
    public static Task<ReconciliationRun?> LastRunAsync(BaoxueDb db, CancellationToken ct = default)
    {
        var scope = db.ScopePath;
        var county = scope is null ? null : PlacePath.County(scope);
        // Above the county (a city, a province): the latest run of any county below, never of a county elsewhere.
        return db.ReconciliationRuns.IgnoreQueryFilters().AsNoTracking().Where(r => county != null ? r.Path == county : scope == null || r.Path.StartsWith(scope))
            .OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Counts by outcome under a place (the user's jurisdiction by default), one row per place one level below it:
    /// the county's townships, a township's villages. Drill down by passing a row's path.
    /// </summary>
    public static async Task<Summary?> SummaryAsync(BaoxueDb db, string? place, CancellationToken ct = default)
    {
        var root = place ?? db.ScopePath ?? await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.County).OrderBy(d => d.Code).Select(d => d.Path).FirstOrDefaultAsync(ct) ?? "";
        if (!db.Covers(root) && !(db.ScopePath is { } s && root.StartsWith(s, StringComparison.Ordinal)))
        {
            return null;
        }
        var grouped = await db.ReconciliationResults.AsNoTracking().Where(r => r.Path.StartsWith(root))
            .GroupBy(r => new { r.Path, r.Outcome, r.AgeBand }).Select(g => new { g.Key.Path, g.Key.Outcome, g.Key.AgeBand, Count = g.Count() }).ToListAsync(ct);
        var names = await db.Divisions.AsNoTracking().Where(d => d.Path.StartsWith(root)).Select(d => new { d.Path, d.Name }).ToListAsync(ct);
        var nameOf = names.ToDictionary(n => n.Path, n => n.Name, StringComparer.Ordinal);
        var rootName = nameOf.GetValueOrDefault(root) ?? await db.Divisions.IgnoreQueryFilters().AsNoTracking().Where(d => d.Path == root).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? root;
        var byChild = grouped.GroupBy(g =>
        {
            var rest = g.Path.Length > root.Length ? g.Path[root.Length..] : "";
            var slash = rest.IndexOf('/');
            return slash < 0 ? root : root + rest[..(slash + 1)];
        });
        var places = byChild.Where(g => g.Key != root).Select(g => new PlaceRow(g.Key, nameOf.GetValueOrDefault(g.Key) ?? g.Key,
                g.Sum(x => x.Count), g.Where(x => ReconciliationOptions.Compulsory(x.AgeBand)).Sum(x => x.Count),
                g.GroupBy(x => x.Outcome).ToDictionary(x => x.Key, x => x.Sum(y => y.Count))))
            .OrderBy(p => p.Path, StringComparer.Ordinal).ToList();
        var total = new PlaceRow(root, rootName, grouped.Sum(x => x.Count), grouped.Where(x => ReconciliationOptions.Compulsory(x.AgeBand)).Sum(x => x.Count),
            grouped.GroupBy(x => x.Outcome).ToDictionary(x => x.Key, x => x.Sum(y => y.Count)));
        return new Summary(root, rootName, await LastRunAsync(db, ct), total, places);
    }

    public sealed record ChildRow(
        Guid ResultId, Guid ChildId, string Name, string? IdNumberMasked, Gender Gender, DateOnly BirthDate, AgeBand AgeBand, string DivisionCode, string? Place,
        string? HouseholdAddress, Residency Residency, ReconciliationOutcome Outcome, MatchKind Match, string? SchoolName, string? NearestSchool, string? Evidence,
        string? DecidedBy, bool OnLedger, int Version);

    /// <summary>
    /// The children under a place with their outcome (or behind one count of a school's row in <see cref="BySchoolAsync"/>),
    /// in pinyin order.
    /// </summary>
    public sealed record ChildFilter(ReconciliationOutcome? Outcome, string? Place, bool CompulsoryOnly, IReadOnlyCollection<Guid>? ResultIds = null,
        Guid? School = null, SchoolCount? Count = null);

    /// <summary>The columns of the results by school that count household children (人籍分离 counts students: <see cref="Reverse"/>).</summary>
    public enum SchoolCount
    {
        /// <summary>Matched to a student of the school (in school here, elsewhere in the deployment, or special education).</summary>
        Matched = 1,
        /// <summary>The school is the nearest school of a child awaiting a decision.</summary>
        Awaiting = 2,
        /// <summary>The school is the nearest school of a compulsory-age child not found.</summary>
        NotFound = 3,
    }

    private static readonly ReconciliationOutcome[] MatchedOutcomes = [ReconciliationOutcome.InSchoolHere, ReconciliationOutcome.SpecialEducation, ReconciliationOutcome.InSchoolElsewhere];

    /// <summary>The children under a place with their outcome, in pinyin order.</summary>
    public static IQueryable<ChildRow> Children(BaoxueDb db, ChildFilter f)
    {
        var q = db.ReconciliationResults.AsNoTracking();
        if (f.School is { } school)
        {
            // A school's counts are read past the village scope for the schools in reach (BySchoolAsync): so are the
            // children behind them, and a school out of reach has none. Reach is asked on its own: inside a query that
            // ignores query filters, EF ignores the schools' scope filter too, and every school would be in reach.
            var inReach = db.Schools.Any(s => s.Id == school);
            var all = db.ReconciliationResults.IgnoreQueryFilters().AsNoTracking().Where(r => inReach);
            q = f.Count switch
            {
                SchoolCount.Awaiting => all.Where(r => r.NearestSchoolId == school && r.Outcome == ReconciliationOutcome.AwaitingDecision),
                SchoolCount.NotFound => all.Where(r => r.NearestSchoolId == school && r.Outcome == ReconciliationOutcome.NotFound
                    && (r.AgeBand == AgeBand.Primary || r.AgeBand == AgeBand.JuniorSecondary)),
                _ => all.Where(r => r.SchoolId == school && MatchedOutcomes.Contains(r.Outcome)),
            };
        }
        // A school sees the children it is the nearest school of (the school line of 两线劝返), wherever they live.
        else if (SchoolScope(db) is { } schoolPath)
        {
            q = db.ReconciliationResults.IgnoreQueryFilters().AsNoTracking().Where(r => r.NearestSchool!.Path == schoolPath);
        }
        if (f.Place is { Length: > 0 } place)
        {
            q = q.Where(r => r.Path.StartsWith(place));
        }
        if (f.Outcome is { } outcome)
        {
            q = q.Where(r => r.Outcome == outcome);
        }
        if (f.CompulsoryOnly)
        {
            q = q.Where(r => r.AgeBand == AgeBand.Primary || r.AgeBand == AgeBand.JuniorSecondary);
        }
        if (f.ResultIds is { } ids)
        {
            q = q.Where(r => ids.Contains(r.Id));
        }
        return q.OrderBy(r => r.HouseholdChild!.NameKey).ThenBy(r => r.Id).Select(r => new ChildRow(
            r.Id, r.HouseholdChildId, r.HouseholdChild!.Name, r.HouseholdChild.IdNumberMasked, r.HouseholdChild.Gender, r.HouseholdChild.BirthDate, r.AgeBand,
            r.HouseholdChild.DivisionCode, db.Divisions.Where(d => d.Code == r.HouseholdChild.DivisionCode).Select(d => d.Name).FirstOrDefault(),
            r.HouseholdChild.HouseholdAddress, r.HouseholdChild.Residency, r.Outcome, r.Match, r.SchoolName,
            r.NearestSchool == null ? null : r.NearestSchool.Name, r.Evidence, r.DecidedBy, r.LedgerEntryId != null, r.Version));
    }

    /// <summary>The user's school path when their jurisdiction is a school (its last code has ten digits), else null.</summary>
    public static string? SchoolScope(BaoxueDb db)
    {
        if (db.ScopePath is not { Length: > 1 } scope)
        {
            return null;
        }
        var trimmed = scope.TrimEnd('/');
        var last = trimmed[(trimmed.LastIndexOf('/') + 1)..];
        return last.Length == 10 ? scope : null;
    }

    public sealed record CandidateRow(
        Guid CandidateId, int Version, int Score, double NameSimilarity, int NameAgreement, int Days, int Place,
        Guid StudentId, string StudentName, string? StudentIdMasked, Gender StudentGender, DateOnly StudentBirthDate, string RegistryNumber, string? SchoolName, int Grade, StudentStatus Status);

    public sealed record QueueItem(ChildRow Child, IReadOnlyList<CandidateRow> Candidates)
    {
        public int Best => Candidates.Count == 0 ? 0 : Candidates.Max(c => c.Score);
    }

    /// <summary>The fuzzy queue: children waiting for a decision, best candidates first, each with the evidence of both sides.</summary>
    public static async Task<(IReadOnlyList<QueueItem> Items, int Total)> QueueAsync(BaoxueDb db, string? place, int skip, int take, CancellationToken ct = default)
    {
        var pending = db.MatchCandidates.AsNoTracking().Where(m => m.State == CandidateState.Pending);
        if (place is { Length: > 0 })
        {
            pending = pending.Where(m => m.Path.StartsWith(place));
        }
        var best = pending.GroupBy(m => m.ResultId).Select(g => new { ResultId = g.Key, Best = g.Max(m => m.Score) });
        var total = await best.CountAsync(ct);
        var page = await best.OrderByDescending(b => b.Best).ThenBy(b => b.ResultId).Skip(skip).Take(take).ToListAsync(ct);
        var ids = page.Select(p => p.ResultId).ToList();
        var children = await Children(db, new ChildFilter(null, place, false, ids)).ToListAsync(ct);
        // The candidate students may be at school outside the user's jurisdiction: shown by what the match needs (name,
        // masked ID, birth date, school), read past the registry's scope on purpose.
        var candidates = await db.MatchCandidates.AsNoTracking().Where(m => ids.Contains(m.ResultId) && m.State == CandidateState.Pending)
            .Join(db.Students.IgnoreQueryFilters(), m => m.StudentId, s => s.Id, (m, s) => new { m.ResultId, Row = new CandidateRow(
                m.Id, m.Version, m.Score, m.NameSimilarity, m.NameAgreement, m.Days, m.Place, s.Id, s.Name, s.IdNumberMasked, s.Gender, s.BirthDate, s.RegistryNumber,
                db.Schools.IgnoreQueryFilters().Where(x => x.Id == s.SchoolId).Select(x => x.Name).FirstOrDefault(), s.Grade, s.Status) })
            .ToListAsync(ct);
        var byResult = candidates.ToLookup(c => c.ResultId, c => c.Row);
        var items = page.Select(p => children.FirstOrDefault(c => c.ResultId == p.ResultId) is { } child
                ? new QueueItem(child, [.. byResult[p.ResultId].OrderByDescending(c => c.Score)])
                : null)
            .Where(i => i is not null).Select(i => i!).ToList();
        return (items, total);
    }

    public sealed record ReverseRow(Guid StudentId, string Name, string? IdNumberMasked, Gender Gender, DateOnly BirthDate, string? SchoolName, int Grade, ReverseKind Kind);

    public enum ReverseKind
    {
        /// <summary>人籍分离: in school here, no household record in the county.</summary>
        NoHousehold = 1,
        /// <summary>重复学籍: the same child (name, birth date, gender) registered twice.</summary>
        Duplicate = 2,
    }

    /// <summary>
    /// The reverse check: students in school in the user's jurisdiction with no household record here (人籍分离), and
    /// students registered twice (重复学籍: the ID is unique, so twice means once with it and once without, or with a
    /// mistyped one — same name, birth date and gender).
    /// </summary>
    public static IQueryable<ReverseRow> Reverse(BaoxueDb db, ReverseKind kind, Guid? school = null)
    {
        var inSchool = db.Students.AsNoTracking().Where(s => s.Status == StudentStatus.InSchool && (school == null || s.SchoolId == school));
        var q = kind == ReverseKind.NoHousehold
            ? NoHousehold(db).Where(s => school == null || s.SchoolId == school)
            : inSchool.Where(s => db.Students.IgnoreQueryFilters().Any(o => o.Id != s.Id && o.Name == s.Name && o.BirthDate == s.BirthDate && o.Gender == s.Gender
                && (o.Status == StudentStatus.InSchool || o.Status == StudentStatus.Suspended)));
        return q.OrderBy(s => s.NameKey).ThenBy(s => s.Id).Select(s => new ReverseRow(s.Id, s.Name, s.IdNumberMasked, s.Gender, s.BirthDate, s.School!.Name, s.Grade, kind));
    }

    /// <summary>人籍分离: students in school in the user's jurisdiction with no household record (the reverse check and the results by school).</summary>
    public static IQueryable<Student> NoHousehold(BaoxueDb db) =>
        db.Students.AsNoTracking().Where(s => s.Status == StudentStatus.InSchool
            && (s.IdNumberHash == null || !db.HouseholdChildren.IgnoreQueryFilters().Any(h => h.IdNumberHash == s.IdNumberHash)));

    public sealed record SchoolRow(Guid SchoolId, string Name, string Path, int Matched, int Awaiting, int NotFound, int NoHousehold)
    {
        public int Discrepancies => Awaiting + NotFound + NoHousehold;
    }

    /// <summary>
    /// A run's results by school under the user's jurisdiction (page, API, print and xlsx): children matched to a
    /// student of the school; children it is the nearest school of still awaiting a decision or not found (compulsory
    /// age); and its in-school students with no household record (人籍分离). Schools with nothing to show are left out.
    /// </summary>
    public static async Task<IReadOnlyList<SchoolRow>> BySchoolAsync(BaoxueDb db, CancellationToken ct = default)
    {
        var schools = await db.Schools.AsNoTracking().Select(s => new { s.Id, s.Name, s.Path }).ToListAsync(ct);
        var ids = schools.Select(s => s.Id).ToList();
        // Results are scoped by the child's village; a school's count is read past that scope for the schools in reach.
        var results = db.ReconciliationResults.IgnoreQueryFilters().AsNoTracking();
        var matched = await results.Where(r => r.SchoolId != null && ids.Contains(r.SchoolId.Value) && MatchedOutcomes.Contains(r.Outcome))
            .GroupBy(r => r.SchoolId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var open = await results.Where(r => r.NearestSchoolId != null && ids.Contains(r.NearestSchoolId.Value)
                && (r.Outcome == ReconciliationOutcome.AwaitingDecision || (r.Outcome == ReconciliationOutcome.NotFound && (r.AgeBand == AgeBand.Primary || r.AgeBand == AgeBand.JuniorSecondary))))
            .GroupBy(r => new { School = r.NearestSchoolId!.Value, r.Outcome }).Select(g => new { g.Key.School, g.Key.Outcome, Count = g.Count() }).ToListAsync(ct);
        var noHousehold = await NoHousehold(db).GroupBy(s => s.SchoolId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return [.. schools.Select(s => new SchoolRow(s.Id, s.Name, s.Path, matched.GetValueOrDefault(s.Id),
                open.Where(o => o.School == s.Id && o.Outcome == ReconciliationOutcome.AwaitingDecision).Sum(o => o.Count),
                open.Where(o => o.School == s.Id && o.Outcome == ReconciliationOutcome.NotFound).Sum(o => o.Count),
                noHousehold.GetValueOrDefault(s.Id)))
            .Where(r => r.Matched + r.Discrepancies > 0)
            .OrderBy(r => r.Path, StringComparer.Ordinal)];
    }
}
