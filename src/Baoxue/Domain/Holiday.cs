namespace Baoxue.Domain;

/// <summary>寒假 or 暑假: the break after a school year's first term (winter) or second term (summer).</summary>
public enum HolidayKind
{
    Winter = 1,
    Summer = 2,
}

public enum HolidayPlanState
{
    /// <summary>Being written by the school.</summary>
    Draft = 1,
    /// <summary>Filed with the county.</summary>
    Submitted = 2,
    /// <summary>Sent back by the county with a reason: the school corrects and files again.</summary>
    Returned = 3,
}

/// <summary>
/// 寒暑假控辍预案: one school's plan for one holiday. Visible (read) up the school's line like a structural record, so
/// a head teacher reads the plan their class is part of; changed only within the school's reach.
/// </summary>
public sealed class HolidayPlan : IStructural
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SchoolId { get; set; }
    public School? School { get; set; }
    /// <summary>The school year (its first calendar year) the holiday belongs to: the winter of 2026–27 and the summer of 2027 are 2026's.</summary>
    public int StartYear { get; set; }
    public HolidayKind Kind { get; set; }
    public HolidayPlanState State { get; set; } = HolidayPlanState.Draft;
    /// <summary>Free-text measures (措施): contacts with guardians, safety education, the township's part.</summary>
    public string? Measures { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? SubmittedBy { get; set; }
    public DateTime? SubmittedAt { get; set; }
    public string? ReturnedBy { get; set; }
    public DateTime? ReturnedAt { get; set; }
    public string? ReturnReason { get; set; }
    /// <summary>The school's path.</summary>
    public required string Path { get; set; }
}

/// <summary>A child the plan names (a priority student) and the staff member who watches them over the holiday.</summary>
public sealed class HolidayWatch : IScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PlanId { get; set; }
    public Guid StudentId { get; set; }
    public Student? Student { get; set; }
    public Guid? StaffId { get; set; }
    public Staff? Staff { get; set; }
    /// <summary>Why the child is a priority, as written when the plan was drawn up (留守儿童、建档立卡、曾列入台账 …).</summary>
    public required string Why { get; set; }
    /// <summary>The child's path: the head teacher reaches the rows of their class.</summary>
    public required string Path { get; set; }
}

/// <summary>A home visit the plan schedules (家访计划): who goes to which child, and when.</summary>
public sealed class HolidayVisitPlan : IScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PlanId { get; set; }
    public Guid StudentId { get; set; }
    public Student? Student { get; set; }
    public Guid StaffId { get; set; }
    public Staff? Staff { get; set; }
    public DateOnly PlannedOn { get; set; }
    public required string Path { get; set; }
}

/// <summary>A home visit done during the holiday, recorded on a phone; the client's key makes a retry record it once.</summary>
public sealed class HolidayVisit : IScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PlanId { get; set; }
    public Guid StudentId { get; set; }
    public Student? Student { get; set; }
    public DateOnly VisitedOn { get; set; }
    /// <summary>Who was met (the child, a grandparent, nobody home …).</summary>
    public required string Met { get; set; }
    public required string Said { get; set; }
    public required string ClientKey { get; set; }
    public required string RecordedBy { get; set; }
    public DateTime RecordedAt { get; set; }
    public required string Path { get; set; }
}

/// <summary>Why a child was not back at the start of term. The first three are excused; the others start the absence clock.</summary>
public enum NotBackReason
{
    /// <summary>转学 (papers on the way).</summary>
    Transferred = 1,
    /// <summary>病假.</summary>
    SickLeave = 2,
    /// <summary>事假 (the guardian asked).</summary>
    PersonalLeave = 3,
    /// <summary>原因不明.</summary>
    Unknown = 4,
    /// <summary>外出务工 or gone with parents who work away.</summary>
    WorkingAway = 5,
    /// <summary>其他 (no leave).</summary>
    Other = 6,
}

/// <summary>开学返校核查: a head teacher's confirmation of every child of a class at the start of a term.</summary>
public sealed class ReturnCheck : IScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TermId { get; set; }
    public Guid ClassId { get; set; }
    public SchoolClass? Class { get; set; }
    public Guid SchoolId { get; set; }
    /// <summary>The school day the check was made: the day the not-back children's absence is marked on the roll.</summary>
    public DateOnly Date { get; set; }
    public int OnRoll { get; set; }
    public int NotBack { get; set; }
    public int Unexcused { get; set; }
    public required string ConfirmedBy { get; set; }
    public DateTime ConfirmedAt { get; set; }
    public required string ClientKey { get; set; }
    /// <summary>The class's path.</summary>
    public required string Path { get; set; }
    public List<ReturnCheckStudent> Students { get; set; } = [];
}

/// <summary>A child not back, with the reason the head teacher gave (the others on the roll returned).</summary>
public sealed class ReturnCheckStudent : IScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CheckId { get; set; }
    public Guid StudentId { get; set; }
    public Student? Student { get; set; }
    public NotBackReason Reason { get; set; }
    public string? Note { get; set; }
    public required string Path { get; set; }

    public static bool Excused(NotBackReason reason) => reason is NotBackReason.Transferred or NotBackReason.SickLeave or NotBackReason.PersonalLeave;
}
