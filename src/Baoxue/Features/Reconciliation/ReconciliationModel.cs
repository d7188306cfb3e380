using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Reconciliation;

/// <summary>The household and reconciliation tables (migration M0014), kept here so that BaoxueDb grows by one line.</summary>
public static class ReconciliationModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<HouseholdChild>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.NameKey).HasMaxLength(PinyinOrder.MaxKeyLength);
            e.Property(x => x.IdNumberCipher).HasMaxLength(128);
            e.Property(x => x.IdNumberHash).HasMaxLength(64);
            e.Property(x => x.IdNumberMasked).HasMaxLength(18);
            e.Property(x => x.Ethnicity).HasMaxLength(2);
            e.Property(x => x.DivisionCode).HasMaxLength(12);
            e.Property(x => x.HouseholdAddress).HasMaxLength(200);
            e.Property(x => x.RelationToHead).HasMaxLength(16);
            e.Property(x => x.GuardianName).HasMaxLength(64);
            e.Property(x => x.GuardianPhone).HasMaxLength(32);
            e.Property(x => x.SecondGuardianName).HasMaxLength(64);
            e.Property(x => x.SecondGuardianPhone).HasMaxLength(32);
            e.Property(x => x.MergeNote).HasMaxLength(500);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => x.IdNumberHash).IsUnique();
            e.HasIndex(x => new { x.Path, x.NameKey, x.Id });
        });
        builder.Entity<ReconciliationRun>(e =>
        {
            e.Property(x => x.StartedBy).HasMaxLength(256);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => new { x.Path, x.StartedAt });
        });
        builder.Entity<ReconciliationResult>(e =>
        {
            e.Property(x => x.SchoolName).HasMaxLength(100);
            e.Property(x => x.Evidence).HasMaxLength(500);
            e.Property(x => x.DecidedBy).HasMaxLength(256);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => x.HouseholdChildId).IsUnique();
            e.HasIndex(x => new { x.Path, x.Outcome });
            e.HasIndex(x => x.StudentId);
            e.HasIndex(x => x.NearestSchoolId);
            e.HasOne(x => x.HouseholdChild).WithMany().HasForeignKey(x => x.HouseholdChildId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne(x => x.NearestSchool).WithMany().HasForeignKey(x => x.NearestSchoolId).OnDelete(DeleteBehavior.SetNull);
        });
        // Transitions, entry notices and the census (M0020).
        builder.Entity<TransitionCase>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.NameKey).HasMaxLength(PinyinOrder.MaxKeyLength);
            e.Property(x => x.IdNumberMasked).HasMaxLength(18);
            e.Property(x => x.From).HasMaxLength(100);
            e.Property(x => x.FollowUp).HasMaxLength(500);
            e.Property(x => x.FollowUpBy).HasMaxLength(256);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => new { x.Kind, x.Year, x.SubjectId }).IsUnique();
            e.HasIndex(x => new { x.Path, x.Kind, x.Year });
        });
        builder.Entity<EntryNotice>(e =>
        {
            e.Property(x => x.Number).HasMaxLength(32);
            e.Property(x => x.IssuedBy).HasMaxLength(256);
            e.Property(x => x.ReturnedBy).HasMaxLength(256);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => new { x.HouseholdChildId, x.Year }).IsUnique();
            e.HasIndex(x => new { x.SchoolId, x.Year, x.Sequence });
            e.HasIndex(x => x.Path);
            e.HasOne(x => x.HouseholdChild).WithMany().HasForeignKey(x => x.HouseholdChildId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<CensusVisit>(e =>
        {
            e.Property(x => x.DivisionCode).HasMaxLength(12);
            e.Property(x => x.HeadName).HasMaxLength(64);
            e.Property(x => x.Address).HasMaxLength(200);
            e.Property(x => x.RecordedBy).HasMaxLength(256);
            e.Property(x => x.ClientKey).HasMaxLength(64);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => x.ClientKey).IsUnique();
            e.HasIndex(x => new { x.Path, x.VisitedOn });
        });
        builder.Entity<CensusChild>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.IdNumberCipher).HasMaxLength(128);
            e.Property(x => x.IdNumberHash).HasMaxLength(64);
            e.Property(x => x.IdNumberMasked).HasMaxLength(18);
            e.Property(x => x.SchoolSaid).HasMaxLength(100);
            e.Property(x => x.SchoolName).HasMaxLength(100);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => x.VisitId);
            e.HasIndex(x => new { x.Path, x.Match });
            e.HasIndex(x => x.IdNumberHash);
            e.HasOne(x => x.Visit).WithMany(v => v.Children).HasForeignKey(x => x.VisitId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<MatchCandidate>(e =>
        {
            e.Property(x => x.DecidedBy).HasMaxLength(256);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => new { x.ResultId, x.StudentId }).IsUnique();
            e.HasIndex(x => new { x.State, x.Score });
            e.HasIndex(x => x.Path);
            e.HasIndex(x => x.StudentId);
            e.HasOne(x => x.Result).WithMany().HasForeignKey(x => x.ResultId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
