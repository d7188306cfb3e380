using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;

namespace Baoxue.Infrastructure.Localization;

public static class InterfaceSetup
{
    /// <summary>Server-rendered Blazor pages, the string table, zh-CN first, and the language switch.</summary>
    public static void AddInterface(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        // Component libraries' files (_content/…) are served from the build output in every environment when
        // run from source; a published app has them in wwwroot and this does nothing.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddProblemDetails();
        // Chinese stays Chinese in pages and JSON instead of &#x...; escapes.
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        builder.Services.AddAntiforgery();
        builder.Services.AddSingleton(TextTable.Load());
        builder.Services.AddSingleton<Features.Audit.LocalZone>();
        builder.Services.AddSingleton<IStringLocalizerFactory, TextTableLocalizerFactory>();
        builder.Services.AddSingleton(typeof(IStringLocalizer<>), typeof(StringLocalizer<>));
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = TextTable.Cultures.Select(c => new CultureInfo(c)).ToList();
            o.DefaultRequestCulture = new RequestCulture(TextTable.Chinese);
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            // Chinese unless the user chose otherwise: a browser's Accept-Language does not switch it.
            o.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
        });
    }

    /// <summary>POST /culture (form: culture, returnUrl) remembers the choice in a cookie for a year.</summary>
    public static void MapCultureSwitch(this WebApplication app)
    {
        app.MapPost("/culture", (HttpContext context, [Microsoft.AspNetCore.Mvc.FromForm] string culture, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl) =>
        {
            if (!TextTable.Cultures.Contains(culture))
            {
                return Results.BadRequest();
            }
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
            // Only same-site paths: "/\\evil.example" is another site to a browser (and LocalRedirect throws on it).
            var target = Features.Accounts.LocalUrl.OrHome(returnUrl);
            return Results.LocalRedirect(IsLocal(target) ? target : "/");
        }).AllowAnonymous().ExcludeFromDescription();
    }

    // The rule LocalRedirect applies (it throws otherwise): a rooted path, not "//…" or "/\\…", no control characters.
    private static bool IsLocal(string url) =>
        url.StartsWith('/') && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);
}
