using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Holidays;

/// <summary>
/// 寒暑假控辍预案: the school draws up its plan for a holiday (the priority children with who watches each — the class's
/// head teacher unless the school names someone else —, the home visits planned and the measures), files it, and the
/// county sees who has filed and may return a plan with a reason. Home visits done are recorded in <see cref="HolidayVisits"/>.
/// </summary>
public static class HolidayPlans
{
    /// <summary>Why a child is a priority of a plan, beyond the registry's priority-group tags.</summary>
    public const string WhyLedger = "Ledger";
    public const string WhyClock = "Clock";

    public sealed record SchoolRow(Guid SchoolId, string School, string Township, Guid? PlanId, HolidayPlanState? State, int Watched, int VisitsPlanned, int VisitsDone,
        DateTime? SubmittedAt, string? ReturnReason);

    /// <summary>Every school in reach with its plan for the holiday (or none yet), by township and school in pinyin order: page, API, print and xlsx.</summary>
    public static async Task<List<SchoolRow>> SchoolsAsync(BaoxueDb db, int startYear, HolidayKind kind, CancellationToken ct = default)
    {
        var schools = await db.Schools.AsNoTracking().Where(s => s.IsActive)
            .Select(s => new { s.Id, s.Name, s.Path, Township = s.Township!.Name }).ToListAsync(ct);
        // Schools are structural (seen on the way up too): the list is of the schools within the user's jurisdiction.
        schools = [.. schools.Where(s => db.Covers(s.Path))];
        var plans = await db.HolidayPlans.AsNoTracking().Where(p => p.StartYear == startYear && p.Kind == kind)
            .Select(p => new
            {
                p.Id, p.SchoolId, p.State, p.SubmittedAt, p.ReturnReason,
                Watched = db.HolidayWatches.IgnoreQueryFilters().Count(w => w.PlanId == p.Id),
                Planned = db.HolidayVisitPlans.IgnoreQueryFilters().Count(v => v.PlanId == p.Id),
                Done = db.HolidayVisits.IgnoreQueryFilters().Count(v => v.PlanId == p.Id),
            }).ToDictionaryAsync(p => p.SchoolId, ct);
        return [.. schools.OrderBy(s => s.Township, PinyinOrder.Comparer).ThenBy(s => s.Name, PinyinOrder.Comparer)
            .Select(s => plans.TryGetValue(s.Id, out var p)
                ? new SchoolRow(s.Id, s.Name, s.Township, p.Id, p.State, p.Watched, p.Planned, p.Done, p.SubmittedAt, p.ReturnReason)
                : new SchoolRow(s.Id, s.Name, s.Township, null, null, 0, 0, 0, null, null))];
    }

    public sealed record WatchRow(Guid Id, Guid StudentId, string Name, string Class, string Why, Guid? StaffId, string? Staff);
    public sealed record VisitPlanRow(Guid Id, Guid StudentId, string Name, string Class, Guid StaffId, string Staff, DateOnly PlannedOn);
    public sealed record VisitRow(Guid Id, Guid StudentId, string Name, string Class, DateOnly VisitedOn, string Met, string Said, string RecordedBy, DateTime RecordedAt);
    public sealed record StaffOption(Guid Id, string Name, string Post);
    public sealed record PlanView(HolidayPlan Plan, string School, Holiday? Holiday, IReadOnlyList<WatchRow> Watches, IReadOnlyList<VisitPlanRow> VisitPlans,
        IReadOnlyList<VisitRow> Visits, IReadOnlyList<StaffOption> Staff, int ClassesWatchedByHeadTeachers);

    /// <summary>A plan with its rows the user may see (a head teacher: their own class's children): page, print and API.</summary>
    public static async Task<PlanView?> GetAsync(BaoxueDb db, Guid planId, CancellationToken ct = default)
    {
        var plan = await db.HolidayPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return null;
        }
        var school = await db.Schools.IgnoreQueryFilters().AsNoTracking().Where(s => s.Id == plan.SchoolId).Select(s => s.Name).SingleAsync(ct);
        var watches = await db.HolidayWatches.AsNoTracking().Where(w => w.PlanId == planId)
            .Select(w => new { w.Id, w.StudentId, w.Student!.Name, w.Student.NameKey, Grade = w.Student.Class != null ? w.Student.Class.Grade : w.Student.Grade, Number = w.Student.Class != null ? w.Student.Class.Number : 0, w.Why, w.StaffId, Staff = w.Staff != null ? w.Staff.Name : null })
            .ToListAsync(ct);
        var plans = await db.HolidayVisitPlans.AsNoTracking().Where(v => v.PlanId == planId)
            .Select(v => new { v.Id, v.StudentId, v.Student!.Name, Grade = v.Student.Class != null ? v.Student.Class.Grade : v.Student.Grade, Number = v.Student.Class != null ? v.Student.Class.Number : 0, v.StaffId, Staff = v.Staff!.Name, v.PlannedOn })
            .ToListAsync(ct);
        var visits = await db.HolidayVisits.AsNoTracking().Where(v => v.PlanId == planId)
            .Select(v => new { v.Id, v.StudentId, v.Student!.Name, Grade = v.Student.Class != null ? v.Student.Class.Grade : v.Student.Grade, Number = v.Student.Class != null ? v.Student.Class.Number : 0, v.VisitedOn, v.Met, v.Said, v.RecordedBy, v.RecordedAt })
            .ToListAsync(ct);
        var people = await Accounts.DisplayNames.LoadAsync(db, visits.Select(v => v.RecordedBy), ct);
        var staff = await db.Staff.IgnoreQueryFilters().AsNoTracking().Where(s => s.SchoolId == plan.SchoolId && s.IsActive)
            .Select(s => new StaffOption(s.Id, s.Name, s.Post)).ToListAsync(ct);
        var classes = await db.Classes.IgnoreQueryFilters().AsNoTracking().CountAsync(c => c.SchoolId == plan.SchoolId && c.SchoolYear!.IsCurrent && c.HeadTeacherId != null, ct);
        var holiday = await HolidayCalendar.FindAsync(db, plan.StartYear, plan.Kind, ct);
        static string Cls(int grade, int number) => number == 0 ? "" : Infrastructure.Localization.ChineseFormat.ClassName(grade, number);
        return new PlanView(plan, school, holiday,
            [.. watches.OrderBy(w => w.Grade).ThenBy(w => w.Number).ThenBy(w => w.NameKey, StringComparer.Ordinal)
                .Select(w => new WatchRow(w.Id, w.StudentId, w.Name, Cls(w.Grade, w.Number), w.Why, w.StaffId, w.Staff))],
            [.. plans.OrderBy(v => v.PlannedOn).ThenBy(v => v.Name, PinyinOrder.Comparer).Select(v => new VisitPlanRow(v.Id, v.StudentId, v.Name, Cls(v.Grade, v.Number), v.StaffId, v.Staff, v.PlannedOn))],
            [.. visits.OrderByDescending(v => v.VisitedOn).ThenByDescending(v => v.RecordedAt)
                .Select(v => new VisitRow(v.Id, v.StudentId, v.Name, Cls(v.Grade, v.Number), v.VisitedOn, v.Met, v.Said, people.Of(v.RecordedBy), v.RecordedAt))],
            [.. staff.OrderBy(s => s.Name, PinyinOrder.Comparer)], classes);
    }

    /// <summary>The plan of the user's own school for a holiday, if drawn up.</summary>
    public static Task<Guid?> FindAsync(BaoxueDb db, Guid schoolId, int startYear, HolidayKind kind, CancellationToken ct = default) =>
        db.HolidayPlans.AsNoTracking().Where(p => p.SchoolId == schoolId && p.StartYear == startYear && p.Kind == kind).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);

    public sealed record Start(Guid? SchoolId, int? StartYear, HolidayKind? Kind);

    /// <summary>
    /// Draws up the school's plan for a holiday: the priority children (a priority-group tag in force, a ledger history, an
    /// absence clock that has run) each watched by their class's head teacher. Starting a plan already drawn up answers it.
    /// </summary>
    public static async Task<Outcome<HolidayPlan>> StartAsync(BaoxueDb db, Start c, CancellationToken ct = default)
    {
        var errors = new List<FieldError>();
        var school = c.SchoolId is { } sid ? await db.Schools.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sid, ct) : null;
        if (school is null || !db.Covers(school.Path))
        {
            errors.Add(new("SchoolId", "Holiday.SchoolOutOfReach"));
        }
        var holiday = c.StartYear is { } y && c.Kind is { } k ? await HolidayCalendar.FindAsync(db, y, k, ct) : null;
        if (holiday is null)
        {
            errors.Add(new("Kind", "Holiday.NoSuchHoliday"));
        }
        if (errors.Count > 0)
        {
            return Outcome<HolidayPlan>.Invalid(errors);
        }
        if (await db.HolidayPlans.FirstOrDefaultAsync(p => p.SchoolId == school!.Id && p.StartYear == holiday!.StartYear && p.Kind == holiday.Kind, ct) is { } existing)
        {
            return Outcome<HolidayPlan>.Ok(existing);
        }
        var today = db.County.Today;
        var plan = new HolidayPlan
        {
            SchoolId = school!.Id, StartYear = holiday!.StartYear, Kind = holiday.Kind, CreatedBy = db.CurrentUser.UserName ?? "system", CreatedAt = db.County.UtcNow, Path = school.Path,
        };
        db.HolidayPlans.Add(plan);
        var students = db.Students.AsNoTracking().Where(s => s.SchoolId == school.Id && s.Status == StudentStatus.InSchool);
        var tags = await db.GroupTags.AsNoTracking().Where(t => students.Any(s => s.Id == t.StudentId) && t.StartedOn <= today && (t.EndedOn == null || t.EndedOn >= today))
            .Select(t => new { t.StudentId, t.Kind }).ToListAsync(ct);
        var ledger = await db.LedgerEntries.IgnoreQueryFilters().AsNoTracking().Where(e => e.StudentId != null && students.Any(s => s.Id == e.StudentId))
            .Select(e => e.StudentId!.Value).Distinct().ToListAsync(ct);
        var clocks = await db.AbsenceClocks.IgnoreQueryFilters().AsNoTracking().Where(a => students.Any(s => s.Id == a.StudentId) && (a.FirstDay != null || a.ReturnedOn != null))
            .Select(a => a.StudentId).ToListAsync(ct);
        var why = new Dictionary<Guid, List<string>>();
        void Add(Guid id, string reason)
        {
            if (!why.TryGetValue(id, out var list))
            {
                why[id] = list = [];
            }
            if (!list.Contains(reason))
            {
                list.Add(reason);
            }
        }
        foreach (var t in tags.OrderBy(t => t.Kind))
        {
            Add(t.StudentId, t.Kind.ToString());
        }
        ledger.ForEach(id => Add(id, WhyLedger));
        clocks.ForEach(id => Add(id, WhyClock));
        var ids = why.Keys.ToList();
        var heads = await students.Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, s.Path, HeadTeacherId = s.Class != null ? s.Class.HeadTeacherId : null }).ToListAsync(ct);
        foreach (var s in heads)
        {
            db.HolidayWatches.Add(new HolidayWatch { PlanId = plan.Id, StudentId = s.Id, StaffId = s.HeadTeacherId, Why = string.Join(',', why[s.Id]), Path = s.Path });
        }
        return await db.SaveAsync(plan, ct);
    }

    public sealed record WatchInput(Guid StudentId, Guid? StaffId);
    public sealed record Change(string? Measures, IReadOnlyList<WatchInput>? Watches);

    /// <summary>The school changes its measures and who watches which child, while the plan is a draft or returned.</summary>
    public static async Task<Outcome<HolidayPlan>> ChangeAsync(BaoxueDb db, Guid planId, Change c, CancellationToken ct = default)
    {
        var (plan, refusal) = await EditableAsync(db, planId, ct);
        if (plan is null)
        {
            return refusal!;
        }
        var errors = new List<FieldError>();
        if (c.Measures is { } m && m.Trim().Length > HolidayModel.MeasuresLength)
        {
            errors.Add(new("Measures", "Validation.TooLong", HolidayModel.MeasuresLength));
        }
        var watches = await db.HolidayWatches.Where(w => w.PlanId == planId).ToDictionaryAsync(w => w.StudentId, ct);
        var staff = (await db.Staff.IgnoreQueryFilters().AsNoTracking().Where(s => s.SchoolId == plan.SchoolId && s.IsActive).Select(s => s.Id).ToListAsync(ct)).ToHashSet();
        foreach (var w in c.Watches ?? [])
        {
            if (!watches.TryGetValue(w.StudentId, out var row))
            {
                errors.Add(new("Watches", "Holiday.NotInPlan"));
            }
            else if (w.StaffId is { } s && !staff.Contains(s))
            {
                errors.Add(new("Watches", "Holiday.StaffNotOfSchool"));
            }
            else
            {
                row.StaffId = w.StaffId;
            }
        }
        if (errors.Count > 0)
        {
            db.ChangeTracker.Clear();
            return Outcome<HolidayPlan>.Invalid(errors);
        }
        if (c.Measures is not null)
        {
            plan.Measures = string.IsNullOrWhiteSpace(c.Measures) ? null : c.Measures.Trim();
        }
        return await db.SaveAsync(plan, ct);
    }

    public sealed record PlanVisit(Guid? StudentId, Guid? StaffId, DateOnly? PlannedOn);

    /// <summary>Adds a planned home visit: a child of the school, a staff member of the school, a day in or before the holiday.</summary>
    public static async Task<Outcome<HolidayVisitPlan>> PlanVisitAsync(BaoxueDb db, Guid planId, PlanVisit c, CancellationToken ct = default)
    {
        var (plan, refusal) = await EditableAsync(db, planId, ct);
        if (plan is null)
        {
            return refusal!.Errors.Count > 0 ? Outcome<HolidayVisitPlan>.Invalid(refusal.Errors) : Outcome<HolidayVisitPlan>.Missing();
        }
        var errors = new List<FieldError>();
        var student = c.StudentId is { } id ? await db.Students.AsNoTracking().Where(s => s.Id == id && s.SchoolId == plan.SchoolId).Select(s => new { s.Id, s.Path }).FirstOrDefaultAsync(ct) : null;
        if (student is null)
        {
            errors.Add(new("StudentId", "Holiday.StudentNotOfSchool"));
        }
        if (c.StaffId is not { } staffId || !await db.Staff.IgnoreQueryFilters().AnyAsync(s => s.Id == staffId && s.SchoolId == plan.SchoolId && s.IsActive, ct))
        {
            errors.Add(new("StaffId", "Holiday.StaffNotOfSchool"));
        }
        var holiday = await HolidayCalendar.FindAsync(db, plan.StartYear, plan.Kind, ct);
        if (c.PlannedOn is not { } day)
        {
            errors.Add(new("PlannedOn", "Validation.Required", "Field.HolidayPlannedOn"));
        }
        else if (holiday is not null && (day > holiday.To || day < holiday.From.AddDays(-30)))
        {
            errors.Add(new("PlannedOn", "Holiday.PlannedOnRange", Infrastructure.Localization.ChineseFormat.Date(holiday.From), Infrastructure.Localization.ChineseFormat.Date(holiday.To)));
        }
        if (errors.Count > 0)
        {
            return Outcome<HolidayVisitPlan>.Invalid(errors);
        }
        var row = new HolidayVisitPlan { PlanId = plan.Id, StudentId = student!.Id, StaffId = c.StaffId!.Value, PlannedOn = c.PlannedOn!.Value, Path = student.Path };
        db.HolidayVisitPlans.Add(row);
        return await db.SaveAsync(row, ct);
    }

    public static async Task<Outcome<HolidayVisitPlan>> RemoveVisitAsync(BaoxueDb db, Guid planId, Guid visitPlanId, CancellationToken ct = default)
    {
        var (plan, refusal) = await EditableAsync(db, planId, ct);
        if (plan is null)
        {
            return refusal!.Errors.Count > 0 ? Outcome<HolidayVisitPlan>.Invalid(refusal.Errors) : Outcome<HolidayVisitPlan>.Missing();
        }
        var row = await db.HolidayVisitPlans.FirstOrDefaultAsync(v => v.Id == visitPlanId && v.PlanId == planId, ct);
        if (row is null)
        {
            return Outcome<HolidayVisitPlan>.Missing();
        }
        db.HolidayVisitPlans.Remove(row);
        return await db.SaveAsync(row, ct);
    }

    /// <summary>The school files its plan with the county: the measures are required.</summary>
    public static async Task<Outcome<HolidayPlan>> SubmitAsync(BaoxueDb db, Guid planId, CancellationToken ct = default)
    {
        var (plan, refusal) = await EditableAsync(db, planId, ct);
        if (plan is null)
        {
            return refusal!;
        }
        if (string.IsNullOrWhiteSpace(plan.Measures))
        {
            return Outcome<HolidayPlan>.Invalid("Measures", "Validation.Required", "Field.HolidayMeasures");
        }
        plan.State = HolidayPlanState.Submitted;
        plan.SubmittedBy = db.CurrentUser.UserName;
        plan.SubmittedAt = db.County.UtcNow;
        return await db.SaveAsync(plan, ct);
    }

    public sealed record ReturnBody(string? Reason);

    /// <summary>The county sends a filed plan back to the school with a reason; the school corrects it and files again.</summary>
    public static async Task<Outcome<HolidayPlan>> ReturnAsync(BaoxueDb db, Guid planId, ReturnBody c, CancellationToken ct = default)
    {
        var plan = await db.HolidayPlans.FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null || !db.Covers(plan.Path))
        {
            return Outcome<HolidayPlan>.Missing();
        }
        var errors = new List<FieldError>();
        if (plan.State != HolidayPlanState.Submitted)
        {
            errors.Add(new("State", "Holiday.NotSubmitted"));
        }
        if (string.IsNullOrWhiteSpace(c.Reason))
        {
            errors.Add(new("Reason", "Validation.Required", "Field.HolidayReturnReason"));
        }
        else if (c.Reason.Trim().Length > HolidayModel.SaidLength)
        {
            errors.Add(new("Reason", "Validation.TooLong", HolidayModel.SaidLength));
        }
        if (errors.Count > 0)
        {
            return Outcome<HolidayPlan>.Invalid(errors);
        }
        plan.State = HolidayPlanState.Returned;
        plan.ReturnedBy = db.CurrentUser.UserName;
        plan.ReturnedAt = db.County.UtcNow;
        plan.ReturnReason = c.Reason!.Trim();
        return await db.SaveAsync(plan, ct);
    }

    private static async Task<(HolidayPlan? Plan, Outcome<HolidayPlan>? Refusal)> EditableAsync(BaoxueDb db, Guid planId, CancellationToken ct)
    {
        var plan = await db.HolidayPlans.FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null || !db.Covers(plan.Path))
        {
            return (null, Outcome<HolidayPlan>.Missing());
        }
        if (plan.State == HolidayPlanState.Submitted)
        {
            return (null, Outcome<HolidayPlan>.Invalid("State", "Holiday.AlreadySubmitted"));
        }
        return (plan, null);
    }
}
