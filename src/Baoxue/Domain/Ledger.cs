using Baoxue.Features.Ledger;

namespace Baoxue.Domain;

/// <summary>Where a ledger entry stands (核查 → 审核 → 确认建档 or 销号 with the reason).</summary>
public enum LedgerEntryState
{
    /// <summary>已报告: waiting for the responsible person's verification.</summary>
    Reported = 1,
    /// <summary>核查中: sent back by the supervisor, verified again.</summary>
    Verifying = 2,
    /// <summary>待审核: verified, waiting for the supervisor.</summary>
    AwaitingApproval = 3,
    /// <summary>已确认: an out-of-school child; the case is open.</summary>
    Confirmed = 4,
    /// <summary>已关闭: not a dropout (with the reason), or the case was closed out.</summary>
    Closed = 5,
}

/// <summary>核查结论: what verification found.</summary>
public enum VerificationOutcome
{
    /// <summary>确属失学辍学.</summary>
    Dropout = 1,
    /// <summary>在外地（或县内他校）就读: the school is named.</summary>
    StudyingElsewhere = 2,
    /// <summary>已办理转学.</summary>
    Transferred = 3,
    /// <summary>出国（境）.</summary>
    Abroad = 4,
    /// <summary>死亡.</summary>
    Deceased = 5,
    /// <summary>经批准延缓入学或免予入学.</summary>
    DeferredOrExempted = 6,
    /// <summary>重复登记.</summary>
    Duplicate = 7,
    /// <summary>超龄（已满 16 周岁或已完成义务教育）.</summary>
    OverAge = 8,
}

/// <summary>Why an entry was closed.</summary>
public enum LedgerClosure
{
    /// <summary>Verification found no dropout (see <see cref="LedgerEntry.Outcome"/>).</summary>
    NotADropout = 1,
    /// <summary>The child's case was closed out (销号).</summary>
    CaseClosed = 2,
    /// <summary>The child came back before verification (an absence that ended).</summary>
    Returned = 3,
}

/// <summary>
/// One child on the ledger (台账): a registry student (<see cref="StudentId"/>) or a child never enrolled (named here).
/// Visible under the school's path (<see cref="Path"/>) and under the place the child lives (<see cref="ResidencePath"/>),
/// so village and township cadres see the children living in their places (decision 0020).
/// </summary>
public sealed class LedgerEntry : IDualScoped, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public int Version { get; set; }
    /// <summary>
    /// Who the child is, as one string: "S:{studentId}", "I:{ID hash}" or "N:{name}|{birth date}|{household code}".
    /// At most one open entry per key (a partial unique index).
    /// </summary>
    public required string ChildKey { get; set; }
    public Guid? StudentId { get; set; }
    public Student? Student { get; set; }
    public required string Name
    {
        get => _name;
        set
        {
            _name = value;
            NameKey = PinyinOrder.Key(value);
        }
    }
    private string _name = "";
    public string NameKey { get; set; } = "";
    public string? IdNumberCipher { get; set; }
    public string? IdNumberHash { get; set; }
    public string? IdNumberMasked { get; set; }
    public DateOnly BirthDate { get; set; }
    public Gender Gender { get; set; }
    /// <summary>户籍/居住地: the village or township division code where the child lives.</summary>
    public string? HouseholdDivisionCode { get; set; }
    public string? HouseholdAddress { get; set; }
    /// <summary>The school the child was enrolled in when reported (registry students).</summary>
    public Guid? SchoolId { get; set; }
    public School? School { get; set; }
    public int? Grade { get; set; }

    public LedgerList List { get; set; }
    public LedgerEntryState State { get; set; } = LedgerEntryState.Reported;
    public LedgerSource Source { get; set; }
    public required string SourceKey { get; set; }
    public required string Reason { get; set; }
    public DateOnly ReportedOn { get; set; }
    public DateTime ReportedAt { get; set; }
    public required string ReportedBy { get; set; }
    /// <summary>新增台账: the child had never been on the ledger before this entry.</summary>
    public bool IsNew { get; set; }

    public VerificationOutcome? Outcome { get; set; }
    /// <summary>For <see cref="VerificationOutcome.StudyingElsewhere"/>: the school, as named.</summary>
    public string? ElsewhereSchool { get; set; }
    public bool? ElsewhereInCounty { get; set; }
    public string? VerificationNote { get; set; }
    public string? VerifiedBy { get; set; }
    public DateTime? VerifiedAt { get; set; }
    public string? ApprovedBy { get; set; }
    public DateTime? ApprovedAt { get; set; }
    public string? ApprovalNote { get; set; }

    public LedgerClosure? Closure { get; set; }
    public DateOnly? ClosedOn { get; set; }

    /// <summary>The school's (class's) path for registry students; the residence path for children never enrolled.</summary>
    public required string Path { get; set; }
    /// <summary>The path of the village (or township) the child lives in, when known.</summary>
    public string? ResidencePath { get; set; }
    string? IDualScoped.TargetPath => ResidencePath;

    public LedgerCase? Case { get; set; }

    public bool IsOpen => State != LedgerEntryState.Closed;

    public static string KeyOfStudent(Guid studentId) => "S:" + studentId.ToString("N");
    public static string KeyOfId(string idHash) => "I:" + idHash;
    public static string KeyOfPerson(string name, DateOnly birthDate, string? householdCode) =>
        $"N:{name.Trim()}|{birthDate:yyyyMMdd}|{householdCode}";

    /// <summary>Applies a verification step (see <see cref="LedgerEntryFlow"/>); refuses an illegal one.</summary>
    public void Move(LedgerEntryTrigger trigger) => State = LedgerEntryFlow.Next(State, trigger);
}

/// <summary>Where a case stands (劝返: 分配 → 劝返中 → 已返校 → 跟踪 → 申请销号 → 已销号; 反弹 reopens).</summary>
public enum LedgerCaseState
{
    /// <summary>待分配: confirmed, the two lines are not both named yet.</summary>
    Opened = 1,
    /// <summary>已分配: both lines named.</summary>
    Assigned = 2,
    /// <summary>劝返中.</summary>
    Persuading = 3,
    /// <summary>已返校 (placed).</summary>
    Returned = 4,
    /// <summary>跟踪巩固.</summary>
    FollowUp = 5,
    /// <summary>申请销号.</summary>
    ClosingRequested = 6,
    /// <summary>已销号.</summary>
    Closed = 7,
    /// <summary>反弹: a new absence or suspicion during follow-up.</summary>
    Reopened = 8,
}

/// <summary>依法控辍 steps when guardians refuse (义务教育法 §5, §14, §58); the notices themselves are casework's.</summary>
public enum EscalationStep
{
    None = 0,
    /// <summary>批评教育.</summary>
    Criticism = 1,
    /// <summary>书面告知监护人.</summary>
    WrittenNotice = 2,
    /// <summary>责令限期改正.</summary>
    OrderToCorrect = 3,
    /// <summary>提请司法文书.</summary>
    JudicialReferral = 4,
    /// <summary>依法追究法律责任.</summary>
    LegalLiability = 5,
}

/// <summary>安置方式: where a returned child goes.</summary>
public enum PlacementKind
{
    OriginalSchool = 1,
    OtherSchool = 2,
    SpecialEducationSchool = 3,
    /// <summary>随班就读.</summary>
    RegularClass = 4,
    /// <summary>送教上门.</summary>
    HomeDelivered = 5,
    /// <summary>职业教育.</summary>
    Vocational = 6,
}

/// <summary>
/// A confirmed out-of-school child's case (劝返复学), with one person on each line (双线): the education line (school
/// leader, head teacher) and the government line (township or village cadre). Both are staff records, the named people
/// of the organisation; their accounts (AppUser.StaffId) receive the tasks (decision 0020).
/// </summary>
public sealed class LedgerCase : IDualScoped, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public int Version { get; set; }
    public Guid EntryId { get; set; }
    public LedgerEntry? Entry { get; set; }
    public LedgerCaseState State { get; set; } = LedgerCaseState.Opened;
    public DateTime OpenedAt { get; set; }

    public Guid? EducationStaffId { get; set; }
    public Staff? EducationStaff { get; set; }
    public Guid? GovernmentStaffId { get; set; }
    public Staff? GovernmentStaff { get; set; }
    public string? AssignedBy { get; set; }
    public DateTime? AssignedAt { get; set; }

    public EscalationStep Escalation { get; set; }

    public DateOnly? ReturnedOn { get; set; }
    public PlacementKind? Placement { get; set; }
    public Guid? PlacementSchoolId { get; set; }
    public string? PlacementNote { get; set; }
    public int? SuggestedGrade { get; set; }
    public DateOnly? FollowUpUntil { get; set; }
    public string? SupportPlan { get; set; }

    public string? CloseReason { get; set; }
    public string? CloseRequestedBy { get; set; }
    public DateTime? CloseRequestedAt { get; set; }
    public string? ClosedBy { get; set; }
    public DateTime? ClosedAt { get; set; }
    public int ReopenCount { get; set; }

    /// <summary>The entry's paths, copied so the case is scoped without a join.</summary>
    public required string Path { get; set; }
    public string? ResidencePath { get; set; }
    string? IDualScoped.TargetPath => ResidencePath;

    public List<PersuasionAttempt> Attempts { get; set; } = [];

    public bool IsOpen => State != LedgerCaseState.Closed;

    public void Move(LedgerCaseTrigger trigger)
    {
        State = LedgerCaseFlow.Next(State, trigger, hasReturned: ReturnedOn is not null);
        if (trigger == LedgerCaseTrigger.Reopen)
        {
            ReopenCount++;
        }
    }

    /// <summary>Moves one legal step on; only while persuading, and never back.</summary>
    public void Escalate(EscalationStep step)
    {
        if (State is not (LedgerCaseState.Persuading or LedgerCaseState.Reopened) || step <= Escalation)
        {
            throw new LedgerTransitionException("Case", State.ToString(), "Escalate");
        }
        Escalation = step;
    }
}

/// <summary>劝返方式.</summary>
public enum PersuasionMethod
{
    /// <summary>家访.</summary>
    HomeVisit = 1,
    /// <summary>电话.</summary>
    Phone = 2,
    /// <summary>到校面谈.</summary>
    SchoolMeeting = 3,
    /// <summary>书面信函.</summary>
    Letter = 4,
}

/// <summary>态度 (of the guardians, of the child).</summary>
public enum PersuasionAttitude
{
    Supportive = 1,
    Hesitant = 2,
    Refusing = 3,
    NotMet = 4,
}

/// <summary>结果 of one attempt.</summary>
public enum PersuasionOutcome
{
    /// <summary>同意返校.</summary>
    AgreedToReturn = 1,
    /// <summary>仍在考虑.</summary>
    Considering = 2,
    /// <summary>拒绝.</summary>
    Refused = 3,
    /// <summary>未见到人.</summary>
    NotReached = 4,
}

/// <summary>One persuasion attempt (劝返记录): who went, how, whom they met, what was said and what comes next.</summary>
public sealed class PersuasionAttempt : IDualScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CaseId { get; set; }
    public LedgerCase? Case { get; set; }
    public DateOnly On { get; set; }
    /// <summary>参与人员: the people who went, as written (several names, 、-separated).</summary>
    public required string People { get; set; }
    public PersuasionMethod Method { get; set; }
    /// <summary>见到的人 (父亲、祖母 …).</summary>
    public string? Met { get; set; }
    public required string Said { get; set; }
    public PersuasionAttitude GuardianAttitude { get; set; }
    public PersuasionAttitude ChildAttitude { get; set; }
    public PersuasionOutcome Outcome { get; set; }
    public string? NextStep { get; set; }
    public DateOnly? NextOn { get; set; }
    public required string RecordedBy { get; set; }
    public DateTime RecordedAt { get; set; }
    public required string Path { get; set; }
    public string? ResidencePath { get; set; }
    string? IDualScoped.TargetPath => ResidencePath;
}

/// <summary>
/// One report received by the ledger (<see cref="ILedgerIntake"/>, tips, imports): the idempotency record of
/// its source key, and the history of what each source said about the child.
/// </summary>
public sealed class LedgerReportReceipt : IDualScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid EntryId { get; set; }
    public LedgerSource Source { get; set; }
    public required string SourceKey { get; set; }
    public LedgerList List { get; set; }
    public required string Reason { get; set; }
    public DateOnly ReportedOn { get; set; }
    public DateTime ReceivedAt { get; set; }
    public LedgerIntakeOutcome Outcome { get; set; }
    public required string Path { get; set; }
    public string? ResidencePath { get; set; }
    string? IDualScoped.TargetPath => ResidencePath;
}
