using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Baoxue.Tests.Features.Accounts.AccountKit;

namespace Baoxue.Tests.Features.Accounts;

/// <summary>Signing in by token and on the login page: right and wrong passwords, unknown and disabled accounts, lockout, the audit trail.</summary>
public abstract class SignInTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    [Fact]
    public async Task The_right_password_gets_a_bearer_token_that_opens_the_api()
    {
        var (status, body) = await TokenAsync(app, "inspector", BaoxueApp.Password);

        Assert.Equal(HttpStatusCode.OK, status);
        var accessToken = body.GetProperty("accessToken").GetString();
        Assert.False(string.IsNullOrEmpty(accessToken));
        Assert.True(body.GetProperty("expiresIn").GetInt64() > 0);

        using var client = BearerClient(app, accessToken!);
        using var schools = await client.GetAsync("/api/v1/schools");
        Assert.Equal(HttpStatusCode.OK, schools.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_Chinese_message()
    {
        using var response = await RequestTokenAsync(app, "leader", "Wrong@2026");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("用户名或密码错误。", body.GetProperty("title").GetString());
        Assert.Equal("Failed", Reason(body));
        Assert.False(body.TryGetProperty("accessToken", out _));
    }

    [Fact]
    public async Task An_unknown_user_is_refused_like_a_wrong_password()
    {
        var (status, body) = await TokenAsync(app, "nobody.here", BaoxueApp.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("用户名或密码错误。", body.GetProperty("title").GetString());
        Assert.Equal("Failed", Reason(body));
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in_even_with_the_right_password()
    {
        await CreateAsync(app, "disabled.inspector", Role.Inspector, isDisabled: true);

        var (status, body) = await TokenAsync(app, "disabled.inspector", GoodPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Failed", Reason(body));
        Assert.False(body.TryGetProperty("accessToken", out _));
    }

    /// <summary>A token request as if from the given client address, through a proxy the app trusts (loopback).</summary>
    private async Task<(HttpStatusCode Status, JsonElement Body)> TokenFromAsync(string address, string userName, string password)
    {
        using var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { userName, password });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_from_that_address_only_until_an_administrator_unlocks_it()
    {
        var id = await CreateAsync(app, "lockout.inspector", Role.Inspector);
        const string attacker = "198.51.100.66", owner = "198.51.100.10";

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var (wrongStatus, wrongBody) = await TokenFromAsync(attacker, "lockout.inspector", "Wrong@" + attempt);
            Assert.Equal(HttpStatusCode.Unauthorized, wrongStatus);
            Assert.Equal("Failed", Reason(wrongBody));
        }

        // From the guessing address even the right password is turned away, in the same words as an unknown name.
        var (status, body) = await TokenFromAsync(attacker, "lockout.inspector", GoodPassword);
        var (_, unknown) = await TokenFromAsync(attacker, "nobody.at.all", GoodPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Failed", Reason(body));
        Assert.Equal(unknown.GetProperty("title").GetString(), body.GetProperty("title").GetString());
        Assert.Equal(Reason(unknown), Reason(body));
        Assert.False(body.TryGetProperty("accessToken", out _));
        await using (var db = app.Db())
        {
            var last = await db.AuditEntries.AsNoTracking().Where(a => a.UserName == "lockout.inspector").OrderByDescending(a => a.Sequence).FirstAsync();
            Assert.Contains("locked-out", last.After);
            Assert.Equal(attacker, last.IpAddress);
        }

        // The owner, at their own address, is not locked out by a stranger.
        var (ownerStatus, ownerBody) = await TokenFromAsync(owner, "lockout.inspector", GoodPassword);
        Assert.Equal(HttpStatusCode.OK, ownerStatus);
        Assert.False(string.IsNullOrEmpty(ownerBody.GetProperty("accessToken").GetString()));

        // An administrator's unlock lifts the lockout from every address.
        using var admin = await app.ClientAsync("county.admin");
        using var unlock = await admin.PutAsJsonAsync($"/api/v1/accounts/{id}",
            Body("lockout.inspector", Role.Inspector, PlaceKind.County, await CountyIdAsync(app), password: null, unlock: true));
        Assert.Equal(HttpStatusCode.OK, unlock.StatusCode);
        var (after, _) = await TokenFromAsync(attacker, "lockout.inspector", GoodPassword);
        Assert.Equal(HttpStatusCode.OK, after);
    }

    [Fact]
    public async Task A_token_lives_no_longer_than_the_idle_rule_and_comes_without_a_refresh_token()
    {
        var (status, body) = await TokenAsync(app, "leader", BaoxueApp.Password);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(30 * 60, body.GetProperty("expiresIn").GetInt64());
        Assert.False(body.TryGetProperty("refreshToken", out _));
    }

    [Fact]
    public async Task Failed_and_successful_sign_ins_are_written_to_the_audit_log()
    {
        var id = await CreateAsync(app, "audited.inspector", Role.Inspector);

        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(app, "audited.inspector", "Wrong@2026")).Status);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(app, "audited.inspector", GoodPassword)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(app, "no.such.account", GoodPassword)).Status);

        await using var db = app.Db();
        var lines = await db.AuditEntries.AsNoTracking()
            .Where(a => a.UserName == "audited.inspector" && (a.Action == AuditAction.LoginFailed || a.Action == AuditAction.LoginSucceeded))
            .OrderBy(a => a.Sequence).ToListAsync();
        Assert.Equal([AuditAction.LoginFailed, AuditAction.LoginSucceeded], lines.Select(l => l.Action));
        Assert.All(lines, l => Assert.Equal(id, l.UserId));
        Assert.Contains("bad-password", lines[0].After);

        var unknown = await db.AuditEntries.AsNoTracking().Where(a => a.UserName == "no.such.account").ToListAsync();
        var line = Assert.Single(unknown);
        Assert.Equal(AuditAction.LoginFailed, line.Action);
        Assert.Null(line.UserId);
        Assert.Contains("unknown-user", line.After);
    }

    [Fact]
    public async Task The_login_page_is_in_Chinese()
    {
        using var browser = CookieClient(app);
        var (status, html) = await Pages.GetAsync(browser, "/login");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("登录", html);
        Assert.Contains("用户名", html);
        Assert.Contains("密码", html);
    }

    [Fact]
    public async Task A_wrong_password_on_the_login_page_shows_the_Chinese_message_and_signs_nobody_in()
    {
        using var browser = CookieClient(app);
        using var response = await SubmitLoginAsync(browser, "bureau.staff", "Wrong@2026");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("用户名或密码错误", await response.Content.ReadAsStringAsync());
        using var home = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/login", PathOf(home));
    }

    [Fact]
    public async Task The_right_password_on_the_login_page_opens_the_home_page()
    {
        using var browser = await SignedInBrowserAsync(app, "bureau.staff", BaoxueApp.Password);

        var (status, _) = await Pages.GetAsync(browser, "/");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_user_changes_their_own_password_and_only_the_new_one_works()
    {
        await CreateAsync(app, "changing.inspector", Role.Inspector);
        using var browser = await SignedInBrowserAsync(app, "changing.inspector");

        using var response = await Pages.PostFormAsync(browser, "/account", "password", new Dictionary<string, string>
        {
            ["Input.Current"] = GoodPassword,
            ["Input.Next"] = "Fenghuang@99",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("密码已修改。", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(app, "changing.inspector", GoodPassword)).Status);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(app, "changing.inspector", "Fenghuang@99")).Status);
    }

    [Fact]
    public async Task A_weak_new_password_on_my_account_is_refused_with_the_rule()
    {
        await CreateAsync(app, "weakchange.inspector", Role.Inspector);
        using var browser = await SignedInBrowserAsync(app, "weakchange.inspector");

        using var response = await Pages.PostFormAsync(browser, "/account", "password", new Dictionary<string, string>
        {
            ["Input.Current"] = GoodPassword,
            ["Input.Next"] = "onlylowercase",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("密码须包含大写字母、小写字母、数字、符号中的至少三类。", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(app, "weakchange.inspector", GoodPassword)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(app, "weakchange.inspector", "onlylowercase")).Status);
    }
}

public sealed class SignInTests_Sqlite(SqliteApp app) : SignInTests<SqliteApp>(app);

public sealed class SignInTests_Postgres(PostgresApp app) : SignInTests<PostgresApp>(app);
