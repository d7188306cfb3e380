using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Holidays;

/// <summary>
/// A home visit made during a holiday, recorded on a phone: who was visited, who was met, what was said. The client's
/// key makes a retry on a bad connection answer the visit already recorded; two identical requests at once lose the race
/// on the key's unique index and the loser reads the winner's row.
/// </summary>
public static class HolidayVisits
{
    public sealed record Command(Guid? PlanId, Guid? StudentId, DateOnly? VisitedOn, string? Met, string? Said, string? ClientKey);

    public static async Task<Outcome<HolidayVisit>> RecordAsync(BaoxueDb db, Command c, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await TryAsync(db, c, ct);
            }
            catch (DbUpdateException e) when (Saving.IsUniqueViolation(e) && attempt < 2)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<Outcome<HolidayVisit>> TryAsync(BaoxueDb db, Command c, CancellationToken ct)
    {
        var key = c.ClientKey?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            return Outcome<HolidayVisit>.Invalid("ClientKey", "Validation.Required", "Field.HolidayClientKey");
        }
        if (key.Length > HolidayModel.ClientKeyLength)
        {
            return Outcome<HolidayVisit>.Invalid("ClientKey", "Validation.TooLong", HolidayModel.ClientKeyLength);
        }
        if (await db.HolidayVisits.AsNoTracking().FirstOrDefaultAsync(v => v.ClientKey == key, ct) is { } done)
        {
            return done.StudentId == c.StudentId && done.PlanId == c.PlanId
                ? Outcome<HolidayVisit>.Ok(done)
                : Outcome<HolidayVisit>.Invalid("ClientKey", "Holiday.ClientKeyReused");
        }
        var plan = c.PlanId is { } planId ? await db.HolidayPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct) : null;
        if (plan is null)
        {
            return Outcome<HolidayVisit>.Invalid("PlanId", "Holiday.NoPlan");
        }
        var errors = new List<FieldError>();
        // The child must be in the user's reach (a head teacher: their class) and of the plan's school.
        var student = c.StudentId is { } sid ? await db.Students.AsNoTracking().Where(s => s.Id == sid && s.SchoolId == plan.SchoolId).Select(s => new { s.Id, s.Path }).FirstOrDefaultAsync(ct) : null;
        if (student is null || !db.Covers(student.Path))
        {
            errors.Add(new("StudentId", "Holiday.StudentNotOfSchool"));
        }
        var today = db.County.Today;
        if (c.VisitedOn is not { } day)
        {
            errors.Add(new("VisitedOn", "Validation.Required", "Field.HolidayVisitedOn"));
        }
        else if (day > today)
        {
            errors.Add(new("VisitedOn", "Holiday.VisitInFuture"));
        }
        else if (await HolidayCalendar.FindAsync(db, plan.StartYear, plan.Kind, ct) is { } holiday && (day < holiday.From.AddDays(-7) || day > holiday.To.AddDays(7)))
        {
            errors.Add(new("VisitedOn", "Holiday.VisitOutsideHoliday", Infrastructure.Localization.ChineseFormat.Date(holiday.From), Infrastructure.Localization.ChineseFormat.Date(holiday.To)));
        }
        Text(errors, "Met", c.Met, HolidayModel.MetLength, "Field.HolidayMet");
        Text(errors, "Said", c.Said, HolidayModel.SaidLength, "Field.HolidaySaid");
        if (errors.Count > 0)
        {
            return Outcome<HolidayVisit>.Invalid(errors);
        }
        var visit = new HolidayVisit
        {
            PlanId = plan.Id, StudentId = student!.Id, VisitedOn = c.VisitedOn!.Value, Met = c.Met!.Trim(), Said = c.Said!.Trim(), ClientKey = key,
            RecordedBy = db.CurrentUser.UserName ?? "system", RecordedAt = db.County.UtcNow, Path = student.Path,
        };
        db.HolidayVisits.Add(visit);
        // A lost race on the key is thrown to the loop above, which reads the winner's row.
        await db.SaveChangesAsync(ct);
        return Outcome<HolidayVisit>.Ok(visit);
    }

    private static void Text(List<FieldError> errors, string field, string? value, int max, string label)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(field, "Validation.Required", label));
        }
        else if (value.Trim().Length > max)
        {
            errors.Add(new(field, "Validation.TooLong", max));
        }
    }

    public sealed record Mine(Guid PlanId, Guid StudentId, string Name, string Class, string? Why, DateOnly? PlannedOn, int Done);

    /// <summary>
    /// The children whose visits the user may record for a holiday: those of the plans in reach (watched or with a visit
    /// planned), with the visits done so far — the phone page's list and the API's.
    /// </summary>
    public static async Task<List<Mine>> ChildrenAsync(BaoxueDb db, int startYear, HolidayKind kind, CancellationToken ct = default)
    {
        var planIds = await db.HolidayPlans.AsNoTracking().Where(p => p.StartYear == startYear && p.Kind == kind).Select(p => p.Id).ToListAsync(ct);
        var watched = await db.HolidayWatches.AsNoTracking().Where(w => planIds.Contains(w.PlanId))
            .Select(w => new { w.PlanId, w.StudentId, w.Why }).ToListAsync(ct);
        var planned = await db.HolidayVisitPlans.AsNoTracking().Where(v => planIds.Contains(v.PlanId))
            .Select(v => new { v.PlanId, v.StudentId, v.PlannedOn }).ToListAsync(ct);
        var done = await db.HolidayVisits.AsNoTracking().Where(v => planIds.Contains(v.PlanId)).GroupBy(v => v.StudentId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var ids = watched.Select(w => w.StudentId).Concat(planned.Select(p => p.StudentId)).Distinct().ToList();
        var students = await db.Students.AsNoTracking().Where(s => ids.Contains(s.Id))
            .Select(s => new { s.Id, s.Name, s.NameKey, Grade = s.Class != null ? s.Class.Grade : s.Grade, Number = s.Class != null ? s.Class.Number : 0 }).ToListAsync(ct);
        return [.. students.OrderBy(s => s.Grade).ThenBy(s => s.Number).ThenBy(s => s.NameKey, StringComparer.Ordinal).Select(s =>
        {
            var w = watched.FirstOrDefault(x => x.StudentId == s.Id);
            var p = planned.Where(x => x.StudentId == s.Id).OrderBy(x => x.PlannedOn).FirstOrDefault();
            return new Mine(w?.PlanId ?? p!.PlanId, s.Id, s.Name, s.Number == 0 ? "" : Infrastructure.Localization.ChineseFormat.ClassName(s.Grade, s.Number), w?.Why, p?.PlannedOn, done.GetValueOrDefault(s.Id));
        })];
    }
}
