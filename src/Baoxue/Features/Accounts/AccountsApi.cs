using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Security;
using Baoxue.Infrastructure.Paging;

namespace Baoxue.Features.Accounts;

public static class AccountsApi
{
    public sealed record TokenRequest(string UserName, string Password, string? Code);

    public static void MapAccountsApi(this WebApplication app)
    {
        app.MapPost("/api/v1/auth/token", IssueTokenAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(AccountsSetup.SignInLimit)
            .WithTags("Accounts")
            .WithName("Accounts_IssueToken").WithSummary("Sign in with user name and password and get a bearer token");

        app.MapPost("/logout", async (SignInManager<AppUser> signIn, BaoxueDb db, HttpContext context) =>
        {
            if (context.User.Identity?.IsAuthenticated == true)
            {
                db.Audit(Domain.AuditAction.Logout, nameof(AppUser), context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, null);
                await db.SaveChangesAsync();
            }
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/login");
        }).AllowAnonymous().ExcludeFromDescription();

        var accounts = app.MapGroup("/api/v1/accounts").WithTags("Accounts").RequireAuthorization(Permission.AccountsManage);
        accounts.MapGet("/", async (BaoxueDb db, string? q, Infrastructure.Paging.PageRequest page, CancellationToken ct) =>
        {
            var found = await AccountQueries.PageAsync(db, q, page, ct);
            return page.Of<AccountQueries.AccountDto>([.. found.Items.Select(u => AccountQueries.ToDto(u, db.Clock))], found.Total);
        }).Paged()
            .WithName("Accounts_ListAccounts").WithSummary("List accounts (paged)");
        accounts.MapGet("/{id:guid}", async Task<Results<Ok<AccountQueries.AccountDto>, NotFound>> (BaoxueDb db, Guid id, CancellationToken ct) =>
            await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) is { } user ? TypedResults.Ok(AccountQueries.ToDto(user, db.Clock)) : TypedResults.NotFound())
            .WithName("Accounts_GetAccount").WithSummary("Read an account");
        accounts.MapPost("/", async (SaveAccount.Command command, BaoxueDb db, UserManager<AppUser> users, IStringLocalizer<Strings> text) =>
            ApiResults.From(await SaveAccount.HandleAsync(db, users, command with { Id = null }), text, a => AccountQueries.ToDto(a, db.Clock)))
            .WithName("Accounts_CreateAccount").WithSummary("Create an account");
        accounts.MapPut("/{id:guid}", async (Guid id, SaveAccount.Command command, BaoxueDb db, UserManager<AppUser> users, SignInThrottle throttle, IStringLocalizer<Strings> text) =>
            ApiResults.From(await SaveAccount.HandleAsync(db, users, command with { Id = id }, throttle), text, a => AccountQueries.ToDto(a, db.Clock)))
            .WithName("Accounts_UpdateAccount").WithSummary("Update an account");
    }

    /// <summary>The answer to a good sign-in: an access token only (no refresh token: sign in again after the idle time).</summary>
    public sealed record TokenResponse(string TokenType, string AccessToken, long ExpiresIn);

    private static async Task<IResult> IssueTokenAsync(TokenRequest request, SignInManager<AppUser> signIn, BaoxueDb db, SignInThrottle throttle,
        Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.BearerToken.BearerTokenOptions> bearer,
        Microsoft.Extensions.Options.IOptions<SecurityOptions> security, TimeProvider clock, IStringLocalizer<Strings> text)
    {
        var (result, user) = await SignIn.ForTokenAsync(signIn, db, throttle, request.UserName ?? "", request.Password ?? "", request.Code);
        if (result != SignInResult.Succeeded || user is null)
        {
            // A locked-out account answers like a wrong password or an unknown name: no one learns which accounts exist.
            var shown = result == SignInResult.NeedsCode ? SignInResult.NeedsCode : SignInResult.Failed;
            var key = shown == SignInResult.NeedsCode ? "Login.CodeRequired" : "Login.Failed";
            return Results.Problem(title: text[key], statusCode: StatusCodes.Status401Unauthorized, extensions: new Dictionary<string, object?> { ["reason"] = shown.ToString() });
        }
        var principal = await signIn.CreateUserPrincipalAsync(user);
        var lifetime = AccountsSetup.TokenLifetime(security.Value);
        var now = clock.GetUtcNow();
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + lifetime }, IdentityConstants.BearerScheme);
        var token = bearer.Get(IdentityConstants.BearerScheme).BearerTokenProtector.Protect(ticket);
        return Results.Ok(new TokenResponse("Bearer", token, (long)lifetime.TotalSeconds));
    }
}
