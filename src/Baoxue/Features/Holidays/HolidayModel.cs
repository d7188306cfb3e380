using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Holidays;

/// <summary>The holiday plans' and return checks' mapping (migration M0023); <c>BaoxueDb</c> calls it with one line.</summary>
public static class HolidayModel
{
    public const int MeasuresLength = 2000;
    public const int WhyLength = 200;
    public const int MetLength = 64;
    public const int SaidLength = 500;
    public const int NoteLength = 200;
    public const int ClientKeyLength = 60;

    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<HolidayPlan>(e =>
        {
            e.Property(x => x.Measures).HasMaxLength(MeasuresLength);
            e.Property(x => x.CreatedBy).HasMaxLength(256);
            e.Property(x => x.SubmittedBy).HasMaxLength(256);
            e.Property(x => x.ReturnedBy).HasMaxLength(256);
            e.Property(x => x.ReturnReason).HasMaxLength(SaidLength);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => new { x.SchoolId, x.StartYear, x.Kind }).IsUnique();
            e.HasIndex(x => new { x.Path, x.StartYear, x.Kind });
            e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<HolidayWatch>(e =>
        {
            e.Property(x => x.Why).HasMaxLength(WhyLength);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => new { x.PlanId, x.StudentId }).IsUnique();
            e.HasIndex(x => x.Path);
            e.HasOne<HolidayPlan>().WithMany().HasForeignKey(x => x.PlanId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.Staff).WithMany().HasForeignKey(x => x.StaffId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<HolidayVisitPlan>(e =>
        {
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => new { x.PlanId, x.PlannedOn });
            e.HasIndex(x => x.Path);
            e.HasOne<HolidayPlan>().WithMany().HasForeignKey(x => x.PlanId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.Staff).WithMany().HasForeignKey(x => x.StaffId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<HolidayVisit>(e =>
        {
            e.Property(x => x.Met).HasMaxLength(MetLength);
            e.Property(x => x.Said).HasMaxLength(SaidLength);
            e.Property(x => x.ClientKey).HasMaxLength(64);
            e.Property(x => x.RecordedBy).HasMaxLength(256);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => x.ClientKey).IsUnique();
            e.HasIndex(x => new { x.PlanId, x.StudentId });
            e.HasIndex(x => x.Path);
            e.HasOne<HolidayPlan>().WithMany().HasForeignKey(x => x.PlanId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<ReturnCheck>(e =>
        {
            e.Property(x => x.ConfirmedBy).HasMaxLength(256);
            e.Property(x => x.ClientKey).HasMaxLength(64);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => new { x.TermId, x.ClassId }).IsUnique();
            e.HasIndex(x => x.ClientKey).IsUnique();
            e.HasIndex(x => new { x.Path, x.TermId });
            e.HasOne<Term>().WithMany().HasForeignKey(x => x.TermId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.Class).WithMany().HasForeignKey(x => x.ClassId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Students).WithOne().HasForeignKey(s => s.CheckId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ReturnCheckStudent>(e =>
        {
            e.Property(x => x.Note).HasMaxLength(NoteLength);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => new { x.CheckId, x.StudentId }).IsUnique();
            e.HasIndex(x => x.StudentId);
            e.HasIndex(x => x.Path);
            e.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
