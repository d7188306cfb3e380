using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Browser;

/// <summary>What a user does in the browser, written once for every provider's fixture.</summary>
public static class Flows
{
    public const string OwnSchool = "罗源县凤山中心小学";
    public const string OtherSchool = "罗源县实验小学";

    /// <summary>Signs in through the login page and waits for the dashboard.</summary>
    public static async Task SignInAsync(IPage page, string userName, string password = BrowserApp.Password)
    {
        await page.GotoAsync("/login");
        await page.Locator("#userName").FillAsync(userName);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "工作台", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>
    /// A head teacher sees their own school but not another one, even by typing its address.
    /// </summary>
    public static async Task HeadTeacherStaysInJurisdictionAsync(BrowserApp app)
    {
        Guid ownId, otherId;
        string otherCode, otherAddress;
        await using (var db = app.Db())
        {
            ownId = await db.Schools.Where(s => s.Name == OwnSchool).Select(s => s.Id).SingleAsync();
            var other = await db.Schools.SingleAsync(s => s.Name == OtherSchool);
            (otherId, otherCode, otherAddress) = (other.Id, other.Code, other.Address!);
        }
        var page = await app.NewPageAsync();

        await SignInAsync(page, "head.teacher");
        await Expect(page.Locator("header")).ToContainTextAsync("班主任"); // display name · role
        await Expect(page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "账号管理" })).ToHaveCountAsync(0);

        // Their own school, reached through the menu.
        await page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "学校", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "学校", Level = 1 })).ToBeVisibleAsync();
        await page.Locator("main table").GetByRole(AriaRole.Link, new() { Name = OwnSchool, Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/schools/{ownId}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = OwnSchool, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("table#classes")).ToContainTextAsync("三年级");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "新增班级" })).ToHaveCountAsync(0); // may not edit classes

        // Another school, by address: refused, and nothing of it shows.
        var response = await page.GotoAsync($"/schools/{otherId}");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("不在您的管辖范围内");
        var main = page.Locator("main");
        await Expect(main).Not.ToContainTextAsync(OtherSchool);
        await Expect(main).Not.ToContainTextAsync(otherCode);
        await Expect(main).Not.ToContainTextAsync(otherAddress);
        await Expect(page.Locator("table#classes")).ToHaveCountAsync(0);
        await Expect(page).Not.ToHaveTitleAsync(new Regex(OtherSchool));
        Assert.Equal(404, response!.Status);

        // Nor is the other school in their list of schools.
        await page.GotoAsync("/schools");
        var listed = page.Locator("main table tbody tr");
        await Expect(listed.Filter(new() { HasText = OwnSchool })).ToHaveCountAsync(1);
        await Expect(listed.Filter(new() { HasText = OtherSchool })).ToHaveCountAsync(0);
        await Expect(listed).ToHaveCountAsync(1);

        await page.Context.CloseAsync();
    }

    /// <summary>A head teacher who types an administrators' address is sent to the refusal page.</summary>
    public static async Task HeadTeacherIsRefusedAccountsAsync(BrowserApp app)
    {
        var page = await app.NewPageAsync();
        await SignInAsync(page, "head.teacher");

        await page.GotoAsync("/accounts");
        await Expect(page).ToHaveURLAsync(new Regex("/denied"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "无权访问" })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("您没有权限访问此页面");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("county.admin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "账号管理" })).ToHaveCountAsync(0);

        await page.Context.CloseAsync();
    }
}
