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
}
