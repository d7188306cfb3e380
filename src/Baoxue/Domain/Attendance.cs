namespace Baoxue.Domain;

/// <summary>
/// A day that differs from the ordinary rule "a weekday inside a term is a school day": a holiday (节假日, 放假),
/// a make-up working day (调休上课) on a weekend, or a school's own day off or on (a boarding school's rest week).
/// County rows (<see cref="SchoolId"/> null) hold for every school of the county; a school's row overrides the county's.
/// </summary>
public sealed class CalendarDay : IStructural
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateOnly Date { get; set; }
    /// <summary>True for a make-up working day or a school's extra day; false for a holiday or a school's day off.</summary>
    public bool IsSchoolDay { get; set; }
    /// <summary>What the day is ("国庆节", "国庆调休上课", "住校生月假").</summary>
    public required string Name { get; set; }
    public Guid? SchoolId { get; set; }
    /// <summary>The county's path, or the school's for its own override.</summary>
    public required string Path { get; set; }
}

/// <summary>缺勤类别: what the head teacher marks for a child who is not simply present.</summary>
public enum AttendanceKind
{
    /// <summary>缺勤 (no leave): the kind the absence clock counts.</summary>
    Absent = 1,
    /// <summary>迟到.</summary>
    Late = 2,
    /// <summary>早退.</summary>
    LeftEarly = 3,
    /// <summary>请假: excused, whether or not a leave request was filed.</summary>
    OnLeave = 4,
}

/// <summary>
/// One class's attendance on one day (lesson 0: the head teacher's daily roll) or for one lesson (a subject
/// teacher's). The row says it was taken; the exceptions hang off its submissions. Everyone else was present.
/// </summary>
public sealed class AttendanceRecord : IScoped, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>Two corrections sent at once: one moves the record on, the other retries on what it now reads.</summary>
    public int Version { get; set; }
    public Guid ClassId { get; set; }
    public SchoolClass? Class { get; set; }
    public Guid SchoolId { get; set; }
    public DateOnly Date { get; set; }
    /// <summary>0 for the day's roll; 1–12 for a lesson (第几节).</summary>
    public int Lesson { get; set; }
    /// <summary>The submission in force: corrections add one and move this on, earlier ones stay as history.</summary>
    public Guid CurrentSubmissionId { get; set; }
    public int Revision { get; set; }
    /// <summary>How many children were on the roll when it was taken (the present count is this less the exceptions).</summary>
    public int OnRoll { get; set; }
    public int Absent { get; set; }
    public DateTime FirstSubmittedAt { get; set; }
    public required string Path { get; set; }
    public List<AttendanceSubmission> Submissions { get; set; } = [];
}

/// <summary>One submission of a record (the first, or a same-day correction), with the client's key that makes a retry harmless.</summary>
public sealed class AttendanceSubmission
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RecordId { get; set; }
    public AttendanceRecord? Record { get; set; }
    /// <summary>The phone's key for this submission: sending it again answers the first result and writes nothing.</summary>
    public required string ClientKey { get; set; }
    public int Revision { get; set; }
    public required string SubmittedBy { get; set; }
    public DateTime SubmittedAt { get; set; }
    public List<AttendanceMark> Marks { get; set; } = [];
}

/// <summary>One child who was not simply present, in one submission.</summary>
public sealed class AttendanceMark
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SubmissionId { get; set; }
    public AttendanceSubmission? Submission { get; set; }
    public Guid StudentId { get; set; }
    public Student? Student { get; set; }
    public AttendanceKind Kind { get; set; }
    public string? Reason { get; set; }
}

public enum LeaveKind
{
    /// <summary>病假.</summary>
    Sick = 1,
    /// <summary>事假.</summary>
    Personal = 2,
}

public enum LeaveState
{
    /// <summary>Longer than the setting: waiting for the school.</summary>
    Pending = 1,
    Approved = 2,
    Refused = 3,
}

/// <summary>请假: a guardian's request, recorded by the head teacher; long ones need the school's approval.</summary>
public sealed class LeaveRequest : IScoped, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public int Version { get; set; }
    public Guid StudentId { get; set; }
    public Student? Student { get; set; }
    public LeaveKind Kind { get; set; }
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    /// <summary>School days the leave covers, by the school's calendar when it was recorded.</summary>
    public int SchoolDays { get; set; }
    public required string Reason { get; set; }
    /// <summary>Who asked: the guardian's name as they gave it.</summary>
    public required string RequestedByGuardian { get; set; }
    public LeaveState State { get; set; }
    public required string RecordedBy { get; set; }
    public DateTime RecordedAt { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? DecisionNote { get; set; }
    public required string Path { get; set; }
}

/// <summary>控辍 stage of a child's absence clock, in the order the clock moves through them.</summary>
public enum ClockStage
{
    /// <summary>Not running: the child is attending.</summary>
    None = 0,
    /// <summary>First unexcused day: the head teacher contacts the guardian.</summary>
    FollowUp = 1,
    /// <summary>N consecutive unexcused school days: the school must act by a deadline.</summary>
    SchoolAlerted = 2,
    /// <summary>Still not back: on the ledger as a suspected dropout.</summary>
    SuspectedDropout = 3,
    /// <summary>A further period without return: a dropout.</summary>
    Dropout = 4,
}

/// <summary>
/// The stored state of one child's absence clock as the last daily run computed it (the run recomputes it from the
/// calendar, absences, leave and status each time, so a rerun changes nothing). One row per child who has ever had one.
/// </summary>
public sealed class AbsenceClock : IScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid StudentId { get; set; }
    public Student? Student { get; set; }
    public ClockStage Stage { get; set; }
    /// <summary>First unexcused school day of the current run of absences.</summary>
    public DateOnly? FirstDay { get; set; }
    /// <summary>Unexcused school days counted so far in this run.</summary>
    public int DaysCounted { get; set; }
    public DateOnly? AlertedOn { get; set; }
    /// <summary>The school must have acted (a home visit, a report) by this date.</summary>
    public DateOnly? ActBy { get; set; }
    public DateOnly? SuspectedOn { get; set; }
    public DateOnly? DropoutDue { get; set; }
    public DateOnly? DropoutOn { get; set; }
    /// <summary>Paused by approved leave, suspension or deferral (the string-table key of why), or null.</summary>
    public string? PausedBy { get; set; }
    /// <summary>The child came back on this day and the clock stopped.</summary>
    public DateOnly? ReturnedOn { get; set; }
    /// <summary>The school recorded what it did about the alert.</summary>
    public string? SchoolAction { get; set; }
    public DateTime? SchoolActedAt { get; set; }
    public DateOnly EvaluatedOn { get; set; }
    public required string Path { get; set; }
}

/// <summary>The head teacher's contact with a guardian about an absence: who was reached, what they said.</summary>
public sealed class AbsenceFollowUp : IScoped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid StudentId { get; set; }
    public Student? Student { get; set; }
    /// <summary>The run of absences it answers (the clock's first day).</summary>
    public DateOnly FirstDay { get; set; }
    public required string Reached { get; set; }
    public required string Said { get; set; }
    public required string RecordedBy { get; set; }
    public DateTime RecordedAt { get; set; }
    public required string Path { get; set; }
}

/// <summary>One daily clock run per county day: the row that makes the run happen once, and a record of what it did.</summary>
public sealed class ClockRun
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateOnly Date { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public int Evaluated { get; set; }
    public int Changed { get; set; }
    public int Reported { get; set; }
    public required string Instance { get; set; }
}
