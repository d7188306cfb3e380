using System.Security.Cryptography;
using Baoxue.Data;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baoxue.Infrastructure.Attachments;

/// <summary>
/// Decides who may see and add a feature's attachments. Each feature registers one per kind of owner; the owner is
/// looked up through the user's scoped database, so an owner out of reach makes its files out of reach (404).
/// </summary>
public interface IAttachmentOwner
{
    string Kind { get; }

    /// <summary>The owner as this user reaches it, or null when it is not theirs to see.</summary>
    Task<AttachmentOwnerAccess?> FindAsync(BaoxueDb db, Guid ownerId, CancellationToken ct);
}

/// <param name="Path">The owner's place path (recorded on the attachment).</param>
/// <param name="MayAdd">Whether this user may add files to it now (a closed case keeps its files, read-only).</param>
public sealed record AttachmentOwnerAccess(string Path, bool MayAdd);

/// <summary>A file as it arrives from a form or the API, opened only when read (a form's files share one body stream).</summary>
public sealed record IncomingFile(string FileName, Func<Stream> Open);

/// <summary>An attachment as lists show it: never its bytes.</summary>
public sealed record AttachmentInfo(Guid Id, string OwnerKind, Guid OwnerId, string FileName, string ContentType, long Size, string Sha256, bool HasThumbnail, string CreatedBy, DateTime CreatedAt)
{
    public bool IsImage => FileKind.IsImage(ContentType);
    public string Url => $"/api/v1/attachments/{Id}";
    public string ThumbnailUrl => $"/api/v1/attachments/{Id}/thumbnail";
}

/// <summary>The one path for adding, listing and opening attachments (pages and API both come here).</summary>
public sealed class AttachmentFiles(IEnumerable<IAttachmentOwner> owners, IOptions<AttachmentOptions> options)
{
    private readonly AttachmentOptions _options = options.Value;

    public AttachmentOptions Options => _options;

    public IAttachmentOwner? Owner(string? kind) => owners.FirstOrDefault(o => string.Equals(o.Kind, kind, StringComparison.Ordinal));

    /// <summary>
    /// Checks and stages files for an owner the caller has already found (their access decides); the caller saves,
    /// so the files and the record they prove are written together. Nothing is staged unless every file is accepted.
    /// </summary>
    public async Task<Outcome<List<Attachment>>> StageAsync(BaoxueDb db, string ownerKind, Guid ownerId, AttachmentOwnerAccess access, IReadOnlyList<IncomingFile> files, string field, CancellationToken ct)
    {
        if (!access.MayAdd)
        {
            return Outcome<List<Attachment>>.Invalid(field, "Attachments.OwnerClosed");
        }
        var staged = new List<(Attachment, AttachmentContent)>();
        foreach (var file in files)
        {
            var read = await ReadAsync(file, ct);
            if (read.Error is { } error)
            {
                return Outcome<List<Attachment>>.Invalid(field, error, Name(file.FileName), _options.MaxMegabytes);
            }
            var bytes = read.Bytes!;
            var type = FileKind.Sniff(bytes);
            if (type == FileKind.Heic)
            {
                return Outcome<List<Attachment>>.Invalid(field, "Attachments.HeicRefused", Name(file.FileName));
            }
            if (type is null)
            {
                return Outcome<List<Attachment>>.Invalid(field, "Attachments.TypeRefused", Name(file.FileName));
            }
            byte[]? thumbnail = null;
            if (FileKind.IsImage(type))
            {
                thumbnail = Thumbnails.Make(bytes, _options.ThumbnailPixels);
                if (thumbnail is null)
                {
                    return Outcome<List<Attachment>>.Invalid(field, "Attachments.Unreadable", Name(file.FileName));
                }
            }
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            var attachment = new Attachment
            {
                OwnerKind = ownerKind,
                OwnerId = ownerId,
                Path = access.Path,
                FileName = CleanName(file.FileName, type),
                ContentType = type,
                Size = bytes.LongLength,
                Sha256 = sha,
                HasThumbnail = thumbnail is not null,
                CreatedById = db.CurrentUser.Id,
                CreatedBy = db.CurrentUser.UserName ?? "system",
                CreatedAt = db.Clock.GetUtcNow().UtcDateTime,
            };
            if (_options.InDirectory)
            {
                await WriteFileAsync(sha, bytes, ct);
            }
            staged.Add((attachment, new AttachmentContent { AttachmentId = attachment.Id, Content = _options.InDirectory ? null : bytes, Thumbnail = thumbnail }));
        }
        foreach (var (a, c) in staged)
        {
            db.Attachments.Add(a);
            db.AttachmentContents.Add(c);
        }
        return Outcome<List<Attachment>>.Ok([.. staged.Select(s => s.Item1)]);
    }

    /// <summary>Adds files to an owner and saves: 404 when the owner is out of reach, 400 naming the file when one is refused.</summary>
    public async Task<Outcome<List<Attachment>>> AddAsync(BaoxueDb db, string? ownerKind, Guid ownerId, IReadOnlyList<IncomingFile> files, CancellationToken ct)
    {
        if (Owner(ownerKind) is not { } owner)
        {
            return Outcome<List<Attachment>>.Invalid("OwnerKind", "Attachments.UnknownOwner");
        }
        if (await owner.FindAsync(db, ownerId, ct) is not { } access)
        {
            return Outcome<List<Attachment>>.Missing();
        }
        if (files.Count == 0)
        {
            return Outcome<List<Attachment>>.Invalid("File", "Attachments.NoFile");
        }
        var staged = await StageAsync(db, owner.Kind, ownerId, access, files, "File", ct);
        if (staged.Succeeded)
        {
            await db.SaveChangesAsync(ct);
        }
        return staged;
    }

    /// <summary>The files of an owner the user reaches (metadata only); null when the owner is out of reach.</summary>
    public async Task<List<AttachmentInfo>?> ListAsync(BaoxueDb db, string? ownerKind, Guid ownerId, CancellationToken ct)
    {
        if (Owner(ownerKind) is not { } owner || await owner.FindAsync(db, ownerId, ct) is null)
        {
            return null;
        }
        return await ListUncheckedAsync(db, owner.Kind, [ownerId], ct);
    }

    /// <summary>For a feature that has already found the owners in the user's reach (a case and its attempts).</summary>
    public static Task<List<AttachmentInfo>> ListUncheckedAsync(BaoxueDb db, string ownerKind, IReadOnlyCollection<Guid> ownerIds, CancellationToken ct) =>
        db.Attachments.AsNoTracking().Where(a => a.OwnerKind == ownerKind && ownerIds.Contains(a.OwnerId)).OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
            .Select(a => new AttachmentInfo(a.Id, a.OwnerKind, a.OwnerId, a.FileName, a.ContentType, a.Size, a.Sha256, a.HasThumbnail, a.CreatedBy, a.CreatedAt))
            .ToListAsync(ct);

    public sealed record Opened(Attachment Attachment, byte[] Bytes);

    /// <summary>
    /// A file (or its thumbnail) when its owner is in the user's reach; every opening is audited (a photo of a
    /// child's home is personal data). Null: not found, or not theirs, which the endpoint answers alike (404).
    /// </summary>
    public async Task<Opened?> OpenAsync(BaoxueDb db, Guid id, bool thumbnail, CancellationToken ct)
    {
        var a = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null || Owner(a.OwnerKind) is not { } owner || await owner.FindAsync(db, a.OwnerId, ct) is null)
        {
            return null;
        }
        byte[]? bytes;
        if (thumbnail)
        {
            bytes = await db.AttachmentContents.Where(c => c.AttachmentId == id).Select(c => c.Thumbnail).FirstOrDefaultAsync(ct);
        }
        else
        {
            bytes = await db.AttachmentContents.Where(c => c.AttachmentId == id).Select(c => c.Content).FirstOrDefaultAsync(ct)
                ?? await ReadFileAsync(a.Sha256, ct);
        }
        if (bytes is null)
        {
            return null;
        }
        if (!thumbnail)
        {
            db.Audit(AuditAction.Export, nameof(Attachment), a.Id.ToString(), a.Path, $"{{\"owner\":\"{a.OwnerKind}\",\"file\":\"{a.Sha256}\"}}");
            await db.SaveChangesAsync(ct);
        }
        return new Opened(a, bytes);
    }

    private async Task<(byte[]? Bytes, string? Error)> ReadAsync(IncomingFile file, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await using var content = file.Open();
        var chunk = new byte[81920];
        int n;
        while ((n = await content.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > _options.MaxBytes)
            {
                return (null, "Attachments.TooLarge");
            }
        }
        return buffer.Length == 0 ? (null, "Attachments.Empty") : (buffer.ToArray(), null);
    }

    // The size limit's message names the limit; the others name the file.
    private object Name(string fileName) => string.IsNullOrWhiteSpace(fileName) ? "?" : System.IO.Path.GetFileName(fileName);

    private static string CleanName(string fileName, string type)
    {
        var name = System.IO.Path.GetFileName(fileName ?? "").Trim();
        name = new string([.. name.Where(c => !char.IsControl(c) && c is not ('"' or '\\' or '/'))]);
        if (name.Length == 0)
        {
            name = "file";
        }
        var stem = System.IO.Path.GetFileNameWithoutExtension(name);
        // The stored name carries the extension of what the file is, not of what it was called.
        var cleaned = stem + FileKind.Extension(type);
        return cleaned.Length > 200 ? cleaned[^200..] : cleaned;
    }

    private string FilePath(string sha) =>
        System.IO.Path.Combine(_options.Directory ?? throw new InvalidOperationException("Attachments:Directory is not set for the directory store."), sha[..2], sha);

    private async Task WriteFileAsync(string sha, byte[] bytes, CancellationToken ct)
    {
        var path = FilePath(sha);
        if (File.Exists(path))
        {
            return; // same bytes, same name: already kept
        }
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temp, bytes, ct);
        File.Move(temp, path, overwrite: true);
    }

    private async Task<byte[]?> ReadFileAsync(string sha, CancellationToken ct) =>
        _options.InDirectory && File.Exists(FilePath(sha)) ? await File.ReadAllBytesAsync(FilePath(sha), ct) : null;
}
