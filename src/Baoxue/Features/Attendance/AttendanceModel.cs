using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Attendance;

/// <summary>The attendance tables' mapping, kept beside the feature; <c>BaoxueDb</c> calls it with one line.</summary>
public static class AttendanceModel
{
    public const int NameLength = 64;
    public const int ReasonLength = 200;
    public const int NoteLength = 500;
    public const int ClientKeyLength = 64;

    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<CalendarDay>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(NameLength);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => new { x.Path, x.Date }).IsUnique();
            e.HasIndex(x => x.Date);
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AttendanceRecord>(e =>
        {
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => new { x.ClassId, x.Date, x.Lesson }).IsUnique();
            e.HasIndex(x => new { x.Path, x.Date });
            e.HasIndex(x => new { x.SchoolId, x.Date });
            e.HasOne(x => x.Class).WithMany().HasForeignKey(x => x.ClassId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Submissions).WithOne(s => s.Record).HasForeignKey(s => s.RecordId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AttendanceSubmission>(e =>
        {
            e.Property(x => x.ClientKey).HasMaxLength(ClientKeyLength);
            e.Property(x => x.SubmittedBy).HasMaxLength(256);
            e.HasIndex(x => x.ClientKey).IsUnique();
            e.HasIndex(x => x.RecordId);
            e.HasMany(x => x.Marks).WithOne(m => m.Submission).HasForeignKey(m => m.SubmissionId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AttendanceMark>(e =>
        {
            e.Property(x => x.Reason).HasMaxLength(ReasonLength);
            e.HasIndex(x => x.SubmissionId);
            e.HasIndex(x => new { x.StudentId, x.Kind });
            e.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<LeaveRequest>(e =>
        {
            e.Property(x => x.Reason).HasMaxLength(ReasonLength);
            e.Property(x => x.RequestedByGuardian).HasMaxLength(NameLength);
            e.Property(x => x.RecordedBy).HasMaxLength(256);
            e.Property(x => x.DecidedBy).HasMaxLength(256);
            e.Property(x => x.DecisionNote).HasMaxLength(NoteLength);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => new { x.StudentId, x.From });
            e.HasIndex(x => new { x.Path, x.State });
            e.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<AbsenceClock>(e =>
        {
            e.Property(x => x.PausedBy).HasMaxLength(NameLength);
            e.Property(x => x.SchoolAction).HasMaxLength(NoteLength);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => x.StudentId).IsUnique();
            e.HasIndex(x => new { x.Path, x.Stage });
            e.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<AbsenceFollowUp>(e =>
        {
            e.Property(x => x.Reached).HasMaxLength(NameLength);
            e.Property(x => x.Said).HasMaxLength(NoteLength);
            e.Property(x => x.RecordedBy).HasMaxLength(256);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => new { x.StudentId, x.FirstDay });
            e.HasIndex(x => x.Path);
            e.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<ClockRun>(e =>
        {
            e.Property(x => x.Instance).HasMaxLength(200);
            e.HasIndex(x => x.Date).IsUnique();
        });
    }
}
