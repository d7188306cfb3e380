using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Browser;

/// <summary>The pages as a user sees them in Chromium, on SQLite.</summary>
public sealed partial class BrowserTests(SqliteBrowserApp app) : IClassFixture<SqliteBrowserApp>
{
    [Fact]
    public async Task County_admin_adds_a_class_and_reads_the_school_in_both_languages()
    {
        // An English-language browser still gets Chinese: only the switch changes the language.
        var page = await app.NewPageAsync(locale: "en-US");
        var nav = page.Locator("nav");
        var bar = page.Locator("header"); // who is signed in, my account, sign out, language

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "登录", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("用户名").FillAsync("county.admin");
        await page.GetByLabel("密码").FillAsync(BrowserApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();

        // Dashboard.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "工作台", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("管辖范围：罗源县");
        await Expect(page.Locator("[data-tile='Home.Schools']")).ToHaveTextAsync(new Regex(@"^\d+$"));
        await Expect(bar).ToContainTextAsync("系统管理员");

        // Schools: search, open the school.
        await nav.GetByRole(AriaRole.Link, new() { Name = "学校", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "学校", Level = 1 })).ToBeVisibleAsync();
        await page.GetByPlaceholder("学校名称或标识码").FillAsync("凤山");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"[?&]q=%E5%87%A4%E5%B1%B1"));
        var results = page.Locator("main table tbody tr");
        await Expect(results.Filter(new() { HasNotText = "凤山" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = Flows.OwnSchool, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = Flows.OwnSchool, Level = 1 })).ToBeVisibleAsync();
        var schoolUrl = new Uri(page.Url).AbsolutePath;
        var classes = page.Locator("table#classes");
        await Expect(classes).Not.ToContainTextAsync("三年级（9）班");

        // New class: grade 3, number 9, a teacher from the school's list, 45 places.
        await page.GetByRole(AriaRole.Link, new() { Name = "新增班级" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/classes/new\?schoolId="));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "新增班级", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("学校：" + Flows.OwnSchool);
        await page.Locator("#grade").SelectOptionAsync(new SelectOptionValue { Label = "三年级" });
        await page.Locator("#number").FillAsync("9");
        var teacherOption = page.Locator("#teacher option").Filter(new() { HasText = "教师）" }).First;
        var teacherLabel = (await teacherOption.TextContentAsync())!.Trim();
        var teacherName = teacherLabel[..teacherLabel.IndexOf('（', StringComparison.Ordinal)];
        await page.Locator("#teacher").SelectOptionAsync(new SelectOptionValue { Label = teacherLabel });
        await page.Locator("#capacity").FillAsync("45");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();

        // Back on the school, the class is listed.
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(schoolUrl) + @"\?year="));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = Flows.OwnSchool, Level = 1 })).ToBeVisibleAsync();
        var row = classes.Locator("tbody tr").Filter(new() { HasText = "三年级（9）班" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td:not(.no-print)")).ToHaveTextAsync(["三年级（9）班", teacherName, "45"]);

        // English.
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Schools", Exact = true })).ToBeVisibleAsync();
        await Expect(bar.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await Expect(bar.GetByRole(AriaRole.Button, new() { Name = "简体中文" })).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(schoolUrl) + @"\?year="));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en-US");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = Flows.OwnSchool, Level = 1 })).ToBeVisibleAsync();
        await Expect(classes.Locator("thead th:not(.no-print)")).ToHaveTextAsync(["Class", "Head teacher", "Capacity"]);
        await Expect(classes.Locator("tbody tr").Filter(new() { HasText = "Grade 3 Class 9" }).Locator("td:not(.no-print)"))
            .ToHaveTextAsync(["Grade 3 Class 9", teacherName, "45"]);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "New class" })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).Not.ToContainTextAsync("年级");
        await page.ScreenshotAsync(new() { Path = "/tmp/baoxue-school-en.png", FullPage = true });
        await nav.ScreenshotAsync(new() { Path = "/tmp/baoxue-nav-en.png" });

        // And back to Chinese.
        await page.GetByRole(AriaRole.Button, new() { Name = "简体中文" }).ClickAsync();
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "学校", Exact = true })).ToBeVisibleAsync();
        await Expect(bar.GetByRole(AriaRole.Button, new() { Name = "退出" })).ToBeVisibleAsync();
        await Expect(bar.GetByRole(AriaRole.Button, new() { Name = "English" })).ToBeVisibleAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await nav.ScreenshotAsync(new() { Path = "/tmp/baoxue-nav-zh.png" });
        await Expect(row.Locator("td:not(.no-print)").First).ToHaveTextAsync("三年级（9）班");
        await Expect(classes.Locator("thead th:not(.no-print)")).ToHaveTextAsync(["班级", "班主任", "额定人数"]);

        await page.Context.CloseAsync();
    }

    [Fact]
    public Task Head_teacher_sees_only_their_own_school() => Flows.HeadTeacherStaysInJurisdictionAsync(app);

    [Fact]
    public Task Head_teacher_is_refused_the_accounts_page() => Flows.HeadTeacherIsRefusedAccountsAsync(app);

    [Fact]
    public async Task Wrong_password_is_refused_on_the_login_page()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/login");
        await page.Locator("#userName").FillAsync("school.admin");
        await page.Locator("#password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("用户名或密码错误。");
        await Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "登录", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#userName")).ToHaveValueAsync("school.admin");
        await Expect(page.Locator("header")).Not.ToContainTextAsync("退出");
        // The password typed is not sent back in the page.
        await Expect(page.Locator("#password")).ToBeEmptyAsync();

        // Still signed out: the dashboard sends the browser back to the login page.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_the_menu_folds_and_the_schools_table_scrolls_sideways()
    {
        var page = await app.NewPageAsync(new ViewportSize { Width = 375, Height = 667 }, phone: true);
        await Flows.SignInAsync(page, "county.admin");

        var toggler = page.GetByRole(AriaRole.Button, new() { Name = "菜单" });
        var schoolsLink = page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "学校", Exact = true });
        await Expect(toggler).ToBeVisibleAsync();
        await Expect(schoolsLink).ToBeHiddenAsync();
        await Expect(page.Locator("header").GetByRole(AriaRole.Button, new() { Name = "退出" })).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = "/tmp/baoxue-phone-home.png" });

        await toggler.ClickAsync();
        await Expect(schoolsLink).ToBeVisibleAsync();
        await Expect(page.Locator("header").GetByRole(AriaRole.Button, new() { Name = "退出" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = "/tmp/baoxue-phone-menu.png" });
        await schoolsLink.ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "学校", Level = 1 })).ToBeVisibleAsync();
        await Expect(schoolsLink).ToBeHiddenAsync(); // folded again on the new page
        var scroller = page.Locator("main .table-responsive");
        await Expect(scroller).ToHaveCSSAsync("overflow-x", "auto");
        // The table is wider than the phone; it scrolls inside its container, the page itself does not.
        Assert.True(await scroller.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"), "the schools table fits without scrolling");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        await scroller.EvaluateAsync("e => e.scrollLeft = e.scrollWidth");
        Assert.True(await scroller.EvaluateAsync<bool>("e => e.scrollLeft > 0"), "the table container does not scroll");
        await page.ScreenshotAsync(new() { Path = "/tmp/baoxue-phone.png" });

        await scroller.EvaluateAsync("e => e.scrollLeft = 0");
        await page.GetByRole(AriaRole.Link, new() { Name = Flows.OtherSchool, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = Flows.OtherSchool, Level = 1 })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = "/tmp/baoxue-phone-school.png" });
        await page.Context.CloseAsync();
    }

    [Fact]
    public Task School_admin_provisions_head_teachers_and_prints_the_slips() => AccountFlows.SchoolAdminProvisionsHeadTeachersAndPrintsSlipsAsync(app, 0);
}

/// <summary>The jurisdiction flow again on PostgreSQL, whose path queries are translated differently.</summary>
public sealed class PostgresBrowserTests(PostgresBrowserApp app) : IClassFixture<PostgresBrowserApp>
{
    [Fact]
    public Task Head_teacher_sees_only_their_own_school() => Flows.HeadTeacherStaysInJurisdictionAsync(app);

    [Fact]
    public Task School_admin_provisions_head_teachers_and_prints_the_slips() => AccountFlows.SchoolAdminProvisionsHeadTeachersAndPrintsSlipsAsync(app, 0);
}
