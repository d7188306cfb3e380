using Baoxue.Domain;
using Baoxue.Tests.Browser;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Features.Holidays;

/// <summary>The demo county in Chromium on the first day of term, with a handful of children in the head teacher's class.</summary>
public sealed class ReturnCheckBrowserApp : BrowserApp
{
    public ReturnCheckBrowserApp() : base(TestDatabase.Sqlite()) { }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Db();
        var head = await db.Users.SingleAsync(u => u.UserName == "head.teacher");
        var cls = await db.Classes.AsNoTracking().SingleAsync(c => c.Id == head.PlaceId);
        string[] names = ["王一鸣", "李若溪", "张浩宇", "赵梓涵"];
        for (var i = 0; i < names.Length; i++)
        {
            db.Students.Add(new Student
            {
                RegistryNumber = $"L3501232018{i:000000}", Name = names[i], Gender = i % 2 == 0 ? Gender.Male : Gender.Female, BirthDate = new DateOnly(2018, 3, 1 + i),
                Ethnicity = "01", SchoolId = cls.SchoolId, ClassId = cls.Id, Grade = cls.Grade, Path = cls.Path,
            });
        }
        // Whatever day the test runs, the term began today and today is a school day at this school.
        var today = Services.GetRequiredService<Baoxue.Infrastructure.Time.CountyClock>().Today;
        var term = await db.Terms.SingleAsync(t => t.StartDate <= today && t.EndDate >= today);
        term.StartDate = today;
        var school = await db.Schools.AsNoTracking().SingleAsync(s => s.Id == cls.SchoolId);
        db.CalendarDays.Add(new CalendarDay { Date = today, IsSchoolDay = true, Name = "测试上课日", SchoolId = school.Id, Path = school.Path });
        await db.SaveChangesAsync();
    }
}

/// <summary>The head teacher confirms the class's return check on a phone-sized screen: everyone back but two, one refused then fixed.</summary>
public sealed class ReturnCheckBrowserTests(ReturnCheckBrowserApp app) : IClassFixture<ReturnCheckBrowserApp>
{
    [Fact]
    public async Task The_head_teacher_confirms_the_class_back_on_a_phone_and_a_child_not_back_is_absent_on_the_roll()
    {
        var page = await app.NewPageAsync(new ViewportSize { Width = 390, Height = 844 }, phone: true);
        await Flows.SignInAsync(page, "head.teacher");
        // The home page's task leads to the check.
        await page.Locator("a[href^='/attendance/return-check/classes/']").First.ClickAsync();

        var rows = page.Locator("#roster li");
        await Expect(rows).ToHaveCountAsync(4);
        foreach (var reason in await page.Locator("#roster select").AllAsync())
        {
            await Expect(reason).ToHaveValueAsync("Back");
        }
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone");

        // "Other" needs a note: refused, nothing written.
        var li = rows.Filter(new() { HasText = "李若溪" });
        await li.Locator("select").SelectOptionAsync("Other");
        await page.Locator("#submit").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("李若溪选择“其他”时须说明情况。");
        await using (var db = app.Db())
        {
            var classId = await db.Users.Where(u => u.UserName == "head.teacher").Select(u => u.PlaceId).SingleAsync();
            Assert.False(await db.ReturnChecks.AnyAsync(r => r.ClassId == classId));
        }

        li = page.Locator("#roster li").Filter(new() { HasText = "李若溪" });
        await li.Locator("select").SelectOptionAsync("Unknown");
        var sick = page.Locator("#roster li").Filter(new() { HasText = "张浩宇" });
        await sick.Locator("select").SelectOptionAsync("SickLeave");
        await sick.Locator("input[name$='.Note']").FillAsync("肺炎住院");
        await page.Locator("#submit").ClickAsync();

        await Expect(page.Locator("#saved")).ToBeVisibleAsync();
        await Expect(page.Locator("#confirmed")).ToContainTextAsync("返校 2 人，未返校 2 人（无正当理由 1 人）");
        await Expect(page.Locator("#roster li").Filter(new() { HasText = "李若溪" }).Locator("select")).ToHaveValueAsync("Unknown");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone");

        // The check is today's roll: the attendance page shows the absence and the leave.
        await page.GotoAsync("/attendance");
        await page.Locator("#take-own").ClickAsync();
        await Expect(page.Locator("#history")).ToContainTextAsync("李若溪：缺勤 · 开学未返校（原因不明）");
        await Expect(page.Locator("#history")).ToContainTextAsync("张浩宇：请假 · 开学未返校（病假）：肺炎住院");
        await page.Context.CloseAsync();
    }
}
