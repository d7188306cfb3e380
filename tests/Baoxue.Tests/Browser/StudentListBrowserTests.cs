using Baoxue.Domain;
using Baoxue.Tests.Features.Registry;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Browser;

/// <summary>A small demo registry (400 students) behind the browser, for the student list's own browser tests.</summary>
public sealed class StudentListBrowserApp : BrowserApp
{
    public StudentListBrowserApp() : base(TestDatabase.Sqlite()) => With("Demo:Students", "400");
}

/// <summary>The student list as a user meets it: the export button with and without filters, and the list on a phone.</summary>
public sealed class StudentListBrowserTests(StudentListBrowserApp app) : IClassFixture<StudentListBrowserApp>
{
    private static async Task<List<List<string>>> ExportAsync(IPage page)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export").ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        var path = await download.PathAsync();
        return StudentListTests<SqliteApp>.ReadSheet(await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task The_export_button_downloads_the_list_with_no_filter_and_with_every_filter()
    {
        var page = await app.NewPageAsync();
        await Flows.SignInAsync(page, "county.admin");
        await page.GotoAsync("/students");
        await page.Locator("#student-filter button[type=submit]").ClickAsync(); // the form as sent with nothing chosen
        await Expect(page.Locator("#student-total")).ToContainTextAsync("共");
        int total;
        await using (var db = app.Db())
        {
            total = await db.Students.CountAsync();
        }

        var all = await ExportAsync(page);

        Assert.Equal(["学籍号", "姓名", "性别", "出生日期", "民族", "身份证号", "学校", "班级", "学籍状态"], all[0]);
        Assert.Equal(total, all.Count - 1);
        await Expect(page.Locator("#student-total")).ToHaveTextAsync($"共 {total:N0} 名学生");

        // Every filter, chosen as a user does, from a student who has a priority group.
        Student sample;
        Guid township;
        await using (var db = app.Db())
        {
            sample = await db.Students.Include(s => s.Tags).Where(s => s.ClassId != null && s.Status == StudentStatus.InSchool && s.Tags.Any(t => t.EndedOn == null))
                .OrderBy(s => s.RegistryNumber).FirstAsync();
            township = (await db.Schools.SingleAsync(s => s.Id == sample.SchoolId)).TownshipId;
        }
        await page.Locator("select[name=township]").SelectOptionAsync(township.ToString());
        await page.Locator("#student-filter button[type=submit]").ClickAsync();
        await page.Locator("select[name=school]").SelectOptionAsync(sample.SchoolId.ToString());
        await page.Locator("#student-filter button[type=submit]").ClickAsync();
        await page.Locator("select[name=class]").SelectOptionAsync(sample.ClassId.ToString()!);
        await page.Locator("select[name=grade]").SelectOptionAsync(sample.Grade.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("select[name=status]").SelectOptionAsync("InSchool");
        await page.Locator("select[name=group]").SelectOptionAsync(sample.Tags.First(t => t.EndedOn == null).Kind.ToString());
        await page.Locator("input[name=q]").FillAsync(sample.Name[..1]);
        await page.Locator("#student-filter button[type=submit]").ClickAsync();
        // The choices survive the round trip (issue 7.2: the class was dropped).
        await Expect(page.Locator("select[name=class]")).ToHaveValueAsync(sample.ClassId.ToString()!);
        await Expect(page.Locator("select[name=township]")).ToHaveValueAsync(township.ToString());
        var shown = await page.Locator("#students tbody tr").CountAsync();

        var filtered = await ExportAsync(page);

        Assert.Equal(all[0], filtered[0]);
        Assert.Equal(shown, filtered.Count - 1);
        Assert.Contains(filtered.Skip(1), r => r[0] == sample.RegistryNumber);
        Assert.All(filtered.Skip(1), r => Assert.Equal(("在读", sample.Name[..1]), (r[8], r[1][..1])));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_the_student_list_fits_the_screen_without_scrolling_sideways()
    {
        var page = await app.NewPageAsync(new ViewportSize { Width = 390, Height = 844 }, phone: true);
        await Flows.SignInAsync(page, "county.admin");
        await page.GotoAsync("/students");
        await Expect(page.Locator("#students tbody tr").First).ToBeVisibleAsync();

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        Assert.True(await page.Locator(".student-list").EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth"), "the list scrolls sideways");
        // Two lines a student: name, gender, class and status on the first, school and number on the second.
        var height = await page.Locator("#students tbody tr").First.EvaluateAsync<double>("r => r.getBoundingClientRect().height");
        var lineHeight = await page.Locator("#students tbody td.student-name").First.EvaluateAsync<double>("c => c.getBoundingClientRect().height");
        Assert.True(height < 3 * lineHeight, $"a student takes {height} px, lines are {lineHeight} px");
        // The sort links stay.
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "姓名" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = "/tmp/baoxue-phone-students.png" });
        await page.Context.CloseAsync();
    }
}
