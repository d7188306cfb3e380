using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Reporting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Demo;

/// <summary>
/// The demo county's reporting: the demo school's monthly report for last month, submitted and waiting for the county;
/// an autumn campaign (自查 → 县级复查 → 整改) with the demo school's self-check marked done.
/// </summary>
internal static class DemoReporting
{
    public static async Task SeedAsync(BaoxueDb db, IServiceProvider services, CancellationToken ct)
    {
        var school = await db.Users.IgnoreQueryFilters().Where(u => u.UserName == "school.admin").Select(u => new { u.Path, u.PlaceId }).FirstOrDefaultAsync(ct);
        var county = await db.Users.IgnoreQueryFilters().Where(u => u.UserName == "county.admin").Select(u => u.Path).FirstOrDefaultAsync(ct);
        if (school is null || county is null || !await db.Students.AnyAsync(ct))
        {
            return; // the county without students (tests that make their own) files nothing either
        }
        var options = services.GetRequiredService<IOptions<ReportingOptions>>().Value;
        var today = db.County.Today;
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var name = await db.Schools.Where(s => s.Id == school.PlaceId).Select(s => s.Name).FirstAsync(ct);
        var (start, end) = ReportRhythm.PreviousPeriod(ReportKind.SchoolMonthly, today);
        // Last month's report reads last month's closing snapshot, as the monthly job would have taken it on the 1st.
        var set = await services.GetRequiredService<Rates.FigureBuilder>().MonthlyAsync(today, ct);
        var figures = await FigureCounter.ReadAsync(db, set, ReportLevel.School, school.Path, name, start, end, ct);
        db.Reports.Add(new Report
        {
            Kind = ReportKind.SchoolMonthly,
            PeriodStart = start,
            PeriodEnd = end,
            AsOf = figures.AsOf,
            DueOn = ReportRhythm.DueOn(ReportKind.SchoolMonthly, end, options.DueDays),
            State = ReportState.Submitted,
            UnitName = name,
            Figures = "",
            FigureSetId = set.Id,
            Narrative = "本月对连续缺课学生逐一电话联系并入户家访，疑似辍学学生已全部核查上报。",
            GeneratedAt = now,
            GeneratedBy = "school.admin",
            SubmittedAt = now,
            SubmittedBy = "school.admin",
            Path = school.Path,
            ReviewerPath = county,
        });

        var campaign = new Campaign { Title = $"{today.Year}年控辍保学专项行动", Description = "各校对照学籍、台账逐一自查，县教育局组织复查，对发现的问题限期整改。", CreatedAt = now, CreatedBy = "county.admin", Path = county };
        CampaignPhaseKind[] kinds = [CampaignPhaseKind.SelfCheck, CampaignPhaseKind.CountyCheck, CampaignPhaseKind.Rectification];
        campaign.Phases.AddRange(kinds.Select((k, i) => new CampaignPhase { CampaignId = campaign.Id, Kind = k, DueOn = today.AddDays(5 + 7 * i) }));
        db.Campaigns.Add(campaign);
        var schools = await db.Schools.Where(s => s.Path.StartsWith(county) && s.IsActive).Select(s => new { s.Id, s.Path }).ToListAsync(ct);
        foreach (var s in schools)
        {
            foreach (var phase in campaign.Phases)
            {
                var marked = s.Id == school.PlaceId && phase.Kind == CampaignPhaseKind.SelfCheck;
                db.CampaignProgress.Add(new CampaignProgress
                {
                    CampaignId = campaign.Id, PhaseId = phase.Id, SchoolId = s.Id, Path = s.Path,
                    State = marked ? PhaseState.Marked : PhaseState.Open,
                    Note = marked ? "已完成学籍与台账自查，未发现问题。" : null,
                    MarkedAt = marked ? now : null,
                    MarkedBy = marked ? "school.admin" : null,
                });
            }
        }
        await db.SaveChangesAsync(ct);
    }
}
