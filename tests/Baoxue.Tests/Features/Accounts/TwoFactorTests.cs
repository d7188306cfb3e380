using System.Net;
using Baoxue.Domain;
using Baoxue.Tests.Support;
using static Baoxue.Tests.Features.Accounts.AccountKit;

namespace Baoxue.Tests.Features.Accounts;

/// <summary>
/// One-time codes from an authenticator app: enrolling on the page, then being asked for a code by the
/// token API and the login page; administrators (other than demo ones) must enrol before anything else.
/// </summary>
public abstract class TwoFactorTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    [Fact]
    public async Task A_user_enrols_with_the_key_shown_on_the_page()
    {
        await CreateAsync(app, "enrol.inspector", Role.Inspector);
        using var browser = await SignedInBrowserAsync(app, "enrol.inspector");

        await EnrolAsync(browser);

        Assert.True((await StoredUserAsync(app, "enrol.inspector")).TwoFactorEnabled);
        var (status, html) = await Pages.GetAsync(browser, "/account/two-factor");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("二次验证已开启。", html);
    }

    [Fact]
    public async Task A_wrong_code_on_the_enrolment_page_leaves_the_second_factor_off()
    {
        await CreateAsync(app, "typo.inspector", Role.Inspector);
        using var browser = await SignedInBrowserAsync(app, "typo.inspector");
        var key = await SharedKeyAsync(browser);

        using var response = await Pages.PostFormAsync(browser, "/account/two-factor", "enable", new Dictionary<string, string> { ["Input.Code"] = Totp.Wrong(key) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("验证码不正确，请重新输入。", await response.Content.ReadAsStringAsync());
        Assert.False((await StoredUserAsync(app, "typo.inspector")).TwoFactorEnabled);
    }

    [Fact]
    public async Task A_code_opens_once_and_the_same_code_again_is_refused()
    {
        await CreateAsync(app, "replay.inspector", Role.Inspector);
        string key;
        using (var browser = await SignedInBrowserAsync(app, "replay.inspector"))
        {
            key = await EnrolAsync(browser);
        }
        var code = Totp.Next(key);

        var (first, _) = await TokenAsync(app, "replay.inspector", GoodPassword, code);
        var (again, body) = await TokenAsync(app, "replay.inspector", GoodPassword, code);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.Unauthorized, again);
        Assert.Equal("Failed", Reason(body));
        Assert.False(body.TryGetProperty("accessToken", out _));
    }

    [Fact]
    public async Task After_enrolling_the_token_api_asks_for_the_code()
    {
        await CreateAsync(app, "code.inspector", Role.Inspector);
        using (var browser = await SignedInBrowserAsync(app, "code.inspector"))
        {
            await EnrolAsync(browser);
        }

        var (status, body) = await TokenAsync(app, "code.inspector", GoodPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("NeedsCode", Reason(body));
        Assert.Equal("该账号已开启二次验证，请同时提供动态验证码（code）。", body.GetProperty("title").GetString());
        Assert.False(body.TryGetProperty("accessToken", out _));
    }

    [Fact]
    public async Task After_enrolling_the_token_api_accepts_the_current_code()
    {
        await CreateAsync(app, "goodcode.inspector", Role.Inspector);
        string key;
        using (var browser = await SignedInBrowserAsync(app, "goodcode.inspector"))
        {
            key = await EnrolAsync(browser);
        }

        var (status, body) = await TokenAsync(app, "goodcode.inspector", GoodPassword, Totp.Next(key));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("accessToken").GetString()));
    }

    [Fact]
    public async Task After_enrolling_the_token_api_refuses_a_wrong_code()
    {
        await CreateAsync(app, "badcode.inspector", Role.Inspector);
        string key;
        using (var browser = await SignedInBrowserAsync(app, "badcode.inspector"))
        {
            key = await EnrolAsync(browser);
        }

        var (status, body) = await TokenAsync(app, "badcode.inspector", GoodPassword, Totp.Wrong(key));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.NotEqual("Succeeded", Reason(body));
        Assert.False(body.TryGetProperty("accessToken", out _));
    }

    [Fact]
    public async Task After_enrolling_the_login_page_asks_for_the_code_before_letting_in()
    {
        await CreateAsync(app, "page.inspector", Role.Inspector);
        string key;
        using (var enrolling = await SignedInBrowserAsync(app, "page.inspector"))
        {
            key = await EnrolAsync(enrolling);
        }

        using var browser = CookieClient(app);
        using var login = await SubmitLoginAsync(browser, "page.inspector", GoodPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/login/two-factor", PathOf(login));

        // The password alone does not open the application.
        using var before = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, before.StatusCode);
        Assert.Equal("/login", PathOf(before));

        using var wrong = await Pages.PostFormAsync(browser, "/login/two-factor", "two-factor", new Dictionary<string, string> { ["Input.Code"] = Totp.Wrong(key) });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("验证码不正确，请重新输入。", await wrong.Content.ReadAsStringAsync());

        using var right = await Pages.PostFormAsync(browser, "/login/two-factor", "two-factor", new Dictionary<string, string> { ["Input.Code"] = Totp.Next(key) });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/", PathOf(right));
        var (status, _) = await Pages.GetAsync(browser, "/");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task An_administrator_without_a_second_factor_is_refused_by_the_api()
    {
        await CreateAsync(app, "new.countyadmin", Role.CountyAdmin);
        Assert.False((await StoredUserAsync(app, "new.countyadmin")).IsDemo);

        var (status, body) = await TokenAsync(app, "new.countyadmin", GoodPassword);
        Assert.Equal(HttpStatusCode.OK, status);

        using var client = BearerClient(app, body.GetProperty("accessToken").GetString()!);
        using var schools = await client.GetAsync("/api/v1/schools");
        Assert.Equal(HttpStatusCode.Forbidden, schools.StatusCode);
        using var accounts = await client.GetAsync("/api/v1/accounts");
        Assert.Equal(HttpStatusCode.Forbidden, accounts.StatusCode);
    }

    [Fact]
    public async Task An_administrator_without_a_second_factor_is_sent_to_enrol_from_every_page()
    {
        await CreateAsync(app, "pages.countyadmin", Role.CountyAdmin);
        using var browser = await SignedInBrowserAsync(app, "pages.countyadmin");

        foreach (var page in new[] { "/", "/schools", "/accounts", "/account" })
        {
            using var response = await browser.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{page}: {(int)response.StatusCode}");
            Assert.Equal("/account/two-factor", PathOf(response));
        }
        var (status, html) = await Pages.GetAsync(browser, "/account/two-factor");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("管理员账号必须开启二次验证后才能继续使用系统。", html);
    }

    [Fact]
    public async Task An_administrator_who_enrols_can_work_on_pages_and_with_a_coded_token()
    {
        await CreateAsync(app, "enrolled.countyadmin", Role.CountyAdmin);
        using var browser = await SignedInBrowserAsync(app, "enrolled.countyadmin");

        var key = await EnrolAsync(browser);

        var (home, _) = await Pages.GetAsync(browser, "/");
        Assert.Equal(HttpStatusCode.OK, home);
        // An administrator who must have a second factor is not offered to turn it off.
        var (_, html) = await Pages.GetAsync(browser, "/account/two-factor");
        Assert.Contains("二次验证已开启。", html);
        Assert.DoesNotContain("关闭二次验证", html);

        var (status, body) = await TokenAsync(app, "enrolled.countyadmin", GoodPassword, Totp.Next(key));
        Assert.Equal(HttpStatusCode.OK, status);
        using var client = BearerClient(app, body.GetProperty("accessToken").GetString()!);
        using var schools = await client.GetAsync("/api/v1/schools");
        Assert.Equal(HttpStatusCode.OK, schools.StatusCode);
    }

    [Fact]
    public async Task An_enrolled_administrator_cannot_get_a_token_with_the_password_alone()
    {
        await CreateAsync(app, "nocode.countyadmin", Role.CountyAdmin);
        using (var browser = await SignedInBrowserAsync(app, "nocode.countyadmin"))
        {
            await EnrolAsync(browser);
        }

        var (status, body) = await TokenAsync(app, "nocode.countyadmin", GoodPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("NeedsCode", Reason(body));
    }

    [Fact]
    public async Task A_non_administrator_works_without_a_second_factor()
    {
        await CreateAsync(app, "plain.inspector", Role.Inspector);
        Assert.False((await StoredUserAsync(app, "plain.inspector")).IsDemo);

        var (status, body) = await TokenAsync(app, "plain.inspector", GoodPassword);
        Assert.Equal(HttpStatusCode.OK, status);
        using var client = BearerClient(app, body.GetProperty("accessToken").GetString()!);
        using var schools = await client.GetAsync("/api/v1/schools");
        Assert.Equal(HttpStatusCode.OK, schools.StatusCode);

        using var browser = await SignedInBrowserAsync(app, "plain.inspector");
        var (home, _) = await Pages.GetAsync(browser, "/");
        Assert.Equal(HttpStatusCode.OK, home);
    }

    [Fact]
    public async Task Demo_administrators_are_exempt_so_the_quick_start_works()
    {
        using var client = await app.ClientAsync("county.admin");
        using var schools = await client.GetAsync("/api/v1/schools");
        Assert.Equal(HttpStatusCode.OK, schools.StatusCode);

        using var browser = await SignedInBrowserAsync(app, "school.admin", BaoxueApp.Password);
        var (home, _) = await Pages.GetAsync(browser, "/");
        Assert.Equal(HttpStatusCode.OK, home);
    }
}

public sealed class TwoFactorTests_Sqlite(SqliteApp app) : TwoFactorTests<SqliteApp>(app);

public sealed class TwoFactorTests_Postgres(PostgresApp app) : TwoFactorTests<PostgresApp>(app);
