using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Registry.Import;

/// <summary><c>POST /api/v1/students/import</c>: multipart <c>file</c>; 200 with the counts, or 422 with every problem and nothing written.</summary>
public static class RegistryImportApi
{
    /// <summary>What the server lets through at all; the configured <see cref="RegistryOptions.MaxImportMegabytes"/> is checked below it, with a clear message.</summary>
    public const long TransportLimitBytes = 1024L * 1024 * 1024;

    public static long MaxBytes(RegistryOptions options) => Math.Max(1, options.MaxImportMegabytes) * 1024L * 1024;

    public static void MapRegistryImport(this WebApplication app)
    {
        app.MapPost("/api/v1/students/import", async (IFormFile file, BaoxueDb db, PersonalData personal, TextTable table, IOptions<RegistryOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            await using var stream = file.OpenReadStream();
            return Organisation.OrganisationApi.ImportResult(await RegistryImport.ImportAsync(db, personal, table, MaxBytes(options.Value), stream, file.FileName, ct), text);
        })
            .WithTags("Registry")
            .Produces<Organisation.OrganisationApi.ImportResultDto>()
            .Produces<Organisation.OrganisationApi.ImportResultDto>(StatusCodes.Status422UnprocessableEntity)
            .RequireAuthorization(Permission.RegistryEdit)
            .DisableAntiforgery()
            .RequireRateLimiting(Accounts.AccountsSetup.ImportLimit)
            .WithFormOptions(multipartBodyLengthLimit: TransportLimitBytes)
            .WithMetadata(new RequestSizeLimitAttribute(TransportLimitBytes))
            .WithName("Registry_ImportStudents").WithSummary("Import students from a spreadsheet");
    }
}
