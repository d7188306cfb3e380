using System.Text.Json;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Ledger;
using Baoxue.Features.Rates;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Reporting;

/// <summary>
/// One grade's line of the statistical table (学年初/末登记统计表, and the grade table of every report): who is on roll,
/// and the grade's movement in the period (the grade each status change took effect in).
/// </summary>
public sealed record GradeRow(int Grade, int Classes, int Students, int Girls, int Minority, int LeftBehind, int Disabled, int Migrant, int Poverty,
    int TransfersIn = 0, int TransfersOut = 0, int Suspended = 0, int Resumed = 0, int Died = 0, int OtherLeft = 0, int Dropouts = 0, int Returned = 0)
{
    public static GradeRow Sum(IEnumerable<GradeRow> rows) => rows.Aggregate(new GradeRow(0, 0, 0, 0, 0, 0, 0, 0, 0), (a, r) =>
        new(0, a.Classes + r.Classes, a.Students + r.Students, a.Girls + r.Girls, a.Minority + r.Minority, a.LeftBehind + r.LeftBehind, a.Disabled + r.Disabled, a.Migrant + r.Migrant, a.Poverty + r.Poverty,
            a.TransfersIn + r.TransfersIn, a.TransfersOut + r.TransfersOut, a.Suspended + r.Suspended, a.Resumed + r.Resumed, a.Died + r.Died, a.OtherLeft + r.OtherLeft, a.Dropouts + r.Dropouts, a.Returned + r.Returned));
}

/// <summary>
/// One unit's movement and loss in the period (流动、流失情况): a school in a county's circular, a county in a city's. The
/// last columns are the floating-student monthly report's (流动学生月报): migrant and left-behind children in and out,
/// children the absence clock lost and got back, and unexcused absence days.
/// </summary>
public sealed record UnitRow(string Name, int Students, int TransfersIn, int TransfersOut, int Suspended, int Resumed, int OtherLeft, int NewSuspected, int NewDropouts, int Returned, int OpenLedger,
    int MigrantIn = 0, int MigrantOut = 0, int LeftBehindIn = 0, int LeftBehindOut = 0, int Lost = 0, int LostReturned = 0, int AbsentDays = 0);

/// <summary>A report's figures: read from its rates snapshot (decision 0034), or as frozen in JSON by reports generated before it.</summary>
public sealed record ReportFigures(DateOnly From, DateOnly To, DateOnly AsOf, IReadOnlyList<GradeRow> Grades, GradeRow GradeTotal, IReadOnlyList<UnitRow> Units, UnitRow Total)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ReportFigures FromJson(string json) => JsonSerializer.Deserialize<ReportFigures>(json, Json)!;
}

/// <summary>
/// What moved in the registry, the ledger, the priority groups and attendance, as dated events: the one definition of
/// "movement" that the snapshots count (<see cref="FigureBuilder"/>, measure <see cref="Measure"/>) and the live year-end
/// table tallies. A transfer is one event from <see cref="Event.Path"/> to <see cref="Event.Target"/> (null: out of the
/// deployment): a place gains it when the target is under it and the origin is not, and loses it the other way round.
/// </summary>
public static class Movement
{
    public const string Measure = "move";
    public const string Transfer = "transfer";
    public const string In = "in";
    public const string Out = "out";
    public const string Suspended = "suspended";
    public const string Resumed = "resumed";
    public const string Died = "died";
    /// <summary>出国、缓学、免学: off the roll for a reason other than death.</summary>
    public const string OtherLeft = "left";
    /// <summary>New on the suspected-dropout or not-enrolled lists (ledger, by the day reported).</summary>
    public const string Suspected = "suspected";
    /// <summary>Confirmed dropouts: a case opened.</summary>
    public const string Dropout = "dropout";
    /// <summary>A case's child back in school.</summary>
    public const string Returned = "returned";
    public const string MigrantIn = "migrant.in";
    public const string MigrantOut = "migrant.out";
    public const string LeftBehindIn = "leftbehind.in";
    public const string LeftBehindOut = "leftbehind.out";
    /// <summary>流生: the absence clock put the child on the suspected-dropout list.</summary>
    public const string Lost = "lost";
    public const string LostReturned = "lost.returned";
    /// <summary>Unexcused absence days (a child absent on a day's roll).</summary>
    public const string Absent = "absent";

    public sealed record Event(string Kind, string Path, string? Target, int Grade, DateOnly On, int Count = 1);

    /// <summary>The first day a snapshot counts movement from: the start of the previous school year.</summary>
    public static DateOnly WindowStart(DateOnly today) => new(SchoolYear.StartYearOf(today) - 1, 9, 1);

    public static int Month(DateOnly day) => day.Year * 100 + day.Month;

    /// <summary>The months (yyyyMM) a period covers.</summary>
    public static IReadOnlyList<int> Months(DateOnly from, DateOnly to)
    {
        var months = new List<int>();
        for (var m = new DateOnly(from.Year, from.Month, 1); m <= to; m = m.AddMonths(1))
        {
            months.Add(Month(m));
        }
        return months;
    }

    /// <summary>
    /// The events dated <paramref name="from"/>–<paramref name="to"/>: everywhere (<paramref name="under"/> null, as the
    /// system, for a snapshot), or touching one place as the user may read it.
    /// </summary>
    public static async Task<List<Event>> EventsAsync(BaoxueDb db, string? under, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var all = under is null;
        var events = new List<Event>();
        var changes = (all ? db.StatusChanges.IgnoreQueryFilters() : db.StatusChanges).AsNoTracking()
            // Taken effect: approved, or a transfer out of the deployment the bureau approved and the receiving school has yet to confirm.
            .Where(c => (c.State == StatusChangeState.Approved || (c.State == StatusChangeState.Pending && c.Kind == StatusChangeKind.TransferOut && c.AwaitingStage == ApprovalStage.ReceivingSchool))
                && c.EffectiveOn >= from && c.EffectiveOn <= to && c.Kind != StatusChangeKind.Promotion && c.Kind != StatusChangeKind.Graduation);
        if (under is not null)
        {
            changes = changes.Where(c => c.Path.StartsWith(under) || (c.TargetPath != null && c.TargetPath.StartsWith(under)));
        }
        foreach (var c in await changes.Select(c => new { c.Kind, c.Path, c.TargetPath, c.Grade, c.EffectiveOn }).ToListAsync(ct))
        {
            var kind = c.Kind switch
            {
                StatusChangeKind.TransferWithinCounty or StatusChangeKind.TransferAcrossCounty or StatusChangeKind.TransferOut => Transfer,
                StatusChangeKind.Suspension => Suspended,
                StatusChangeKind.Resumption => Resumed,
                StatusChangeKind.Death => Died,
                _ => OtherLeft,
            };
            events.Add(new Event(kind, c.Path, kind == Transfer ? c.TargetPath : null, c.Grade ?? 0, c.EffectiveOn));
        }

        var entries = (all ? db.LedgerEntries.IgnoreQueryFilters() : db.LedgerEntries).AsNoTracking()
            .Where(e => e.List != LedgerList.Dropout && e.ReportedOn >= from && e.ReportedOn <= to);
        var fromUtc = db.County.StartOfDayUtc(from);
        var untilUtc = db.County.StartOfDayUtc(to.AddDays(1));
        var opened = (all ? db.LedgerCases.IgnoreQueryFilters() : db.LedgerCases).AsNoTracking().Where(c => c.OpenedAt >= fromUtc && c.OpenedAt < untilUtc);
        var returned = (all ? db.LedgerCases.IgnoreQueryFilters() : db.LedgerCases).AsNoTracking().Where(c => c.ReturnedOn >= from && c.ReturnedOn <= to);
        if (under is not null)
        {
            entries = entries.Where(e => e.Path.StartsWith(under));
            opened = opened.Where(c => c.Path.StartsWith(under));
            returned = returned.Where(c => c.Path.StartsWith(under));
        }
        events.AddRange((await entries.Select(e => new { e.Path, e.Grade, e.ReportedOn }).ToListAsync(ct)).Select(e => new Event(Suspected, e.Path, null, e.Grade ?? 0, e.ReportedOn)));
        events.AddRange((await opened.Select(c => new { c.Path, c.Entry!.Grade, c.OpenedAt }).ToListAsync(ct)).Select(c => new Event(Dropout, c.Path, null, c.Grade ?? 0, db.County.DateOf(c.OpenedAt))));
        events.AddRange((await returned.Select(c => new { c.Path, c.Entry!.Grade, c.ReturnedOn }).ToListAsync(ct)).Select(c => new Event(Returned, c.Path, null, c.Grade ?? 0, c.ReturnedOn!.Value)));

        GroupKind[] floating = [GroupKind.Migrant, GroupKind.LeftBehind];
        var tags = (all ? db.GroupTags.IgnoreQueryFilters() : db.GroupTags).AsNoTracking()
            .Where(t => floating.Contains(t.Kind) && ((t.StartedOn >= from && t.StartedOn <= to) || (t.EndedOn >= from && t.EndedOn <= to)));
        if (under is not null)
        {
            tags = tags.Where(t => t.Student!.Path.StartsWith(under));
        }
        foreach (var t in await tags.Select(t => new { t.Kind, t.StartedOn, t.EndedOn, t.Student!.Path, t.Student.Grade }).ToListAsync(ct))
        {
            var migrant = t.Kind == GroupKind.Migrant;
            if (t.StartedOn >= from && t.StartedOn <= to)
            {
                events.Add(new Event(migrant ? MigrantIn : LeftBehindIn, t.Path, null, t.Grade, t.StartedOn));
            }
            if (t.EndedOn is { } ended && ended >= from && ended <= to)
            {
                events.Add(new Event(migrant ? MigrantOut : LeftBehindOut, t.Path, null, t.Grade, ended));
            }
        }

        var clocks = (all ? db.AbsenceClocks.IgnoreQueryFilters() : db.AbsenceClocks).AsNoTracking()
            .Where(c => (c.SuspectedOn >= from && c.SuspectedOn <= to) || (c.ReturnedOn >= from && c.ReturnedOn <= to && c.SuspectedOn != null));
        if (under is not null)
        {
            clocks = clocks.Where(c => c.Path.StartsWith(under));
        }
        foreach (var c in await clocks.Select(c => new { c.Path, c.Student!.Grade, c.SuspectedOn, c.ReturnedOn }).ToListAsync(ct))
        {
            if (c.SuspectedOn is { } s && s >= from && s <= to)
            {
                events.Add(new Event(Lost, c.Path, null, c.Grade, s));
            }
            if (c.ReturnedOn is { } r && r >= from && r <= to)
            {
                events.Add(new Event(LostReturned, c.Path, null, c.Grade, r));
            }
        }

        // Absence days from each day's roll (the current submission of a class's daily record, not a lesson's).
        var marks = (all ? db.AttendanceMarks.IgnoreQueryFilters() : db.AttendanceMarks).AsNoTracking()
            .Where(m => m.Kind == AttendanceKind.Absent && m.Submission!.Record!.CurrentSubmissionId == m.SubmissionId && m.Submission.Record.Lesson == 0
                && m.Submission.Record.Date >= from && m.Submission.Record.Date <= to);
        if (under is not null)
        {
            marks = marks.Where(m => m.Submission!.Record!.Path.StartsWith(under));
        }
        events.AddRange((await marks.GroupBy(m => new { m.Submission!.Record!.Path, m.Submission.Record.Date, m.Submission.Record.Class!.Grade })
            .Select(g => new { g.Key.Path, g.Key.Date, g.Key.Grade, N = g.Count() }).ToListAsync(ct))
            .Select(a => new Event(Absent, a.Path, null, a.Grade, a.Date, a.N)));
        return events;
    }

    /// <summary>The kinds an event counts as at a place: a transfer is in, out, or neither (moved within the place).</summary>
    public static string? KindAt(Event e, string place)
    {
        var from = e.Path.StartsWith(place, StringComparison.Ordinal);
        if (e.Kind != Transfer)
        {
            return from ? e.Kind : null;
        }
        var to = e.Target is not null && e.Target.StartsWith(place, StringComparison.Ordinal);
        return to && !from ? In : from && !to ? Out : null;
    }

    /// <summary>Adds every event to the snapshot's counter under each place above it, by kind, grade and month.</summary>
    internal static void Count(FigureBuilder.Counter counter, IEnumerable<Event> events)
    {
        foreach (var e in events)
        {
            var month = Month(e.On);
            if (e.Kind == Transfer)
            {
                var from = FigureBuilder.Places(e.Path).ToList();
                var to = FigureBuilder.Places(e.Target).ToList();
                counter.Add(to.Except(from), Measure, Measures.Dim(("kind", In), ("grade", e.Grade), ("month", month)), e.Count);
                counter.Add(from.Except(to), Measure, Measures.Dim(("kind", Out), ("grade", e.Grade), ("month", month)), e.Count);
            }
            else
            {
                counter.Add(FigureBuilder.Places(e.Path), Measure, Measures.Dim(("kind", e.Kind), ("grade", e.Grade), ("month", month)), e.Count);
            }
        }
    }
}

/// <summary>
/// The report's figures, read from its snapshot's prepared rows (decision 0034): the figure at a date has one source, so a
/// report says what the dashboard said for the same snapshot, and keeps saying it. On-roll counts, groups and open ledger
/// entries are the snapshot's; movement is summed over the period's months from the snapshot's movement rows.
/// </summary>
public static class FigureCounter
{
    private static readonly GroupKind[] Groups = [GroupKind.LeftBehind, GroupKind.Disabled, GroupKind.Migrant, GroupKind.PovertyRegistered];

    /// <summary>Measures the grade table counts (besides <see cref="Measures.Enrolled"/>): classes, girls, minority, groups, per grade.</summary>
    public const string Classes = "grade.classes";
    public const string Girls = "grade.girls";
    public const string Minority = "grade.minority";
    public const string GroupByGrade = "grade.group";

    /// <summary>The grade table under a path as the registry stands (the live year-end table): classes of the current school year, students on roll, groups held on <paramref name="asOf"/>.</summary>
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
        // The school year's movement so far, by the grade each change took effect in.
        var moves = (await Movement.EventsAsync(db, path, new DateOnly(year, 9, 1), asOf, ct))
            .Select(e => (Kind: Movement.KindAt(e, path), e.Grade, e.Count)).Where(e => e.Kind is not null).ToList();
        var grades = students.Select(s => s.Grade).Concat(classes.Select(c => c.Grade)).Concat(moves.Select(m => m.Grade).Where(g => g > 0)).Distinct().Order();
        int Tagged(int grade, GroupKind kind) => tags.Count(t => t.Grade == grade && t.Kind == kind);
        int Moved(int grade, params string[] kinds) => moves.Where(m => m.Grade == grade && kinds.Contains(m.Kind)).Sum(m => m.Count);
        return [.. grades.Select(g => new GradeRow(g,
            classes.Where(c => c.Grade == g).Sum(c => c.N),
            students.Where(s => s.Grade == g).Sum(s => s.N),
            students.Where(s => s.Grade == g && s.Girl).Sum(s => s.N),
            students.Where(s => s.Grade == g && s.Minority).Sum(s => s.N),
            Tagged(g, GroupKind.LeftBehind), Tagged(g, GroupKind.Disabled), Tagged(g, GroupKind.Migrant), Tagged(g, GroupKind.PovertyRegistered),
            Moved(g, Movement.In), Moved(g, Movement.Out), Moved(g, Movement.Suspended), Moved(g, Movement.Resumed), Moved(g, Movement.Died), Moved(g, Movement.OtherLeft),
            Moved(g, Movement.Dropout), Moved(g, Movement.Returned)))];
    }

    /// <summary>Adds the grade table's counts to a snapshot: classes of the school year, girls and minority on roll, groups, per grade.</summary>
    internal static async Task CountAsync(BaoxueDb db, FigureBuilder.Counter counter, CancellationToken ct)
    {
        var today = db.County.Today;
        var year = SchoolYear.StartYearOf(today);
        foreach (var c in await db.Classes.IgnoreQueryFilters().AsNoTracking().Where(c => c.SchoolYear!.StartYear == year)
            .GroupBy(c => new { c.Path, c.Grade }).Select(g => new { g.Key.Path, g.Key.Grade, N = g.Count() }).ToListAsync(ct))
        {
            counter.Add(FigureBuilder.Places(c.Path), Classes, Measures.Dim(("grade", c.Grade)), c.N);
        }
        foreach (var s in await db.Students.IgnoreQueryFilters().AsNoTracking().Where(s => s.Status == StudentStatus.InSchool && (s.Gender == Gender.Female || s.Ethnicity != "01"))
            .GroupBy(s => new { s.Path, s.Grade, Girl = s.Gender == Gender.Female, Minority = s.Ethnicity != "01" })
            .Select(g => new { g.Key.Path, g.Key.Grade, g.Key.Girl, g.Key.Minority, N = g.Count() }).ToListAsync(ct))
        {
            var places = FigureBuilder.Places(s.Path).ToList();
            if (s.Girl)
            {
                counter.Add(places, Girls, Measures.Dim(("grade", s.Grade)), s.N);
            }
            if (s.Minority)
            {
                counter.Add(places, Minority, Measures.Dim(("grade", s.Grade)), s.N);
            }
        }
        foreach (var t in await db.GroupTags.IgnoreQueryFilters().AsNoTracking()
            .Where(t => Groups.Contains(t.Kind) && t.StartedOn <= today && (t.EndedOn == null || t.EndedOn >= today) && t.Student!.Status == StudentStatus.InSchool)
            .GroupBy(t => new { t.Student!.Path, t.Student.Grade, t.Kind }).Select(g => new { g.Key.Path, g.Key.Grade, g.Key.Kind, N = g.Select(t => t.StudentId).Distinct().Count() }).ToListAsync(ct))
        {
            counter.Add(FigureBuilder.Places(t.Path), GroupByGrade, Measures.Dim(("group", t.Kind), ("grade", t.Grade)), t.N);
        }
        Movement.Count(counter, await Movement.EventsAsync(db, null, Movement.WindowStart(today), today, ct));
    }

    /// <summary>
    /// The figures of a report filed by the unit at <paramref name="path"/> for a period, read from the snapshot: the unit
    /// itself and the units it lists (a county's schools, a city's or province's counties).
    /// </summary>
    public static async Task<ReportFigures> ReadAsync(BaoxueDb db, FigureSet set, ReportLevel level, string path, string unitName, DateOnly from, DateOnly to, CancellationToken ct)
    {
        List<(string Path, string Name)> units = level switch
        {
            ReportLevel.School => [(path, unitName)],
            ReportLevel.County => await db.Schools.AsNoTracking().Where(s => s.Path.StartsWith(path) && s.IsActive).Select(s => new ValueTuple<string, string>(s.Path, s.Name)).ToListAsync(ct),
            _ => await db.Divisions.AsNoTracking().Where(d => d.Path.StartsWith(path) && d.Level == DivisionLevel.County).Select(d => new ValueTuple<string, string>(d.Path, d.Name)).ToListAsync(ct),
        };
        var depth = FigureBuilder.Depth(path);
        var unitDepth = units.Count > 0 ? FigureBuilder.Depth(units[0].Path) : depth;
        var measures = new[] { Measures.Enrolled, Measures.Ledger, Movement.Measure, Classes, Girls, Minority, GroupByGrade };
        var rows = await db.FigureRows.AsNoTracking()
            .Where(r => r.SetId == set.Id && r.Path.StartsWith(path) && (r.Depth == depth || r.Depth == unitDepth) && measures.Contains(r.Measure))
            .Select(r => new { r.Path, r.Measure, r.Dimension, r.Value }).ToListAsync(ct);
        var months = Movement.Months(from, to).ToHashSet();
        var parsed = rows.Select(r => (r.Path, r.Measure, Dim: Measures.Parse(r.Dimension), r.Dimension, Value: (int)r.Value)).ToList();
        var byPath = parsed.ToLookup(r => r.Path);
        var lists = Enum.GetValues<LedgerList>().Select(l => Measures.Dim(("list", l))).ToHashSet();

        static int Int(IReadOnlyDictionary<string, string> d, string name) => d.TryGetValue(name, out var v) && int.TryParse(v, out var n) ? n : 0;
        bool InPeriod(IReadOnlyDictionary<string, string> d) => months.Contains(Int(d, "month"));

        UnitRow Row(string name, string at)
        {
            var own = byPath[at].ToList();
            var moves = own.Where(r => r.Measure == Movement.Measure && InPeriod(r.Dim)).ToList();
            int M(string kind) => moves.Where(r => r.Dim.GetValueOrDefault("kind") == kind).Sum(r => r.Value);
            return new UnitRow(name,
                own.Where(r => r.Measure == Measures.Enrolled && r.Dimension.Length == 0).Sum(r => r.Value),
                M(Movement.In), M(Movement.Out), M(Movement.Suspended), M(Movement.Resumed), M(Movement.Died) + M(Movement.OtherLeft),
                M(Movement.Suspected), M(Movement.Dropout), M(Movement.Returned),
                own.Where(r => r.Measure == Measures.Ledger && lists.Contains(r.Dimension)).Sum(r => r.Value),
                M(Movement.MigrantIn), M(Movement.MigrantOut), M(Movement.LeftBehindIn), M(Movement.LeftBehindOut), M(Movement.Lost), M(Movement.LostReturned), M(Movement.Absent));
        }

        var mine = byPath[path].ToList();
        int At(string measure, int grade) => mine.Where(r => r.Measure == measure && r.Dim.Count == 1 && Int(r.Dim, "grade") == grade).Sum(r => r.Value);
        int Group(GroupKind kind, int grade) => mine.Where(r => r.Measure == GroupByGrade && Int(r.Dim, "grade") == grade && Int(r.Dim, "group") == (int)kind).Sum(r => r.Value);
        var periodMoves = mine.Where(r => r.Measure == Movement.Measure && InPeriod(r.Dim)).ToList();
        int Moved(int grade, string kind) => periodMoves.Where(r => Int(r.Dim, "grade") == grade && r.Dim.GetValueOrDefault("kind") == kind).Sum(r => r.Value);
        var gradeNumbers = mine.Where(r => r.Measure is Measures.Enrolled or Classes && r.Dim.ContainsKey("grade")).Select(r => Int(r.Dim, "grade"))
            .Concat(periodMoves.Select(r => Int(r.Dim, "grade")).Where(g => g > 0)).Distinct().Order();
        var grades = gradeNumbers.Select(g => new GradeRow(g, At(Classes, g), At(Measures.Enrolled, g), At(Girls, g), At(Minority, g),
            Group(GroupKind.LeftBehind, g), Group(GroupKind.Disabled, g), Group(GroupKind.Migrant, g), Group(GroupKind.PovertyRegistered, g),
            Moved(g, Movement.In), Moved(g, Movement.Out), Moved(g, Movement.Suspended), Moved(g, Movement.Resumed), Moved(g, Movement.Died), Moved(g, Movement.OtherLeft),
            Moved(g, Movement.Dropout), Moved(g, Movement.Returned))).ToList();

        var unitRows = units.Select(u => Row(u.Name, u.Path)).OrderBy(r => r.Name, PinyinOrder.Comparer).ToList();
        return new ReportFigures(from, to, set.AsOf, grades, GradeRow.Sum(grades), unitRows, Row(unitName, path));
    }
}
