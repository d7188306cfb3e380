using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Browser;

/// <summary>
/// The reporting rhythm in the browser: a school generates its monthly report, writes its account of the work and
/// submits it; the county approves and archives it; a second month's report is returned for correction and comes back;
/// the floating-student monthly report is submitted and accepted.
/// </summary>
public sealed partial class BrowserTests
{
    private static readonly ViewportSize ReportingDesktop = new() { Width = 1366, Height = 768 };

    private static async Task<string> GenerateAndSubmitAsync(IPage school, DateOnly period, string words, string kind = "控辍保学月报")
    {
        await school.GotoAsync("/reports");
        await school.GetByLabel("报表类型").SelectOptionAsync(new SelectOptionValue { Label = kind });
        await school.GetByLabel("所属期间").FillAsync(period.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await school.GetByRole(AriaRole.Button, new() { Name = "生成报表" }).ClickAsync();
        await Expect(school.Locator("#report")).ToHaveAttributeAsync("data-state", "Draft");
        await Expect(school.Locator("#movement")).ToContainTextAsync("转入");
        await Expect(school.Locator("#grades")).ToContainTextAsync("合计");
        var url = school.Url;
        await school.GetByLabel("工作情况说明（开展的工作、存在的问题、下一步措施）").FillAsync(words);
        await school.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(school.Locator("#narrative")).ToHaveTextAsync(words);
        await school.GetByRole(AriaRole.Button, new() { Name = "报送上级" }).ClickAsync();
        await Expect(school.Locator("#state")).ToContainTextAsync("已报送、待审核");
        await Expect(school.GetByRole(AriaRole.Button, new() { Name = "报送上级" })).ToHaveCountAsync(0);
        return url;
    }

    [Fact]
    public async Task A_school_submits_its_monthly_report_the_county_approves_it_and_returns_another_for_correction()
    {
        DateOnly today;
        await using (var db = app.Db())
        {
            today = db.County.Today;
        }
        var school = await app.NewPageAsync(ReportingDesktop);
        await Flows.SignInAsync(school, "school.admin");
        var first = await GenerateAndSubmitAsync(school, today.AddMonths(-7), "本月无新增辍学学生。");
        var second = await GenerateAndSubmitAsync(school, today.AddMonths(-8), "本月新增疑似辍学一人。");
        // The floating-student monthly report goes the same way, with its own columns, its figures from a snapshot.
        var floating = await GenerateAndSubmitAsync(school, today.AddMonths(-1), "本月随迁子女无变动。", "流动学生月报");
        await Expect(school.Locator("#movement")).ToContainTextAsync("随迁子女流入");
        await Expect(school.Locator("#movement")).ToContainTextAsync("流生返校");
        await Expect(school.Locator("#snapshot-link")).ToHaveCountAsync(1);
        // A school reviews nothing: no 待审核 tab.
        await school.GotoAsync("/reports");
        await Expect(school.Locator("a[href='/reports?view=Mine']")).ToHaveCountAsync(1);
        await Expect(school.Locator("a[href='/reports?view=ToReview']")).ToHaveCountAsync(0);

        var county = await app.NewPageAsync(ReportingDesktop);
        await Flows.SignInAsync(county, "county.admin");
        await county.GotoAsync("/reports?view=ToReview");
        await Expect(county.Locator("#reports tbody tr")).Not.ToHaveCountAsync(0);
        await county.GotoAsync(first);
        await Expect(county.Locator("#narrative")).ToHaveTextAsync("本月无新增辍学学生。");
        // The county neither edits nor submits the school's report.
        await Expect(county.Locator("#edit")).ToHaveCountAsync(0);
        await county.GetByRole(AriaRole.Button, new() { Name = "审核通过" }).ClickAsync();
        await Expect(county.Locator("#state")).ToContainTextAsync("已审核通过");
        await county.GetByRole(AriaRole.Button, new() { Name = "归档" }).ClickAsync();
        await Expect(county.Locator("#state")).ToContainTextAsync("已归档");
        await county.GotoAsync(floating);
        await Expect(county.Locator("#narrative")).ToHaveTextAsync("本月随迁子女无变动。");
        await county.GetByRole(AriaRole.Button, new() { Name = "审核通过" }).ClickAsync();
        await Expect(county.Locator("#state")).ToContainTextAsync("已审核通过");

        // Returning needs a reason; with one, the report goes back to the school.
        await county.GotoAsync(second);
        await county.GetByRole(AriaRole.Button, new() { Name = "退回修改" }).ClickAsync();
        await Expect(county.Locator(".alert-danger")).ToContainTextAsync("退回时请填写意见");
        await Expect(county.Locator("#state")).ToContainTextAsync("已报送、待审核");
        await county.GetByLabel("审核意见（退回时必填）").FillAsync("请补充该生的劝返措施。");
        await county.GetByRole(AriaRole.Button, new() { Name = "退回修改" }).ClickAsync();
        await Expect(county.Locator("#state")).ToContainTextAsync("已退回修改");
        await Expect(county.Locator("#decision")).ToContainTextAsync("请补充该生的劝返措施。");

        await school.GotoAsync(second);
        await Expect(school.Locator("#state")).ToContainTextAsync("已退回修改");
        await school.GetByLabel("工作情况说明（开展的工作、存在的问题、下一步措施）").FillAsync("本月新增疑似辍学一人，已三次入户劝返，家长承诺下周返校。");
        await school.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await school.GetByRole(AriaRole.Button, new() { Name = "报送上级" }).ClickAsync();
        await Expect(school.Locator("#state")).ToContainTextAsync("已报送、待审核");

        // The Word file says what the page says.
        var download = await school.RunAndWaitForDownloadAsync(() => school.Locator("#report-docx").ClickAsync());
        using (var word = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(await download.PathAsync(), false))
        {
            Assert.Contains("已三次入户劝返", word.MainDocumentPart!.Document!.Body!.InnerText, StringComparison.Ordinal);
        }
        await school.Context.CloseAsync();
        await county.Context.CloseAsync();
    }
}
