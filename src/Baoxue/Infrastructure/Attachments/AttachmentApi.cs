using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Baoxue.Infrastructure.Attachments;

/// <summary>
/// Files over HTTP, for every feature: list an owner's files, add files (multipart), open a file or its thumbnail.
/// The owner's feature decides reach (<see cref="IAttachmentOwner"/>); the policies here only admit signed-in roles.
/// </summary>
public static class AttachmentApi
{
    /// <summary>What the server lets through at all; the configured limit is checked below it with a clear message.</summary>
    public const long TransportLimitBytes = 256L * 1024 * 1024;

    public static void AddAttachments(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<AttachmentOptions>(builder.Configuration.GetSection(AttachmentOptions.Section));
        builder.Services.AddSingleton<AttachmentFiles>();
    }

    public static void MapAttachmentApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/attachments").WithTags("Attachments");
        api.MapGet("/", async (string? ownerKind, Guid? ownerId, PageRequest page, BaoxueDb db, AttachmentFiles files, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            if (ownerId is null)
            {
                return ApiResults.Refuse(new FieldError("OwnerId", "Validation.Required", "Field.OwnerId"), text);
            }
            var found = await files.ListAsync(db, ownerKind, ownerId.Value, ct);
            return found is null ? Results.NotFound() : Results.Ok(page.Of(found));
        }).RequireAuthorization(Permission.AttachmentsView).Paged()
            .WithName("Attachments_ListAttachments").WithSummary("List the files attached to a record (never their bytes).");
        // The form is read here rather than bound, so a request that is not a form gets a problem naming the field, not a bare 415.
        api.MapPost("/", async (HttpRequest request, BaoxueDb db, AttachmentFiles files, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            if (!request.HasFormContentType)
            {
                return ApiResults.Refuse(new FieldError("File", "Attachments.NoFile"), text);
            }
            var form = await request.ReadFormAsync(ct);
            if (!Guid.TryParse(form["ownerId"], out var ownerId))
            {
                return ApiResults.Refuse(new FieldError("OwnerId", "Validation.Required", "Field.OwnerId"), text);
            }
            var incoming = form.Files.GetFiles("file").Select(f => new IncomingFile(f.FileName, f.OpenReadStream)).ToList();
            return ApiResults.From(await files.AddAsync(db, form["ownerKind"], ownerId, incoming, ct), text,
                added => added.Select(a => new AttachmentInfo(a.Id, a.OwnerKind, a.OwnerId, a.FileName, a.ContentType, a.Size, a.Sha256, a.HasThumbnail, a.CreatedBy, a.CreatedAt)).ToList());
        }).RequireAuthorization(Permission.AttachmentsAdd)
            .DisableAntiforgery()
            .WithFormOptions(multipartBodyLengthLimit: TransportLimitBytes)
            .WithMetadata(new RequestSizeLimitAttribute(TransportLimitBytes))
            .WithName("Attachments_AddAttachments").WithSummary("Attach files (JPEG, PNG, PDF) to a record: multipart ownerKind, ownerId, file.");
        api.MapGet("/{id:guid}", async (Guid id, BaoxueDb db, AttachmentFiles files, CancellationToken ct) =>
            await files.OpenAsync(db, id, thumbnail: false, ct) is { } opened
                ? Results.File(opened.Bytes, opened.Attachment.ContentType, opened.Attachment.FileName, enableRangeProcessing: false)
                : Results.NotFound())
            .RequireAuthorization(Permission.AttachmentsView)
            .WithName("Attachments_GetAttachment").WithSummary("Download a file, when its record is in the caller's reach; audited.");
        api.MapGet("/{id:guid}/thumbnail", async (Guid id, BaoxueDb db, AttachmentFiles files, CancellationToken ct) =>
            await files.OpenAsync(db, id, thumbnail: true, ct) is { } opened
                ? Results.File(opened.Bytes, FileKind.Jpeg)
                : Results.NotFound())
            .RequireAuthorization(Permission.AttachmentsView)
            .WithName("Attachments_GetThumbnail").WithSummary("A photo's small JPEG preview, when its record is in the caller's reach.");
    }

    /// <summary>The two tables, configured from the shared model builder.</summary>
    internal static void Configure(ModelBuilder builder)
    {
        builder.Entity<Attachment>(e =>
        {
            e.Property(x => x.OwnerKind).HasMaxLength(32);
            e.Property(x => x.Path).HasMaxLength(256);
            e.Property(x => x.FileName).HasMaxLength(200);
            e.Property(x => x.ContentType).HasMaxLength(64);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.Property(x => x.CreatedBy).HasMaxLength(256);
            e.HasIndex(x => new { x.OwnerKind, x.OwnerId });
            e.HasOne<AttachmentContent>().WithOne().HasForeignKey<AttachmentContent>(c => c.AttachmentId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AttachmentContent>(e => e.HasKey(x => x.AttachmentId));
    }
}
