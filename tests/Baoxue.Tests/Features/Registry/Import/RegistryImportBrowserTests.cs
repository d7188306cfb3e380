using Baoxue.Tests.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Baoxue.Tests.Features.Organisation.OrganisationKit;
using static Baoxue.Tests.Features.Registry.Import.RegistryImportKit;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Features.Registry.Import;

/// <summary>The import page in Chromium: a refused file shows its problems, row by row, and changes nothing.</summary>
public sealed class RegistryImportBrowserTests(SqliteBrowserApp app) : IClassFixture<SqliteBrowserApp>
{
    [Fact]
    public async Task A_refused_file_shows_the_problems_table_and_changes_nothing()
    {
        int Count()
        {
            using var db = app.Db();
            return db.Students.Count();
        }
        var before = Count();
        var good = Id(new DateOnly(2016, 5, 1), 61, Baoxue.Domain.Gender.Male);
        var bad = good[..17] + (good[17] == '1' ? '2' : '1');
        var file = System.Text.Encoding.UTF8.GetBytes(Csv(Headers, Row("黄一", good), Row("黄二", bad), Row("黄三", Id(new DateOnly(2016, 5, 2), 62, Baoxue.Domain.Gender.Male), school: "2135999999")));

        var page = await app.NewPageAsync();
        await Flows.SignInAsync(page, "county.admin");
        await page.GotoAsync("/students/import");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "导入学籍", Level = 1 })).ToBeVisibleAsync();
        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "学生.csv", MimeType = "text/csv", Buffer = file });
        await page.Locator("main button[type=submit]").ClickAsync();

        await Expect(page.Locator("#import-result")).ToContainTextAsync("未导入任何数据");
        var rows = page.Locator("#import-problems tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0).Locator("td")).ToHaveTextAsync(["3", "身份证件号", bad, "身份证号校验位错误，请核对每一位。"]);
        await Expect(rows.Nth(1).Locator("td")).ToHaveTextAsync(["4", "学校标识码", "2135999999", "找不到该学校标识码，或不在您的管辖范围内。"]);
        Assert.Equal(before, Count());
        await page.Context.CloseAsync();
    }
}
