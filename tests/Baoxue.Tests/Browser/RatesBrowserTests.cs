using System.Globalization;
using System.Text.RegularExpressions;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Browser;

/// <summary>The two-county demo, shared by the browser tests above the county and of the dashboard (one app, one Chromium).</summary>
[CollectionDefinition(Name)]
public sealed class TwoCountyCollection : ICollectionFixture<TwoCountyBrowserApp>
{
    public const string Name = "Two counties in Chromium";
}

/// <summary>
/// The dashboard in Chromium (issue 12): a figure clicked down through the township and the school to the list of the
/// children behind it, whose count is the figure, and on to one child; as the county and from the city into a county; and
/// every page of 统计 walked by the roles that use it, at a desk's width and a phone's.
/// </summary>
[Collection(TwoCountyCollection.Name)]
public sealed class RatesBrowserTests(TwoCountyBrowserApp app)
{
    private const string School = Flows.OwnSchool; // 罗源县凤山中心小学, in 凤山镇
    private const string Township = "凤山镇";

    /// <summary>A few children of 罗源 enrolled the way the registry does (the demo here has none), then the figures recomputed by the button.</summary>
    private async Task ArrangeAsync()
    {
        await using var db = app.Db();
        if (await db.Students.CountAsync(s => s.School!.Name == School && s.Status == StudentStatus.InSchool) >= 4)
        {
            return;
        }
        var cls = await db.Classes.Where(c => c.School!.Name == School && c.Grade == 4 && c.SchoolYear!.IsCurrent).OrderBy(c => c.Number).FirstAsync();
        var names = new Baoxue.Features.Demo.ChineseNames(12);
        var personal = app.Services.GetRequiredService<Baoxue.Infrastructure.Security.PersonalData>();
        for (var i = 0; i < 4; i++)
        {
            var gender = i % 2 == 0 ? Gender.Female : Gender.Male;
            var born = new DateOnly(2016, 3, 1 + i);
            var saved = await Baoxue.Features.Registry.SaveStudent.HandleAsync(db, personal,
                new(null, names.IdNumberFor("350123", born, gender), null, names.FullName(gender), gender, born, "01", null, null, null, null, cls.Id, null));
            Assert.True(saved.Succeeded);
        }
    }

    private static long Number(string text) => long.Parse(Regex.Match(text, @"[\d,]+").Value.Replace(",", ""), CultureInfo.InvariantCulture);

    private static async Task RecomputeAsync(IPage page)
    {
        await page.GotoAsync("/rates/sets");
        var before = await page.Locator("#sets tbody tr").CountAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "立即重算" }).ClickAsync();
        await Expect(page.Locator("#sets tbody tr[data-kind='Current']").First).ToBeVisibleAsync();
        Assert.True(await page.Locator("#sets tbody tr").CountAsync() >= Math.Min(before, 1));
    }

    /// <summary>Clicks a count and checks the list it opens holds that many children.</summary>
    private static async Task<long> ClickCountAsync(IPage page, ILocator link, ILocator total)
    {
        var figure = Number(await link.InnerTextAsync());
        await link.ClickAsync();
        await Expect(total).ToContainTextAsync(figure.ToString("N0", CultureInfo.InvariantCulture));
        Assert.Equal(figure, Number(await total.InnerTextAsync()));
        return figure;
    }

    [Theory]
    [InlineData(1366, false)]
    [InlineData(390, true)]
    public async Task The_county_clicks_a_figure_down_through_a_township_and_a_school_to_the_children_it_counts(int width, bool phone)
    {
        await ArrangeAsync();
        var page = await app.NewPageAsync(new ViewportSize { Width = width, Height = 800 }, phone);
        await Flows.SignInAsync(page, "county.admin");
        await RecomputeAsync(page);

        // The home tile: the overdue steps open the ledger's overdue children, as many as the tile says.
        await page.GotoAsync("/");
        var tile = page.Locator("[data-home-tile='Rates.Tile']");
        await Expect(tile).ToBeVisibleAsync();
        var overdue = Number(await tile.Locator("[data-tile='Rates.Overdue']").InnerTextAsync());
        Assert.True(overdue > 0, "the demo ledger has overdue steps");
        await tile.Locator("a:has([data-tile='Rates.Overdue'])").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/ledger\?overdue=true"));
        await Expect(page.Locator("#ledger-drill")).ToContainTextAsync("逾期环节");
        Assert.Equal(overdue, Number(await page.Locator("[data-pager] [data-total]").First.InnerTextAsync()));

        // The dashboard: the rate explained, then its places below: the township, then the school.
        await page.GotoAsync("/rates");
        await Expect(page.Locator("#rates-trail")).ToContainTextAsync("罗源县");
        await page.Locator("#rates-table").GetByRole(AriaRole.Link, new() { Name = "适龄儿童入学率" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "适龄儿童入学率", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#figure-formula")).ToContainTextAsync("在校生");
        await page.Locator("#figure-children").GetByRole(AriaRole.Link, new() { Name = Township, Exact = true }).ClickAsync();
        await Expect(page.Locator("#rates-trail")).ToContainTextAsync(Township);
        await page.Locator("#figure-children").GetByRole(AriaRole.Link, new() { Name = School, Exact = true }).ClickAsync();
        await Expect(page.Locator("#rates-trail")).ToContainTextAsync(School);
        var numerator = Number(await page.Locator("#figure-numerator").InnerTextAsync());
        Assert.True(numerator >= 4);

        // The school's children in school: the list holds as many as the numerator, and one child's page opens.
        var enrolled = page.Locator("#figure-parts tr[data-part='enrolled|'] a");
        Assert.Equal(numerator, await ClickCountAsync(page, enrolled, page.Locator("#student-total")));
        await Expect(page).ToHaveURLAsync(new Regex(@"/students\?school=.*status=InSchool"));
        var child = page.Locator("#students tbody a[href^='/students/']").First;
        var name = (await child.InnerTextAsync()).Trim();
        await child.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(name);
        await Expect(page.Locator("main")).ToContainTextAsync(School);

        // Back on the dashboard: the funnel's first stage and the open cases open lists of as many children.
        await page.GotoAsync("/rates");
        await ClickCountAsync(page, page.Locator("#chart-funnel-table a[data-dim='stage=suspected']"), page.Locator("[data-pager] [data-total]").First);
        await Expect(page).ToHaveURLAsync(new Regex(@"/ledger\?stage=Suspected"));
        await Expect(page.Locator("#ledger-drill")).ToContainTextAsync("疑似辍学");
        await page.GotoAsync("/rates");
        await ClickCountAsync(page, page.Locator("#rates-ledger a[data-measure='cases']"), page.Locator("[data-pager] [data-total]").First);
        await Expect(page.Locator("#ledger tbody tr").First).ToBeVisibleAsync();

        // The township's row below: its children in school, as a list of the township.
        await page.GotoAsync("/rates");
        var row = page.Locator("#rates-children tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = Township, Exact = true }) });
        await ClickCountAsync(page, row.Locator("a[data-measure='enrolled']"), page.Locator("#student-total"));
        await Expect(page).ToHaveURLAsync(new Regex(@"/students\?township="));
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(1366, false)]
    [InlineData(390, true)]
    public async Task The_city_goes_from_its_dashboard_into_a_county_and_down_to_its_children(int width, bool phone)
    {
        await ArrangeAsync();
        var page = await app.NewPageAsync(new ViewportSize { Width = width, Height = 800 }, phone);
        await Flows.SignInAsync(page, "county.admin");
        await RecomputeAsync(page); // the city's staff read the figures; the county recomputes them
        await page.Context.CloseAsync();

        page = await app.NewPageAsync(new ViewportSize { Width = width, Height = 800 }, phone);
        await Flows.SignInAsync(page, "city.staff");
        await page.GotoAsync("/rates");
        await Expect(page.Locator("#rates-trail")).ToContainTextAsync("福州市");
        // The city's own figure opens the list of all its children.
        await ClickCountAsync(page, page.Locator("#rates-ledger a[data-measure='ledger']").First, page.Locator("[data-pager] [data-total]").First);
        await Expect(page).ToHaveURLAsync(new Regex(@"/ledger\?list="));
        await page.GotoAsync("/rates");
        // Into 罗源县: the county's own figures now open lists narrowed to it.
        await page.Locator("#rates-children").GetByRole(AriaRole.Link, new() { Name = "罗源县", Exact = true }).ClickAsync();
        await Expect(page.Locator("#rates-trail li.active")).ToHaveTextAsync("罗源县");
        await page.Locator("#rates-table").GetByRole(AriaRole.Link, new() { Name = "适龄儿童入学率" }).ClickAsync();
        var enrolled = page.Locator("#figure-parts tr[data-part='enrolled|'] a");
        Assert.Equal(Number(await page.Locator("#figure-numerator").InnerTextAsync()), await ClickCountAsync(page, enrolled, page.Locator("#student-total")));
        await Expect(page).ToHaveURLAsync(new Regex(@"/students\?division="));
        await Expect(page.Locator("#student-drill")).ToContainTextAsync("罗源县");
        await Expect(page.Locator("#students")).Not.ToContainTextAsync("闽侯县");

        // Then down through the township and the school to one child, read-only.
        await page.GoBackAsync();
        await page.Locator("#figure-children").GetByRole(AriaRole.Link, new() { Name = Township, Exact = true }).ClickAsync();
        await page.Locator("#figure-children").GetByRole(AriaRole.Link, new() { Name = School, Exact = true }).ClickAsync();
        await Expect(page.Locator("#rates-trail")).ToContainTextAsync(School);
        await ClickCountAsync(page, page.Locator("#figure-parts tr[data-part='enrolled|'] a"), page.Locator("#student-total"));
        await page.Locator("#students tbody a[href^='/students/']").First.ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync(School);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "编辑", Exact = true })).ToHaveCountAsync(0);

        // The county's ledger counts open the county's ledger, as many as the figure.
        await page.GotoAsync("/rates");
        await page.Locator("#rates-children").GetByRole(AriaRole.Link, new() { Name = "罗源县", Exact = true }).ClickAsync();
        await ClickCountAsync(page, page.Locator("#rates-ledger a[data-measure='ledger']").First, page.Locator("[data-pager] [data-total]").First);
        await Expect(page).ToHaveURLAsync(new Regex(@"division=350123"));
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// Every page of 统计 as the roles that use it, at a desk's width and a phone's: no script error, each chart drawn and
    /// saved as an image, each rate explained, the buttons a role has (recompute, snapshot, target) working and the ones it
    /// lacks not shown.
    /// </summary>
    [Theory]
    [InlineData("county.admin", 1366, false)]
    [InlineData("county.admin", 390, true)]
    [InlineData("city.staff", 1366, false)]
    [InlineData("city.staff", 390, true)]
    [InlineData("school.admin", 1366, false)]
    [InlineData("school.admin", 390, true)]
    public async Task Every_statistics_page_works_for_the_roles_that_use_it(string user, int width, bool phone)
    {
        await ArrangeAsync();
        var page = await app.NewPageAsync(new ViewportSize { Width = width, Height = 800 }, phone);
        var problems = new List<string>();
        page.PageError += (_, e) => problems.Add("script: " + e);
        page.Console += (_, m) => { if (m.Type == "error") { problems.Add($"console: {m.Text} ({m.Location})"); } };
        page.Response += (_, r) => { if (r.Status >= 400) { problems.Add($"{r.Status} {r.Url}"); } };
        await Flows.SignInAsync(page, user);
        var isCounty = user == "county.admin";

        // 数据快照: the county recomputes and freezes; the others read the list only.
        await page.GotoAsync("/rates/sets");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "数据快照", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "立即重算" })).ToHaveCountAsync(isCounty ? 1 : 0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "生成快照" })).ToHaveCountAsync(isCounty ? 1 : 0);
        string? snapshot = null;
        if (isCounty)
        {
            await RecomputeAsync(page);
            snapshot = "走查" + width;
            await page.Locator("#snapshot-note").FillAsync(snapshot);
            await page.GetByRole(AriaRole.Button, new() { Name = "生成快照" }).ClickAsync();
            await Expect(page.Locator("#sets tbody tr[data-kind='OnDemand']", new() { HasText = snapshot })).ToBeVisibleAsync();
        }

        // 数据概览: the user's own place, the charts drawn from their tables, each saved as a picture.
        await page.GotoAsync("/rates");
        var own = user switch { "city.staff" => "福州市", "school.admin" => School, _ => "罗源县" };
        await Expect(page.Locator("#rates-trail li.active")).ToHaveTextAsync(own);
        await Expect(page.Locator("#rates-table tbody tr")).ToHaveCountAsync(5);
        foreach (var chart in new[] { "#chart-trend", "#chart-funnel" })
        {
            await Expect(page.Locator(chart + " canvas")).ToHaveCountAsync(1);
            var box = (await page.Locator(chart).BoundingBoxAsync())!;
            Assert.True(box.Width > 200 && box.Width <= width, $"{chart} is {box.Width} px wide at {width}");
            // The toolbox's 保存为图片 is drawn at the chart's top right.
            var image = await page.RunAndWaitForDownloadAsync(() => page.Locator(chart).ClickAsync(new() { Position = new() { X = box.Width - 12.5f, Y = 12.5f } }));
            Assert.EndsWith(".png", image.SuggestedFilename);
            var bytes = await File.ReadAllBytesAsync((await image.PathAsync())!);
            Assert.True(bytes.Length > 1000 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G', $"{chart}: {bytes.Length} bytes");
        }
        // The figures as a workbook, titled with the place.
        var workbook = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-export='rates']").ClickAsync());
        Assert.EndsWith(".xlsx", workbook.SuggestedFilename);
        var (title, headers, rows) = Baoxue.Tests.Features.Organisation.OrganisationKit.Workbook(await File.ReadAllBytesAsync((await workbook.PathAsync())!));
        Assert.Contains(own, title);
        Assert.Equal("地区/学校", headers[0]);
        Assert.Equal(own, rows[1][0]);
        // The frozen snapshot reads back by the set chooser.
        if (snapshot is not null)
        {
            await page.Locator("#rates-set").SelectOptionAsync(new SelectOptionValue { Label = (await page.Locator("#rates-set option", new() { HasText = snapshot }).InnerTextAsync()).Trim() });
            await page.GetByRole(AriaRole.Button, new() { Name = "查看", Exact = true }).ClickAsync();
            await Expect(page.Locator("#rates-as-of")).ToContainTextAsync("临时快照");
        }

        // Each rate explained: formula, numerator, denominator, with the way back.
        foreach (var rate in new[] { "适龄儿童入学率", "小学巩固率", "初中巩固率", "九年义务教育巩固率", "三类残疾儿童入学率" })
        {
            await page.GotoAsync("/rates");
            await page.Locator("#rates-table").GetByRole(AriaRole.Link, new() { Name = rate, Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = rate, Level = 1 })).ToBeVisibleAsync();
            await Expect(page.Locator("#figure-formula")).Not.ToBeEmptyAsync();
            await Expect(page.Locator("#figure-denominator")).ToHaveTextAsync(new Regex(@"^[\d,]+$"));
            await page.GetByRole(AriaRole.Link, new() { Name = "返回数据概览" }).ClickAsync();
            await Expect(page.Locator("#rates-table")).ToBeVisibleAsync();
        }

        // 目标设置: the county sets one, and the dashboard measures against it; the others read them.
        await page.GotoAsync("/rates/targets");
        await Expect(page.Locator("#targets tbody tr")).ToHaveCountAsync(5);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "保存" })).ToHaveCountAsync(isCounty ? 5 : 0);
        if (isCounty)
        {
            var row = page.Locator("#targets tr[data-rate='retention.junior']");
            await row.Locator("input[type=number]").FillAsync("96.5");
            await row.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
            await Expect(page.Locator("#targets tr[data-rate='retention.junior'] td[data-target]")).ToHaveTextAsync("96.50%");
            await Expect(page.Locator("#targets tr[data-rate='retention.junior']")).ToContainTextAsync("罗源县");
            await page.GotoAsync("/rates");
            await Expect(page.Locator("#rates-table tr[data-rate='retention.junior']")).ToContainTextAsync("96.50%");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await page.Context.CloseAsync();
    }
}
