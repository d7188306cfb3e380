using System.Text.RegularExpressions;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Browser;

/// <summary>Accounts in the browser (issue 13), written once for every provider's fixture.</summary>
public static class AccountFlows
{
    /// <summary>
    /// A school administrator opens the staff list's provisioning, ticks the school's head teachers, checks the inferred
    /// roles, confirms, and prints the sealed slips; one head teacher then signs in with a slip and must change the password first.
    /// </summary>
    public static async Task SchoolAdminProvisionsHeadTeachersAndPrintsSlipsAsync(BrowserApp app, int schoolIndex)
    {
        School school;
        List<(Guid Id, string Name, string ClassName)> heads;
        await using (var db = app.Db())
        {
            school = await db.Schools.Where(s => s.CentralSchoolId != null && s.Kind == SchoolKind.Primary).OrderByDescending(s => s.Code).Skip(schoolIndex).FirstAsync();
            heads = [.. (await db.Classes.Where(c => c.SchoolId == school.Id && c.HeadTeacherId != null && c.SchoolYear!.IsCurrent)
                    .Select(c => new { Id = c.HeadTeacherId!.Value, c.HeadTeacher!.Name, c.Grade, c.Number }).ToListAsync())
                .Select(h => (h.Id, h.Name, Baoxue.Infrastructure.Localization.ChineseFormat.ClassName(h.Grade, h.Number)))];
        }
        Assert.NotEmpty(heads);
        var page = await app.NewPageAsync();
        await Flows.SignInAsync(page, DemoAccounts.SchoolAdmin(school.Code));

        await page.GotoAsync("/accounts");
        await page.Locator("#provision").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "从人员名单批量开通账号", Level = 1 })).ToBeVisibleAsync();
        await page.Locator("#school").SelectOptionAsync(new SelectOptionValue { Label = school.Name });
        await page.GetByRole(AriaRole.Button, new() { Name = "列出人员" }).ClickAsync();
        foreach (var h in heads)
        {
            await page.Locator($"#s-{h.Id}").CheckAsync();
        }
        await page.Locator("#preview").ClickAsync();

        // The confirmation: each head teacher as 班主任 of their own class.
        var proposals = page.Locator("table#proposals tbody tr");
        await Expect(proposals).ToHaveCountAsync(heads.Count);
        foreach (var h in heads)
        {
            var row = proposals.Filter(new() { HasText = h.Name });
            await Expect(row).ToContainTextAsync("班主任");
            await Expect(row).ToContainTextAsync(h.ClassName);
        }
        Assert.Empty(await AccessibilityTests.AxeAsync(page));
        await page.Locator("#confirm").ClickAsync();

        // The print page: one slip per person, with the name, user name, initial password and sign-in address.
        await Expect(page.Locator("#slips-once")).ToContainTextAsync($"已开通 {heads.Count} 个账号");
        var slips = page.Locator("#slips .slip");
        await Expect(slips).ToHaveCountAsync(heads.Count);
        await Expect(page.Locator("#slips")).ToContainTextAsync(school.Name);
        string firstUser = "", firstPassword = "";
        foreach (var h in heads)
        {
            var slip = slips.Filter(new() { HasText = h.Name });
            await Expect(slip.Locator(".slip-user")).ToHaveTextAsync(new Regex("^" + school.Code + @"\.\d{3}$"));
            await Expect(slip.Locator(".slip-password")).ToHaveTextAsync(new Regex("^.{12}$"));
            await Expect(slip.Locator(".slip-address")).ToHaveTextAsync(app.Address + "login");
            await Expect(slip).ToContainTextAsync(h.ClassName);
            if (firstUser.Length == 0)
            {
                firstUser = await slip.Locator(".slip-user").InnerTextAsync();
                firstPassword = await slip.Locator(".slip-password").InnerTextAsync();
            }
        }
        Assert.Empty(await AccessibilityTests.AxeAsync(page));
        // The print button prints (the script's data-print handler): recorded instead of opening the dialog.
        await page.EvaluateAsync("() => { window.print = () => { window.__printed = true; }; }");
        await page.Locator("#print-slips").ClickAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => window.__printed === true"));
        await page.Context.CloseAsync();

        // The head teacher's first sign-in: straight to the password change, then on to work.
        var teacher = await app.NewPageAsync();
        await teacher.GotoAsync("/login");
        await teacher.Locator("#userName").FillAsync(firstUser);
        await teacher.Locator("#password").FillAsync(firstPassword);
        await teacher.Locator("main button[type=submit]").ClickAsync();
        await Expect(teacher.Locator("#must-change")).ToBeVisibleAsync();
        await teacher.GotoAsync("/students");
        await Expect(teacher).ToHaveURLAsync(new Regex("/account"));
        await teacher.Locator("#current").FillAsync(firstPassword);
        await teacher.Locator("#next").FillAsync("Luoyuan#2026");
        await teacher.Locator("form:has(#next) button[type=submit]").ClickAsync();
        await Expect(teacher.GetByText("密码已修改。")).ToBeVisibleAsync();
        await teacher.GotoAsync("/students");
        await Expect(teacher).ToHaveURLAsync(new Regex("/students"));
        await teacher.Context.CloseAsync();
    }
}
