using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Baoxue.Features.Accounts;

public static class AccountsSetup
{
    private const string CookieOrBearer = "CookieOrBearer";
    /// <summary>Rate-limit policy for sign-in attempts, by address.</summary>
    public const string SignInLimit = "sign-in";
    /// <summary>Rate-limit policy for imports, by account.</summary>
    public const string ImportLimit = "import";

    /// <summary>Identity, cookie sign-in for pages, bearer tokens for the API, and one policy per permission.</summary>
    public static void AddAccounts(this WebApplicationBuilder builder)
    {
        var security = builder.Configuration.GetSection("Security").Get<SecurityOptions>() ?? new SecurityOptions();
        builder.Services.Configure<SecurityOptions>(builder.Configuration.GetSection("Security"));

        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieOrBearer;
                o.DefaultChallengeScheme = CookieOrBearer;
            })
            .AddPolicyScheme(CookieOrBearer, null, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TokenLifetime(security))
            .AddIdentityCookies();

        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.AccessDeniedPath = "/denied";
            o.ExpireTimeSpan = TimeSpan.FromMinutes(security.IdleTimeoutMinutes);
            o.SlidingExpiration = true;
            o.Cookie.Name = "baoxue";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
        });

        builder.Services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = 8;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.MaxFailedAccessAttempts = security.MaxFailedAttempts;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(security.LockoutMinutes);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<BaoxueDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            // Replaces Identity's authenticator provider under the same name: the same codes, each accepted once.
            .AddTokenProvider<ReplayProofAuthenticator>(TokenOptions.DefaultAuthenticatorProvider)
            .AddClaimsPrincipalFactory<BaoxueClaimsFactory>()
            .AddPasswordValidator<ThreeClassesPasswordValidator>()
            .AddErrorDescriber<ChineseIdentityErrors>();

        builder.Services.AddAuthorizationBuilder().AddBaoxuePolicies();
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Attempts only: opening the login page is not one.
            o.AddPolicy(SignInLimit, context => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                ? RateLimitPartition.GetNoLimiter("page-view")
                : RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = security.SignInsPerMinute, Window = TimeSpan.FromMinutes(1) }));
            o.AddPolicy(ImportLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.Identity?.Name ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = security.ImportsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.Configure<AccountsOptions>(builder.Configuration.GetSection("Accounts"));
        builder.Services.AddScoped<Handover>();
        builder.Services.AddScoped<IHandoverSource, TaskHandoverSource>();
    }

    /// <summary>
    /// An account with an administrator-given password (a slip, a reset) changes it before anything else: pages send it
    /// to /account, the API answers 403. The token endpoint asks for the new password itself (AccountsApi).
    /// </summary>
    public static void UseFirstPassword(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (context.User.Identity?.IsAuthenticated == true
                && context.User.FindFirst(BaoxueClaimsFactory.MustChangePassword)?.Value == "1"
                && !(path == "/account" || path.StartsWithSegments("/account/two-factor") || path.StartsWithSegments("/api/v1/account/password")
                    || path.StartsWithSegments("/logout") || path.StartsWithSegments("/culture") || path.StartsWithSegments("/_content")
                    || path.StartsWithSegments("/css") || path.StartsWithSegments("/js") || path.StartsWithSegments("/_framework")))
            {
                if (path.StartsWithSegments("/api"))
                {
                    var text = context.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Infrastructure.Localization.Strings>>();
                    await Results.Problem(title: text["Account.MustChangePassword"], statusCode: StatusCodes.Status403Forbidden,
                        extensions: new Dictionary<string, object?> { ["reason"] = "PasswordChangeRequired" }).ExecuteAsync(context);
                    return;
                }
                context.Response.Redirect("/account?first=1");
                return;
            }
            await next(context);
        });
    }

    /// <summary>Bearer tokens are not renewed by use and there is no refresh token, so a token lives no longer than the idle rule.</summary>
    public static TimeSpan TokenLifetime(SecurityOptions security) =>
        TimeSpan.FromMinutes(Math.Max(1, Math.Min(security.TokenLifetimeMinutes, security.IdleTimeoutMinutes)));

    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }
        return Task.CompletedTask;
    }

    public static AuthorizationBuilder AddBaoxuePolicies(this AuthorizationBuilder authorization)
    {
        foreach (var permission in Permission.Grants.Keys)
        {
            authorization.AddPolicy(permission, p => p
                .AddAuthenticationSchemes(CookieOrBearer)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.Can(permission)));
        }
        return authorization;
    }
}
