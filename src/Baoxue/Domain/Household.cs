namespace Baoxue.Domain;

/// <summary>户籍人口 or 流动人口, as public security lists them.</summary>
public enum Residency
{
    Resident = 1,
    Floating = 2,
}

/// <summary>
/// A child in the household data from public security (户籍数据), 0–18. The ID is stored like a student's: encrypted,
/// with its keyed hash for matching and its masked form for lists. <see cref="Path"/> is the household's village (or
/// township) so that a village cadre sees the children of their village.
/// </summary>
public sealed class HouseholdChild : IScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
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
    public Gender Gender { get; set; }
    public DateOnly BirthDate { get; set; }
    public string? Ethnicity { get; set; }
    /// <summary>The household's village (12 digits) or township (9 digits) division code.</summary>
    public required string DivisionCode { get; set; }
    public string? HouseholdAddress { get; set; }
    public HouseholdType? HouseholdType { get; set; }
    /// <summary>与户主关系, as written (子, 女, 孙子…).</summary>
    public string? RelationToHead { get; set; }
    public string? GuardianName { get; set; }
    public string? GuardianPhone { get; set; }
    public string? SecondGuardianName { get; set; }
    public string? SecondGuardianPhone { get; set; }
    public Residency Residency { get; set; } = Residency.Resident;
    public DateTime ImportedAt { get; set; }
    /// <summary>When rows of the data were the same child: which rows were merged and which values were kept.</summary>
    public string? MergeNote { get; set; }
    public required string Path { get; set; }
}

/// <summary>The age band on the cut-off date (default 31 August).</summary>
public enum AgeBand
{
    /// <summary>Under three.</summary>
    Infant = 0,
    /// <summary>3–6: pre-school.</summary>
    PreSchool = 1,
    /// <summary>7–12: primary.</summary>
    Primary = 2,
    /// <summary>13–15: junior secondary.</summary>
    JuniorSecondary = 3,
    /// <summary>Over fifteen.</summary>
    Older = 4,
}

/// <summary>Where the reconciliation found a child.</summary>
public enum ReconciliationOutcome
{
    /// <summary>In school in this county.</summary>
    InSchoolHere = 1,
    /// <summary>In school elsewhere in this deployment (the school is named).</summary>
    InSchoolElsewhere = 2,
    /// <summary>Special education school or home teaching (送教上门).</summary>
    SpecialEducation = 3,
    /// <summary>Approved deferral or exemption.</summary>
    DeferredOrExempted = 4,
    /// <summary>Deceased, with evidence.</summary>
    Deceased = 5,
    /// <summary>Moved away (out of the deployment), with evidence.</summary>
    MovedAway = 6,
    /// <summary>Registered, but dropped out.</summary>
    LeftSchool = 7,
    /// <summary>Finished school (graduated).</summary>
    Graduated = 8,
    /// <summary>Candidates wait for a person's decision.</summary>
    AwaitingDecision = 9,
    /// <summary>Not found in the registry.</summary>
    NotFound = 10,
}

public enum MatchKind
{
    None = 0,
    /// <summary>The same ID number (keyed hash).</summary>
    Exact = 1,
    /// <summary>A scored candidate a person accepted.</summary>
    Accepted = 2,
    /// <summary>Recorded by a person (deceased, moved away, home teaching) with evidence.</summary>
    Recorded = 3,
}

/// <summary>One run of the reconciliation for a county: when, on which cut-off date, by whom, and its counts.</summary>
public sealed class ReconciliationRun : IScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateOnly CutOff { get; set; }
    public DateTime StartedAt { get; set; }
    public required string StartedBy { get; set; }
    public int Children { get; set; }
    public int Exact { get; set; }
    public int Candidates { get; set; }
    public int NotFound { get; set; }
    public int Reported { get; set; }
    public long PairsScored { get; set; }
    public int Milliseconds { get; set; }
    /// <summary>The county's path.</summary>
    public required string Path { get; set; }
}

/// <summary>
/// A household child's reconciliation result: one per child, updated by every run. A person's decision (an accepted
/// candidate, a recorded outcome with evidence) is kept by later runs.
/// </summary>
public sealed class ReconciliationResult : IScoped, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid HouseholdChildId { get; set; }
    public HouseholdChild? HouseholdChild { get; set; }
    public Guid RunId { get; set; }
    public AgeBand AgeBand { get; set; }
    public ReconciliationOutcome Outcome { get; set; }
    public MatchKind Match { get; set; }
    public Guid? StudentId { get; set; }
    public Student? Student { get; set; }
    /// <summary>The student's school, named (for a school elsewhere in the deployment too).</summary>
    public Guid? SchoolId { get; set; }
    public School? School { get; set; }
    /// <summary>The school's name as found, kept so a cadre sees it even when the school lies outside their jurisdiction.</summary>
    public string? SchoolName { get; set; }
    /// <summary>The school nearest the household (its village's, else its township's): the school line of 两线劝返.</summary>
    public Guid? NearestSchoolId { get; set; }
    public School? NearestSchool { get; set; }
    public string? Evidence { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    /// <summary>The ledger entry the not-found child was reported as (适龄未入学).</summary>
    public Guid? LedgerEntryId { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
    public required string Path { get; set; }

    public bool DecidedByPerson => DecidedBy is not null;
}

public enum CandidateState
{
    Pending = 1,
    Accepted = 2,
    Rejected = 3,
}

/// <summary>A registry student scored as possibly the household child, with every part of the score.</summary>
public sealed class MatchCandidate : IScoped, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ResultId { get; set; }
    public ReconciliationResult? Result { get; set; }
    public Guid StudentId { get; set; }
    public Student? Student { get; set; }
    public int Score { get; set; }
    public double NameSimilarity { get; set; }
    public int NameAgreement { get; set; }
    public int Days { get; set; }
    public int Place { get; set; }
    public CandidateState State { get; set; } = CandidateState.Pending;
    public string? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    public int Version { get; set; }
    /// <summary>The household child's path: the candidate is decided where the child lives.</summary>
    public required string Path { get; set; }
}
