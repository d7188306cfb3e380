using System.Text.Json;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Reporting;

/// <summary>One grade's line of the statistical table (学年初/末登记统计表, and the grade table of every report).</summary>
public sealed record GradeRow(int Grade, int Classes, int Students, int Girls, int Minority, int LeftBehind, int Disabled, int Migrant, int Poverty)
{
    public static GradeRow Sum(IEnumerable<GradeRow> rows) => rows.Aggregate(new GradeRow(0, 0, 0, 0, 0, 0, 0, 0, 0), (a, r) =>
        new(0, a.Classes + r.Classes, a.Students + r.Students, a.Girls + r.Girls, a.Minority + r.Minority, a.LeftBehind + r.LeftBehind, a.Disabled + r.Disabled, a.Migrant + r.Migrant, a.Poverty + r.Poverty));
}

/// <summary>One unit's movement and loss in the period (流动、流失情况): a school in a county's circular, a county in a city's.</summary>
public sealed record UnitRow(string Name, int Students, int TransfersIn, int TransfersOut, int Suspended, int Resumed, int OtherLeft, int NewSuspected, int NewDropouts, int Returned, int OpenLedger);

/// <summary>A report's figures as generated, frozen into the report as JSON.</summary>
public sealed record ReportFigures(DateOnly From, DateOnly To, DateOnly AsOf, IReadOnlyList<GradeRow> Grades, GradeRow GradeTotal, IReadOnlyList<UnitRow> Units, UnitRow Total)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ReportFigures FromJson(string json) => JsonSerializer.Deserialize<ReportFigures>(json, Json)!;
}

/// <summary>
/// Counts the registry, the status changes and the ledger under one place for a period. On-roll counts and priority
/// groups are the registry as it stands when counted (the report records that day as its as-of date); movement and
/// the ledger's intake are counted by the dates they happened in the period.
/// </summary>
public static class FigureCounter
{
    private static readonly GroupKind[] Groups = [GroupKind.LeftBehind, GroupKind.Disabled, GroupKind.Migrant, GroupKind.PovertyRegistered];
    private static readonly StatusChangeKind[] Transfers = [StatusChangeKind.TransferWithinCounty, StatusChangeKind.TransferAcrossCounty, StatusChangeKind.TransferOut];
    private static readonly StatusChangeKind[] OtherLeaving = [StatusChangeKind.Death, StatusChangeKind.Emigration, StatusChangeKind.Deferral, StatusChangeKind.Exemption];

    /// <summary>The grade table under a path: classes of the current school year, students on roll, groups held on <paramref name="asOf"/>.</summary>
    public static async Task<IReadOnlyList<GradeRow>> GradesAsync(BaoxueDb db, string path, DateOnly asOf, CancellationToken ct)
    {
        var students = await db.Students.AsNoTracking().Where(s => s.Path.StartsWith(path) && s.Status == StudentStatus.InSchool)
            .GroupBy(s => new { s.Grade, Girl = s.Gender == Gender.Female, Minority = s.Ethnicity != "01" })
            .Select(g => new { g.Key.Grade, g.Key.Girl, g.Key.Minority, N = g.Count() }).ToListAsync(ct);
        var tags = await db.GroupTags.AsNoTracking()
            .Where(t => t.Student!.Path.StartsWith(path) && t.Student.Status == StudentStatus.InSchool && Groups.Contains(t.Kind)
                && t.StartedOn <= asOf && (t.EndedOn == null || t.EndedOn >= asOf))
            .Select(t => new { t.Student!.Grade, t.Kind, t.StudentId }).Distinct().ToListAsync(ct);
        var year = SchoolYear.StartYearOf(asOf);
        var classes = await db.Classes.AsNoTracking().Where(c => c.Path.StartsWith(path) && c.SchoolYear!.StartYear == year)
            .GroupBy(c => c.Grade).Select(g => new { Grade = g.Key, N = g.Count() }).ToListAsync(ct);
        var grades = students.Select(s => s.Grade).Concat(classes.Select(c => c.Grade)).Distinct().Order();
        int Tagged(int grade, GroupKind kind) => tags.Count(t => t.Grade == grade && t.Kind == kind);
        return [.. grades.Select(g => new GradeRow(g,
            classes.Where(c => c.Grade == g).Sum(c => c.N),
            students.Where(s => s.Grade == g).Sum(s => s.N),
            students.Where(s => s.Grade == g && s.Girl).Sum(s => s.N),
            students.Where(s => s.Grade == g && s.Minority).Sum(s => s.N),
            Tagged(g, GroupKind.LeftBehind), Tagged(g, GroupKind.Disabled), Tagged(g, GroupKind.Migrant), Tagged(g, GroupKind.PovertyRegistered)))];
    }

    /// <summary>The figures of a report filed by the unit at <paramref name="path"/> for a period, counted now.</summary>
    public static async Task<ReportFigures> CountAsync(BaoxueDb db, ReportLevel level, string path, string unitName, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var today = db.County.Today;
        var asOf = to < today ? to : today;
        var grades = await GradesAsync(db, path, asOf, ct);

        // The units a report lists: the school itself; a county's schools; a city's (or province's) counties.
        var schools = await db.Schools.AsNoTracking().Where(s => s.Path.StartsWith(path) && s.IsActive).Select(s => new { s.Id, s.Name, s.Path }).ToListAsync(ct);
        List<(string Path, string Name)> units;
        if (level is ReportLevel.School or ReportLevel.County)
        {
            units = [.. schools.Select(s => (s.Path, s.Name))];
        }
        else
        {
            units = await db.Divisions.AsNoTracking().Where(d => d.Path.StartsWith(path) && d.Level == DivisionLevel.County)
                .Select(d => new ValueTuple<string, string>(d.Path, d.Name)).ToListAsync(ct);
        }

        var onRoll = await db.Students.AsNoTracking().Where(s => s.Path.StartsWith(path) && s.Status == StudentStatus.InSchool)
            .GroupBy(s => s.SchoolId).Select(g => new { School = g.Key, N = g.Count() }).ToListAsync(ct);
        var schoolPath = schools.ToDictionary(s => s.Id, s => s.Path);
        var changes = await db.StatusChanges.AsNoTracking()
            .Where(c => c.State == StatusChangeState.Approved && c.EffectiveOn >= from && c.EffectiveOn <= asOf
                && (c.Path.StartsWith(path) || (c.TargetPath != null && c.TargetPath.StartsWith(path))))
            .Select(c => new { c.Kind, c.Path, c.TargetPath }).ToListAsync(ct);
        var fromUtc = db.County.StartOfDayUtc(from);
        var untilUtc = db.County.StartOfDayUtc(asOf.AddDays(1));
        var entries = await db.LedgerEntries.AsNoTracking().Where(e => e.Path.StartsWith(path) && e.ReportedOn >= from && e.ReportedOn <= asOf)
            .Select(e => new { e.Path, e.List }).ToListAsync(ct);
        var opened = await db.LedgerCases.AsNoTracking().Where(c => c.Path.StartsWith(path) && c.OpenedAt >= fromUtc && c.OpenedAt < untilUtc).Select(c => c.Path).ToListAsync(ct);
        var returned = await db.LedgerCases.AsNoTracking().Where(c => c.Path.StartsWith(path) && c.ReturnedOn >= from && c.ReturnedOn <= asOf).Select(c => c.Path).ToListAsync(ct);
        var open = await db.LedgerEntries.AsNoTracking().Where(e => e.Path.StartsWith(path) && e.State != LedgerEntryState.Closed).Select(e => e.Path).ToListAsync(ct);

        UnitRow Row(string name, string under)
        {
            static bool In(string? p, string scope) => p is not null && p.StartsWith(scope, StringComparison.Ordinal);
            return new UnitRow(name,
                onRoll.Where(r => schoolPath.TryGetValue(r.School, out var p) && In(p, under)).Sum(r => r.N),
                changes.Count(c => Transfers.Contains(c.Kind) && In(c.TargetPath, under) && !In(c.Path, under)),
                changes.Count(c => Transfers.Contains(c.Kind) && In(c.Path, under) && !In(c.TargetPath, under)),
                changes.Count(c => c.Kind == StatusChangeKind.Suspension && In(c.Path, under)),
                changes.Count(c => c.Kind == StatusChangeKind.Resumption && In(c.Path, under)),
                changes.Count(c => OtherLeaving.Contains(c.Kind) && In(c.Path, under)),
                entries.Count(e => e.List != LedgerList.Dropout && In(e.Path, under)),
                opened.Count(p => In(p, under)),
                returned.Count(p => In(p, under)),
                open.Count(p => In(p, under)));
        }

        var rows = units.Select(u => Row(u.Name, u.Path)).OrderBy(r => r.Name, PinyinOrder.Comparer).ToList();
        return new ReportFigures(from, to, asOf, grades, GradeRow.Sum(grades), rows, Row(unitName, path));
    }
}
