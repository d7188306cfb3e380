using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;

namespace Baoxue.Features.Accounts;

public static class AccountsApi
{
    public sealed record TokenRequest(string UserName, string Password, string? Code);

    public static void MapAccountsApi(this WebApplication app)
    {
        app.MapPost("/api/v1/auth/token", IssueTokenAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(AccountsSetup.SignInLimit)
            .WithTags("Accounts").WithSummary("Sign in with user name and password (and code when a second factor is on); answers {accessToken, expiresIn}.");

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
        }).Paged();
        accounts.MapGet("/{id:guid}", async Task<Results<Ok<AccountQueries.AccountDto>, NotFound>> (BaoxueDb db, Guid id, CancellationToken ct) =>
            await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) is { } user ? TypedResults.Ok(AccountQueries.ToDto(user, db.Clock)) : TypedResults.NotFound());
        accounts.MapPost("/", async (SaveAccount.Command command, BaoxueDb db, UserManager<AppUser> users, IStringLocalizer<Strings> text) =>
            ApiResults.From(await SaveAccount.HandleAsync(db, users, command with { Id = null }), text, a => AccountQueries.ToDto(a, db.Clock)));
        accounts.MapPut("/{id:guid}", async (Guid id, SaveAccount.Command command, BaoxueDb db, UserManager<AppUser> users, IStringLocalizer<Strings> text) =>
            ApiResults.From(await SaveAccount.HandleAsync(db, users, command with { Id = id }), text, a => AccountQueries.ToDto(a, db.Clock)));
    }

    private static async Task<IResult> IssueTokenAsync(TokenRequest request, SignInManager<AppUser> signIn, BaoxueDb db, IStringLocalizer<Strings> text)
    {
        var (result, user) = await SignIn.ForTokenAsync(signIn, db, request.UserName ?? "", request.Password ?? "", request.Code);
        if (result != SignInResult.Succeeded || user is null)
        {
            var key = result switch
            {
                SignInResult.LockedOut => "Login.LockedOut",
                SignInResult.NeedsCode => "Login.CodeRequired",
                _ => "Login.Failed",
            };
            return Results.Problem(title: text[key], statusCode: StatusCodes.Status401Unauthorized, extensions: new Dictionary<string, object?> { ["reason"] = result.ToString() });
        }
        var principal = await signIn.CreateUserPrincipalAsync(user);
        return Results.SignIn(principal, new AuthenticationProperties(), IdentityConstants.BearerScheme);
    }
}
