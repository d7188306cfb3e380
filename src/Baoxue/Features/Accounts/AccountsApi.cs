using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Security;
using Baoxue.Infrastructure.Paging;

namespace Baoxue.Features.Accounts;

public static class AccountsApi
{
    /// <param name="NewPassword">Only when the account still has an administrator-given password: the password to change it to at this sign-in.</param>
    public sealed record TokenRequest(string UserName, string Password, string? Code, string? NewPassword = null);

    public sealed record SlipDto(Guid AccountId, string Unit, string Name, string UserName, string InitialPassword, Role Role, string Place, string SignInAddress);
    public sealed record ProposalDto(Guid StaffId, string Name, string Post, string Unit, Role Role, PlaceKind PlaceKind, Guid PlaceId, string Place, bool WillCreate, string? Problem);
    public sealed record ProvisionResultDto(IReadOnlyList<SlipDto> Slips);
    public sealed record AccountImportDto(bool Succeeded, int RowsRead, int Created, IReadOnlyList<Organisation.OrganisationApi.ImportProblemDto> Problems, IReadOnlyList<SlipDto> Slips);
    public sealed record AccessDto(Guid Id, string UserName, string DisplayName, Role Role, string Unit, DateTime? LastSignInAt, bool TwoFactorEnabled, bool IsDisabled, bool MustChangePassword, AccessQueries.Usage Usage);
    public sealed record PasswordChange(string CurrentPassword, string NewPassword);
    public sealed record SignInDto(DateTime At, bool Succeeded, string? IpAddress, string? Reason);
    public sealed record RecoveryCodesDto(IReadOnlyList<string> Codes);

    public static SlipDto ToDto(ProvisionAccounts.Slip s, string address) => new(s.AccountId, s.Unit, s.Name, s.UserName, s.InitialPassword, s.Role, s.PlaceName, address);

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

        accounts.MapPost("/{id:guid}/reset-password", async (Guid id, BaoxueDb db, UserManager<AppUser> users, SignInThrottle throttle, IOptions<AccountsOptions> options, HttpContext http, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await AccountActions.ResetPasswordAsync(db, users, throttle, id, ct), text,
                r => ToDto(new ProvisionAccounts.Slip(r.User.Id, "", r.User.DisplayName, r.User.UserName!, r.InitialPassword, r.User.Role, ""), options.Value.AddressFor(http.Request))))
            .WithName("Accounts_ResetPassword").WithSummary("Reset a forgotten password: a new initial password, shown once, to be changed at the next sign-in.");
        accounts.MapPost("/{id:guid}/unlock", async (Guid id, BaoxueDb db, UserManager<AppUser> users, SignInThrottle throttle, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await AccountActions.UnlockAsync(db, users, throttle, id, ct), text, a => AccountQueries.ToDto(a, db.Clock)))
            .WithName("Accounts_Unlock").WithSummary("Unlock an account locked by failed sign-ins.");
        accounts.MapGet("/{id:guid}/handover", async (Guid id, BaoxueDb db, Handover handover, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            var found = await AccountActions.FindManagedAsync(db, id, ct);
            return !found.Succeeded ? ApiResults.From(found, text, _ => new { })
                : Results.Ok((await handover.ListAsync(found.Value!, ct)).Select(i => Handover.ToDto(i, text)).ToList());
        }).WithName("Accounts_ListHandover").WithSummary("What the account holds open (tasks, responsibilities), for handover when its holder leaves or moves.");

        accounts.MapPost("/provision/preview", async (ProvisionAccounts.Request request, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            (await ProvisionAccounts.PlanAsync(db, request, ct)).Select(p => new ProposalDto(p.StaffId, p.Name, p.Post, p.Unit, p.Role, p.PlaceKind, p.PlaceId, p.PlaceName, p.WillCreate, p.Problem is null ? null : text[p.Problem].Value)).ToList())
            .WithName("Accounts_PreviewProvisioning").WithSummary("The accounts that would be made for chosen staff (or a whole school): role and place inferred from each post, for confirmation.");
        accounts.MapPost("/provision", async (ProvisionAccounts.Request request, BaoxueDb db, UserManager<AppUser> users, IOptions<AccountsOptions> options, HttpContext http, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await ProvisionAccounts.CreateAsync(db, users, request, ct), text, slips => new ProvisionResultDto([.. slips.Select(s => ToDto(s, options.Value.AddressFor(http.Request)))])))
            .WithName("Accounts_Provision").WithSummary("Make the previewed accounts, all or none; answers each initial password once (the slips).");
        accounts.MapPost("/import", async (IFormFile file, BaoxueDb db, UserManager<AppUser> users, TextTable table, IOptions<AccountsOptions> options, HttpContext http, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            var result = await AccountSheet.ImportAsync(db, users, table, file.OpenReadStream(), file.FileName, ct);
            var r = result.Report;
            var dto = new AccountImportDto(r.Succeeded, r.RowsRead, r.Created,
                [.. r.Problems.OrderBy(p => p.Row).Select(p => new Organisation.OrganisationApi.ImportProblemDto(p.Row, p.Column, p.Value, text[p.ReasonKey, p.Args]))],
                [.. result.Slips.Select(s => ToDto(s, options.Value.AddressFor(http.Request)))]);
            return r.Succeeded ? Results.Ok(dto) : Results.UnprocessableEntity(dto);
        }).DisableAntiforgery().RequireRateLimiting(AccountsSetup.ImportLimit)
            .WithName("Accounts_Import").WithSummary("Import an account sheet (xlsx/csv), all or nothing; answers the row report, or the slips.");
        accounts.MapGet("/import/template", async (BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            Results.File(Registry.Import.ImportTemplates.Build(text, text["AccountSheet.Sheet"], await AccountSheet.TemplateColumnsAsync(db, text, ct), "AccountSheet.Notes"),
                Organisation.OrganisationApi.XlsxType, text["AccountSheet.TemplateFile"] + ".xlsx"))
            .WithName("Accounts_ImportTemplate").WithSummary("A blank account sheet with an example row and notes.");
        accounts.MapGet("/access", (BaoxueDb db, Guid? unitId, AccessQueries.Usage? usage, PageRequest page, IOptions<AccountsOptions> options, CancellationToken ct) =>
            AccessQueries.PageAsync(db, new(unitId, usage), options.Value.UnusedDays, page, ct)).Paged()
            .WithName("Accounts_ListAccess").WithSummary("Who has access: accounts per school or township with role, last sign-in, second factor, never used or unused.");
        accounts.MapGet("/access/export", (BaoxueDb db, Guid? unitId, AccessQueries.Usage? usage, IOptions<AccountsOptions> options, IStringLocalizer<Strings> text) =>
            AccessQueries.Export(db, text, new(unitId, usage), options.Value.UnusedDays))
            .WithName("Accounts_ExportAccess").WithSummary("The access list as xlsx, for the same filter.");

        var own = app.MapGroup("/api/v1/account").WithTags("Accounts").RequireAuthorization(Permission.SignedIn);
        own.MapPost("/password", async (PasswordChange change, UserManager<AppUser> users, HttpContext http, IStringLocalizer<Strings> text) =>
        {
            var user = await users.GetUserAsync(http.User);
            return user is null ? Results.Unauthorized()
                : ApiResults.From(await ChangeOwnPassword.HandleAsync(users, user, change.CurrentPassword ?? "", change.NewPassword ?? ""), text, _ => new { changed = true });
        }).WithName("Account_ChangePassword").WithSummary("Change your own password (your API tokens end with it: sign in again).");
        own.MapGet("/sign-ins", async (BaoxueDb db, HttpContext http, CancellationToken ct) =>
            (await SignInHistory.RecentAsync(db, http.User, ct)).Select(s => new SignInDto(s.At, s.Succeeded, s.IpAddress, s.Reason)).ToList())
            .WithName("Account_ListSignIns").WithSummary("Your recent sign-ins and failed attempts (the last 20).");
        own.MapPost("/recovery-codes", async (UserManager<AppUser> users, BaoxueDb db, HttpContext http, IStringLocalizer<Strings> text) =>
        {
            var user = await users.GetUserAsync(http.User);
            if (user is null)
            {
                return Results.Unauthorized();
            }
            var codes = await RecoveryCodes.NewAsync(users, db, user);
            return codes is null
                ? ApiResults.Refuse(new FieldError("TwoFactor", "RecoveryCodes.NeedsTwoFactor"), text)
                : Results.Ok(new RecoveryCodesDto(codes));
        }).WithName("Account_NewRecoveryCodes").WithSummary("New one-time recovery codes for your second factor (the old ones stop working); shown once.");
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
        if (user.MustChangePassword)
        {
            // An administrator-given password opens nothing but its own change: the client sends the new one with it.
            if (string.IsNullOrEmpty(request.NewPassword))
            {
                return Results.Problem(title: text["Account.MustChangePassword"], statusCode: StatusCodes.Status403Forbidden,
                    extensions: new Dictionary<string, object?> { ["reason"] = "PasswordChangeRequired" });
            }
            var changed = await ChangeOwnPassword.HandleAsync(signIn.UserManager, user, request.Password ?? "", request.NewPassword);
            if (!changed.Succeeded)
            {
                return ApiResults.From(changed, text, _ => new { });
            }
        }
        var principal = await signIn.CreateUserPrincipalAsync(user);
        var lifetime = AccountsSetup.TokenLifetime(security.Value);
        var now = clock.GetUtcNow();
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + lifetime }, IdentityConstants.BearerScheme);
        var token = bearer.Get(IdentityConstants.BearerScheme).BearerTokenProtector.Protect(ticket);
        return Results.Ok(new TokenResponse("Bearer", token, (long)lifetime.TotalSeconds));
    }
}
