using System.Net;
using System.Net.Http.Json;
using Baoxue.Tests.Support;

namespace Baoxue.Tests.Features.Accounts;

/// <summary>A fixture whose sign-in limit is three a minute, so the fourth attempt is turned away.</summary>
public sealed class StrictSignInApp : IAsyncLifetime
{
    public SqliteApp App { get; } = (SqliteApp)new SqliteApp().With("Security:SignInsPerMinute", "3");
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
}
