using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Browser;

/// <summary>
/// The county administrator's side of the API: creating a service account in the browser (its secret shown once,
/// and working), and the interactive API reference, served by the app under its Content-Security-Policy.
/// </summary>
public sealed class ApiBrowserTests(SqliteBrowserApp app) : IClassFixture<SqliteBrowserApp>
{
    private static List<string> WatchViolations(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.Contains("Refused to", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };
        return violations;
    }

    [Fact]
    public async Task The_administrator_creates_a_service_account_sees_its_secret_once_and_the_secret_works()
    {
        var page = await app.NewPageAsync();
        await Flows.SignInAsync(page, "county.admin");
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "服务账号" }).First.ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("服务账号");
        await page.GetByRole(AriaRole.Link, new() { Name = "新建服务账号" }).ClickAsync();

        await page.Locator("#name").FillAsync("罗源县残联残疾儿童名单接口");
        var county = await page.Locator("#place option").Nth(1).GetAttributeAsync("value");
        await page.Locator("#place").SelectOptionAsync(county!);
        await page.Locator("#perm-registry-view").CheckAsync();
        await Expect(page.Locator("#perm-registry-reveal")).Not.ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "创建并生成密钥" }).ClickAsync();

        await Expect(page.Locator("#credentials")).ToContainTextAsync("无法再次查看");
        var clientId = await page.Locator("#client-id").InnerTextAsync();
        var secret = await page.Locator("#client-secret").InnerTextAsync();
        Assert.StartsWith("bxs_", secret);
        await Expect(page.Locator("#service-account")).ToContainTextAsync("查看学籍名单");

        // The secret is not shown again.
        await page.GotoAsync(page.Url.Contains("/new", StringComparison.Ordinal) ? "/service-accounts" : page.Url);
        await page.GetByRole(AriaRole.Link, new() { Name = "罗源县残联残疾儿童名单接口" }).ClickAsync();
        await Expect(page.Locator("#service-account")).ToContainTextAsync(clientId);
        Assert.DoesNotContain(secret, await page.ContentAsync());

        using var http = new HttpClient { BaseAddress = app.Address };
        var token = await http.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent(
            [new("grant_type", "client_credentials"), new("client_id", clientId), new("client_secret", secret)]));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal("Bearer", (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token_type").GetString());

        // Revoked in the browser: the secret stops working.
        await page.Locator("#revoke button").ClickAsync();
        await Expect(page.Locator("#state")).ToHaveTextAsync("已停用");
        var refused = await http.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent(
            [new("grant_type", "client_credentials"), new("client_id", clientId), new("client_secret", secret)]));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_API_reference_opens_from_the_menu_and_renders_the_document_without_a_policy_violation()
    {
        var page = await app.NewPageAsync();
        var violations = WatchViolations(page);
        var elsewhere = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(app.Address.ToString().TrimEnd('/'), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                elsewhere.Add(request.Url);
            }
        };
        await Flows.SignInAsync(page, "county.admin");
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "接口文档" }).First.ClickAsync();
        await page.WaitForURLAsync("**/api-reference");
        // Scalar has read the document: its title and its Chinese introduction are on the page.
        await Expect(page.GetByText("保学 Baoxue API").First).ToBeVisibleAsync();
        await Expect(page.GetByText("部门系统以服务账号登录", new() { Exact = false }).First).ToBeVisibleAsync();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        Assert.True(elsewhere.Count == 0, "fetched from elsewhere: " + string.Join(", ", elsewhere));
        await page.Context.CloseAsync();
    }
}
