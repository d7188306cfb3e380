namespace Baoxue.Domain;

/// <summary>Which transition a check follows: 小升初 (grade 6 → grade 7) or 幼升小 (school age → grade 1).</summary>
public enum TransitionKind
{
    /// <summary>小升初: every grade-6 leaver must appear as a grade-7 entrant somewhere.</summary>
    PrimaryToJunior = 1,
    /// <summary>幼升小: every child of entry age in the household data must appear as a grade-1 entrant.</summary>
    EntryToPrimary = 2,
}

public enum TransitionState
{
    /// <summary>Not found as an entrant.</summary>
    Missing = 1,
    /// <summary>Found by a later check.</summary>
    Found = 2,
    /// <summary>Explained by a person (school outside the deployment, moved away…) with a note.</summary>
    FollowedUp = 3,
    /// <summary>Still missing after the deadline: on the ledger.</summary>
    Reported = 4,
}

/// <summary>
/// A child a transition check did not find as an entrant, kept so that follow-up and the ledger report survive reruns:
/// one row per (kind, year, child). <see cref="SubjectId"/> is the leaver's student id (小升初) or the household child's
/// id (幼升小). <see cref="Path"/> is the leaver's school or the child's village.
/// </summary>
public sealed class TransitionCase : IScoped, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public TransitionKind Kind { get; set; }
    /// <summary>The year of the cut-off (the autumn of entry).</summary>
    public int Year { get; set; }
    public Guid SubjectId { get; set; }
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
    public Gender Gender { get; set; }
    public DateOnly BirthDate { get; set; }
    public string? IdNumberMasked { get; set; }
    /// <summary>Where the child comes from: the primary school left, or the household village.</summary>
    public string? From { get; set; }
    public TransitionState State { get; set; } = TransitionState.Missing;
    public Guid? FoundStudentId { get; set; }
    public string? FollowUp { get; set; }
    public string? FollowUpBy { get; set; }
    public DateTime? FollowUpAt { get; set; }
    public Guid? LedgerEntryId { get; set; }
    public DateTime CheckedAt { get; set; }
    public required string Path { get; set; }
    public int Version { get; set; }
}

public enum EntryNoticeState
{
    Issued = 1,
    /// <summary>The receipt slip came back signed by the guardian.</summary>
    Returned = 2,
}

/// <summary>
/// 入学通知书: issued by the catchment school to a household child of entry age, numbered 〔年份〕N号 per school and
/// year without gaps, printed in batch. Enrolment is read from the registry (a grade-1 student with the child's ID).
/// </summary>
public sealed class EntryNotice : IScoped, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid HouseholdChildId { get; set; }
    public HouseholdChild? HouseholdChild { get; set; }
    public Guid SchoolId { get; set; }
    public School? School { get; set; }
    public int Year { get; set; }
    public int Sequence { get; set; }
    public required string Number { get; set; }
    public DateOnly IssuedOn { get; set; }
    public required string IssuedBy { get; set; }
    public EntryNoticeState State { get; set; } = EntryNoticeState.Issued;
    public DateOnly? ReturnedOn { get; set; }
    public string? ReturnedBy { get; set; }
    /// <summary>The child's household village: the village cadre hands the notice over and brings the slip back.</summary>
    public required string Path { get; set; }
    public int Version { get; set; }
}

/// <summary>What the census found a child to be, after merging against the registry and the household data.</summary>
public enum CensusMatch
{
    /// <summary>In school (a registry record, in school or suspended).</summary>
    InSchool = 1,
    /// <summary>In the registry, but not in school (left, deferred…).</summary>
    RegistryNotInSchool = 2,
    /// <summary>In the household data only: no registry record.</summary>
    HouseholdOnly = 3,
    /// <summary>Neither: 无户籍 or a floating child unknown to both.</summary>
    Unknown = 4,
}

/// <summary>学户普查: one household visited door to door by a village cadre.</summary>
public sealed class CensusVisit : IScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>The village's 12-digit division code.</summary>
    public required string DivisionCode { get; set; }
    public required string HeadName { get; set; }
    public required string Address { get; set; }
    public DateOnly VisitedOn { get; set; }
    public required string RecordedBy { get; set; }
    public DateTime RecordedAt { get; set; }
    /// <summary>Set by the phone form so that a retried submission records the visit once.</summary>
    public string? ClientKey { get; set; }
    public List<CensusChild> Children { get; set; } = [];
    /// <summary>The village's path.</summary>
    public required string Path { get; set; }
}

/// <summary>A child recorded on a census visit, with what the merge found.</summary>
public sealed class CensusChild : IScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid VisitId { get; set; }
    public CensusVisit? Visit { get; set; }
    public required string Name { get; set; }
    public string? IdNumberCipher { get; set; }
    public string? IdNumberHash { get; set; }
    public string? IdNumberMasked { get; set; }
    public Gender Gender { get; set; }
    public DateOnly BirthDate { get; set; }
    /// <summary>无户籍: the child has no household registration at all.</summary>
    public bool NoRegistration { get; set; }
    /// <summary>流动儿童: living here, registered elsewhere.</summary>
    public bool Floating { get; set; }
    /// <summary>Where the family says the child goes to school, as said.</summary>
    public string? SchoolSaid { get; set; }
    public CensusMatch Match { get; set; }
    public Guid? StudentId { get; set; }
    public Guid? HouseholdChildId { get; set; }
    public string? SchoolName { get; set; }
    public Guid? LedgerEntryId { get; set; }
    public required string Path { get; set; }
}
