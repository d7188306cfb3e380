using System.Security.Claims;
using System.Text;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Accounts;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Baoxue.Infrastructure.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.ServiceAccounts;

/// <summary>Settings <c>ServiceAccounts:*</c>.</summary>
public sealed class ServiceAccountOptions
{
    /// <summary>How long a token lives (at most 60): a machine asks for a new one rather than holding one for days.</summary>
    public int TokenMinutes { get; set; } = 30;
    /// <summary>Calls per minute one service account may make, whatever it calls.</summary>
    public int CallsPerMinute { get; set; } = 600;
}

public sealed record ServiceAccountDto(Guid Id, string Name, string ClientId, PlaceKind PlaceKind, Guid PlaceId, string Path,
    IReadOnlyList<string> Permissions, bool IsRevoked, DateTime CreatedAt, DateTime? SecretChangedAt, DateTime? RevokedAt);

/// <summary>The credentials, with the secret in clear: shown this once, stored only as a hash.</summary>
public sealed record IssuedCredentialsDto(ServiceAccountDto Account, string ClientId, string ClientSecret);

public sealed record CreateServiceAccount(string Name, PlaceKind PlaceKind, Guid PlaceId, IReadOnlyList<string> Permissions);

/// <summary>The OAuth 2.0 token request (RFC 6749 §4.4), as a form.</summary>
public sealed class ClientCredentialsForm
{
    /// <summary>Always <c>client_credentials</c>.</summary>
    [FromForm(Name = "grant_type")] public string? GrantType { get; set; }
    [FromForm(Name = "client_id")] public string? ClientId { get; set; }
    [FromForm(Name = "client_secret")] public string? ClientSecret { get; set; }
}

/// <summary>The OAuth 2.0 token answer (RFC 6749 §5.1).</summary>
public sealed record AccessTokenDto(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn);

/// <summary>The OAuth 2.0 error answer (RFC 6749 §5.2); the description is in the caller's language.</summary>
public sealed record OAuthErrorDto(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);

public static class ServiceAccountsApi
{
    public const string TokenPath = "/api/v1/oauth/token";

    public static void AddServiceAccounts(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("ServiceAccounts");
        builder.Services.Configure<ServiceAccountOptions>(section);
        var options = section.Get<ServiceAccountOptions>() ?? new ServiceAccountOptions();
        // Each service account has its own budget of calls, whatever endpoint it calls; people are limited where it matters (sign-in, imports, look-ups).
        builder.Services.Configure<RateLimiterOptions>(o => o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.User.FindFirstValue(BaoxueClaims.ServiceAccount) is { } id
                ? RateLimitPartition.GetFixedWindowLimiter("service:" + id, _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, options.CallsPerMinute), Window = TimeSpan.FromMinutes(1) })
                : RateLimitPartition.GetNoLimiter("")));
    }

    /// <summary>
    /// A service account's token counts only for the API, and only while the account is not revoked and its secret
    /// unchanged (the stamp); checked at every call, so revoking or rotating takes effect at once.
    /// </summary>
    public static void UseServiceAccounts(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            var user = context.User;
            if (user.Identity?.IsAuthenticated == true && user.IsServiceAccount())
            {
                if (!context.Request.Path.StartsWithSegments("/api"))
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return;
                }
                var id = Guid.TryParse(user.FindFirstValue(BaoxueClaims.ServiceAccount), out var parsed) ? parsed : Guid.Empty;
                var stamp = user.FindFirstValue(BaoxueClaims.ServiceAccountStamp);
                var db = context.RequestServices.GetRequiredService<BaoxueDb>();
                if (!await db.ServiceAccounts.AsNoTracking().AnyAsync(a => a.Id == id && a.Stamp == stamp && !a.IsRevoked, context.RequestAborted))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }
            }
            await next(context);
        });

    public static ServiceAccountDto ToDto(ServiceAccount a) =>
        new(a.Id, a.Name, a.ClientId, a.PlaceKind, a.PlaceId, a.Path, a.PermissionList, a.IsRevoked, a.CreatedAt, a.SecretChangedAt, a.RevokedAt);

    private static IssuedCredentialsDto ToDto(ServiceAccountWork.Issued issued) => new(ToDto(issued.Account), issued.Account.ClientId, issued.Secret);

    public static void MapServiceAccountsApi(this WebApplication app)
    {
        app.MapPost(TokenPath, IssueTokenAsync)
            .AllowAnonymous().DisableAntiforgery().RequireRateLimiting(AccountsSetup.SignInLimit)
            .Produces<AccessTokenDto>()
            .Produces<OAuthErrorDto>(StatusCodes.Status400BadRequest)
            .Produces<OAuthErrorDto>(StatusCodes.Status401Unauthorized)
            .AddOpenApiOperationTransformer((operation, context, _) =>
            {
                operation.RequestBody = TokenRequestBody(context.Document);
                return Task.CompletedTask;
            })
            .WithTags("ServiceAccounts")
            .WithName("ServiceAccounts_IssueToken").WithSummary("Exchange a service account's client id and secret for a bearer token (OAuth 2.0 client credentials)")
            .WithDescription("grant_type=client_credentials, client_id, client_secret as a form (or client_id:client_secret as HTTP Basic). Answers access_token, token_type, expires_in; errors as {error, error_description}.");

        var api = app.MapGroup("/api/v1/service-accounts").WithTags("ServiceAccounts").RequireAuthorization(Permission.ServiceAccountsManage);
        api.MapGet("/", async (PageRequest page, BaoxueDb db, CancellationToken ct) =>
        {
            var found = await ServiceAccountWork.PageAsync(db, page, ct);
            return new PagedResult<ServiceAccountDto>([.. found.Items.Select(ToDto)], found.Total, found.Page, found.PageSize, found.Next);
        }).Paged()
            .WithName("ServiceAccounts_ListAccounts").WithSummary("List service accounts (paged)");
        api.MapGet("/{id:guid}", async (Guid id, BaoxueDb db, CancellationToken ct) =>
            await db.ServiceAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) is { } a ? Results.Ok(ToDto(a)) : Results.NotFound())
            .Produces<ServiceAccountDto>()
            .WithName("ServiceAccounts_GetAccount").WithSummary("Read a service account");
        api.MapPost("/", async (CreateServiceAccount c, HttpContext http, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await ServiceAccountWork.CreateAsync(db, http.User, new ServiceAccountWork.Command(c.Name, c.PlaceKind, c.PlaceId, c.Permissions), ct), text, ToDto))
            .Produces<IssuedCredentialsDto>()
            .WithName("ServiceAccounts_CreateAccount").WithSummary("Create a service account; the answer carries its secret, shown this once");
        api.MapPost("/{id:guid}/rotate", async (Guid id, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await ServiceAccountWork.RotateAsync(db, id, ct), text, ToDto))
            .Produces<IssuedCredentialsDto>()
            .WithName("ServiceAccounts_RotateSecret").WithSummary("Give a service account a new secret; the old one and its tokens stop working");
        api.MapPost("/{id:guid}/revoke", async (Guid id, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await ServiceAccountWork.RevokeAsync(db, id, ct), text, ToDto))
            .Produces<ServiceAccountDto>()
            .WithName("ServiceAccounts_RevokeAccount").WithSummary("Revoke a service account for good");
    }

    /// <summary>The form as RFC 6749 describes it, flat, with an example (the generator would describe one object per field).</summary>
    private static Microsoft.OpenApi.OpenApiRequestBody TokenRequestBody(Microsoft.OpenApi.OpenApiDocument? document)
    {
        static Microsoft.OpenApi.OpenApiSchema Text(string description) => new() { Type = Microsoft.OpenApi.JsonSchemaType.String, Description = description };
        // A default rather than a one-value enum: generated clients then fill it in, and send it as written
        // (some write an enum value by its generated C# name).
        var grant = Text("固定为 client_credentials (always client_credentials)");
        grant.Default = System.Text.Json.Nodes.JsonValue.Create("client_credentials");
        return new Microsoft.OpenApi.OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
            {
                ["application/x-www-form-urlencoded"] = new()
                {
                    Schema = Infrastructure.OpenApi.ApiDocument.Schema("ClientCredentialsRequest", new Microsoft.OpenApi.OpenApiSchema
                    {
                        Type = Microsoft.OpenApi.JsonSchemaType.Object,
                        Required = new HashSet<string> { "grant_type" },
                        Properties = new Dictionary<string, Microsoft.OpenApi.IOpenApiSchema>
                        {
                            ["grant_type"] = grant,
                            ["client_id"] = Text("服务账号的客户端编号 (the service account's client id); or send it by HTTP Basic"),
                            ["client_secret"] = Text("服务账号的密钥 (the service account's secret); or send it by HTTP Basic"),
                        },
                    }, document),
                    Example = new System.Text.Json.Nodes.JsonObject
                    {
                        ["grant_type"] = "client_credentials",
                        ["client_id"] = "bx-3f9c2a7d1e5b8c04",
                        ["client_secret"] = "bxs_…",
                    },
                },
            },
        };
    }

    private static async Task<IResult> IssueTokenAsync(HttpContext http, SystemDb system,
        IOptionsMonitor<BearerTokenOptions> bearer, IOptions<ServiceAccountOptions> options, TimeProvider clock, IStringLocalizer<Strings> text)
    {
        // Read by hand: a body that is not a form gets the OAuth error, not the framework's refusal.
        var fields = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
        var form = new ClientCredentialsForm
        {
            GrantType = fields?["grant_type"].ToString(),
            ClientId = fields?["client_id"].ToString(),
            ClientSecret = fields?["client_secret"].ToString(),
        };
        var (clientId, secret) = (form.ClientId, form.ClientSecret);
        // RFC 6749 §2.3.1: the credentials may come as HTTP Basic instead of in the form.
        if (http.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    (clientId, secret) = (Uri.UnescapeDataString(pair[..colon]), Uri.UnescapeDataString(pair[(colon + 1)..]));
                }
            }
            catch (FormatException)
            {
                return Error("invalid_request", "ServiceAccount.Error.Request", StatusCodes.Status400BadRequest);
            }
        }
        if (form.GrantType != "client_credentials")
        {
            return Error(string.IsNullOrEmpty(form.GrantType) ? "invalid_request" : "unsupported_grant_type", "ServiceAccount.Error.Grant", StatusCodes.Status400BadRequest);
        }
        if (string.IsNullOrWhiteSpace(clientId) || string.IsNullOrEmpty(secret))
        {
            return Error("invalid_request", "ServiceAccount.Error.Request", StatusCodes.Status400BadRequest);
        }

        await using var db = system.Open("oauth");
        var account = await ServiceAccountWork.AuthenticateAsync(db, clientId.Trim(), secret, http.RequestAborted);
        if (account is null)
        {
            db.Audit(AuditAction.LoginFailed, nameof(ServiceAccount), null, "", System.Text.Json.JsonSerializer.Serialize(new { clientId }), null, clientId.Trim());
            await db.SaveChangesAsync(http.RequestAborted);
            return Error("invalid_client", "ServiceAccount.Error.Client", StatusCodes.Status401Unauthorized);
        }
        var lifetime = TimeSpan.FromMinutes(Math.Clamp(options.Value.TokenMinutes, 1, 60));
        var now = clock.GetUtcNow();
        var ticket = new AuthenticationTicket(ServiceAccountWork.Principal(account, IdentityConstants.BearerScheme),
            new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + lifetime }, IdentityConstants.BearerScheme);
        var token = bearer.Get(IdentityConstants.BearerScheme).BearerTokenProtector.Protect(ticket);
        db.Audit(AuditAction.LoginSucceeded, nameof(ServiceAccount), account.Id.ToString(), account.Path,
            System.Text.Json.JsonSerializer.Serialize(new { clientId = account.ClientId }), account.Id, account.Name);
        await db.SaveChangesAsync(http.RequestAborted);
        return Results.Ok(new AccessTokenDto(token, "Bearer", (long)lifetime.TotalSeconds));

        IResult Error(string code, string key, int status) => Results.Json(new OAuthErrorDto(code, text[key]), statusCode: status);
    }
}
