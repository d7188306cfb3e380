namespace Baoxue.Infrastructure.Attachments;

/// <summary>
/// A file kept for a record (a photo of a home visit, a scanned letter, a school's certificate). What it belongs to
/// is named by <see cref="OwnerKind"/> and <see cref="OwnerId"/>; whether a user may open it is the owner's
/// business (<see cref="IAttachmentOwner"/>), so an attachment is never more visible than what it is attached to.
/// The bytes live apart (<see cref="AttachmentContent"/>) so that no list ever loads them.
/// </summary>
public sealed class Attachment
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>The owner's kind as registered by its feature ("case", "attempt" …).</summary>
    public required string OwnerKind { get; set; }
    public Guid OwnerId { get; set; }
    /// <summary>The owner's place path when the file was added (for the audit line and reports; reach is the owner's).</summary>
    public required string Path { get; set; }
    public required string FileName { get; set; }
    /// <summary>Decided from the first bytes of the file, never from its name or the browser's claim.</summary>
    public required string ContentType { get; set; }
    public long Size { get; set; }
    /// <summary>SHA-256 of the bytes, lower-case hex: proves a printed or exported copy is the file received.</summary>
    public required string Sha256 { get; set; }
    public bool HasThumbnail { get; set; }
    public Guid? CreatedById { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>An attachment's bytes: in the database (the default, shared by every app server) or, with the directory store, only the thumbnail.</summary>
public sealed class AttachmentContent
{
    public Guid AttachmentId { get; set; }
    /// <summary>Null when the directory store keeps the file.</summary>
    public byte[]? Content { get; set; }
    public byte[]? Thumbnail { get; set; }
}

public sealed class AttachmentOptions
{
    public const string Section = "Attachments";
    /// <summary>Largest file accepted, in megabytes.</summary>
    public int MaxMegabytes { get; set; } = 10;
    /// <summary>"Database" (default) or "Directory".</summary>
    public string Store { get; set; } = "Database";
    /// <summary>Where the directory store keeps files (shared storage when there are several app servers).</summary>
    public string? Directory { get; set; }
    /// <summary>Longest side of a photo's thumbnail, in pixels.</summary>
    public int ThumbnailPixels { get; set; } = 240;

    public long MaxBytes => Math.Max(1, MaxMegabytes) * 1024L * 1024;
    public bool InDirectory => string.Equals(Store, "Directory", StringComparison.OrdinalIgnoreCase);
}
