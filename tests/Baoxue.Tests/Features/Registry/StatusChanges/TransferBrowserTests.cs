using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Features.Registry;
using Baoxue.Tests.Browser;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baoxue.Tests.Features.Registry.StatusChanges;

/// <summary>The demo county in Chromium (SQLite), with the second-factor rule off so a new registrar can sign in at once.</summary>
public sealed class StatusChangeBrowserApp : BrowserApp
{
    public StatusChangeBrowserApp() : base(TestDatabase.Sqlite()) => With("Security:RequireTwoFactorForAdministrators", "false");

    /// <summary>An API client on the real socket, signed in with a bearer token.</summary>
    public async Task<HttpClient> ApiAsync(string userName)
    {
        var client = new HttpClient { BaseAddress = Address };
        using var token = await client.PostAsJsonAsync("/api/v1/auth/token", new { userName, password = Password });
        token.EnsureSuccessStatusCode();
        var body = await token.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("accessToken").GetString());
        return client;
    }
}

public sealed class TransferBrowserTests(StatusChangeBrowserApp app) : IClassFixture<StatusChangeBrowserApp>
{
    [Fact]
    public async Task A_student_moves_school_after_the_receiving_registrar_the_sending_registrar_and_the_bureau_agree()
    {
        Guid otherSchoolId, ownClassId, targetClassId;
        await using (var db = app.Db())
        {
            otherSchoolId = await db.Schools.Where(s => s.Name == Flows.OtherSchool).Select(s => s.Id).SingleAsync();
            ownClassId = await db.Classes.Where(c => c.School!.Name == Flows.OwnSchool && c.Grade == 3 && c.SchoolYear!.IsCurrent).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
            targetClassId = await db.Classes.Where(c => c.SchoolId == otherSchoolId && c.Grade == 3 && c.SchoolYear!.IsCurrent).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
        }
        var json = StatusChangeApp.Json;
        using (var admin = await app.ApiAsync("county.admin"))
        {
            using var account = await admin.PostAsJsonAsync("/api/v1/accounts", new
            {
                userName = StatusChangeApp.OtherRegistrar, displayName = "实验小学学籍管理员", role = "SchoolAdmin", placeKind = "School", placeId = otherSchoolId, password = BrowserApp.Password,
            }, json);
            Assert.True(account.IsSuccessStatusCode, await account.Content.ReadAsStringAsync());
        }
        var names = new ChineseNames(20260901);
        var birth = new DateOnly(2017, 5, 12);
        var idNumber = names.IdNumberFor("350123", birth, Gender.Female);
        var name = names.FullName(Gender.Female);
        Guid studentId;
        using (var registrar = await app.ApiAsync("school.admin"))
        {
            using var enrolled = await registrar.PostAsJsonAsync("/api/v1/students", new SaveStudent.Command(null, idNumber, null, name, Gender.Female, birth, "01", null, null, null, null, ownClassId, null), json);
            var body = await enrolled.Content.ReadAsStringAsync();
            Assert.True(enrolled.IsSuccessStatusCode, body);
            studentId = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
        }

        // The receiving registrar finds the student by the whole ID number and asks for the transfer.
        var receiving = await app.NewPageAsync();
        await Flows.SignInAsync(receiving, StatusChangeApp.OtherRegistrar);
        await receiving.GotoAsync("/status-changes/transfer-in");
        await Expect(receiving.GetByRole(AriaRole.Heading, new() { Name = "转入学生", Level = 1 })).ToBeVisibleAsync();
        await receiving.Locator("#number").FillAsync(idNumber);
        await receiving.Locator("#name").FillAsync(name);
        await receiving.GetByRole(AriaRole.Button, new() { Name = "查找" }).ClickAsync();
        var found = receiving.Locator("#lookup-result");
        await Expect(found).ToContainTextAsync(name);
        await Expect(found).ToContainTextAsync(Flows.OwnSchool);
        await Expect(found).Not.ToContainTextAsync(idNumber);
        await receiving.Locator("#class").SelectOptionAsync(targetClassId.ToString());
        await receiving.Locator("#reason").FillAsync("随父母迁居县城");
        await receiving.GetByRole(AriaRole.Button, new() { Name = "申请转入" }).ClickAsync();
        await Expect(receiving).ToHaveURLAsync(new Regex(@"/status-changes/[0-9a-f-]{36}$"));
        var changeUrl = new Uri(receiving.Url).AbsolutePath;
        await Expect(receiving.Locator("#state")).ToHaveTextAsync("审批中");
        await Expect(receiving.Locator("#timeline li").Nth(0)).ToContainTextAsync("第一步");
        await Expect(receiving.Locator("#timeline li").Nth(0)).ToContainTextAsync("同意");
        await Expect(receiving.Locator("#timeline li").Nth(1)).ToContainTextAsync("待审核");
        await Expect(receiving.Locator("#decision")).ToHaveCountAsync(0); // not theirs to decide now

        // The sending registrar approves the second step.
        var sending = await app.NewPageAsync();
        await Flows.SignInAsync(sending, "school.admin");
        await sending.GotoAsync("/status-changes?view=AwaitingMe");
        await sending.Locator("#status-changes").GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await Expect(sending).ToHaveURLAsync(new Regex(Regex.Escape(changeUrl) + "$"));
        await sending.Locator("#comment").FillAsync("同意转出");
        await sending.GetByRole(AriaRole.Button, new() { Name = "同意", Exact = true }).ClickAsync();
        await Expect(sending.Locator("#timeline li").Nth(1)).ToContainTextAsync("同意转出");
        await Expect(sending.Locator("#timeline li").Nth(2)).ToContainTextAsync("待审核");
        await Expect(sending.Locator("#decision")).ToHaveCountAsync(0);

        // The bureau approves the last step.
        var bureau = await app.NewPageAsync();
        await Flows.SignInAsync(bureau, "county.admin");
        await bureau.GotoAsync(changeUrl);
        await bureau.GetByRole(AriaRole.Button, new() { Name = "同意", Exact = true }).ClickAsync();
        await Expect(bureau.Locator("#state")).ToHaveTextAsync("已通过");
        await Expect(bureau.Locator("#timeline li").Nth(2)).ToContainTextAsync("第三步");

        // The student is now at the receiving school, and gone from the sending school's reach.
        await receiving.GotoAsync($"/students/{studentId}");
        await Expect(receiving.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 })).ToBeVisibleAsync();
        await Expect(receiving.Locator("main")).ToContainTextAsync(Flows.OtherSchool);
        await Expect(receiving.Locator("table#history")).ToContainTextAsync("县内转学");
        var gone = await sending.GotoAsync($"/students/{studentId}");
        Assert.Equal(404, gone!.Status);
        Assert.DoesNotContain(name, await sending.ContentAsync());
    }
}
