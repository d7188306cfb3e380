using System.Net;
using Baoxue.Data;
using Baoxue.Infrastructure.Auditing;
using Baoxue.Infrastructure.Localization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using System.Threading.RateLimiting;

namespace Baoxue.Infrastructure.Security;

/// <summary>
/// What protects the application as a whole rather than one feature: proxies, the shared key ring, response
/// headers, cross-site refusals, private upload buffering, the audit checkpoint. See docs/security.md.
/// </summary>
public static class SecurityHardening
{
    /// <summary>Rate-limit policy for transfer look-ups, by account.</summary>
    public const string LookupLimit = "lookup";

    /// <summary>The sign-in cookie's name (set in AccountsSetup); its presence marks a browser call.</summary>
    public const string SignInCookie = "baoxue";

    // The only script is wwwroot/js/baoxue.js (no inline script or handler: SourceGuardTests); the only inline
    // content is style attributes (and the TOTP QR code as a data: image).
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static void AddSecurityHardening(this WebApplicationBuilder builder)
    {
        var security = builder.Configuration.GetSection("Security").Get<SecurityOptions>() ?? new SecurityOptions();
        var root = builder.Environment.ContentRootPath;

        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in security.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var network in security.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });
        builder.Services.ConfigureApplicationCookie(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        builder.Services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        // One key ring for every app server, in the database, each key encrypted with a key that is not there.
        builder.Services.AddDataProtection()
            .SetApplicationName("Baoxue")
            .PersistKeysToDbContext<BaoxueDb>();
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<PersonalData>((o, personal) => o.XmlEncryptor = new KeyRingEncryptor(personal.DeriveKey(KeyRingEncryptor.Purpose)));

        PrivateTemp.Prepare(Path.GetFullPath(Path.Combine(root, security.TempFolder)));

        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddSingleton<AuditCheckpoint>();
        builder.Services.AddHostedService<AuditCheckpointWriter>();
        builder.Services.Configure<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>(o =>
            o.AddPolicy(LookupLimit, context =>
                // Opening the empty form is not a look-up; a number in the query or a posted form is.
                HttpMethods.IsGet(context.Request.Method) && !context.Request.Query.ContainsKey("number")
                    ? RateLimitPartition.GetNoLimiter("form")
                    : RateLimitPartition.GetFixedWindowLimiter(
                        context.User.Identity?.Name ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = security.LookupsPerMinute, Window = TimeSpan.FromMinutes(1) })));
    }

    /// <summary>Response headers on everything, HSTS over HTTPS, and uploads buffered in the private folder.</summary>
    public static void UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var response = context.Response;
            response.OnStarting(() =>
            {
                var headers = response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                if (!IsStaticAsset(context.Request.Path))
                {
                    // Pages, API answers, reveals and exports all carry personal data: no copy in any cache.
                    headers.CacheControl = "no-store";
                    headers.Pragma = "no-cache";
                }
                return Task.CompletedTask;
            });
            return next(context);
        });
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.Use((context, next) =>
        {
            var request = context.Request;
            if (request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true && !request.Body.CanSeek)
            {
                // A seekable body makes the form reader use it in place instead of buffering each file
                // in the system temp folder, where a killed process would leave IDs and phones behind.
                var buffered = new FileBufferingReadStream(request.Body, 64 * 1024, bufferLimit: null, () => PrivateTemp.Folder);
                request.Body = buffered;
                context.Response.RegisterForDisposeAsync(buffered);
            }
            return next(context);
        });
    }

    /// <summary>
    /// A browser call to the API carrying the sign-in cookie is refused when another site started it: cookies
    /// ride along on cross-site requests, bearer tokens do not. Bearer calls pass untouched.
    /// </summary>
    public static void UseCrossSiteGuard(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (IsCrossSiteCookieCall(context.Request))
            {
                var text = context.RequestServices.GetRequiredService<IStringLocalizer<Strings>>();
                await Results.Problem(title: text["Security.CrossSite"], statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
                return;
            }
            await next(context);
        });
    }

    internal static bool IsCrossSiteCookieCall(HttpRequest request)
    {
        if (!request.Path.StartsWithSegments("/api")
            || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !request.Cookies.ContainsKey(SignInCookie))
        {
            return false;
        }
        // Every current browser says who started the request; "none" is the user typing or bookmarking the address.
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is not ("same-origin" or "none");
        }
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return false;
        }
        // Older browsers: they still send Origin on cross-origin writes.
        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsStaticAsset(PathString path) =>
        path.StartsWithSegments("/_content") || path.StartsWithSegments("/css") || path.StartsWithSegments("/js") || path.StartsWithSegments("/_framework")
        || path.StartsWithSegments("/favicon.ico");
}

/// <summary>The app's own temporary folder (<c>Security:TempFolder</c>): owner-only, emptied at every start.</summary>
public static class PrivateTemp
{
    public static string Folder { get; private set; } = Path.GetTempPath();

    internal static void Prepare(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        // What a killed process left behind. Open files of a process still running stay readable to it once unlinked.
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // In use on a system that locks open files; removed at the next start.
            }
        }
        Folder = folder;
    }
}
