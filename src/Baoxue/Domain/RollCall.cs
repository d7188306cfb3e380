namespace Baoxue.Domain;

/// <summary>进班点名 campaign: the county opens one each March and September.</summary>
public sealed class RollCallCampaign : IScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SchoolYearId { get; set; }
    public required string Title { get; set; }
    public DateOnly OpensOn { get; set; }
    public DateOnly ClosesOn { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>The county's path: the campaign covers every class under it.</summary>
    public required string Path { get; set; }
}

public enum RollCallState
{
    Open = 1,
    Confirmed = 2,
    Attested = 3,
}

/// <summary>One class's return in a campaign: confirmed by the head teacher, attested by head teacher and principal.</summary>
public sealed class RollCallReturn : IScoped, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public int Version { get; set; }
    public Guid CampaignId { get; set; }
    public Guid ClassId { get; set; }
    public SchoolClass? Class { get; set; }
    public Guid SchoolId { get; set; }
    public RollCallState State { get; set; } = RollCallState.Open;
    public string? ConfirmedBy { get; set; }
    public DateTime? ConfirmedAt { get; set; }
    public string? PrincipalAttestedBy { get; set; }
    public DateTime? PrincipalAttestedAt { get; set; }
    public required string Path { get; set; }
    public List<RollCallMark> Marks { get; set; } = [];
}

public enum RollCallMarkKind
{
    Present = 1,
    AbsentWithReason = 2,
    /// <summary>On the roll but not in school: a ghost enrolment (空挂学籍) until explained.</summary>
    NotInSchool = 3,
    /// <summary>In the classroom but not on this class's roll: split enrolment (人籍分离).</summary>
    PresentNotOnRoll = 4,
}

public sealed class RollCallMark : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public int Version { get; set; }
    public Guid ReturnId { get; set; }
    public RollCallReturn? Return { get; set; }
    public Guid? StudentId { get; set; }
    public Student? Student { get; set; }
    public RollCallMarkKind Kind { get; set; }
    /// <summary>The child's name as found, for a child present but not on the roll.</summary>
    public string? Name { get; set; }
    public string? Reason { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public string? Resolution { get; set; }

    public bool IsAnomaly => Kind is RollCallMarkKind.NotInSchool or RollCallMarkKind.PresentNotOnRoll;
}
