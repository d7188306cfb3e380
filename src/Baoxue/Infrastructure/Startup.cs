using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Infrastructure.Security;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Baoxue.Infrastructure;

public static class Startup
{
    /// <summary>Applies migrations, then fills an empty database with the demo county when <c>Demo:Enabled</c>.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await using (var db = app.Services.GetRequiredService<SystemDb>().Open("migration"))
        {
            await DatabaseSetup.MigrateAsync(db);
        }
        await app.Services.GetRequiredService<DemoSeeder>().SeedIfEnabledAsync();
    }

    /// <summary>A write outside the user's jurisdiction is refused with 403, whatever feature tried it.</summary>
    public static void UseExceptionHandling(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (ScopeViolationException) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
            }
        });
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler();
        }
        // API answers without a body get a problem document; pages render their own message.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
        // A page address that matches nothing gets the same styled 未找到 page (status 404) as a record out of reach.
        // The page is rendered in place: re-executing the request through UseStatusCodePagesWithReExecute found no
        // endpoint here (routing runs before this middleware) and answered an empty 404.
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Response.StatusCode == StatusCodes.Status404NotFound && !context.Response.HasStarted
                && string.IsNullOrEmpty(context.Response.ContentType) && context.GetEndpoint() is null
                && HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/api"))
            {
                var page = context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                    .FirstOrDefault(e => e.RoutePattern.RawText?.TrimStart('/') == "not-found" && e.RequestDelegate is not null);
                if (page is not null)
                {
                    var path = context.Request.Path;
                    context.Request.Path = "/not-found";
                    context.SetEndpoint(page);
                    // Out here the request's culture has been restored to the process's: render in the user's language again.
                    if (context.Features.Get<Microsoft.AspNetCore.Localization.IRequestCultureFeature>() is { } culture)
                    {
                        System.Globalization.CultureInfo.CurrentCulture = culture.RequestCulture.Culture;
                        System.Globalization.CultureInfo.CurrentUICulture = culture.RequestCulture.UICulture;
                    }
                    // Told it is a status-code page, Blazor renders the page under the 404 instead of leaving the body empty.
                    context.Features.Set<IStatusCodeReExecuteFeature>(new NotFoundReExecution(path.Value ?? "", context.Request.PathBase.Value ?? "", context.Request.QueryString.Value));
                    try
                    {
                        await page.RequestDelegate!(context);
                    }
                    finally
                    {
                        context.Request.Path = path;
                    }
                }
            }
        });
    }

    /// <summary>
    /// A sign-in (cookie or bearer token) counts only while the account is enabled and unchanged: moving,
    /// re-roling, disabling or re-keying an account (its security stamp changes) ends its sessions at their next request.
    /// </summary>
    public static void UseAccountStillValid(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // Service accounts are checked against their own table (ServiceAccountsSetup.UseServiceAccounts).
            if (context.User.Identity?.IsAuthenticated == true && !context.User.IsServiceAccount())
            {
                if (!await AccountStillValidAsync(context))
                {
                    if (context.Request.Path.StartsWithSegments("/api"))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        return;
                    }
                    await context.RequestServices.GetRequiredService<SignInManager<AppUser>>().SignOutAsync();
                    context.Response.Redirect("/login");
                    return;
                }
            }
            await next(context);
        });
    }

    private sealed record AccountState(string? SecurityStamp, bool IsDisabled);

    // The account's stamp and whether it is disabled, and nothing else: the same check as Identity's
    // SignInManager.ValidateSecurityStampAsync (the account found by the principal's id through the same query filter,
    // its stamp equal to the principal's), without building the sign-in and user managers and tracking a whole account
    // row on every request (decision 0037). Compiled once: the query's shape never changes.
    private static readonly PerModel<Func<BaoxueDb, Guid, CancellationToken, Task<AccountState?>>> StateOf = new(() =>
        Microsoft.EntityFrameworkCore.EF.CompileAsyncQuery((BaoxueDb db, Guid id, CancellationToken ct) =>
            db.Users.Where(u => u.Id == id).Select(u => new AccountState(u.SecurityStamp, u.IsDisabled)).FirstOrDefault()));

    private static async Task<bool> AccountStillValidAsync(HttpContext context)
    {
        var claims = context.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        if (!Guid.TryParse(context.User.FindFirst(claims.UserIdClaimType)?.Value, out var id))
        {
            return false;
        }
        var db = context.RequestServices.GetRequiredService<BaoxueDb>();
        var state = await StateOf.For(db)(db, id, context.RequestAborted);
        return state is { IsDisabled: false, SecurityStamp: { } stamp } && stamp == context.User.FindFirst(claims.SecurityStampClaimType)?.Value;
    }

    /// <summary>Administrators must enrol a second factor before doing anything else (setting <c>Security:RequireTwoFactorForAdministrators</c>).</summary>
    public static void UseTwoFactorEnrolment(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var options = context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
            var user = context.User;
            if (options.RequireTwoFactorForAdministrators
                && user.Identity?.IsAuthenticated == true
                && user.GetRole() is { } role && role.IsAdministrator()
                && user.FindFirst(BaoxueClaimsFactory.TwoFactorEnrolled)?.Value != "1"
                && user.FindFirst(BaoxueClaimsFactory.Demo)?.Value != "1"
                && !IsEnrolmentPath(context.Request.Path))
            {
                if (context.Request.Path.StartsWithSegments("/api"))
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return;
                }
                context.Response.Redirect("/account/two-factor");
                return;
            }
            await next(context);
        });
    }

    private static bool IsEnrolmentPath(PathString path) =>
        path.StartsWithSegments("/account/two-factor") || path.StartsWithSegments("/logout")
        || path.StartsWithSegments("/culture") || path.StartsWithSegments("/_content")
        || path.StartsWithSegments("/css") || path.StartsWithSegments("/js") || path.StartsWithSegments("/_framework");
}

/// <summary>What a status-code re-execution tells the page it renders: here, the address that matched nothing.</summary>
internal sealed class NotFoundReExecution(string originalPath, string originalPathBase, string? originalQueryString) : IStatusCodeReExecuteFeature
{
    public string OriginalPath { get; set; } = originalPath;
    public string OriginalPathBase { get; set; } = originalPathBase;
    public string? OriginalQueryString { get; set; } = originalQueryString;
    public int OriginalStatusCode => StatusCodes.Status404NotFound;
    public Endpoint? Endpoint => null;
    public RouteValueDictionary? RouteValues => null;
}

public sealed class DatabaseHealthCheck(BaoxueDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy();
}
