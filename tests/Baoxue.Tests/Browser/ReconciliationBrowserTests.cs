using Baoxue.Domain;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Browser;

/// <summary>A small demo county (400 students) with its household data, behind the browser.</summary>
public sealed class ReconciliationBrowserApp : BrowserApp
{
    public ReconciliationBrowserApp() : base(TestDatabase.Sqlite()) => With("Demo:Students", "400");
}

/// <summary>Issue 11: a county officer runs the reconciliation and decides a fuzzy candidate, as a user does.</summary>
public sealed class ReconciliationBrowserTests(ReconciliationBrowserApp app) : IClassFixture<ReconciliationBrowserApp>
{
    [Fact]
    public async Task A_county_officer_runs_the_reconciliation_and_accepts_a_candidate()
    {
        var page = await app.NewPageAsync();
        await Flows.SignInAsync(page, "county.admin");
        await page.GotoAsync("/reconciliation");
        await page.Locator("#run").ClickAsync();
        await Expect(page.Locator("#last-run")).ToContainTextAsync("county.admin");
        await Expect(page.Locator("#summary")).ToBeVisibleAsync();

        await page.GotoAsync("/reconciliation/queue");
        var first = page.Locator("[data-candidate]").First;
        var candidateId = Guid.Parse((await first.GetAttributeAsync("data-candidate"))!);
        var accept = first.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "是同一人" });
        // The decision is saved before the POST is answered: wait for that answer, not for the old page to go away.
        await page.RunAndWaitForResponseAsync(() => accept.ClickAsync(), r => r.Request.Method == "POST" && r.Url.Contains("/reconciliation/queue"));
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.Load);
        await Expect(page.Locator($"[data-candidate='{candidateId}']")).ToHaveCountAsync(0);

        await using var db = app.Db();
        var candidate = await db.MatchCandidates.Include(m => m.Result).SingleAsync(m => m.Id == candidateId);
        Assert.True(candidate.State == CandidateState.Accepted, (await page.ContentAsync())[..Math.Min(3000, (await page.ContentAsync()).Length)]);
        Assert.Equal(MatchKind.Accepted, candidate.Result!.Match);
        Assert.Equal(candidate.StudentId, candidate.Result.StudentId);
        Assert.Equal("county.admin", candidate.Result.DecidedBy);
    }

    [Fact]
    public async Task A_village_cadre_records_a_census_visit_on_a_phone()
    {
        var page = await app.NewPageAsync(new Microsoft.Playwright.ViewportSize { Width = 390, Height = 844 }, phone: true);
        await Flows.SignInAsync(page, "village.cadre");
        await page.GotoAsync("/reconciliation/census");
        await page.Locator("#new-visit").ClickAsync();
        await page.Locator("#head").FillAsync("欧阳长青");
        await page.Locator("#address").FillAsync("六组 18 号");
        await page.Locator("#name-0").FillAsync("欧阳小满");
        await page.Locator("#gender-0").SelectOptionAsync("Female");
        await page.Locator("#birth-0").FillAsync("2017-05-20");
        await page.Locator("#noreg-0").CheckAsync();
        // Nothing on the form is wider than the phone.
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390);
        await page.Locator("#save-visit").ClickAsync();
        await Expect(page.Locator("#recorded")).ToBeVisibleAsync();
        await Expect(page.Locator("#census-children")).ToContainTextAsync("欧阳小满");

        await using var db = app.Db();
        var child = await db.CensusChildren.Include(c => c.Visit).SingleAsync(c => c.Name == "欧阳小满");
        Assert.Equal(CensusMatch.Unknown, child.Match);
        Assert.True(child.NoRegistration);
        Assert.NotNull(child.LedgerEntryId);
        Assert.Equal("village.cadre", child.Visit!.RecordedBy);
    }

    [Fact]
    public async Task A_county_officer_runs_the_entry_check_and_issues_prints_and_downloads_a_villages_notices()
    {
        var page = await app.NewPageAsync();
        await Flows.SignInAsync(page, "county.admin");
        await page.GotoAsync("/reconciliation/transitions?kind=EntryToPrimary");
        await page.Locator("#run-check").ClickAsync();
        await Expect(page.Locator("#check-result")).ToContainTextAsync("已核查");

        await page.GotoAsync("/reconciliation/notices");
        // The villages offered are those with children due; the demo issued its first village's notices: take another.
        string code, name, path;
        await using (var db = app.Db())
        {
            var issuedIn = await db.EntryNotices.Select(n => n.Path).Distinct().ToListAsync();
            var offered = (await page.Locator("#village option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)")).Where(v => v.Length > 0).ToList();
            var v = (await db.Divisions.Where(d => offered.Contains(d.Code)).OrderBy(d => d.Code).Select(d => new { d.Code, d.Name, d.Path }).ToListAsync())
                .First(x => !issuedIn.Contains(x.Path));
            (code, name, path) = (v.Code, v.Name, v.Path);
        }
        await page.Locator("#village").SelectOptionAsync(code);
        await page.Locator("#village-apply").ClickAsync();
        await Expect(page.Locator("#school-heading")).ToContainTextAsync(name);
        var due = await page.Locator("#notice-children tbody tr").CountAsync();
        Assert.True(due > 0);
        await page.Locator("#issue").ClickAsync();
        await Expect(page.Locator("#issued")).ToContainTextAsync($"已发放入学通知书 {due} 份");
        Assert.All(await page.Locator("#notice-children tbody tr td:nth-child(4)").AllInnerTextsAsync(), t => Assert.Equal(name, t.Trim()));

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#docx-link").ClickAsync());
        Assert.EndsWith(".docx", download.SuggestedFilename);
        Assert.Contains(name, download.SuggestedFilename);
        string text;
        using (var word = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(await download.PathAsync(), false))
        {
            text = word.MainDocumentPart!.Document!.Body!.InnerText;
        }
        await page.Locator("#print-link").ClickAsync();
        await Expect(page.Locator("article.official").First).ToContainTextAsync("号");
        var printed = await page.Locator("article.official").CountAsync();

        await using var check = app.Db();
        var notices = await check.EntryNotices.Where(n => n.Path == path).Include(n => n.HouseholdChild).ToListAsync();
        Assert.Equal(due, notices.Count);
        Assert.Equal(notices.Count, printed);
        Assert.All(notices, n => Assert.Contains(n.HouseholdChild!.Name, text));
    }

    [Fact]
    public async Task The_results_by_school_and_by_place_drill_down_to_the_children_behind_each_count_and_export_them()
    {
        var page = await app.NewPageAsync();
        await Flows.SignInAsync(page, "county.admin");
        await page.GotoAsync("/reconciliation/schools");
        // A school's not-found count: the list behind it has that many children, and so has its spreadsheet.
        var link = page.Locator("#schools tbody a[href*='count=NotFound']").Filter(new() { HasNotTextRegex = new System.Text.RegularExpressions.Regex("^0(?![0-9,])") }).First;
        var shown = Leading(await link.InnerTextAsync());
        var school = (await link.Locator("xpath=ancestor::tr/th").InnerTextAsync()).Trim();
        await link.ClickAsync();
        await Expect(page.Locator("#school-count")).ToContainTextAsync(school);
        await Expect(page.Locator("#children tbody tr")).ToHaveCountAsync(Math.Min(shown, 50));
        Assert.All(await page.Locator("#children tbody tr td:nth-child(7)").AllInnerTextsAsync(), t => Assert.Equal("未找到", t.Trim()));
        var sheet = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export").ClickAsync());
        Assert.Contains(school, sheet.SuggestedFilename);
        var (_, _, rows) = Features.Organisation.OrganisationKit.Workbook(await File.ReadAllBytesAsync(await sheet.PathAsync()));
        Assert.Equal(shown, rows.Count);

        // Its students with no household record (人籍分离): the reverse check of that school only.
        await page.GotoAsync("/reconciliation/schools");
        var reverse = page.Locator("#schools tbody a[href*='reverse']").Filter(new() { HasNotTextRegex = new System.Text.RegularExpressions.Regex("^0(?![0-9,])") }).First;
        var students = Leading(await reverse.InnerTextAsync());
        var of = (await reverse.Locator("xpath=ancestor::tr/th").InnerTextAsync()).Trim();
        await reverse.ClickAsync();
        await Expect(page.Locator("#reverse tbody tr")).ToHaveCountAsync(Math.Min(students, 50));
        Assert.All(await page.Locator("#reverse tbody tr td:nth-child(5)").AllInnerTextsAsync(), t => Assert.Equal(of, t.Trim()));
        var reverseSheet = await page.RunAndWaitForDownloadAsync(() => page.Locator("#reverse-xlsx").ClickAsync());
        Assert.Equal(students, Features.Organisation.OrganisationKit.Workbook(await File.ReadAllBytesAsync(await reverseSheet.PathAsync())).Rows.Count);

        // County → township → village → the children of one outcome there.
        await page.GotoAsync("/reconciliation");
        await page.Locator("#summary tbody th a").First.ClickAsync();
        await page.WaitForURLAsync("**/reconciliation?place=**");
        var village = (await page.Locator("#summary tbody th a").First.InnerTextAsync()).Trim();
        var count = page.Locator("#summary tbody tr").First.Locator("td a").Filter(new() { HasNotTextRegex = new System.Text.RegularExpressions.Regex("^0(?![0-9,])") }).First;
        var n = Leading(await count.InnerTextAsync());
        await count.ClickAsync();
        await Expect(page.Locator("#children tbody tr")).ToHaveCountAsync(Math.Min(n, 50));
        Assert.All(await page.Locator("#children tbody tr td:nth-child(6)").AllInnerTextsAsync(), t => Assert.Equal(village, t.Trim()));
    }

    /// <summary>The count a link shows (its visually hidden words for screen readers follow it).</summary>
    private static int Leading(string text) =>
        int.Parse(System.Text.RegularExpressions.Regex.Match(text.Trim(), "^[0-9,]+").Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
}
