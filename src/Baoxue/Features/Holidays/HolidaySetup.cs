using Baoxue.Domain;
using Baoxue.Features.Home;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Holidays;

public static class HolidaySetup
{
    public static void AddHolidays(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<HolidayOptions>(builder.Configuration.GetSection("Holiday"));
        builder.Services.AddScoped<ITaskSource, HolidayTasks>();
    }
}

/// <summary>
/// The holidays' work on the home page: the school's plan due before the holiday (the county: how many schools have not
/// filed), planned home visits whose day has come, and the head teacher's return check while its window is open.
/// </summary>
public sealed class HolidayTasks(Infrastructure.Time.CountyClock clock, IOptions<HolidayOptions> options) : ITaskSource
{
    public int Order => 310;

    public async Task<IReadOnlyList<HomeTask>> TasksAsync(HomeContext home, CancellationToken ct)
    {
        var (db, user) = (home.Db, home.User);
        var tasks = new List<HomeTask>();
        var today = clock.Today;
        var path = user.FindFirst(BaoxueClaims.Path)?.Value;
        if (user.Can(Permission.HolidayPlanFile) || user.Can(Permission.HolidayPlanReturn))
        {
            var holiday = HolidayCalendar.Upcoming(await HolidayCalendar.AllAsync(db, ct), today);
            if (holiday is not null && today >= holiday.From.AddDays(-options.Value.PlanDueDaysBefore) && today <= holiday.To)
            {
                var rows = await HolidayPlans.SchoolsAsync(db, holiday.StartYear, holiday.Kind, ct);
                var open = rows.Count(r => r.State != HolidayPlanState.Submitted);
                var link = $"/attendance/holidays?holiday={holiday.Code}";
                if (user.Can(Permission.HolidayPlanFile) && rows.Count == 1)
                {
                    tasks.Add(new HomeTask("Holiday.Task.PlanDue", open, rows[0].PlanId is { } id ? $"/attendance/holidays/plans/{id}" : link, holiday.From, open > 0 && today >= holiday.From));
                }
                else if (user.Can(Permission.HolidayPlanReturn))
                {
                    tasks.Add(new HomeTask("Holiday.Task.NotFiled", open, link, holiday.From, open > 0 && today >= holiday.From));
                }
            }
        }
        if (user.Can(Permission.HolidayVisitRecord))
        {
            var due = await db.HolidayVisitPlans.CountAsync(v => v.PlannedOn <= today && v.PlannedOn >= today.AddDays(-60)
                && !db.HolidayVisits.Any(d => d.PlanId == v.PlanId && d.StudentId == v.StudentId), ct);
            if (due > 0)
            {
                tasks.Add(new HomeTask("Holiday.Task.VisitsDue", due, "/attendance/holidays/visits"));
            }
        }
        if (user.GetRole() == Role.HeadTeacher && user.Can(Permission.ReturnCheckConfirm) && path is not null)
        {
            var cls = await db.Classes.AsNoTracking().Where(c => c.Path == path).Select(c => new { c.Id, c.SchoolId }).FirstOrDefaultAsync(ct);
            if (cls is not null && await ReturnChecks.WindowAsync(db, cls.SchoolId, today, options.Value, ct) is { Open: true } window)
            {
                var done = await db.ReturnChecks.AnyAsync(r => r.TermId == window.TermId && r.ClassId == cls.Id, ct);
                tasks.Add(new HomeTask("Holiday.Task.ReturnCheck", done ? 0 : 1, $"/attendance/return-check/classes/{cls.Id}", window.Last));
            }
        }
        return tasks;
    }
}
