using Baoxue.Domain;
using Baoxue.Tests.Browser;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Features.Attendance;

/// <summary>The demo county in Chromium, with a handful of children in the head teacher's class.</summary>
public sealed class AttendanceBrowserApp : BrowserApp
{
    public AttendanceBrowserApp() : base(TestDatabase.Sqlite()) { }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Db();
        var head = await db.Users.SingleAsync(u => u.UserName == "head.teacher");
        var cls = await db.Classes.AsNoTracking().SingleAsync(c => c.Id == head.PlaceId);
        string[] names = ["王一鸣", "李若溪", "张浩宇"];
        for (var i = 0; i < names.Length; i++)
        {
            db.Students.Add(new Student
            {
                RegistryNumber = $"L3501232018{i:000000}", Name = names[i], Gender = i % 2 == 0 ? Gender.Male : Gender.Female, BirthDate = new DateOnly(2018, 3, 1 + i),
                Ethnicity = "01", SchoolId = cls.SchoolId, ClassId = cls.Id, Grade = cls.Grade, Path = cls.Path,
            });
        }
        // Whatever day the test runs, it is a school day at this school.
        var today = Services.GetRequiredService<Baoxue.Infrastructure.Time.CountyClock>().Today;
        var school = await db.Schools.AsNoTracking().SingleAsync(s => s.Id == cls.SchoolId);
        db.CalendarDays.Add(new CalendarDay { Date = today, IsSchoolDay = true, Name = "测试上课日", SchoolId = school.Id, Path = school.Path });
        await db.SaveChangesAsync();
    }
}

/// <summary>The head teacher takes today's roll on a phone-sized screen: open the class, mark one child, submit, correct.</summary>
public sealed class AttendanceBrowserTests(AttendanceBrowserApp app) : IClassFixture<AttendanceBrowserApp>
{
    [Fact]
    public async Task The_head_teacher_takes_todays_roll_on_a_phone_and_corrects_it()
    {
        var page = await app.NewPageAsync(new ViewportSize { Width = 390, Height = 844 }, phone: true);
        await Flows.SignInAsync(page, "head.teacher");
        await page.GotoAsync("/attendance");
        await page.Locator("#take-own").ClickAsync();

        var rows = page.Locator("#roster li");
        await Expect(rows).ToHaveCountAsync(3);
        // Everyone is present until marked.
        foreach (var kind in await page.Locator("#roster select").AllAsync())
        {
            await Expect(kind).ToHaveValueAsync("Present");
        }
        var li = rows.Filter(new() { HasText = "李若溪" });
        await li.Locator("select").SelectOptionAsync("Absent");
        await li.Locator("input[name$='.Reason']").FillAsync("发烧在家");
        await page.Locator("#submit").ClickAsync();

        await Expect(page.Locator("#saved")).ToBeVisibleAsync();
        await Expect(page.Locator("#history")).ToContainTextAsync("李若溪：缺勤 · 发烧在家");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone");

        // A correction the same day: the first submission stays in the history.
        li = page.Locator("#roster li").Filter(new() { HasText = "李若溪" });
        await Expect(li.Locator("select")).ToHaveValueAsync("Absent");
        await li.Locator("select").SelectOptionAsync("Late");
        await li.Locator("input[name$='.Reason']").FillAsync("九点到校");
        await page.Locator("#submit").ClickAsync();
        await Expect(page.Locator("#history li[data-revision]")).ToHaveCountAsync(2);
        await Expect(page.Locator("#history li[data-revision='2']")).ToContainTextAsync("李若溪：迟到 · 九点到校");

        // A mark without a reason is refused, and nothing is written.
        li = page.Locator("#roster li").Filter(new() { HasText = "王一鸣" });
        await li.Locator("select").SelectOptionAsync("Absent");
        await page.Locator("#submit").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("请写明王一鸣的原因。");
        await Expect(page.Locator("#history li[data-revision]")).ToHaveCountAsync(2);
        await page.Context.CloseAsync();
    }
}
