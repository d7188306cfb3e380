using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Data;

/// <summary>The ledger's tables (migration M0009), kept apart from BaoxueDb so the ledger's model reads in one place.</summary>
internal static class LedgerModel
{
    /// <summary>The partial unique index: one open entry per child (decision 0020).</summary>
    public const string OneOpenEntryIndex = "IX_LedgerEntries_ChildKey_Open";

    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<LedgerEntry>(e =>
        {
            e.Property(x => x.ChildKey).HasMaxLength(160);
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.NameKey).HasMaxLength(PinyinOrder.MaxKeyLength);
            e.Property(x => x.IdNumberCipher).HasMaxLength(128);
            e.Property(x => x.IdNumberHash).HasMaxLength(64);
            e.Property(x => x.IdNumberMasked).HasMaxLength(18);
            e.Property(x => x.HouseholdDivisionCode).HasMaxLength(12);
            e.Property(x => x.HouseholdAddress).HasMaxLength(200);
            e.Property(x => x.SourceKey).HasMaxLength(200);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.ReportedBy).HasMaxLength(256);
            e.Property(x => x.ElsewhereSchool).HasMaxLength(100);
            e.Property(x => x.VerificationNote).HasMaxLength(1000);
            e.Property(x => x.VerifiedBy).HasMaxLength(256);
            e.Property(x => x.ApprovedBy).HasMaxLength(256);
            e.Property(x => x.ApprovalNote).HasMaxLength(500);
            e.Property(x => x.Path).HasMaxLength(256);
            e.Property(x => x.ResidencePath).HasMaxLength(256);
            e.Ignore(x => x.IsOpen);
            e.HasIndex(x => x.ChildKey, OneOpenEntryIndex).IsUnique().HasFilter($"\"State\" <> {(int)LedgerEntryState.Closed}");
            e.HasIndex(x => x.Path);
            e.HasIndex(x => x.ResidencePath);
            e.HasIndex(x => new { x.State, x.List });
            e.HasIndex(x => x.StudentId);
            e.HasIndex(x => x.IdNumberHash);
            e.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.Case).WithOne(c => c.Entry).HasForeignKey<LedgerCase>(c => c.EntryId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<LedgerCase>(e =>
        {
            e.Property(x => x.AssignedBy).HasMaxLength(256);
            e.Property(x => x.PlacementNote).HasMaxLength(500);
            e.Property(x => x.SupportPlan).HasMaxLength(1000);
            e.Property(x => x.CloseReason).HasMaxLength(500);
            e.Property(x => x.CloseRequestedBy).HasMaxLength(256);
            e.Property(x => x.ClosedBy).HasMaxLength(256);
            e.Property(x => x.Path).HasMaxLength(256);
            e.Property(x => x.ResidencePath).HasMaxLength(256);
            e.Ignore(x => x.IsOpen);
            e.HasIndex(x => x.EntryId).IsUnique();
            e.HasIndex(x => x.Path);
            e.HasIndex(x => x.ResidencePath);
            e.HasIndex(x => x.State);
            e.HasIndex(x => x.EducationStaffId);
            e.HasIndex(x => x.GovernmentStaffId);
            e.HasOne(x => x.EducationStaff).WithMany().HasForeignKey(x => x.EducationStaffId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.GovernmentStaff).WithMany().HasForeignKey(x => x.GovernmentStaffId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<School>().WithMany().HasForeignKey(x => x.PlacementSchoolId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Attempts).WithOne(a => a.Case).HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<PersuasionAttempt>(e =>
        {
            e.Property(x => x.People).HasMaxLength(200);
            e.Property(x => x.Met).HasMaxLength(100);
            e.Property(x => x.Said).HasMaxLength(2000);
            e.Property(x => x.NextStep).HasMaxLength(500);
            e.Property(x => x.RecordedBy).HasMaxLength(256);
            e.Property(x => x.Path).HasMaxLength(256);
            e.Property(x => x.ResidencePath).HasMaxLength(256);
            e.HasIndex(x => new { x.CaseId, x.On });
            e.HasIndex(x => x.Path);
        });
        builder.Entity<LedgerReportReceipt>(e =>
        {
            e.Property(x => x.SourceKey).HasMaxLength(200);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.Path).HasMaxLength(256);
            e.Property(x => x.ResidencePath).HasMaxLength(256);
            // Idempotency of ILedgerIntake: a source key is received once.
            e.HasIndex(x => new { x.Source, x.SourceKey }).IsUnique();
            e.HasIndex(x => x.EntryId);
            e.HasOne<LedgerEntry>().WithMany().HasForeignKey(x => x.EntryId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
