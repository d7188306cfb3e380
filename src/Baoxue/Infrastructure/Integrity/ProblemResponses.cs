using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Baoxue.Infrastructure.Localization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace Baoxue.Infrastructure.Integrity;

/// <summary>
/// Every refusal the API gives is a problem document in the user's language (Chinese unless they chose English),
/// naming the field when there is one: malformed JSON, a value of the wrong type or an unknown enum name, a body in an
/// unknown character set, input over the model's limits, a lost race (409), and the bare status codes (401, 404, 415,
/// 429, 500) that ASP.NET Core would otherwise title in English. Done here once for every endpoint.
/// </summary>
public static partial class ProblemResponses
{
    public static void AddProblemResponses(this WebApplicationBuilder builder)
    {
        // Binding failures throw (instead of a bare 400) so the middleware below can name the field.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<ProblemDetailsOptions>(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (problem.Status is not { } status || (problem.Title is { } title && !IsDefaultTitle(title)))
            {
                return;
            }
            using var _ = UseCultureOf(context.HttpContext);
            var text = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<Strings>>();
            problem.Title = TitleKey(status) is { } key ? text[key] : problem.Title;
        });
    }

    /// <summary>After authentication (so a stranger is told to sign in first) and after the request's language is known.</summary>
    public static void UseProblemResponses(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/api"))
            {
                try
                {
                    await next(context);
                }
                catch (BadHttpRequestException e) when (!context.Response.HasStarted)
                {
                    // Outside the API (the culture switch, sign-out) a binding failure stays the bare status it always was.
                    context.Response.Clear();
                    context.Response.StatusCode = e.StatusCode;
                }
                return;
            }
            // Routing answers a wrong content type with its own 415 endpoint, which has no authorization: a stranger
            // posting to an upload route must hear that they are not signed in, not what format to send.
            if (context.GetEndpoint()?.DisplayName == "415 HTTP Unsupported Media Type" && context.User.Identity?.IsAuthenticated != true)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            if (UnknownCharset(context.Request.ContentType) is { } charset)
            {
                await WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, [new FieldError("Content-Type", "Integrity.Charset", charset)]);
                return;
            }
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                await WriteAsync(context, e.StatusCode, [Explain(e)]);
            }
            catch (InvalidInputException e) when (!context.Response.HasStarted)
            {
                await WriteAsync(context, StatusCodes.Status400BadRequest, e.Errors);
            }
            catch (DbUpdateException e) when (Saving.IsConflict(e) && !context.Response.HasStarted)
            {
                await WriteAsync(context, StatusCodes.Status409Conflict, []);
            }
        });
    }

    private static async Task WriteAsync(HttpContext context, int status, IReadOnlyList<FieldError> errors)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        var text = context.RequestServices.GetRequiredService<IStringLocalizer<Strings>>();
        var problem = new HttpValidationProblemDetails(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => text.Explain(e.Key, e.Args)).ToArray()))
        {
            Status = status,
            Title = TitleKey(status) is { } key ? text[key].Value : null,
        };
        if (errors.Count == 0)
        {
            problem.Errors.Clear();
        }
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    /// <summary>Which field a binding failure is about, and why, from what System.Text.Json or the binder says.</summary>
    private static FieldError Explain(BadHttpRequestException e)
    {
        if (e.InnerException is JsonException json)
        {
            var field = FieldOf(json.Path);
            // A syntax error carries the reader's exception; a value that does not fit its type does not.
            return json.InnerException?.GetType().Name == "JsonReaderException" || field.Length == 0
                ? new FieldError(field.Length == 0 ? "body" : field, "Integrity.JsonSyntax")
                : new FieldError(field, "Integrity.WrongValue", field);
        }
        if (BindFailure().Match(e.Message) is { Success: true } m)
        {
            var name = m.Groups["name"].Value;
            var field = name.Length > 0 ? char.ToUpperInvariant(name[0]) + name[1..] : name;
            return new FieldError(field, "Integrity.WrongValue", field);
        }
        if (e.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return new FieldError("Content-Type", "Integrity.ContentType");
        }
        if (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new FieldError("body", "Integrity.TooLarge");
        }
        if (e.Message.Contains("body", StringComparison.OrdinalIgnoreCase))
        {
            return new FieldError("body", "Integrity.BodyRequired");
        }
        return new FieldError("request", "Integrity.BadRequest");
    }

    /// <summary><c>$.guardians[0].relation</c> → <c>Guardians[0].Relation</c>, as the validation errors spell fields.</summary>
    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "";
        }
        var parts = path.TrimStart('$').TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('.', parts.Select(p => p.Length > 0 && char.IsAsciiLetterLower(p[0]) ? char.ToUpperInvariant(p[0]) + p[1..] : p.Trim('[', ']', '\'')));
    }

    private static string? UnknownCharset(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media) || !media.Charset.HasValue)
        {
            return null;
        }
        var charset = media.Charset.Value!.Trim('"');
        try
        {
            _ = Encoding.GetEncoding(charset);
            return null;
        }
        catch (ArgumentException)
        {
            return charset;
        }
    }

    private static string? TitleKey(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Validation.Title",
        StatusCodes.Status401Unauthorized => "Integrity.Status401",
        StatusCodes.Status403Forbidden => "Integrity.Status403",
        StatusCodes.Status404NotFound => "Integrity.Status404",
        StatusCodes.Status405MethodNotAllowed => "Integrity.Status405",
        StatusCodes.Status409Conflict => "Integrity.Conflict",
        StatusCodes.Status413PayloadTooLarge => "Integrity.TooLarge",
        StatusCodes.Status415UnsupportedMediaType => "Integrity.ContentType",
        StatusCodes.Status429TooManyRequests => "Integrity.Status429",
        >= 500 => "Integrity.Status500",
        _ => null,
    };

    // The titles ASP.NET Core fills in by itself (RFC reason phrases), which are English whatever the user chose.
    private static bool IsDefaultTitle(string title) =>
        title is "Bad Request" or "Unauthorized" or "Forbidden" or "Not Found" or "Method Not Allowed" or "Conflict"
            or "Payload Too Large" or "Content Too Large" or "Unsupported Media Type" or "Too Many Requests"
            or "An error occurred while processing your request." or "One or more validation errors occurred.";

    /// <summary>
    /// The status-code and exception pages run outside the request-localization middleware, so the culture the user
    /// chose (cookie, or the query string) is applied here for the duration of the write.
    /// </summary>
    private static CultureScope UseCultureOf(HttpContext context)
    {
        var culture = context.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture.Name
            ?? (context.Request.Cookies.TryGetValue(CookieRequestCultureProvider.DefaultCookieName, out var cookie)
                ? CookieRequestCultureProvider.ParseCookieValue(cookie)?.UICultures.FirstOrDefault().Value
                : null);
        var chosen = culture is not null && TextTable.Cultures.Contains(culture) ? culture : TextTable.Chinese;
        return new CultureScope(new CultureInfo(chosen));
    }

    private readonly struct CultureScope : IDisposable
    {
        private readonly CultureInfo _ui;
        private readonly CultureInfo _culture;

        public CultureScope(CultureInfo culture)
        {
            _ui = CultureInfo.CurrentUICulture;
            _culture = CultureInfo.CurrentCulture;
            CultureInfo.CurrentUICulture = culture;
            CultureInfo.CurrentCulture = culture;
        }

        public void Dispose()
        {
            CultureInfo.CurrentUICulture = _ui;
            CultureInfo.CurrentCulture = _culture;
        }
    }

    [GeneratedRegex("""Failed to bind parameter "(?:[^"]*?) (?<name>\w+)" from""")]
    private static partial Regex BindFailure();
}
