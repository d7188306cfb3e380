using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Holidays;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Demo;

/// <summary>
/// The demo county's holidays: last year's second term ends in early July (so last summer is a holiday of the calendar),
/// the head teacher's school filed its summer plan through the real use cases and its staff recorded home visits, a
/// neighbouring school's plan was returned by the county; this winter's plan is being written; and this term's return
/// check is part done, with a couple of children of the school not back for excused reasons.
/// </summary>
public static class DemoHolidays
{
    public static async Task SeedAsync(SystemDb system, Infrastructure.Time.CountyClock clock, CancellationToken ct = default)
    {
        await using var db = system.Open("demo");
        var today = clock.Today;
        var startYear = SchoolYear.StartYearOf(today);
        var users = await db.Users.AsNoTracking().Where(u => u.UserName == "head.teacher" || u.UserName == "school.admin").ToDictionaryAsync(u => u.UserName!, ct);
        if (!users.TryGetValue("head.teacher", out var head))
        {
            return;
        }
        var headClass = await db.Classes.AsNoTracking().FirstAsync(c => c.Id == head.PlaceId, ct);
        // Last year's second term ends before the summer, as school calendars set it (the default runs to the end of August).
        var lastSpring = await db.Terms.FirstOrDefaultAsync(t => t.Number == 2 && db.SchoolYears.Any(y => y.Id == t.SchoolYearId && y.StartYear == startYear - 1), ct);
        if (lastSpring is null)
        {
            return;
        }
        lastSpring.EndDate = NextFriday(new DateOnly(startYear, 7, 1));
        await db.SaveChangesAsync(ct);

        var summer = await HolidayCalendar.FindAsync(db, startYear - 1, HolidayKind.Summer, ct);
        var plan = (await HolidayPlans.StartAsync(db, new HolidayPlans.Start(headClass.SchoolId, startYear - 1, HolidayKind.Summer), ct)).Value;
        if (summer is null || plan is null)
        {
            return;
        }
        await HolidayPlans.ChangeAsync(db, plan.Id, new HolidayPlans.Change(
            "一、放假前召开家长会，签订《暑假安全及控辍保学责任书》。\n二、班主任每两周电话联系一次重点学生家长，留守儿童每月家访一次。\n三、与村（居）委会对接，外出务工家庭子女去向登记到人。\n四、开学前一周逐一通知返校，开学第一天核查到人。", null), ct);
        var staff = await db.Staff.AsNoTracking().Where(s => s.SchoolId == headClass.SchoolId && s.IsActive).OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(ct);
        var watched = await db.HolidayWatches.AsNoTracking().Where(w => w.PlanId == plan.Id).OrderBy(w => w.Path).ThenBy(w => w.StudentId).Take(3).ToListAsync(ct);
        if (staff.Count > 0)
        {
            for (var i = 0; i < watched.Count; i++)
            {
                await HolidayPlans.PlanVisitAsync(db, plan.Id, new HolidayPlans.PlanVisit(watched[i].StudentId, watched[i].StaffId ?? staff[0], summer.From.AddDays(7 + 14 * i)), ct);
            }
        }
        await HolidayPlans.SubmitAsync(db, plan.Id, ct);
        string[] said = ["孩子在家由祖母照看，暑假作业完成过半，9月1日按时返校。", "父母在外务工，孩子想随父母去外省读书，已讲清转学手续，家长表示开学先回本校。"];
        for (var i = 0; i < Math.Min(2, watched.Count); i++)
        {
            db.HolidayVisits.Add(new HolidayVisit
            {
                PlanId = plan.Id, StudentId = watched[i].StudentId, VisitedOn = summer.From.AddDays(8 + 14 * i), Met = i == 0 ? "祖母" : "母亲（电话）及本人", Said = said[i],
                ClientKey = $"demo:visit:{watched[i].StudentId:N}", RecordedBy = "head.teacher", RecordedAt = clock.StartOfDayUtc(summer.From.AddDays(8 + 14 * i)).AddHours(10), Path = watched[i].Path,
            });
        }
        await db.SaveChangesAsync(ct);

        // A neighbouring school filed too late and thin: the county sent it back.
        var other = await db.Schools.AsNoTracking().Where(s => s.Id != headClass.SchoolId && s.IsActive && s.TownshipId == db.Schools.Where(x => x.Id == headClass.SchoolId).Select(x => x.TownshipId).First())
            .OrderBy(s => s.Code).Select(s => s.Id).FirstOrDefaultAsync(ct);
        if (other != Guid.Empty && (await HolidayPlans.StartAsync(db, new HolidayPlans.Start(other, startYear - 1, HolidayKind.Summer), ct)).Value is { } thin)
        {
            await HolidayPlans.ChangeAsync(db, thin.Id, new HolidayPlans.Change("做好暑期安全教育。", null), ct);
            await HolidayPlans.SubmitAsync(db, thin.Id, ct);
            await HolidayPlans.ReturnAsync(db, thin.Id, new HolidayPlans.ReturnBody("未列出重点学生包保人和家访安排，请补充后重新报送。"), ct);
        }
        // This winter's plan of the head teacher's school: drawn up, not filed yet.
        await HolidayPlans.StartAsync(db, new HolidayPlans.Start(headClass.SchoolId, startYear, HolidayKind.Winter), ct);

        await SeedReturnCheckAsync(db, clock, headClass, ct);
    }

    /// <summary>This term's return check, made on its first school days by half the school's classes (not the head teacher's own).</summary>
    private static async Task SeedReturnCheckAsync(BaoxueDb db, Infrastructure.Time.CountyClock clock, SchoolClass headClass, CancellationToken ct)
    {
        var today = clock.Today;
        var window = await ReturnChecks.WindowAsync(db, headClass.SchoolId, today, new HolidayOptions(), ct);
        if (window is null || window.First > today)
        {
            return;
        }
        var classes = await db.Classes.AsNoTracking().Where(c => c.SchoolId == headClass.SchoolId && c.SchoolYear!.IsCurrent && c.Id != headClass.Id)
            .OrderBy(c => c.Grade).ThenBy(c => c.Number).ToListAsync(ct);
        var roster = await db.Students.AsNoTracking().Where(s => s.SchoolId == headClass.SchoolId && s.Status == StudentStatus.InSchool && s.ClassId != null)
            .Select(s => new { s.Id, ClassId = s.ClassId!.Value, s.NameKey, s.Path }).ToListAsync(ct);
        var notBack = 0;
        foreach (var (cls, i) in classes.Select((c, i) => (c, i)).Where(x => x.i % 2 == 0))
        {
            var children = roster.Where(s => s.ClassId == cls.Id).OrderBy(s => s.NameKey, StringComparer.Ordinal).ToList();
            var check = new ReturnCheck
            {
                TermId = window.TermId, ClassId = cls.Id, SchoolId = cls.SchoolId, Date = window.First, OnRoll = children.Count, ConfirmedBy = "school.admin",
                ConfirmedAt = clock.StartOfDayUtc(window.First).AddHours(9), ClientKey = $"demo:return:{cls.Id:N}", Path = cls.Path,
            };
            if (notBack < 2 && children.Count > 0)
            {
                var child = children[^1];
                var (reason, note) = notBack == 0 ? (NotBackReason.SickLeave, "骨折住院，家长已请假") : (NotBackReason.Transferred, "随父母到外省就读，转学手续办理中");
                check.Students.Add(new ReturnCheckStudent { CheckId = check.Id, StudentId = child.Id, Reason = reason, Note = note, Path = cls.Path });
                check.NotBack = 1;
                notBack++;
            }
            db.ReturnChecks.Add(check);
        }
        await db.SaveChangesAsync(ct);
    }

    private static DateOnly NextFriday(DateOnly from)
    {
        var d = from;
        while (d.DayOfWeek != DayOfWeek.Friday)
        {
            d = d.AddDays(1);
        }
        return d;
    }
}
