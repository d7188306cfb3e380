using System.Text.RegularExpressions;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Browser;

/// <summary>The demo with its second county (闽侯县) and a few students in each, served to Chromium.</summary>
public sealed class TwoCountyBrowserApp : BrowserApp
{
    public TwoCountyBrowserApp() : base(TestDatabase.Sqlite())
    {
        With("Demo:SecondCountyCode", "350121");
        With("Demo:SecondCountyStudents", "30");
    }
}

/// <summary>Above the county (issue 12): a city user in Chromium sees both counties' figures and lists and edits no child's record.</summary>
[Collection(TwoCountyCollection.Name)]
public sealed class JurisdictionBrowserTests(TwoCountyBrowserApp app)
{
    [Theory]
    [InlineData(1366, false)]
    [InlineData(390, true)]
    public async Task A_city_user_sees_both_counties_and_cannot_edit_a_childs_record(int width, bool phone)
    {
        int schools, students, luoyuanStudents;
        Guid minhouStudent;
        await using (var db = app.Db())
        {
            // A child of 罗源 beside the demo's children of 闽侯, enrolled the way the registry does.
            if (!await db.Students.AnyAsync(s => s.Path.StartsWith("35/3501/350123/")))
            {
                var cls = await db.Classes.Where(c => c.Path.StartsWith("35/3501/350123/") && c.Grade == 3).OrderBy(c => c.Path).FirstAsync();
                var names = new Baoxue.Features.Demo.ChineseNames(7);
                var id = names.IdNumberFor("350123", new DateOnly(2017, 4, 9), Baoxue.Domain.Gender.Female);
                var saved = await Baoxue.Features.Registry.SaveStudent.HandleAsync(db, app.Services.GetRequiredService<Baoxue.Infrastructure.Security.PersonalData>(),
                    new(null, id, null, names.FullName(Baoxue.Domain.Gender.Female), Baoxue.Domain.Gender.Female, new DateOnly(2017, 4, 9), "01", null, null, null, null, cls.Id, null));
                Assert.True(saved.Succeeded);
            }
            schools = await db.Schools.CountAsync();
            students = await db.Students.CountAsync(s => s.Status == Baoxue.Domain.StudentStatus.InSchool);
            luoyuanStudents = await db.Students.CountAsync(s => s.Path.StartsWith("35/3501/350123/"));
            minhouStudent = await db.Students.Where(s => s.Path.StartsWith("35/3501/350121/")).OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
        }
        var page = await app.NewPageAsync(new ViewportSize { Width = width, Height = 800 }, phone);
        await Flows.SignInAsync(page, "city.staff");

        // The home page is the city's: both counties' schools.
        await Expect(page.Locator("#home-scope")).ToContainTextAsync("管辖范围：福州市");
        await Expect(page.Locator("[data-tile='Home.Schools']")).ToHaveTextAsync(schools.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));

        // The divisions start at the city, with its two counties and their schools.
        await page.GotoAsync("/divisions");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "福州市", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#divisions tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#divisions tr[data-code='350121']")).ToContainTextAsync("闽侯县");
        await Expect(page.Locator("#divisions tr[data-code='350123']")).ToContainTextAsync("罗源县");
        await Expect(page.Locator("main")).ToContainTextAsync("共 2 个县（市、区）");

        // Schools of both counties in one list.
        await page.GotoAsync("/schools?pageSize=200");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "罗源县实验小学", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "闽侯县实验小学", Exact = true })).ToBeVisibleAsync();

        // Students of both counties; IDs concealed beyond the region.
        await page.GotoAsync("/students?pageSize=200");
        var main = page.Locator("main");
        await Expect(main).ToContainTextAsync("罗源县");
        await Expect(main).ToContainTextAsync("闽侯县");
        await Expect(main).Not.ToContainTextAsync(new Regex(@"350121\d{8}"));

        // A 闽侯 child's record: readable, no edit button; the edit page itself is refused.
        await page.GotoAsync($"/students/{minhouStudent}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await Expect(main).ToContainTextAsync("闽侯县");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "编辑", Exact = true })).ToHaveCountAsync(0);
        await page.GotoAsync($"/students/{minhouStudent}/edit");
        await Expect(page).ToHaveURLAsync(new Regex("/denied"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "无权访问" })).ToBeVisibleAsync();
        Assert.True(students > 30);
        Assert.True(luoyuanStudents > 0);

        await page.Context.CloseAsync();
    }
}
