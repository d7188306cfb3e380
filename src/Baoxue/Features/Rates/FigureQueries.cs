using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Rates;

/// <summary>
/// The one read of prepared figures, for the pages and the API alike: a place's rates against target, its counts, its
/// child places side by side and its trend over the snapshots. It reads a few hundred <see cref="FigureRow"/>s, never the
/// registry; what the user may read is the rows under their own path (the rows' query filter).
/// </summary>
public static class FigureQueries
{
    public sealed record SetInfo(Guid Id, FigureSetKind Kind, DateOnly AsOf, DateTime TakenAt, string TakenBy, string? Note, int Rows, int Milliseconds);

    /// <summary>A place of any level: a division (province … township, village) or a school.</summary>
    public sealed record Place(string Path, string Code, string Name, int Depth, DivisionLevel? Level, Guid? SchoolId, Guid? DivisionId);

    public sealed record RateFigure(string Rate, long Numerator, long Denominator, decimal? Percent, decimal Target, bool IsShort);

    public sealed record Count(string Measure, string Dimension, long Value);

    public sealed record ChildLine(Place Place, IReadOnlyList<RateFigure> Rates, long Enrolled, long Ledger, long Cases, long Overdue);

    public sealed record TrendPoint(Guid SetId, FigureSetKind Kind, DateOnly AsOf, IReadOnlyList<RateFigure> Rates);

    public sealed record Board(Place Place, IReadOnlyList<Place> Trail, SetInfo Set, IReadOnlyList<RateFigure> Rates, IReadOnlyList<Count> Counts,
        IReadOnlyList<ChildLine> Children, IReadOnlyList<TrendPoint> Trend);

    public static SetInfo Info(FigureSet s) => new(s.Id, s.Kind, s.AsOf, s.TakenAt, s.TakenBy, s.Note, s.Rows, s.Milliseconds);

    /// <summary>
    /// The set to read: the newest complete one for today (no date), or for a past date the newest frozen snapshot taken on
    /// or before it, so a figure filed then still reads the same.
    /// </summary>
    public static async Task<FigureSet?> SetAsync(BaoxueDb db, DateOnly? asOf, Guid? setId, CancellationToken ct = default)
    {
        var sets = db.FigureSets.AsNoTracking().Where(s => s.IsComplete);
        if (setId is { } id)
        {
            return await sets.FirstOrDefaultAsync(s => s.Id == id, ct);
        }
        if (asOf is { } date && date < db.County.Today)
        {
            return await sets.Where(s => s.Kind != FigureSetKind.Current && s.AsOf <= date).OrderByDescending(s => s.AsOf).ThenByDescending(s => s.TakenAt).FirstOrDefaultAsync(ct);
        }
        return await sets.OrderByDescending(s => s.TakenAt).FirstOrDefaultAsync(ct);
    }

    /// <summary>The user's own place for figures: their jurisdiction, cut to the school level (a class's teacher reads the school's).</summary>
    public static string HomePath(BaoxueDb db) =>
        db.CurrentUser.ScopePath is { } scope ? FigureBuilder.Places(scope).LastOrDefault() ?? scope : "";

    /// <summary>A place by its path, or null when it is no place or outside what the user may read.</summary>
    public static async Task<Place?> PlaceAsync(BaoxueDb db, string path, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(path) || !path.EndsWith('/') || path.Length > 256 || db.CurrentUser.ScopePath is { } scope && !path.StartsWith(scope, StringComparison.Ordinal))
        {
            return null;
        }
        return (await PlacesAsync(db, [path], ct)).GetValueOrDefault(path);
    }

    private static async Task<Dictionary<string, Place>> PlacesAsync(BaoxueDb db, IReadOnlyCollection<string> paths, CancellationToken ct)
    {
        var found = new Dictionary<string, Place>();
        foreach (var d in await db.Divisions.IgnoreQueryFilters().AsNoTracking().Where(d => paths.Contains(d.Path)).Select(d => new { d.Id, d.Path, d.Code, d.Name, d.Level }).ToListAsync(ct))
        {
            found[d.Path] = new Place(d.Path, d.Code, d.Name, FigureBuilder.Depth(d.Path), d.Level, null, d.Id);
        }
        foreach (var s in await db.Schools.IgnoreQueryFilters().AsNoTracking().Where(s => paths.Contains(s.Path)).Select(s => new { s.Id, s.Path, s.Code, s.Name }).ToListAsync(ct))
        {
            found[s.Path] = new Place(s.Path, s.Code, s.Name, FigureBuilder.Depth(s.Path), null, s.Id, null);
        }
        return found;
    }

    /// <summary>The targets that apply along the path (set at the place or above it).</summary>
    public static async Task<Dictionary<(string Path, string Rate), decimal>> TargetsAsync(BaoxueDb db, string path, CancellationToken ct = default)
    {
        var up = FigureBuilder.Places(path).ToList();
        return await db.RateTargets.IgnoreQueryFilters().AsNoTracking().Where(t => up.Contains(t.Path)).ToDictionaryAsync(t => (t.Path, t.Rate), t => t.Percent, ct);
    }

    public static IReadOnlyList<RateFigure> Rates(IReadOnlyDictionary<(string Measure, string Dimension), long> rows, string path, IReadOnlyDictionary<(string Path, string Rate), decimal> targets) =>
        [.. RateRules.All.Select(rate =>
        {
            var v = RateRules.Compute(rate, p => rows.GetValueOrDefault((p.Measure, p.Dimension)));
            var target = RateRules.TargetAt(rate, path, targets);
            return new RateFigure(rate, v.Numerator, v.Denominator, v.Percent, target, RateRules.IsShort(v.Percent, target));
        })];

    public static async Task<Board?> BoardAsync(BaoxueDb db, string path, FigureSet set, CancellationToken ct = default)
    {
        if (await PlaceAsync(db, path, ct) is not { } place)
        {
            return null;
        }
        var dashboard = Measures.Dashboard.ToArray();
        var own = await db.FigureRows.AsNoTracking().Where(r => r.SetId == set.Id && r.Path == path && dashboard.Contains(r.Measure)).Select(r => new Count(r.Measure, r.Dimension, r.Value)).ToListAsync(ct);
        var targets = await TargetsAsync(db, path, ct);
        var byKey = own.ToDictionary(r => (r.Measure, r.Dimension), r => r.Value);

        // Child places: one index range of the next level, only the measures the comparison shows.
        var depth = place.Depth + 1;
        var shown = new[] { Measures.Enrolled, Measures.Ledger, Measures.Confirmed, Measures.EnrolledDisabled, Measures.ConfirmedDisabled, Measures.Cases, Measures.Overdue };
        var childRows = await db.FigureRows.AsNoTracking().Where(r => r.SetId == set.Id && r.Depth == depth && r.Path.StartsWith(path) && shown.Contains(r.Measure))
            .Select(r => new { r.Path, r.Measure, r.Dimension, r.Value }).ToListAsync(ct);
        var childPlaces = await PlacesAsync(db, [.. childRows.Select(r => r.Path).Distinct()], ct);
        var children = childRows.GroupBy(r => r.Path).Where(g => childPlaces.TryGetValue(g.Key, out var p) && p.Level != DivisionLevel.Village)
            .Select(g =>
            {
                var rows = g.ToDictionary(r => (r.Measure, r.Dimension), r => r.Value);
                var ledger = Enum.GetValues<LedgerList>().Sum(l => rows.GetValueOrDefault((Measures.Ledger, Measures.Dim(("list", l)))));
                return new ChildLine(childPlaces[g.Key], Rates(rows, g.Key, targets), rows.GetValueOrDefault((Measures.Enrolled, "")), ledger,
                    rows.GetValueOrDefault((Measures.Cases, "")), rows.GetValueOrDefault((Measures.Overdue, "")));
            })
            .OrderBy(c => c.Place.SchoolId is null ? 0 : 1).ThenBy(c => c.Place.Code, StringComparer.Ordinal).ToList();

        var trail = (await PlacesAsync(db, [.. FigureBuilder.Places(path)], ct)).Values
            .Where(p => db.CurrentUser.ScopePath is not { } scope || p.Path.StartsWith(scope, StringComparison.Ordinal) || p.Path == path)
            .OrderBy(p => p.Depth).ToList();
        return new Board(place, trail, Info(set), Rates(byKey, path, targets), own, children, await TrendAsync(db, path, set, targets, ct));
    }

    /// <summary>The rates at each frozen snapshot up to the set read (and that set itself), oldest first: the monthly trend.</summary>
    public static async Task<IReadOnlyList<TrendPoint>> TrendAsync(BaoxueDb db, string path, FigureSet set, IReadOnlyDictionary<(string Path, string Rate), decimal> targets, CancellationToken ct)
    {
        var sets = await db.FigureSets.AsNoTracking().Where(s => s.IsComplete && s.Kind != FigureSetKind.Current && s.TakenAt <= set.TakenAt)
            .OrderByDescending(s => s.TakenAt).Take(24).ToListAsync(ct);
        if (sets.All(s => s.Id != set.Id))
        {
            sets.Add(set);
        }
        // One point per day: the newest set of the day.
        sets = [.. sets.GroupBy(s => s.AsOf).Select(g => g.OrderByDescending(s => s.TakenAt).First()).OrderBy(s => s.AsOf)];
        var ids = sets.Select(s => s.Id).ToList();
        var measures = new[] { Measures.Enrolled, Measures.Ledger, Measures.Confirmed, Measures.EnrolledDisabled, Measures.ConfirmedDisabled };
        var rows = await db.FigureRows.AsNoTracking().Where(r => ids.Contains(r.SetId) && r.Path == path && measures.Contains(r.Measure))
            .Select(r => new { r.SetId, r.Measure, r.Dimension, r.Value }).ToListAsync(ct);
        var bySet = rows.ToLookup(r => r.SetId);
        return [.. sets.Select(s => new TrendPoint(s.Id, s.Kind, s.AsOf, Rates(bySet[s.Id].ToDictionary(r => (r.Measure, r.Dimension), r => r.Value), path, targets)))];
    }
}

/// <summary>
/// Where each figure drills down to: the registry's or the ledger's own list, with the filters that select exactly the
/// children the figure counts (the prepared rows are counted with the same conditions). The same query string serves the
/// page (/students, /ledger) and the API (/api/v1/students, /api/v1/ledger/entries). Null when no list can hold them: above the
/// user's own jurisdiction's level (a city above a county user), or a village.
/// </summary>
public static class FigureLinks
{
    public enum ListKind
    {
        Students,
        Ledger,
    }

    public sealed record Drill(ListKind Kind, string Query)
    {
        public string Page => (Kind == ListKind.Students ? "/students" : "/ledger") + "?" + Query;
        public string Api => (Kind == ListKind.Students ? "/api/v1/students" : "/api/v1/ledger/entries") + "?" + Query;

        /// <summary>What the user needs to open the list (a link to a list they may not read is not shown).</summary>
        public string Permission => Kind == ListKind.Students ? Domain.Permission.RegistryView : Domain.Permission.LedgerView;
    }

    public static Drill? For(FigureQueries.Place place, string? scope, string measure, string dimension)
    {
        var at = new List<string>();
        var d = Measures.Parse(dimension);
        var isStudents = measure is Measures.Enrolled or Measures.EnrolledGroup or Measures.EnrolledDisabled;
        if (place.SchoolId is { } school)
        {
            at.Add((isStudents ? "school=" : "schoolId=") + school);
        }
        else if (place.Level == DivisionLevel.Township && place.DivisionId is { } township)
        {
            at.Add("township=" + (isStudents ? township.ToString() : Uri.EscapeDataString(place.Code)));
        }
        else if (place.Level is DivisionLevel.County or DivisionLevel.City && place.DivisionId is { } division && place.Path != scope)
        {
            // A city or province user's county (or a province user's city): the lists narrowed to it.
            at.Add("division=" + (isStudents ? division.ToString() : Uri.EscapeDataString(place.Code)));
        }
        else if (place.Path != scope)
        {
            return null;
        }
        string V(string name) => Uri.EscapeDataString(d[name]);
        switch (measure)
        {
            case Measures.Enrolled:
                at.Add("status=InSchool");
                if (d.ContainsKey("grade"))
                {
                    at.Add("grade=" + V("grade"));
                }
                return new Drill(ListKind.Students, string.Join('&', at));
            case Measures.EnrolledGroup:
                at.Add("status=InSchool");
                at.Add("group=" + ((GroupKind)int.Parse(d["group"], System.Globalization.CultureInfo.InvariantCulture)));
                return new Drill(ListKind.Students, string.Join('&', at));
            case Measures.EnrolledDisabled:
                at.Add("status=InSchool");
                at.Add("disability=" + V("type"));
                return new Drill(ListKind.Students, string.Join('&', at));
            case Measures.Ledger when !d.ContainsKey("list"):
                // The three lists together (a place's open entries in the comparison below).
                at.Add("openOnly=true");
                return new Drill(ListKind.Ledger, string.Join('&', at));
            case Measures.Ledger:
                at.Add("list=" + (LedgerList)int.Parse(d["list"], System.Globalization.CultureInfo.InvariantCulture));
                at.Add(d.TryGetValue("state", out var state) ? "state=" + (LedgerEntryState)int.Parse(state, System.Globalization.CultureInfo.InvariantCulture) : "openOnly=true");
                if (d.ContainsKey("grade"))
                {
                    at.Add("grade=" + V("grade"));
                }
                if (d.ContainsKey("reason"))
                {
                    at.Add("reason=" + V("reason"));
                }
                if (d.TryGetValue("group", out var group))
                {
                    at.Add("group=" + (GroupKind)int.Parse(group, System.Globalization.CultureInfo.InvariantCulture));
                }
                return new Drill(ListKind.Ledger, string.Join('&', at));
            case Measures.Confirmed:
                at.Add("state=Confirmed");
                at.Add("grade=" + V("grade"));
                return new Drill(ListKind.Ledger, string.Join('&', at));
            case Measures.ConfirmedDisabled:
                at.Add("state=Confirmed");
                at.Add("disability=" + V("type"));
                return new Drill(ListKind.Ledger, string.Join('&', at));
            case Measures.Cases:
                at.Add("openCase=true");
                return new Drill(ListKind.Ledger, string.Join('&', at));
            case Measures.Overdue:
                at.Add("overdue=true");
                if (d.TryGetValue("step", out var step) && Enum.TryParse<LedgerStep>(step, ignoreCase: true, out var s))
                {
                    at.Add("step=" + s);
                }
                return new Drill(ListKind.Ledger, string.Join('&', at));
            case Measures.Funnel when d.TryGetValue("stage", out var stage) && Enum.TryParse<LedgerFunnelStage>(stage, ignoreCase: true, out var f):
                at.Add("stage=" + f);
                return new Drill(ListKind.Ledger, string.Join('&', at));
            default:
                return null;
        }
    }
}
