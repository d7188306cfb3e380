using System.Text.RegularExpressions;
using Baoxue.Domain;
using Baoxue.Tests.Features.Casework;
using Baoxue.Tests.Features.Organisation;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Browser;

/// <summary>
/// The whole ledger and casework interface walked in Chromium by each role that uses it, on a desktop (1366 px) and a
/// phone (390 px): every page opens without an error and without a sideways scroll, every filter and panel is opened,
/// every file downloads and opens (the ledger's workbook, the import template, a notice's print page and Word file), and
/// every action on a case, submitted empty, answers in Chinese and changes nothing.
/// </summary>
public sealed partial class BrowserTests
{
    private static readonly string[] WalkRoles = ["bureau.staff", "school.admin", "head.teacher", "township.cadre", "village.cadre"];

    [Fact]
    public async Task Every_ledger_and_casework_page_file_and_empty_action_works_for_each_role_on_desktop_and_phone()
    {
        // A case every role reaches (a registry student of the school, living in the village) with a notice on it.
        var (walkCase, _, _) = await CaseworkKit.CaseAsync(app, 301, StudentStatus.InSchool, LedgerCaseState.Persuading, 60);
        Guid noticeId;
        await using (var db = await app.DbAs("bureau.staff"))
        {
            var table = app.Services.GetRequiredService<Baoxue.Infrastructure.Localization.TextTable>();
            var issued = await Baoxue.Features.Casework.CaseNotices.IssueAsync(db, table, new Baoxue.Features.Casework.CaseworkOptions(), walkCase,
                new Baoxue.Features.Casework.CaseNotices.Command(NoticeKind.OrderToCorrect, NoticeIssuer.Bureau, null, null, null, null, null));
            Assert.True(issued.Succeeded, string.Join("; ", issued.Errors.Select(e => e.Key)));
            noticeId = issued.Value!.Id;
        }
        foreach (var width in new[] { 1366, 390 })
        {
            foreach (var role in WalkRoles)
            {
                var page = await app.NewPageAsync(new ViewportSize { Width = width, Height = width > 400 ? 900 : 844 }, phone: width < 400);
                await Flows.SignInAsync(page, role);
                foreach (var url in new[] { "/ledger", "/ledger/counts", "/ledger/new", "/ledger/import", "/ledger/transfers", "/casework",
                    "/casework?view=Overdue", "/casework?view=CloseOut", "/casework?view=FollowUp", "/casework?view=Closed" })
                {
                    await OpenCleanAsync(page, url, $"{role}@{width}");
                    // Filters are GET forms: each submitted as it stands answers with the page again.
                    var filters = page.Locator("main form[method='get'] button[type='submit']");
                    for (var i = 0; i < await filters.CountAsync(); i++)
                    {
                        await filters.Nth(i).ClickAsync();
                        await AssertCleanAsync(page, $"{role}@{width} {url} filter {i}");
                    }
                }

                // The ledger's first entry and the first case the role can reach, with every panel opened.
                await OpenCleanAsync(page, "/ledger", $"{role}@{width}");
                if (await page.Locator("main table a[href^='/ledger/entries/']").CountAsync() > 0)
                {
                    await page.Locator("main table a[href^='/ledger/entries/']").First.ClickAsync();
                    await AssertCleanAsync(page, $"{role}@{width} entry");
                    await OpenPanelsAsync(page);
                }
                await OpenCleanAsync(page, "/casework", $"{role}@{width}");
                if (await page.Locator("#casework-list a[href^='/casework/cases/']").CountAsync() > 0)
                {
                    await page.Locator("#casework-list a[href^='/casework/cases/']").First.ClickAsync();
                    await AssertCleanAsync(page, $"{role}@{width} case");
                    await OpenPanelsAsync(page);
                    await AssertCleanAsync(page, $"{role}@{width} case panels");
                }

                // Files: the ledger as the county files it, for the role's own reach.
                await OpenCleanAsync(page, "/ledger", $"{role}@{width}");
                var sheet = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-export='ledger']").ClickAsync());
                Assert.EndsWith(".xlsx", sheet.SuggestedFilename);
                var (title, headers, _) = OrganisationKit.Workbook(await File.ReadAllBytesAsync((await sheet.PathAsync())!));
                Assert.Equal("三类名单", title);
                Assert.Contains(headers, h => h.Contains("姓名", StringComparison.Ordinal));
                await page.Context.CloseAsync();
            }
        }

        // The county's files: the import template, and a notice's print page and Word file, at both widths.
        foreach (var width in new[] { 1366, 390 })
        {
            var page = await app.NewPageAsync(new ViewportSize { Width = width, Height = 900 }, phone: width < 400);
            await Flows.SignInAsync(page, "bureau.staff");
            await OpenCleanAsync(page, "/ledger/import", $"template@{width}");
            var template = await page.RunAndWaitForDownloadAsync(() => page.Locator("#template").ClickAsync());
            var (_, templateHeaders, _) = OrganisationKit.Workbook(await File.ReadAllBytesAsync((await template.PathAsync())!));
            Assert.Contains(templateHeaders, h => h.Contains("姓名", StringComparison.Ordinal));
            await OpenCleanAsync(page, $"/notices/{noticeId}", $"notice@{width}");
            await Expect(page.Locator("#doc-number")).ToHaveTextAsync(new Regex(@"〔\d{4}〕\d+号$"));
            var docx = await page.RunAndWaitForDownloadAsync(() => page.Locator("#notice-docx").ClickAsync());
            Assert.EndsWith(".docx", docx.SuggestedFilename);
            using (var doc = WordprocessingDocument.Open((await docx.PathAsync())!, false))
            {
                var text = doc.MainDocumentPart!.Document.Body!.InnerText;
                Assert.Contains("号", text, StringComparison.Ordinal);
                Assert.Contains("（盖章）", text, StringComparison.Ordinal);
            }
            await page.Context.CloseAsync();
        }

        // Every action on a fresh case, submitted empty on a phone: a Chinese refusal, the case unchanged.
        var (caseId, _, _) = await CaseworkKit.NeverEnrolledCaseAsync(app, 300, withId: false);
        var phone = await app.NewPageAsync(new ViewportSize { Width = 390, Height = 844 }, phone: true);
        await Flows.SignInAsync(phone, "bureau.staff");
        foreach (var action in new[] { "#issue-notice", "#record-return" })
        {
            await OpenCleanAsync(phone, $"/casework/cases/{caseId}", "empty " + action);
            await OpenPanelsAsync(phone);
            await phone.Locator(action).ClickAsync();
            await Expect(phone.Locator(".alert-danger").First).ToBeVisibleAsync();
            await Expect(phone.Locator(".alert-danger").First).ToContainTextAsync(new Regex("[\u4e00-\u9fff]"));
            await AssertCleanAsync(phone, "empty " + action);
            await Expect(phone.Locator("#case-state")).ToHaveTextAsync("劝返中");
        }
        await OpenCleanAsync(phone, $"/casework/cases/{caseId}/attempts/new", "empty attempt");
        await phone.Locator("#save-attempt").ClickAsync();
        await Expect(phone.Locator(".alert-danger").First).ToBeVisibleAsync();
        await AssertCleanAsync(phone, "empty attempt");
        await using (var db = app.Db())
        {
            Assert.Equal(0, await db.PersuasionAttempts.CountAsync(a => a.CaseId == caseId));
            Assert.Equal(0, await db.CaseNotices.CountAsync(n => n.CaseId == caseId));
            Assert.Equal(LedgerCaseState.Persuading, (await db.LedgerCases.SingleAsync(c => c.Id == caseId)).State);
        }
        await phone.Context.CloseAsync();
    }

    private static async Task OpenCleanAsync(IPage page, string url, string what)
    {
        var response = await page.GotoAsync(url);
        Assert.True(response is not null && response.Status < 500, $"{what} {url}: {response?.Status}");
        await AssertCleanAsync(page, $"{what} {url}");
    }

    /// <summary>No server error, and on a phone nothing wider than the screen.</summary>
    private static async Task AssertCleanAsync(IPage page, string what)
    {
        var body = await page.Locator("body").InnerTextAsync();
        Assert.False(body.Contains("An unhandled error", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal), $"{what}: {body[..Math.Min(300, body.Length)]}");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"{what}: wider than the screen at {page.Url}");
    }

    private static async Task OpenPanelsAsync(IPage page)
    {
        var panels = page.Locator("main details:not([open]) > summary");
        while (await panels.CountAsync() > 0)
        {
            await panels.First.ClickAsync();
        }
    }
}
