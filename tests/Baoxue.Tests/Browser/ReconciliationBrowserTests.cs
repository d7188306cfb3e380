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
    public async Task A_county_officer_runs_the_entry_check_and_issues_and_prints_a_schools_notices()
    {
        var page = await app.NewPageAsync();
        await Flows.SignInAsync(page, "county.admin");
        await page.GotoAsync("/reconciliation/transitions?kind=EntryToPrimary");
        await page.Locator("#run-check").ClickAsync();
        await Expect(page.Locator("#check-result")).ToContainTextAsync("已核查");

        await page.GotoAsync("/reconciliation/notices");
        await page.Locator("#notice-schools tbody a").First.ClickAsync();
        await page.Locator("#issue").ClickAsync();
        await Expect(page.Locator("#issued")).ToContainTextAsync("已发放入学通知书");
        await page.Locator("#print-link").ClickAsync();
        await Expect(page.Locator("article.official").First).ToContainTextAsync("号");
        var printed = await page.Locator("article.official").CountAsync();

        await using var db = app.Db();
        Assert.True(await db.TransitionCases.AnyAsync(c => c.Kind == TransitionKind.EntryToPrimary) || await db.HouseholdChildren.AnyAsync());
        Assert.Equal(await db.EntryNotices.CountAsync(), printed);
    }
}
