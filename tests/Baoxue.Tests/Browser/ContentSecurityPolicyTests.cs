using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Browser;

/// <summary>
/// The Content-Security-Policy forbids inline script: pages must still work in Chromium with no violation,
/// and no page source may bring inline script or handlers back.
/// </summary>
public sealed partial class ContentSecurityPolicyTests(SqliteBrowserApp app) : IClassFixture<SqliteBrowserApp>
{
    [Fact]
    public async Task Pages_run_under_the_policy_without_a_violation_and_the_print_button_still_prints()
    {
        var page = await app.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        // Stands in for the print dialog, which a headless browser cannot show.
        await page.AddInitScriptAsync("window.print = () => { document.body.dataset.printed = 'yes'; };");
        Guid classId;
        await using (var db = app.Db())
        {
            classId = await db.Classes.Where(c => c.School!.Name == Flows.OwnSchool && c.SchoolYear!.IsCurrent).OrderBy(c => c.Path).Select(c => c.Id).FirstAsync();
        }

        await Flows.SignInAsync(page, "school.admin");
        foreach (var url in new[] { "/", "/students", "/status-changes", "/status-changes/transfer-in", "/account" })
        {
            await page.GotoAsync(url);
            await Expect(page.Locator("h1")).ToBeVisibleAsync();
        }
        await page.GotoAsync($"/classes/{classId}/roster");
        await page.Locator("[data-print]").ClickAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-printed", "yes");

        Assert.Empty(violations);
    }

    [Fact]
    public void No_page_source_has_inline_script_or_an_inline_event_handler()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root!.FullName, "Baoxue.slnx")))
        {
            root = root.Parent;
        }
        var offenders = Directory.EnumerateFiles(Path.Combine(root.FullName, "src", "Baoxue"), "*.razor", SearchOption.AllDirectories)
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (File: Path.GetRelativePath(root.FullName, f), Line: i + 1, Text: line)))
            .Where(l => InlineScript().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "Blocked by the Content-Security-Policy:\n" + string.Join("\n", offenders));
    }

    // <script> without src, on…="…" attributes (not Blazor's @on…), javascript: URLs.
    // Lower-case on… only: PascalCase OnSubmit= is a component parameter, @onclick a Blazor directive.
    [GeneratedRegex(@"(?i:<script(?![^>]*\ssrc=)[^>]*>)|(?<![@\w-])on[a-z]+\s*=\s*""|(?i:javascript:)")]
    private static partial Regex InlineScript();
}
