using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Browser;

/// <summary>The ledger's first steps on a phone-sized page: a tip, its verification, approval and the case's two lines.</summary>
public sealed partial class BrowserTests
{
    private static readonly ViewportSize LedgerPhone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task A_village_cadres_tip_is_verified_approved_by_the_township_and_its_case_gets_both_lines_on_a_phone()
    {
        var village = await app.NewPageAsync(LedgerPhone, phone: true);
        await Flows.SignInAsync(village, "village.cadre");
        await Expect(village.Locator("#task-count")).ToBeAttachedAsync();
        await village.GotoAsync("/ledger/new");
        await village.GetByLabel("姓名").FillAsync("浏览器报告童");
        await village.GetByLabel("出生日期").FillAsync("2019-04-02");
        await village.GetByLabel("性别").SelectOptionAsync(new SelectOptionValue { Label = "女" });
        var place = village.GetByLabel("户籍所在地");
        var firstVillage = await place.Locator("option").Nth(1).GetAttributeAsync("value");
        // The cadre's own village: the one the menu's place shows on the home page is under 凤山镇.
        var own = await place.Locator("option", new() { HasText = "凤山镇 ·" }).AllAsync();
        string? chosen = null;
        foreach (var option in own)
        {
            var text = await option.TextContentAsync();
            if (text is not null && !text.Contains("社区", StringComparison.Ordinal))
            {
                chosen = await option.GetAttributeAsync("value");
                break;
            }
        }
        Assert.NotNull(firstVillage);
        await place.SelectOptionAsync(chosen!);
        await village.GetByLabel("名单类别").SelectOptionAsync(new SelectOptionValue { Label = "适龄未入学" });
        await village.GetByLabel("情况说明").FillAsync("满 7 周岁，今年秋季没有到校报到。");
        await village.GetByRole(AriaRole.Button, new() { Name = "提交线索" }).ClickAsync();

        // Lands on the entry, if it is in the cadre's village; otherwise the form says it was put on the ledger.
        if (!Regex.IsMatch(village.Url, "/ledger/entries/"))
        {
            await Expect(village.Locator("#reported")).ToBeVisibleAsync();
            await village.Locator("#reported a").ClickAsync();
        }
        await Expect(village.Locator("#state")).ToHaveTextAsync("待核查");
        var entryUrl = village.Url;
        await village.GetByLabel("核查结论").SelectOptionAsync(new SelectOptionValue { Label = "确属辍学（失学）" });
        await village.GetByLabel("核查情况（见到谁、证明材料等）").FillAsync("家访见到母亲，孩子在家带弟弟。");
        await village.GetByRole(AriaRole.Button, new() { Name = "提交核查结论" }).ClickAsync();
        await Expect(village.Locator("#state")).ToHaveTextAsync("待审核");
        await village.Context.CloseAsync();

        var township = await app.NewPageAsync(LedgerPhone, phone: true);
        await Flows.SignInAsync(township, "township.cadre");
        await township.GotoAsync(entryUrl);
        await township.GetByLabel("审核意见").FillAsync("同意列为辍学，立即开展劝返。");
        await township.GetByRole(AriaRole.Button, new() { Name = "审核通过" }).ClickAsync();
        await Expect(township.Locator("#state")).ToHaveTextAsync("已确认（劝返中）");
        await Expect(township.Locator("#case")).ToHaveAttributeAsync("data-case-state", "Opened");
        var education = township.Locator("#education");
        if (string.IsNullOrEmpty(await education.InputValueAsync()))
        {
            await education.SelectOptionAsync(new SelectOptionValue { Index = 1 });
        }
        var government = township.Locator("#government");
        Assert.False(string.IsNullOrEmpty(await government.InputValueAsync()), "the government line defaults to the cadre of the child's village");
        await township.GetByRole(AriaRole.Button, new() { Name = "确定双线责任人" }).ClickAsync();
        await Expect(township.Locator("#case")).ToHaveAttributeAsync("data-case-state", "Assigned");
        await Expect(township.Locator("#education-line")).Not.ToHaveTextAsync("—");
        await Expect(township.Locator("#government-line")).Not.ToHaveTextAsync("—");
        await Expect(township.Locator("#history")).ToContainTextAsync("已分配");
        // Nothing on the page is wider than the phone.
        Assert.True(await township.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await township.Context.CloseAsync();
    }
}
