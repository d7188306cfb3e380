using System.Linq.Expressions;
using Baoxue.Domain;
using Baoxue.Infrastructure.Auditing;
using Baoxue.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Baoxue.Data;

/// <summary>
/// The one database. Jurisdiction scoping (query filters) and the audit trail (in SaveChanges) live
/// here so that no feature has to remember them.
/// </summary>
public sealed class BaoxueDb : IdentityUserContext<AppUser, Guid>, Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.IDataProtectionKeyContext
{
    private readonly ICurrentUser _user;
    private readonly TimeProvider _clock;
    private readonly List<AuditEntry> _events = [];

    public BaoxueDb(DbContextOptions<BaoxueDb> options, ICurrentUser user, TimeProvider clock) : base(options)
    {
        _user = user;
        _clock = clock;
        // Contexts made outside the container (tests, tools) get the default zone; the app's TimeProvider is the CountyClock.
        County = clock as Infrastructure.Time.CountyClock ?? new Infrastructure.Time.CountyClock(clock);
    }

    // Read by the query filters at each query (EF turns them into parameters), never cached: the same
    // context can be created before authentication has set the request's user (Identity's security-stamp
    // check resolves it), and must still scope what the page asks afterwards.
    internal string? ScopePath => _user.ScopePath;

    internal List<string> ScopeAncestors
    {
        get
        {
            var path = ScopePath;
            if (path != _ancestorsOf)
            {
                _ancestors = path is null ? [] : [.. PlacePath.Ancestors(path)];
                _ancestorsOf = path;
            }
            return _ancestors;
        }
    }

    private string? _ancestorsOf;
    private List<string> _ancestors = [];

    // The county the user works in: member departments are county-wide records every user of the county may read.
    internal string? ScopeCounty => ScopePath is { } path ? PlacePath.County(path) : null;

    // Signing in must find the account by name (and refresh its failed-attempt count) before anyone is signed in.
    internal bool SigningIn => _user.IsAnonymous;

    /// <summary>
    /// Whether a path lies within the user's own jurisdiction (at or below their place) — what they may act
    /// on, print or list children of. Reading is wider for structural records (see the filters below):
    /// the places above are visible, but they are not the user's.
    /// </summary>
    public bool Covers(string path) => ScopePath is not { } scope || PlacePath.IsWithin(path, scope);

    // A subject teacher bound to a school sees the students of the classes they teach (the teaching
    // assignments of the staff record their account is linked to), unless the school granted them the whole
    // school (Staff.SeesWholeSchool). Read live, so a change by the school applies at the next request.
    internal bool TaughtOnly => _user.Role == Role.SubjectTeacher && _user.PlaceKind == PlaceKind.School;
    internal Guid UserId => _user.Id ?? Guid.Empty;

    /// <summary>How much of children's ID numbers and birth dates this user is shown (decision 0014).</summary>
    public IdDisclosure Disclosure => IdDisclosure.For(_user.Role, isSystem: ScopePath is null);
    internal ICurrentUser CurrentUser => _user;
    internal TimeProvider Clock => _clock;
    internal Infrastructure.Time.CountyClock County { get; }

    public DbSet<Division> Divisions => Set<Division>();
    public DbSet<School> Schools => Set<School>();
    public DbSet<SchoolYear> SchoolYears => Set<SchoolYear>();
    public DbSet<Term> Terms => Set<Term>();
    public DbSet<SchoolClass> Classes => Set<SchoolClass>();
    public DbSet<Staff> Staff => Set<Staff>();
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<TeachingAssignment> TeachingAssignments => Set<TeachingAssignment>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Student> Students => Set<Student>();
    public DbSet<Guardian> Guardians => Set<Guardian>();
    public DbSet<GroupTag> GroupTags => Set<GroupTag>();
    public DbSet<StatusChange> StatusChanges => Set<StatusChange>();
    public DbSet<StatusApproval> StatusApprovals => Set<StatusApproval>();
    public DbSet<RollCallCampaign> RollCallCampaigns => Set<RollCallCampaign>();
    public DbSet<RollCallReturn> RollCallReturns => Set<RollCallReturn>();
    public DbSet<RollCallMark> RollCallMarks => Set<RollCallMark>();
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();
    public DbSet<LedgerCase> LedgerCases => Set<LedgerCase>();
    public DbSet<PersuasionAttempt> PersuasionAttempts => Set<PersuasionAttempt>();
    public DbSet<LedgerReportReceipt> LedgerReportReceipts => Set<LedgerReportReceipt>();
    public DbSet<ServiceAccount> ServiceAccounts => Set<ServiceAccount>();
    // Attendance, leave and the absence clock (issue 10).
    public DbSet<CalendarDay> CalendarDays => Set<CalendarDay>();
    public DbSet<AttendanceRecord> AttendanceRecords => Set<AttendanceRecord>();
    public DbSet<AttendanceSubmission> AttendanceSubmissions => Set<AttendanceSubmission>();
    public DbSet<AttendanceMark> AttendanceMarks => Set<AttendanceMark>();
    public DbSet<LeaveRequest> LeaveRequests => Set<LeaveRequest>();
    public DbSet<AbsenceClock> AbsenceClocks => Set<AbsenceClock>();
    public DbSet<AbsenceFollowUp> AbsenceFollowUps => Set<AbsenceFollowUp>();
    public DbSet<ClockRun> ClockRuns => Set<ClockRun>();
    public DbSet<HouseholdChild> HouseholdChildren => Set<HouseholdChild>();
    public DbSet<ReconciliationRun> ReconciliationRuns => Set<ReconciliationRun>();
    public DbSet<ReconciliationResult> ReconciliationResults => Set<ReconciliationResult>();
    public DbSet<TransitionCase> TransitionCases => Set<TransitionCase>();
    public DbSet<EntryNotice> EntryNotices => Set<EntryNotice>();
    public DbSet<CensusVisit> CensusVisits => Set<CensusVisit>();
    public DbSet<CensusChild> CensusChildren => Set<CensusChild>();
    // Holiday plans and the term-start return check (issue 10).
    public DbSet<HolidayPlan> HolidayPlans => Set<HolidayPlan>();
    public DbSet<HolidayWatch> HolidayWatches => Set<HolidayWatch>();
    public DbSet<HolidayVisitPlan> HolidayVisitPlans => Set<HolidayVisitPlan>();
    public DbSet<HolidayVisit> HolidayVisits => Set<HolidayVisit>();
    public DbSet<ReturnCheck> ReturnChecks => Set<ReturnCheck>();
    public DbSet<ReturnCheckStudent> ReturnCheckStudents => Set<ReturnCheckStudent>();
    public DbSet<MatchCandidate> MatchCandidates => Set<MatchCandidate>();
    public DbSet<Features.Rates.FigureSet> FigureSets => Set<Features.Rates.FigureSet>();
    public DbSet<Features.Rates.FigureRow> FigureRows => Set<Features.Rates.FigureRow>();
    public DbSet<Features.Rates.RateTarget> RateTargets => Set<Features.Rates.RateTarget>();
    public DbSet<Infrastructure.Attachments.Attachment> Attachments => Set<Infrastructure.Attachments.Attachment>();
    public DbSet<Infrastructure.Attachments.AttachmentContent> AttachmentContents => Set<Infrastructure.Attachments.AttachmentContent>();
    public DbSet<CaseNotice> CaseNotices => Set<CaseNotice>();
    public DbSet<DocumentSequence> DocumentSequences => Set<DocumentSequence>();
    public DbSet<CaseworkSubmission> CaseworkSubmissions => Set<CaseworkSubmission>();
    // Reporting rhythm and campaigns (issue 12).
    public DbSet<Report> Reports => Set<Report>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<CampaignPhase> CampaignPhases => Set<CampaignPhase>();
    public DbSet<CampaignProgress> CampaignProgress => Set<CampaignProgress>();
    /// <summary>The data-protection key ring (cookies, bearer tokens, anti-forgery), shared by every app server; each key encrypted.</summary>
    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys => Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite hands back DateTimeKind.Unspecified; everything stored is UTC, so say so on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<AppUser>(e =>
        {
            e.Property(u => u.DisplayName).HasMaxLength(64);
            e.Property(u => u.Path).HasMaxLength(256);
            e.HasIndex(u => u.Path);
        });
        builder.Entity<Division>(e =>
        {
            e.Property(d => d.Code).HasMaxLength(12);
            e.Property(d => d.Name).HasMaxLength(64);
            e.Property(d => d.Kind).HasMaxLength(16);
            e.Property(d => d.Path).HasMaxLength(256);
            e.HasIndex(d => d.Code).IsUnique();
            e.HasIndex(d => d.Path);
            e.HasOne(d => d.Parent).WithMany().HasForeignKey(d => d.ParentId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<School>(e =>
        {
            e.Property(s => s.Code).HasMaxLength(10);
            e.Property(s => s.Name).HasMaxLength(100);
            e.Property(s => s.Address).HasMaxLength(200);
            e.Property(s => s.HeadName).HasMaxLength(64);
            e.Property(s => s.Phone).HasMaxLength(32);
            e.Property(s => s.Path).HasMaxLength(256);
            e.HasIndex(s => s.Code).IsUnique();
            e.HasIndex(s => s.Path);
            e.HasOne(s => s.Township).WithMany().HasForeignKey(s => s.TownshipId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(s => s.Village).WithMany().HasForeignKey(s => s.VillageId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(s => s.CentralSchool).WithMany().HasForeignKey(s => s.CentralSchoolId).OnDelete(DeleteBehavior.Restrict);
            e.Ignore(s => s.Grades);
        });
        builder.Entity<SchoolYear>(e =>
        {
            e.HasIndex(y => y.StartYear).IsUnique();
            e.HasMany(y => y.Terms).WithOne().HasForeignKey(t => t.SchoolYearId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Term>(e => e.HasIndex(t => new { t.SchoolYearId, t.Number }).IsUnique());
        builder.Entity<SchoolClass>(e =>
        {
            e.ToTable("Classes");
            e.Property(c => c.Path).HasMaxLength(256);
            e.HasIndex(c => new { c.SchoolId, c.SchoolYearId, c.Grade, c.Number }).IsUnique();
            e.HasIndex(c => c.Path);
            e.HasOne(c => c.School).WithMany().HasForeignKey(c => c.SchoolId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(c => c.SchoolYear).WithMany().HasForeignKey(c => c.SchoolYearId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(c => c.HeadTeacher).WithMany().HasForeignKey(c => c.HeadTeacherId).OnDelete(DeleteBehavior.SetNull);
        });
        builder.Entity<Staff>(e =>
        {
            e.Property(s => s.Name).HasMaxLength(64);
            e.Property(s => s.Post).HasMaxLength(64);
            e.Property(s => s.Phone).HasMaxLength(32);
            e.Property(s => s.Path).HasMaxLength(256);
            e.HasIndex(s => s.Path);
            e.HasOne(s => s.School).WithMany().HasForeignKey(s => s.SchoolId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(s => s.Department).WithMany().HasForeignKey(s => s.DepartmentId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(s => s.Division).WithMany().HasForeignKey(s => s.DivisionId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<TeachingAssignment>(e =>
        {
            e.Property(a => a.Path).HasMaxLength(256);
            e.HasIndex(a => new { a.StaffId, a.ClassId }).IsUnique();
            e.HasIndex(a => a.Path);
            e.HasOne(a => a.Staff).WithMany().HasForeignKey(a => a.StaffId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(a => a.Class).WithMany().HasForeignKey(a => a.ClassId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Department>(e =>
        {
            e.Property(d => d.Code).HasMaxLength(16);
            e.Property(d => d.Name).HasMaxLength(64);
            e.Property(d => d.Duties).HasMaxLength(2000);
            e.Property(d => d.Path).HasMaxLength(256);
            e.HasIndex(d => d.Path).IsUnique();
            e.HasOne(d => d.County).WithMany().HasForeignKey(d => d.CountyId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<AuditEntry>(e =>
        {
            e.HasKey(a => a.Sequence);
            e.Property(a => a.Sequence).ValueGeneratedNever();
            e.Property(a => a.UserName).HasMaxLength(256);
            e.Property(a => a.EntityType).HasMaxLength(64);
            e.Property(a => a.EntityId).HasMaxLength(256);
            e.Property(a => a.Path).HasMaxLength(256);
            e.Property(a => a.IpAddress).HasMaxLength(64);
            e.Property(a => a.PreviousHash).HasMaxLength(64);
            e.Property(a => a.Hash).HasMaxLength(64);
            e.HasIndex(a => a.At);
            e.HasIndex(a => a.Path);
            e.HasIndex(a => new { a.EntityType, a.EntityId });
        });

        builder.Entity<Student>(e =>
        {
            e.Property(x => x.RegistryNumber).HasMaxLength(24);
            e.Property(x => x.IdNumberCipher).HasMaxLength(128);
            e.Property(x => x.IdNumberHash).HasMaxLength(64);
            e.Property(x => x.IdNumberMasked).HasMaxLength(18);
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.Ethnicity).HasMaxLength(2);
            e.Property(x => x.HouseholdRegionCode).HasMaxLength(6);
            e.Property(x => x.HouseholdAddress).HasMaxLength(200);
            e.Property(x => x.Residence).HasMaxLength(200);
            e.Property(x => x.Path).HasMaxLength(256);
            e.Property(x => x.NameKey).HasMaxLength(PinyinOrder.MaxKeyLength);
            e.HasIndex(x => x.RegistryNumber);
            e.HasIndex(x => x.IdNumberHash).IsUnique();
            // One index per order the list offers (StudentQueries.Ordered), each ending in (NameKey, Id) for seek paging.
            e.HasIndex(x => new { x.Path, x.NameKey, x.Id });
            // The name search's index also carries the name and the place (PostgreSQL's INCLUDE; SQLite ignores it): its
            // count then reads the index alone instead of a table row per match (a surname at a province: 17,700 rows,
            // 92 ms p50 → see docs/benchmarks.md and M0027).
            e.HasIndex(x => new { x.NameKey, x.Id }).IncludeProperties(x => new { x.Name, x.Path });
            e.HasIndex(x => new { x.Grade, x.Path, x.NameKey, x.Id });
            e.HasIndex(x => new { x.Status, x.Path, x.NameKey, x.Id });
            e.HasIndex(x => new { x.SchoolId, x.Status });
            e.HasIndex(x => x.ClassId);
            e.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.Class).WithMany().HasForeignKey(x => x.ClassId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Guardians).WithOne(g => g.Student).HasForeignKey(g => g.StudentId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Tags).WithOne(t => t.Student).HasForeignKey(t => t.StudentId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Guardian>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.Phone).HasMaxLength(32);
        });
        builder.Entity<GroupTag>(e =>
        {
            e.Property(x => x.DisabilityType).HasMaxLength(16);
            e.Property(x => x.Source).HasMaxLength(64);
            e.HasIndex(x => new { x.Kind, x.StudentId });
        });
        builder.Entity<StatusChange>(e =>
        {
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.RequestedBy).HasMaxLength(256);
            e.Property(x => x.ExternalSchool).HasMaxLength(100);
            e.Property(x => x.Evidence).HasMaxLength(500);
            e.Property(x => x.Path).HasMaxLength(256);
            e.Property(x => x.TargetPath).HasMaxLength(256);
            e.HasIndex(x => x.Path);
            e.HasIndex(x => x.TargetPath);
            e.HasIndex(x => new { x.StudentId, x.State });
            e.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Approvals).WithOne(a => a.StatusChange).HasForeignKey(a => a.StatusChangeId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<StatusApproval>(e =>
        {
            e.Property(x => x.DecidedBy).HasMaxLength(256);
            e.Property(x => x.Comment).HasMaxLength(500);
        });
        builder.Entity<RollCallCampaign>(e =>
        {
            e.Property(x => x.Title).HasMaxLength(100);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => x.Path);
        });
        builder.Entity<RollCallReturn>(e =>
        {
            e.Property(x => x.ConfirmedBy).HasMaxLength(256);
            e.Property(x => x.PrincipalAttestedBy).HasMaxLength(256);
            e.Property(x => x.Path).HasMaxLength(256);
            e.HasIndex(x => new { x.CampaignId, x.ClassId }).IsUnique();
            e.HasIndex(x => x.Path);
            e.HasOne<RollCallCampaign>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Class).WithMany().HasForeignKey(x => x.ClassId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Marks).WithOne(m => m.Return).HasForeignKey(m => m.ReturnId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<RollCallMark>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.Reason).HasMaxLength(200);
            e.Property(x => x.Resolution).HasMaxLength(500);
            e.HasOne(x => x.Student).WithMany().HasForeignKey(x => x.StudentId).OnDelete(DeleteBehavior.Restrict);
        });
        LedgerModel.Configure(builder);
        builder.Entity<ServiceAccount>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.ClientId).HasMaxLength(64);
            e.Property(x => x.SecretHash).HasMaxLength(64);
            e.Property(x => x.Permissions).HasMaxLength(1000);
            e.Property(x => x.Path).HasMaxLength(256);
            e.Property(x => x.Stamp).HasMaxLength(36);
            e.Ignore(x => x.PermissionList);
            e.HasIndex(x => x.ClientId).IsUnique();
            e.HasIndex(x => x.Name).IsUnique();
            e.HasIndex(x => x.Path);
        });
        Features.Attendance.AttendanceModel.Configure(builder);
        Features.Holidays.HolidayModel.Configure(builder);
        Features.Reconciliation.ReconciliationModel.Configure(builder);
        Features.Rates.RatesModel.Configure(builder);

        Infrastructure.Attachments.AttachmentApi.Configure(builder);
        Features.Casework.CaseworkSetup.Configure(builder);
        Features.Reporting.ReportingSetup.Configure(builder);

        // Approval-style records carry a version the app increments: a decision made on what was read, or none.
        foreach (var type in builder.Model.GetEntityTypes().Select(t => t.ClrType).Where(typeof(IVersioned).IsAssignableFrom))
        {
            builder.Entity(type).Property(nameof(IVersioned.Version)).IsConcurrencyToken();
        }
        // One pending change per student, held by the database too (two requests at once cannot both pass the check).
        builder.Entity<StatusChange>().HasIndex(x => x.StudentId, "IX_StatusChanges_StudentId_Pending").IsUnique().HasFilter($"\"State\" = {(int)StatusChangeState.Pending}");

        // Records that belong to a scoped owner are scoped through it.
        builder.Entity<Guardian>().HasQueryFilter(g => ScopePath == null || g.Student!.Path.StartsWith(ScopePath));
        builder.Entity<GroupTag>().HasQueryFilter(t => ScopePath == null || t.Student!.Path.StartsWith(ScopePath));
        builder.Entity<StatusApproval>().HasQueryFilter(a => ScopePath == null || a.StatusChange!.Path.StartsWith(ScopePath) || (a.StatusChange.TargetPath != null && a.StatusChange.TargetPath.StartsWith(ScopePath)));
        builder.Entity<RollCallMark>().HasQueryFilter(m => ScopePath == null || m.Return!.Path.StartsWith(ScopePath));
        builder.Entity<AttendanceSubmission>().HasQueryFilter(m => ScopePath == null || m.Record!.Path.StartsWith(ScopePath));
        builder.Entity<AttendanceMark>().HasQueryFilter(m => ScopePath == null || m.Submission!.Record!.Path.StartsWith(ScopePath));

        foreach (var type in builder.Model.GetEntityTypes().Select(t => t.ClrType).Where(typeof(IScoped).IsAssignableFrom))
        {
            builder.Entity(type).HasQueryFilter(ScopeFilter(type));
        }
        builder.Entity<AppUser>().HasQueryFilter(u => ScopePath == null || SigningIn || u.Path.StartsWith(ScopePath));
        // Children's records a subject teacher sees: within the school, only the classes they teach (TaughtOnly).
        builder.Entity<Student>().HasQueryFilter(s => (ScopePath == null || s.Path.StartsWith(ScopePath))
            && (!TaughtOnly || Set<AppUser>().Any(u => u.Id == UserId
                && (Set<Staff>().Any(t => t.Id == u.StaffId && t.SeesWholeSchool) || Set<TeachingAssignment>().Any(a => a.StaffId == u.StaffId && s.Path.StartsWith(a.Path))))));
        builder.Entity<StatusChange>().HasQueryFilter(c => (ScopePath == null || c.Path.StartsWith(ScopePath) || (c.TargetPath != null && c.TargetPath.StartsWith(ScopePath)))
            && (!TaughtOnly || Set<AppUser>().Any(u => u.Id == UserId
                && (Set<Staff>().Any(t => t.Id == u.StaffId && t.SeesWholeSchool)
                    || Set<TeachingAssignment>().Any(a => a.StaffId == u.StaffId && (c.Path.StartsWith(a.Path) || (c.TargetPath != null && c.TargetPath.StartsWith(a.Path))))))));
        builder.Entity<RollCallReturn>().HasQueryFilter(r => (ScopePath == null || r.Path.StartsWith(ScopePath))
            && (!TaughtOnly || Set<AppUser>().Any(u => u.Id == UserId
                && (Set<Staff>().Any(t => t.Id == u.StaffId && t.SeesWholeSchool) || Set<TeachingAssignment>().Any(a => a.StaffId == u.StaffId && r.Path.StartsWith(a.Path))))));
        // Ledger records: under the school's path, or under the place the child lives (decision 0020).
        builder.Entity<LedgerEntry>().HasQueryFilter(e => ScopePath == null || e.Path.StartsWith(ScopePath) || (e.ResidencePath != null && e.ResidencePath.StartsWith(ScopePath)));
        builder.Entity<LedgerCase>().HasQueryFilter(e => ScopePath == null || e.Path.StartsWith(ScopePath) || (e.ResidencePath != null && e.ResidencePath.StartsWith(ScopePath)));
        builder.Entity<PersuasionAttempt>().HasQueryFilter(e => ScopePath == null || e.Path.StartsWith(ScopePath) || (e.ResidencePath != null && e.ResidencePath.StartsWith(ScopePath)));
        builder.Entity<LedgerReportReceipt>().HasQueryFilter(e => ScopePath == null || e.Path.StartsWith(ScopePath) || (e.ResidencePath != null && e.ResidencePath.StartsWith(ScopePath)));
        builder.Entity<CaseNotice>().HasQueryFilter(e => ScopePath == null || e.Path.StartsWith(ScopePath) || (e.ResidencePath != null && e.ResidencePath.StartsWith(ScopePath)));
        builder.Entity<Department>().HasQueryFilter(d => ScopePath == null || d.Path.StartsWith(ScopePath) || (ScopeCounty != null && d.Path.StartsWith(ScopeCounty)));
    }

    private LambdaExpression ScopeFilter(Type type)
    {
        var method = typeof(IStructural).IsAssignableFrom(type) ? nameof(StructuralFilter)
            : typeof(IDualScoped).IsAssignableFrom(type) ? nameof(DualFilter)
            : nameof(ScopedFilter);
        return (LambdaExpression)typeof(BaoxueDb).GetMethod(method, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(type).Invoke(this, null)!;
    }

    // Records under the user's place.
    private Expression<Func<T, bool>> ScopedFilter<T>() where T : IScoped =>
        e => ScopePath == null || e.Path.StartsWith(ScopePath);

    // Records under the user's place, and the places above it: a head teacher sees their school, township
    // and county but not the neighbouring school. This is the one rule for upward visibility; what a user
    // may act on is narrower (Covers).
    private Expression<Func<T, bool>> StructuralFilter<T>() where T : IScoped =>
        e => ScopePath == null || e.Path.StartsWith(ScopePath) || ScopeAncestors.Contains(e.Path);

    // Records under either of two places (a transfer: the sending and the receiving school).
    private Expression<Func<T, bool>> DualFilter<T>() where T : IDualScoped =>
        e => ScopePath == null || e.Path.StartsWith(ScopePath) || (e.TargetPath != null && e.TargetPath.StartsWith(ScopePath));

    /// <summary>Queue an audit line for something that is not a row change (a login, an export, a reveal).</summary>
    public void Audit(AuditAction action, string entityType, string? entityId, string? path, string? detail = null, Guid? actorId = null, string? actorName = null)
    {
        _events.Add(new AuditEntry
        {
            At = _clock.GetUtcNow().UtcDateTime,
            UserId = actorId ?? _user.Id,
            UserName = actorName ?? _user.UserName,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Path = path ?? (_user.ScopePath is { } scope && scope != PlacePath.Nothing ? scope : ""),
            After = detail,
            IpAddress = _user.IpAddress,
            PreviousHash = "",
        });
    }

    private string? _batch;

    /// <summary>
    /// For bulk work (imports, year-end promotion, demo data): until disposed, each save is audited as one
    /// line per entity type with its counts and the given description, instead of one line per row.
    /// Still attributable (who, when, what operation, how many), and still scope-checked row by row.
    /// </summary>
    public IDisposable AuditAsBatch(string description)
    {
        _batch = description;
        return new BatchEnd(this);
    }

    private sealed class BatchEnd(BaoxueDb db) : IDisposable
    {
        public void Dispose() => db._batch = null;
    }

    private (AuditAction, string, string, string)? _unit;

    /// <summary>
    /// The next save is audited as one line for the unit of work (e.g. an attendance submission), naming every row it
    /// wrote with its values: the same facts as a line per row, appended once to the chain.
    /// </summary>
    public void AuditNextSaveAsOne(AuditAction action, string entityType, string entityId, string description) =>
        _unit = (action, entityType, entityId, description);

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        ChangeTracker.DetectChanges();
        if (Infrastructure.Integrity.ModelLimits.Violations(ChangeTracker.Entries()) is { Count: > 0 } invalid)
        {
            throw new Infrastructure.Integrity.InvalidInputException(invalid);
        }
        // Each update of a decision-bearing row moves its version on; the UPDATE only matches the version read.
        foreach (var versioned in ChangeTracker.Entries<IVersioned>().Where(e => e.State == EntityState.Modified))
        {
            versioned.Entity.Version++;
        }
        var lines = ChangeAudit.Describe(this, ChangeTracker.Entries());
        if (_batch is not null && lines.Count > 0)
        {
            lines = ChangeAudit.Summarise(this, lines, _batch);
        }
        else if (_unit is { } unit)
        {
            _unit = null;
            lines = ChangeAudit.Collapse(this, lines, unit);
        }
        lines.AddRange(_events);
        _events.Clear();
        if (lines.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        var ownTransaction = Database.CurrentTransaction is null
            ? await Database.BeginTransactionAsync(cancellationToken)
            : null;
        try
        {
            await AuditChain.AppendAsync(this, lines, cancellationToken);
            // In our own transaction a failure rolls everything back, so EF's savepoint (two more round trips, made
            // while the audit chain's lock is held) buys nothing.
            var savepoints = Database.AutoSavepointsEnabled;
            Database.AutoSavepointsEnabled = savepoints && ownTransaction is null;
            int count;
            try
            {
                count = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }
            finally
            {
                Database.AutoSavepointsEnabled = savepoints;
            }
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }
            return count;
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime(),
        v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
}
