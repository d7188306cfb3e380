using Baoxue.Features.Registry.RollCalls;
using Baoxue.Tests.Features.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Browser;

/// <summary>
/// Every export button on the lists (schools, a school's classes, the audit log, status changes, unconfirmed
/// transfers, a roll call's progress and anomalies), clicked with no filter chosen: each downloads a workbook whose
/// title and rows are the list's.
/// </summary>
public sealed partial class BrowserTests
{
    private static async Task<(string Title, IReadOnlyList<string> Headers, List<string[]> Rows)> DownloadAsync(IPage page, string exportKey)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator($"[data-export='{exportKey}']").ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename);
        var path = await download.PathAsync();
        return OrganisationKit.Workbook(await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Each_list_export_button_with_no_filter_downloads_the_list()
    {
        Guid schoolId;
        int schools, classes;
        DateOnly opens;
        await using (var db = app.Db())
        {
            schoolId = await db.Schools.Where(s => s.Name == Flows.OwnSchool).Select(s => s.Id).SingleAsync();
            schools = await db.Schools.CountAsync();
            classes = await db.Classes.CountAsync(c => c.SchoolId == schoolId && c.SchoolYear!.IsCurrent);
            opens = OpenCampaign.MonthStart((await db.SchoolYears.SingleAsync(y => y.IsCurrent)).StartYear, 3);
        }
        Guid campaignId;
        await using (var county = await app.DbAs("county.admin"))
        {
            var opened = await OpenCampaign.HandleAsync(county, new OpenCampaign.Command("3月导出核查", 3, opens, opens.AddDays(20)));
            // Another test of this browser app may have opened March already: any campaign of the county will do.
            campaignId = opened.Succeeded ? opened.Value!.Id : await county.RollCallCampaigns.Select(c => c.Id).FirstAsync();
        }

        var page = await app.NewPageAsync();
        await Flows.SignInAsync(page, "county.admin");

        await page.GotoAsync("/schools");
        var school = await DownloadAsync(page, "schools");
        Assert.Equal("学校", school.Title);
        Assert.Equal(OrganisationKit.SchoolHeaders, school.Headers);
        Assert.Equal(schools, school.Rows.Count);
        Assert.Contains(school.Rows, r => r[1] == Flows.OwnSchool);

        await page.GotoAsync($"/schools/{schoolId}");
        var classSheet = await DownloadAsync(page, "classes");
        Assert.Equal("班级", classSheet.Title);
        Assert.Equal(OrganisationKit.ClassHeaders, classSheet.Headers);
        Assert.Equal(classes, classSheet.Rows.Count);
        Assert.All(classSheet.Rows, r => Assert.Equal(Flows.OwnSchool, r[1]));

        await page.GotoAsync("/audit");
        var audit = await DownloadAsync(page, "audit");
        Assert.Equal("操作日志", audit.Title);
        Assert.Equal("序号", audit.Headers[0]);
        Assert.NotEmpty(audit.Rows);
        Assert.Contains(audit.Rows, r => r[2] == "county.admin");

        await page.GotoAsync("/status-changes?view=All");
        var changes = await DownloadAsync(page, "status-changes");
        Assert.Equal("学籍异动", changes.Title);
        Assert.Equal("学生", changes.Headers[0]);
        Assert.Equal(await page.Locator("#status-changes tbody tr").CountAsync(), changes.Rows.Count);

        await page.GotoAsync("/status-changes/unconfirmed");
        var unconfirmed = await DownloadAsync(page, "unconfirmed");
        Assert.Equal("未确认的转学", unconfirmed.Title);
        Assert.Equal(await page.Locator("#status-changes tbody tr").CountAsync(), unconfirmed.Rows.Count);

        await page.GotoAsync($"/roll-calls/{campaignId}");
        var progress = await DownloadAsync(page, "progress");
        Assert.Equal("核查进度", progress.Title);
        Assert.Contains(progress.Rows, r => r[1] == Flows.OwnSchool);

        await page.GotoAsync($"/roll-calls/{campaignId}/anomalies");
        var anomalies = await DownloadAsync(page, "anomalies");
        Assert.Equal("异常名单", anomalies.Title);
        Assert.Equal("学校", anomalies.Headers[0]);
        Assert.Empty(anomalies.Rows); // nobody has marked a child yet

        await page.Context.CloseAsync();
    }
}
