using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Baoxue.Domain;
using Baoxue.Features.Registry.RollCalls;
using Baoxue.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Browser;

/// <summary>
/// The demo county with a few thousand students and an open roll call, so every page has something to show, plus
/// one real record of each kind for the pages whose address names one.
/// </summary>
public sealed class AccessibilityApp : BrowserApp
{
    public AccessibilityApp() : base(TestDatabase.Sqlite()) => With("Demo:Students", "2000");

    /// <summary>The id a page address takes, by the address's first segment and the parameter's name.</summary>
    public Dictionary<(string Segment, string Parameter), Guid> Samples { get; } = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using (var county = await DbAs("county.admin"))
        {
            var year = await county.SchoolYears.AsNoTracking().SingleAsync(y => y.IsCurrent);
            var opens = OpenCampaign.MonthStart(year.StartYear, 9);
            var campaign = await OpenCampaign.HandleAsync(county, new OpenCampaign.Command("9月人籍一致核查", 9, opens, opens.AddDays(29)));
            Samples[("roll-calls", "Id")] = campaign.Value!.Id;
        }
        await using var db = Db();
        var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.UserName!);
        var classId = users["head.teacher"].PlaceId;
        var schoolId = await db.Classes.Where(c => c.Id == classId).Select(c => c.SchoolId).SingleAsync();
        Samples[("roll-calls", "ClassId")] = classId;
        Samples[("attendance", "ClassId")] = classId;
        Samples[("classes", "Id")] = classId;
        Samples[("schools", "Id")] = schoolId;
        Samples[("students", "Id")] = await db.Students.Where(s => s.ClassId == classId).Select(s => s.Id).FirstOrDefaultAsync() is var inClass && inClass != Guid.Empty
            ? inClass
            : await db.Students.Where(s => s.SchoolId == schoolId).Select(s => s.Id).FirstAsync();
        Samples[("status-changes", "Id")] = await db.StatusChanges.Where(c => c.FromSchoolId == schoolId).Select(c => c.Id).FirstOrDefaultAsync() is var own && own != Guid.Empty
            ? own
            : await db.StatusChanges.Select(c => c.Id).FirstAsync();
        Samples[("accounts", "Id")] = users["head.teacher"].Id;
        Samples[("departments", "Id")] = users["dept.liaison"].PlaceId;
        Samples[("divisions", "Id")] = users["village.cadre"].PlaceId;
        Samples[("staff", "Id")] = await db.Staff.Where(s => s.SchoolId == schoolId).Select(s => s.Id).FirstAsync();
        // Casework: a case being persuaded (attempts with photos, notices) from the demo county, and one of its notices.
        var caseId = await db.CaseNotices.OrderBy(n => n.IssuedAt).Select(n => n.CaseId).FirstAsync();
        Samples[("casework", "Id")] = caseId;
        Samples[("notices", "Id")] = await db.CaseNotices.Where(n => n.CaseId == caseId).Select(n => n.Id).FirstAsync();
        // A ledger entry of a child of the head teacher's class living in the village cadre's village (DemoLedger), with its case form open to the county.
        var villagePath = users["village.cadre"].Path;
        Samples[("ledger", "Id")] = await db.LedgerEntries.Where(e => e.ResidencePath == villagePath && e.StudentId != null).Select(e => e.Id).FirstOrDefaultAsync() is var child && child != Guid.Empty
            ? child
            : await db.LedgerEntries.Where(e => e.ResidencePath == villagePath).Select(e => e.Id).FirstAsync();
        var admin = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(Baoxue.Infrastructure.Security.BaoxueClaims.Role, nameof(Role.CountyAdmin))], "sample"));
        Samples[("service-accounts", "Id")] = (await Baoxue.Features.ServiceAccounts.ServiceAccountWork.CreateAsync(db, admin,
            new("市级平台数据接口", PlaceKind.County, users["county.admin"].PlaceId, [Permission.RegistryView, Permission.OrgView]))).Value!.Account.Id;
        // Reporting (DemoReporting): the demo school's submitted monthly report and the county's campaign.
        Samples[("reports", "Id")] = await db.Reports.Select(r => r.Id).FirstAsync();
        Samples[("campaigns", "Id")] = await db.Campaigns.Select(c => c.Id).FirstAsync();
        // Holidays (DemoHolidays): the head teacher's school's plan for last summer, filed, with visits.
        Samples[("attendance", "Id")] = await db.HolidayPlans.Where(p => p.SchoolId == schoolId && p.Kind == HolidayKind.Summer).Select(p => p.Id).FirstAsync();
        Samples[("reconciliation", "Id")] = await db.ReconciliationResults.OrderBy(r => r.Outcome == ReconciliationOutcome.NotFound ? 0 : 1).ThenBy(r => r.Id).Select(r => r.Id).FirstAsync();
    }
}

/// <summary>
/// WCAG 2.1 AA on every page, checked by axe-core inside Chromium for several roles at desktop and phone width, and
/// every page fitting a 390-px phone without scrolling sideways (a table or a paper sheet may scroll inside its own box).
/// </summary>
/// <remarks>
/// axe-core is vendored as one file (Browser/Axe/axe.min.js, MPL-2.0, see update.sh): the tests need no Node and no
/// network, and the version is pinned in the repository. It is evaluated through the DevTools protocol, which a
/// Content-Security-Policy does not block.
/// </remarks>
public sealed partial class AccessibilityTests(AccessibilityApp app) : IClassFixture<AccessibilityApp>
{
    private static readonly Lazy<string> AxeSource = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Browser", "Axe", "axe.min.js")));

    private static readonly ViewportSize Desktop = new() { Width = 1366, Height = 768 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>Every routed page of the application, with the policy it declares (none for the signed-out pages).</summary>
    public static IReadOnlyList<(string Template, string? Policy)> Routes() =>
        [.. typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (r.Template, t.GetCustomAttribute<AuthorizeAttribute>()?.Policy)))
            .OrderBy(r => r.Template, StringComparer.Ordinal)];

    [Theory]
    [InlineData("county.admin", false)]
    [InlineData("school.admin", false)]
    [InlineData("head.teacher", false)]
    [InlineData("head.teacher", true)]
    [InlineData("village.cadre", false)]
    [InlineData("dept.liaison", false)]
    [InlineData("city.staff", false)]
    public async Task Every_page_the_role_may_open_meets_WCAG_AA_and_fits_a_phone(string userName, bool english)
    {
        Role role;
        await using (var db = app.Db())
        {
            role = await db.Users.Where(u => u.UserName == userName).Select(u => u.Role).SingleAsync();
        }
        var page = await app.NewPageAsync(Desktop);
        await Flows.SignInAsync(page, userName);
        if (english)
        {
            // Longer labels, and the page must say it is in English.
            await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en-US");
        }

        var urls = Routes().Where(r => r.Policy is not null && role.Allows(r.Policy)).Select(r => Fill(r.Template)).ToList();
        if (role.Allows(Permission.StatusChangeRequest))
        {
            // The request form proper appears once a student and a kind are chosen.
            urls.Add($"/status-changes/new?studentId={app.Samples[("students", "Id")]}&kind={StatusChangeKind.TransferWithinCounty}");
            urls.Add($"/status-changes/new?studentId={app.Samples[("students", "Id")]}&kind={StatusChangeKind.Suspension}");
        }
        if (role.Allows(Permission.AccountsManage))
        {
            // Provisioning with a school chosen lists its staff to tick.
            urls.Add($"/accounts/provision?school={app.Samples[("schools", "Id")]}");
        }
        if (role.Allows(Permission.ReconciliationView))
        {
            // The notices of one school: its children, the issue and receipt buttons.
            urls.Add($"/reconciliation/notices?school={app.Samples[("schools", "Id")]}");
            // The notices of the village cadre's village (DemoReconciliation issued them, some receipts back); the
            // children behind a school's counts of the results by school.
            await using (var db = app.Db())
            {
                var villageId = app.Samples[("divisions", "Id")];
                var village = await db.Divisions.Where(d => d.Id == villageId).Select(d => d.Code).SingleAsync();
                urls.Add($"/reconciliation/notices?village={village}");
            }
            urls.Add($"/reconciliation/children?school={app.Samples[("schools", "Id")]}&count=NotFound");
            urls.Add($"/reconciliation/reverse?kind=NoHousehold&school={app.Samples[("schools", "Id")]}");
        }
        if (role.Allows(Permission.AttendanceView))
        {
            // The return check drilled down to a school (its classes and the children not back), and last summer's plans.
            urls.Add($"/attendance/return-check?school={app.Samples[("schools", "Id")]}");
            urls.Add($"/attendance/holidays?holiday={SchoolYear.StartYearOf(app.Services.GetRequiredService<Baoxue.Infrastructure.Time.CountyClock>().Today) - 1}-Summer");
        }
        urls.Add("/denied");
        urls.Add("/no-such-page");
        Assert.True(urls.Count > 5, $"only {urls.Count} pages for {userName}");

        var problems = new List<string>();
        foreach (var url in urls)
        {
            problems.AddRange(await CheckAsync(page, url));
        }
        await page.Context.CloseAsync();
        Assert.True(problems.Count == 0, $"{userName}: {problems.Count} problem(s) on {urls.Count} pages:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task Signed_out_pages_meet_WCAG_AA_and_fit_a_phone()
    {
        var page = await app.NewPageAsync(Desktop);
        var problems = new List<string>();
        foreach (var url in Routes().Where(r => r.Policy is null && !r.Template.Contains('{')).Select(r => r.Template))
        {
            problems.AddRange(await CheckAsync(page, url));
        }

        // A refused sign-in: the error is announced and the form stays labelled.
        await page.SetViewportSizeAsync(Desktop.Width, Desktop.Height);
        await page.GotoAsync("/login");
        await page.Locator("#userName").FillAsync("school.admin");
        await page.Locator("#password").FillAsync("not-the-password");
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        problems.AddRange((await AxeAsync(page)).Select(v => $"/login (refused) [desktop]: {v}"));
        await page.Context.CloseAsync();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Every_page_address_has_a_sample_record()
    {
        var unfilled = Routes().Select(r => r.Template).Where(t => t.Contains('{'))
            .Where(t => Parameters(t).Any(p => !app.Samples.ContainsKey((Segment(t), p)))).ToList();
        Assert.True(unfilled.Count == 0, "no sample record for: " + string.Join(", ", unfilled) + " (add one to AccessibilityApp.Samples)");
        Assert.Contains(Routes(), r => r.Template == "/roll-calls/{Id:guid}/classes/{ClassId:guid}");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task On_a_phone_the_keyboard_skips_to_the_page_and_opens_the_menu_drawer()
    {
        var page = await app.NewPageAsync(Phone, phone: true);
        await Flows.SignInAsync(page, "county.admin");
        await page.GotoAsync("/status-changes/unconfirmed");
        var toggle = page.Locator("#menu-toggle");
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "主菜单" });
        var current = menu.GetByRole(AriaRole.Link, new() { Name = "未确认的转学" });

        // The first Tab reaches the skip link, which shows itself and moves focus to the page's content.
        await page.Keyboard.PressAsync("Tab");
        var skip = page.GetByRole(AriaRole.Link, new() { Name = "跳到正文" });
        await Expect(skip).ToBeFocusedAsync();
        await Expect(skip).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/status-changes/unconfirmed#main$")); // the same page, not the home page under <base href="/">
        await Expect(page.Locator("main#main")).ToBeFocusedAsync();

        // The menu is a real button, reached and opened with the keyboard, with a focus ring one cannot miss.
        await page.ReloadAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(current).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "退出" })).ToBeHiddenAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await Expect(toggle).ToBeFocusedAsync();
        Assert.Equal("BUTTON", await toggle.EvaluateAsync<string>("e => e.tagName"));
        await Expect(toggle).ToHaveCSSAsync("outline-style", "solid");
        await Expect(toggle).ToHaveCSSAsync("outline-width", "3px");
        await page.Keyboard.PressAsync("Enter");
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(current).ToBeVisibleAsync();
        await Expect(current).ToHaveAttributeAsync("aria-current", "page");
        await Expect(menu.Locator("[aria-current]")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "退出" })).ToBeVisibleAsync();
        Assert.Empty(await AxeAsync(page));
        Assert.Empty(await OverflowAsync(page));
        await page.ScreenshotAsync(new() { Path = "/tmp/baoxue-phone-drawer.png" });

        // Tab walks into the drawer; Escape closes it and gives focus back to the button.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "我的账号" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(toggle).ToBeFocusedAsync();
        await Expect(current).ToBeHiddenAsync();
        await page.Keyboard.PressAsync(" ");
        await Expect(current).ToBeVisibleAsync();

        // A link in the drawer opens its page, where the drawer is closed again.
        await menu.GetByRole(AriaRole.Link, new() { Name = "学校", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "学校", Level = 1 })).ToBeVisibleAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(menu.GetByRole(AriaRole.Link, new() { Name = "学校", Exact = true })).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Without_JavaScript_the_phone_shows_the_menu_open()
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.Address.ToString(), ViewportSize = Phone, IsMobile = true, JavaScriptEnabled = false,
        });
        var page = await context.NewPageAsync();
        await Flows.SignInAsync(page, "head.teacher");

        await Expect(page.Locator("#menu-toggle")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "主菜单" }).GetByRole(AriaRole.Link, new() { Name = "学生", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "退出" })).ToBeVisibleAsync();
        await context.CloseAsync();
    }

    [Fact]
    public async Task The_desktop_menu_groups_pages_by_area_shows_only_what_the_role_opens_and_marks_the_current_page()
    {
        var page = await app.NewPageAsync(Desktop);
        await Flows.SignInAsync(page, "county.admin");
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "主菜单" });
        await Expect(menu.Locator(".app-nav-heading")).ToHaveTextAsync(["统计", "学籍", "控辍保学", "考勤", "人籍比对", "报表督导", "组织", "系统"]);
        await Expect(menu.GetByRole(AriaRole.List, new() { Name = "统计" }).GetByRole(AriaRole.Link)).ToHaveTextAsync(["数据概览", "目标设置", "数据快照"]);
        await Expect(menu.GetByRole(AriaRole.List, new() { Name = "报表督导" }).GetByRole(AriaRole.Link)).ToHaveTextAsync(["报表报送", "逾期未报", "学年初/末登记统计表", "专项行动"]);
        await Expect(menu.GetByRole(AriaRole.List, new() { Name = "控辍保学" }).GetByRole(AriaRole.Link)).ToHaveTextAsync(["台账（三类名单）", "劝返统计", "报告线索", "劝返复学"]);
        await Expect(menu.GetByRole(AriaRole.List, new() { Name = "学籍" }).GetByRole(AriaRole.Link))
            .ToHaveTextAsync(["学生", "学籍异动", "未确认的转学", "进班点名", "导入"]);
        await Expect(menu.GetByRole(AriaRole.List, new() { Name = "系统" }).GetByRole(AriaRole.Link)).ToHaveTextAsync(["账号管理", "批量开通账号", "账号使用情况", "操作日志", "服务账号", "接口文档"]);
        await Expect(menu.GetByRole(AriaRole.Link, new() { Name = "首页" })).ToHaveAttributeAsync("aria-current", "page");

        // A student's page belongs to 学生; the import page, below /students, to 导入 alone.
        await page.GotoAsync($"/students/{app.Samples[("students", "Id")]}");
        await Expect(menu.Locator("[aria-current=page]")).ToHaveTextAsync("学生");
        await page.GotoAsync("/students/import");
        await Expect(menu.Locator("[aria-current=page]")).ToHaveTextAsync("导入");
        await page.GotoAsync($"/classes/{app.Samples[("classes", "Id")]}/attendance-book");
        await Expect(menu.Locator("[aria-current=page]")).ToHaveTextAsync("进班点名");
        // A ledger entry belongs to the three lists.
        await page.GotoAsync($"/ledger/entries/{app.Samples[("ledger", "Id")]}");
        await Expect(menu.Locator("[aria-current=page]")).ToHaveTextAsync("台账（三类名单）");
        // A report belongs to the reports; the overdue list to itself.
        await page.GotoAsync($"/reports/{app.Samples[("reports", "Id")]}");
        await Expect(menu.Locator("[aria-current=page]")).ToHaveTextAsync("报表报送");
        await page.GotoAsync("/reports/overdue");
        await Expect(menu.Locator("[aria-current=page]")).ToHaveTextAsync("逾期未报");
        await page.Context.CloseAsync();

        // The head teacher opens no account or audit page, and their menu does not offer them.
        page = await app.NewPageAsync(Desktop);
        await Flows.SignInAsync(page, "head.teacher");
        menu = page.GetByRole(AriaRole.Navigation, new() { Name = "主菜单" });
        await Expect(menu.Locator(".app-nav-heading")).ToHaveTextAsync(["学籍", "控辍保学", "考勤", "组织"]);
        await Expect(menu.GetByRole(AriaRole.List, new() { Name = "学籍" }).GetByRole(AriaRole.Link))
            .ToHaveTextAsync(["学生", "学籍异动", "未确认的转学", "进班点名"]);
        await Expect(menu).Not.ToContainTextAsync("操作日志");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_the_attendance_book_and_the_roster_scroll_in_their_own_box_with_the_names_held()
    {
        var page = await app.NewPageAsync(Phone, phone: true);
        await Flows.SignInAsync(page, "head.teacher");
        foreach (var (url, name) in new[] { ("attendance-book", "#attendance-book tbody td.name"), ("roster", "#roster tbody td:nth-child(3)") })
        {
            await page.GotoAsync($"/classes/{app.Samples[("classes", "Id")]}/{url}");
            var box = page.Locator(".sheet-scroll");
            Assert.Empty(await OverflowAsync(page));
            Assert.True(await box.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"), $"the {url} fits a phone without scrolling: nothing to prove");
            var first = page.Locator(name).First;
            var left = (await box.BoundingBoxAsync())!.X;
            await box.EvaluateAsync("e => e.scrollLeft = 300");
            Assert.True(await box.EvaluateAsync<double>("e => e.scrollLeft") > 0, $"the {url} box does not scroll");
            Assert.Equal(left, (await first.BoundingBoxAsync())!.X, 1.0); // the name column stays at the box's left edge
            // A child is one line, not a column of wrapped fragments.
            Assert.True(await page.Locator(name).Locator("xpath=..").First.EvaluateAsync<bool>(
                "tr => tr.getBoundingClientRect().height < 2.5 * parseFloat(getComputedStyle(tr.cells[1]).fontSize)"), $"the {url} rows wrap on a phone");
            await page.ScreenshotAsync(new() { Path = $"/tmp/baoxue-phone-{url}.png" });

            // On paper the sheet is printed whole, not cut at the box.
            await page.EmulateMediaAsync(new() { Media = Media.Print });
            await Expect(box).ToHaveCSSAsync("overflow-x", "visible");
            await page.EmulateMediaAsync(new() { Media = Media.Screen });
        }
        await page.Context.CloseAsync();
    }

    /// <summary>Opens the page on a desktop and runs axe; then narrows the same page to a phone and measures it.</summary>
    private async Task<List<string>> CheckAsync(IPage page, string url)
    {
        var problems = new List<string>();
        await page.SetViewportSizeAsync(Desktop.Width, Desktop.Height);
        // An error status with an empty body shows the browser's own error page, not one of ours: nothing of the
        // app's to check (issue 7 item 4 gives such answers the styled page, which is then checked here).
        var probe = await page.Context.APIRequest.GetAsync(url);
        if (probe.Status >= 400 && (await probe.BodyAsync()).Length == 0)
        {
            Console.WriteLine($"{url}: HTTP {probe.Status} with an empty body (the browser's own error page); not checked");
            return problems;
        }
        var response = await page.GotoAsync(url);
        if (response is null || response.Status >= 500)
        {
            problems.Add($"{url}: HTTP {response?.Status}");
            return problems;
        }
        problems.AddRange((await AxeAsync(page)).Select(v => $"{url} [desktop]: {v}"));
        await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
        await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"); // the page's resize handler has run
        problems.AddRange((await OverflowAsync(page)).Select(o => $"{url} [390 px]: wider than the phone: {o}"));
        problems.AddRange((await AxeAsync(page)).Select(v => $"{url} [390 px]: {v}"));
        return problems;
    }

    /// <summary>axe-core's serious and critical violations of WCAG 2.0/2.1 A and AA (and its best practices), as "rule (impact): targets".</summary>
    public static async Task<List<string>> AxeAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(AxeSource.Value);
        }
        var json = await page.EvaluateAsync<string>("""
            async () => {
                const r = await axe.run(document, {
                    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
                    resultTypes: ['violations'],
                });
                return JSON.stringify(r.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 6).map(n => n.target.join(' ')).join(' | ')
                        + (v.nodes.length > 6 ? ' … ' + v.nodes.length + ' in all' : '')));
            }
            """);
        return JsonSerializer.Deserialize<List<string>>(json)!;
    }

    /// <summary>Nothing when the page is no wider than the window; otherwise the elements sticking out that are not inside a scroll box.</summary>
    public static async Task<List<string>> OverflowAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>("""
            () => {
                const root = document.documentElement, w = root.clientWidth;
                if (root.scrollWidth <= w) return '[]';
                const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return p !== root && p !== document.body; } return false; };
                const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
                const out = ['page ' + root.scrollWidth + ' px'];
                for (const e of document.body.querySelectorAll('*')) {
                    const r = e.getBoundingClientRect();
                    if (r.right > w + 1 && r.width > 0 && !scrolls(e)) { out.push(name(e) + ' right=' + Math.round(r.right)); if (out.length > 6) break; }
                }
                return JSON.stringify(out);
            }
            """);
        return JsonSerializer.Deserialize<List<string>>(json)!;
    }

    private string Fill(string template) =>
        ParameterPattern().Replace(template, m => app.Samples.TryGetValue((Segment(template), m.Groups["name"].Value), out var id)
            ? id.ToString()
            : throw new InvalidOperationException($"no sample record for {m.Value} in {template}"));

    private static string Segment(string template) => template.TrimStart('/').Split('/')[0];

    private static IEnumerable<string> Parameters(string template) => ParameterPattern().Matches(template).Select(m => m.Groups["name"].Value);

    [GeneratedRegex(@"\{(?<name>\w+)(:\w+)?\??\}")]
    private static partial Regex ParameterPattern();
}
