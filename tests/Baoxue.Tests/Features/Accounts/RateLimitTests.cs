using System.Net;
using System.Net.Http.Json;
using Baoxue.Tests.Support;

namespace Baoxue.Tests.Features.Accounts;

/// <summary>A fixture whose sign-in limit is three a minute, so the fourth attempt is turned away.</summary>
public sealed class StrictSignInApp : IAsyncLifetime
{
    public SqliteApp App { get; } = (SqliteApp)new SqliteApp().With("Security:SignInsPerMinute", "3").With("Security:LookupsPerMinute", "3").With("Security:ImportsPerMinute", "2");
    public Task InitializeAsync() => App.InitializeAsync();
    public Task DisposeAsync() => App.DisposeAsync();
}

public sealed class RateLimitTests(StrictSignInApp fixture) : IClassFixture<StrictSignInApp>
{
    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_are_turned_away_before_the_password_is_checked()
    {
        using var client = fixture.App.AnonymousClient();
        var statuses = new List<HttpStatusCode>();
        var last = "";
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = "county.admin", password = BaoxueApp.Password });
            statuses.Add(response.StatusCode);
            last = await response.Content.ReadAsStringAsync();
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        // A problem document titled in Chinese, not ASP.NET Core's English "Too Many Requests".
        Assert.Contains("操作过于频繁", last);
    }

    [Fact]
    public async Task Opening_the_login_page_is_not_a_sign_in_attempt()
    {
        using var client = fixture.App.AnonymousClient();
        // Its own address: the limit is per address, and the other test uses the default one.
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2.77");
        for (var i = 0; i < 6; i++)
        {
            using var page = await client.GetAsync("/login");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        using var attempt = await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = "leader", password = BaoxueApp.Password });
        Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
    }

    // Signs in from an address of its own, so the sign-in limit of the other tests is not spent.
    private async Task<HttpClient> ClientFromAsync(string address, string userName)
    {
        var client = fixture.App.AnonymousClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { userName, password = BaoxueApp.Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task Transfer_look_ups_beyond_the_limit_are_turned_away_per_account()
    {
        using var registrar = await ClientFromAsync("192.0.2.88", "school.admin");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await registrar.GetAsync($"/api/v1/status-changes/lookup?number=35012320180101{i:D3}X&name=%E5%BC%A0%E4%B8%89");
            statuses.Add(response.StatusCode);
        }
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);

        // Another account still has its own allowance.
        using var other = await ClientFromAsync("192.0.2.89", "county.admin");
        using var theirs = await other.GetAsync("/api/v1/status-changes/lookup?number=350123201801010000&name=%E5%BC%A0%E4%B8%89");
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
    }

    [Fact]
    public async Task Imports_beyond_the_limit_are_turned_away_per_account()
    {
        using var registrar = await ClientFromAsync("192.0.2.90", "school.admin");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var form = new MultipartFormDataContent();
            form.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes("姓名\n")), "file", "students.csv");
            using var response = await registrar.PostAsync("/api/v1/students/import", form);
            statuses.Add(response.StatusCode);
        }
        Assert.Equal([HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity, HttpStatusCode.TooManyRequests], statuses);
    }
}
