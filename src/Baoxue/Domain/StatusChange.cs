namespace Baoxue.Domain;

/// <summary>学籍异动 kinds.</summary>
public enum StatusChangeKind
{
    TransferWithinCounty = 1,
    TransferAcrossCounty = 2,
    /// <summary>转出 to a school outside this deployment: the receiving school is named, not known.</summary>
    TransferOut = 3,
    Suspension = 4,
    Resumption = 5,
    Death = 6,
    Emigration = 7,
    Deferral = 8,
    Exemption = 9,
    Graduation = 10,
    Promotion = 11,
}

public enum StatusChangeState
{
    Pending = 1,
    Approved = 2,
    Rejected = 3,
    Withdrawn = 4,
}

/// <summary>
/// A record people decide on (approve, confirm, attest, resolve): its version moves on with every update, and an
/// update made on an older version fails, so two decisions taken on the same reading cannot both be recorded.
/// </summary>
public interface IVersioned
{
    int Version { get; set; }
}

/// <summary>Who must say yes, in order (the national registry's chain).</summary>
public enum ApprovalStage
{
    ReceivingSchool = 1,
    SendingSchool = 2,
    SendingBureau = 3,
    ReceivingBureau = 4,
    School = 5,
    Bureau = 6,
}

/// <summary>
/// A record visible from two places: a transfer is the sending school's and the receiving school's business.
/// Read and written by users under either path.
/// </summary>
public interface IDualScoped : IScoped
{
    string? TargetPath { get; }
}

/// <summary>A request to change a student's status, with its approvals: dated, reasoned, attributable.</summary>
public sealed class StatusChange : IDualScoped, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public int Version { get; set; }
    public Guid StudentId { get; set; }
    public Student? Student { get; set; }
    public StatusChangeKind Kind { get; set; }
    public StatusChangeState State { get; set; } = StatusChangeState.Pending;
    public required string Reason { get; set; }
    public DateOnly EffectiveOn { get; set; }
    public DateTime RequestedAt { get; set; }
    public required string RequestedBy { get; set; }
    public Guid FromSchoolId { get; set; }
    public Guid? FromClassId { get; set; }
    public Guid? ToSchoolId { get; set; }
    public Guid? ToClassId { get; set; }
    /// <summary>For transfers out of the deployment: the receiving school as written on the request.</summary>
    public string? ExternalSchool { get; set; }
    /// <summary>休学: 预计复学日期.</summary>
    public DateOnly? ExpectedReturnOn { get; set; }
    /// <summary>证明材料: what was shown (hospital certificate number, approval document …).</summary>
    public string? Evidence { get; set; }
    /// <summary>The student's grade when the change took effect (set by <c>StatusChangeEffect</c>), so movement counts per grade.</summary>
    public int? Grade { get; set; }
    /// <summary>The stage now waiting, while pending.</summary>
    public ApprovalStage? AwaitingStage { get; set; }
    public DateTime? DecidedAt { get; set; }
    /// <summary>The student's path when requested (the sending side).</summary>
    public required string Path { get; set; }
    /// <summary>The receiving school's path, for transfers within the deployment.</summary>
    public string? TargetPath { get; set; }
    public List<StatusApproval> Approvals { get; set; } = [];
}

public sealed class StatusApproval
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid StatusChangeId { get; set; }
    public StatusChange? StatusChange { get; set; }
    public ApprovalStage Stage { get; set; }
    public bool Approved { get; set; }
    public required string DecidedBy { get; set; }
    public DateTime DecidedAt { get; set; }
    public string? Comment { get; set; }
}
