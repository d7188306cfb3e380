using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Home;
using Baoxue.Infrastructure.Attachments;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Casework;

/// <summary>Settings of casework (section <c>Casework</c>).</summary>
public sealed class CaseworkOptions
{
    public const string Section = "Casework";
    /// <summary>Out for less than this many months: back into the same grade.</summary>
    public int SameGradeMonths { get; set; } = 3;
    /// <summary>Out up to this many months: one grade lower; longer: the grade of the child's age.</summary>
    public int OneGradeLowerMonths { get; set; } = 12;
    /// <summary>How many terms a returned child is followed (跟踪巩固) before close-out may be asked.</summary>
    public int FollowUpTerms { get; set; } = 1;
    /// <summary>A term's length when the school calendar does not reach far enough.</summary>
    public int TermDaysFallback { get; set; } = 140;
    /// <summary>An order to correct issued without a date gives the guardians this many school days (上学日) of the child's school.</summary>
    public int OrderToCorrectSchoolDays { get; set; } = 10;
}

public static class CaseworkSetup
{
    /// <summary>Attachment owner kinds registered by casework (and the ledger's verification evidence).</summary>
    public const string CaseOwner = "case";
    public const string AttemptOwner = "attempt";
    public const string EntryOwner = "entry";

    public static void AddCasework(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<CaseworkOptions>(builder.Configuration.GetSection(CaseworkOptions.Section));
        builder.Services.AddSingleton<IAttachmentOwner, CaseOwnerKind>();
        builder.Services.AddSingleton<IAttachmentOwner, AttemptOwnerKind>();
        builder.Services.AddSingleton<IAttachmentOwner, EntryOwnerKind>();
        builder.Services.AddScoped<ITaskSource, CaseworkTasks>();
    }

    internal static void Configure(ModelBuilder builder)
    {
        builder.Entity<CaseNotice>(e =>
        {
            e.Property(x => x.IssuerPath).HasMaxLength(256);
            e.Property(x => x.IssuerName).HasMaxLength(100);
            e.Property(x => x.NumberPrefix).HasMaxLength(32);
            e.Property(x => x.Addressee).HasMaxLength(200);
            e.Property(x => x.ChildName).HasMaxLength(64);
            e.Property(x => x.Facts).HasMaxLength(2000);
            e.Property(x => x.LegalBasis).HasMaxLength(1000);
            e.Property(x => x.Demand).HasMaxLength(1000);
            e.Property(x => x.Recipient).HasMaxLength(100);
            e.Property(x => x.IssuedBy).HasMaxLength(256);
            e.Property(x => x.SettledBy).HasMaxLength(256);
            e.Property(x => x.SettledNote).HasMaxLength(500);
            e.Property(x => x.Path).HasMaxLength(256);
            e.Property(x => x.ResidencePath).HasMaxLength(256);
            e.Ignore(x => x.DocumentNumber);
            // The number is the unit's and the year's: two notices can never share one.
            e.HasIndex(x => new { x.IssuerPath, x.Year, x.Number }).IsUnique();
            e.HasIndex(x => x.CaseId);
            e.HasIndex(x => x.Path);
            e.HasIndex(x => x.ResidencePath);
            e.HasOne(x => x.Case).WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<DocumentSequence>(e =>
        {
            e.HasKey(x => new { x.IssuerPath, x.Year });
            e.Property(x => x.IssuerPath).HasMaxLength(256);
        });
        builder.Entity<CaseworkSubmission>(e =>
        {
            e.HasKey(x => new { x.UserId, x.ClientKey });
            e.Property(x => x.ClientKey).HasMaxLength(64);
            e.Property(x => x.Kind).HasMaxLength(32);
        });
    }
}

/// <summary>A case's files (close-out evidence, scanned letters): as visible as the case, added while it is open.</summary>
internal sealed class CaseOwnerKind : IAttachmentOwner
{
    public string Kind => CaseworkSetup.CaseOwner;

    public async Task<AttachmentOwnerAccess?> FindAsync(BaoxueDb db, Guid ownerId, CancellationToken ct) =>
        await db.LedgerCases.AsNoTracking().Where(c => c.Id == ownerId).Select(c => new { c.Path, c.State }).FirstOrDefaultAsync(ct) is { } c
            ? new AttachmentOwnerAccess(c.Path, c.State != LedgerCaseState.Closed && CaseworkRules.MayEdit(db))
            : null;
}

/// <summary>An attempt's photos: as visible as its case.</summary>
internal sealed class AttemptOwnerKind : IAttachmentOwner
{
    public string Kind => CaseworkSetup.AttemptOwner;

    public async Task<AttachmentOwnerAccess?> FindAsync(BaoxueDb db, Guid ownerId, CancellationToken ct) =>
        await db.PersuasionAttempts.AsNoTracking().Where(a => a.Id == ownerId).Select(a => new { a.Path, a.Case!.State }).FirstOrDefaultAsync(ct) is { } a
            ? new AttachmentOwnerAccess(a.Path, a.State != LedgerCaseState.Closed && CaseworkRules.MayEdit(db))
            : null;
}

/// <summary>A ledger entry's verification evidence (a school's certificate, a letter): as visible as the entry, added until it closes.</summary>
internal sealed class EntryOwnerKind : IAttachmentOwner
{
    public string Kind => CaseworkSetup.EntryOwner;

    public async Task<AttachmentOwnerAccess?> FindAsync(BaoxueDb db, Guid ownerId, CancellationToken ct) =>
        await db.LedgerEntries.AsNoTracking().Where(e => e.Id == ownerId).Select(e => new { e.Path, e.State }).FirstOrDefaultAsync(ct) is { } e
            ? new AttachmentOwnerAccess(e.Path, e.State != LedgerEntryState.Closed && db.CurrentUser.Role is { } role && role.Allows(Permission.AttachmentsAdd))
            : null;
}
