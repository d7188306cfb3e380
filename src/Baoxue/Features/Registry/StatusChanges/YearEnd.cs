using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Registry.StatusChanges;

/// <summary>
/// 学年末升级与毕业 for a whole school at once: every in-school student of the current school year below the school's
/// last grade moves to the next year's class with the same number (opened if missing), the last grade graduates.
/// Audited as one line per entity type; running it again finds nobody left in the old year's classes.
/// </summary>
public static class YearEnd
{
    public sealed record GradeCount(int Grade, int Students);

    public sealed record Plan(Guid SchoolId, string School, int FromYear, int ToYear, bool NextYearExists, IReadOnlyList<GradeCount> Promote, int Graduate, int ClassesToOpen);

    public sealed record Result(int Promoted, int Graduated, int ClassesOpened);

    private sealed record Context(School School, SchoolYear Current, SchoolYear? Next);

    private static async Task<Outcome<Context>> LoadAsync(BaoxueDb db, Guid schoolId, CancellationToken ct)
    {
        var school = await db.Schools.AsNoTracking().FirstOrDefaultAsync(s => s.Id == schoolId, ct);
        if (school is null || !db.Covers(school.Path))
        {
            return Outcome<Context>.Missing();
        }
        var current = await db.SchoolYears.AsNoTracking().FirstOrDefaultAsync(y => y.IsCurrent, ct);
        if (current is null)
        {
            return Outcome<Context>.Invalid("SchoolYear", "YearEnd.NoCurrentYear");
        }
        var next = await db.SchoolYears.AsNoTracking().FirstOrDefaultAsync(y => y.StartYear == current.StartYear + 1, ct);
        return Outcome<Context>.Ok(new Context(school, current, next));
    }

    private static IQueryable<Student> Leaving(BaoxueDb db, Context c) =>
        db.Students.Where(s => s.SchoolId == c.School.Id && s.Status == StudentStatus.InSchool && s.Class != null && s.Class.SchoolYearId == c.Current.Id);

    public static async Task<Outcome<Plan>> PreviewAsync(BaoxueDb db, Guid schoolId, CancellationToken ct = default)
    {
        var loaded = await LoadAsync(db, schoolId, ct);
        if (!loaded.Succeeded)
        {
            return loaded.NotFound ? Outcome<Plan>.Missing() : Outcome<Plan>.Invalid(loaded.Errors);
        }
        var c = loaded.Value!;
        var last = c.School.Grades.Last;
        var groups = await Leaving(db, c).AsNoTracking().GroupBy(s => new { s.Class!.Grade, s.Class.Number }).Select(g => new { g.Key.Grade, g.Key.Number, Count = g.Count() }).ToListAsync(ct);
        var existing = new HashSet<(int, int)>();
        if (c.Next is { } next)
        {
            var open = await db.Classes.IgnoreQueryFilters().AsNoTracking().Where(x => x.SchoolId == c.School.Id && x.SchoolYearId == next.Id)
                .Select(x => new { x.Grade, x.Number }).ToListAsync(ct);
            existing.UnionWith(open.Select(x => (x.Grade, x.Number)));
        }
        var toOpen = groups.Where(g => g.Grade < last).Select(g => (g.Grade + 1, g.Number)).Distinct().Count(g => !existing.Contains(g));
        return Outcome<Plan>.Ok(new Plan(
            c.School.Id, c.School.Name, c.Current.StartYear, c.Current.StartYear + 1, c.Next is not null,
            [.. groups.Where(g => g.Grade < last).GroupBy(g => g.Grade).OrderBy(g => g.Key).Select(g => new GradeCount(g.Key, g.Sum(x => x.Count)))],
            groups.Where(g => g.Grade == last).Sum(g => g.Count), toOpen));
    }

    public static async Task<Outcome<Result>> RunAsync(BaoxueDb db, Guid schoolId, CancellationToken ct = default)
    {
        var loaded = await LoadAsync(db, schoolId, ct);
        if (!loaded.Succeeded)
        {
            return loaded.NotFound ? Outcome<Result>.Missing() : Outcome<Result>.Invalid(loaded.Errors);
        }
        var c = loaded.Value!;
        if (c.Next is null)
        {
            return Outcome<Result>.Invalid("SchoolYear", "YearEnd.NextYearMissing", Infrastructure.Localization.ChineseFormat.SchoolYear(c.Current.StartYear + 1));
        }
        var last = c.School.Grades.Last;
        var students = await Leaving(db, c).Include(s => s.Class).ToListAsync(ct);
        var now = db.County.UtcNow;
        var today = db.County.Today;
        var nextClasses = await db.Classes.IgnoreQueryFilters().Where(x => x.SchoolId == c.School.Id && x.SchoolYearId == c.Next.Id)
            .ToDictionaryAsync(x => (x.Grade, x.Number), ct);
        int promoted = 0, graduated = 0, opened = 0;
        using (db.AuditAsBatch($"year-end {c.School.Code} {c.Current.StartYear}-{c.Next.StartYear}"))
        {
            foreach (var student in students)
            {
                var from = student.Class!;
                if (from.Grade == last)
                {
                    Record(db, StatusChangeKind.Graduation, student, null, c, now, today);
                    graduated++;
                }
                else if (from.Grade < last)
                {
                    var key = (from.Grade + 1, from.Number);
                    if (!nextClasses.TryGetValue(key, out var to))
                    {
                        to = new SchoolClass
                        {
                            SchoolId = c.School.Id,
                            SchoolYearId = c.Next.Id,
                            Grade = from.Grade + 1,
                            Number = from.Number,
                            Capacity = from.Capacity,
                            Path = PlacePath.Child(c.School.Path, SchoolClass.PathSegment(c.Next.StartYear, from.Grade + 1, from.Number)),
                        };
                        db.Classes.Add(to);
                        nextClasses[key] = to;
                        opened++;
                    }
                    Record(db, StatusChangeKind.Promotion, student, to, c, now, today);
                    promoted++;
                }
            }
            await db.SaveChangesAsync(ct);
        }
        return Outcome<Result>.Ok(new Result(promoted, graduated, opened));
    }

    /// <summary>
    /// Each student's promotion or graduation is a status change of its own, approved as it is recorded (these kinds
    /// have no approval chain), and takes effect through the same path as any approved change.
    /// </summary>
    private static void Record(BaoxueDb db, StatusChangeKind kind, Student student, SchoolClass? to, Context c, DateTime now, DateOnly today)
    {
        var change = new StatusChange
        {
            StudentId = student.Id,
            Kind = kind,
            State = StatusChangeState.Approved,
            Reason = $"{c.Current.StartYear}—{c.Current.StartYear + 1}学年末{(kind == StatusChangeKind.Graduation ? "毕业" : "升级")}",
            EffectiveOn = today,
            RequestedAt = now,
            RequestedBy = db.CurrentUser.UserName,
            DecidedAt = now,
            FromSchoolId = student.SchoolId,
            FromClassId = student.ClassId,
            ToSchoolId = to?.SchoolId,
            ToClassId = to?.Id,
            Path = student.Path,
            TargetPath = to?.Path,
        };
        db.StatusChanges.Add(change);
        StatusChangeEffect.Apply(change, student, to, c.School.Path);
    }
}
