namespace Baoxue.Features.Ledger;

/// <summary>The national three lists (三类名单). One ledger entry is on exactly one list at a time.</summary>
public enum LedgerList
{
    /// <summary>适龄未入学: school-age children not enrolled.</summary>
    NotEnrolled = 1,
    /// <summary>疑似辍学: suspected dropouts.</summary>
    SuspectedDropout = 2,
    /// <summary>辍学: dropouts.</summary>
    Dropout = 3,
}

/// <summary>Where a ledger entry came from (shown as its source beside 新增台账).</summary>
public enum LedgerSource
{
    /// <summary>A hand-entered tip (线索) from a user.</summary>
    Tip = 1,
    /// <summary>The registry's unconfirmed-transfer list.</summary>
    UnconfirmedTransfer = 2,
    /// <summary>A member department's list (poverty office, disabled persons' federation, civil affairs).</summary>
    DepartmentList = 3,
    /// <summary>The absence clock (attendance).</summary>
    Attendance = 4,
    /// <summary>Household reconciliation (人籍比对) and transition checks.</summary>
    Reconciliation = 5,
    /// <summary>A roll call's not-in-school mark.</summary>
    RollCall = 6,
}

/// <summary>A child with no registry record (never enrolled), as the source knows them.</summary>
public sealed record UnregisteredChild(
    string Name,
    string? IdNumber,
    DateOnly BirthDate,
    Domain.Gender Gender,
    /// <summary>Household place: a village or township division code of the county.</summary>
    string HouseholdDivisionCode,
    string? HouseholdAddress);

/// <summary>
/// What another feature reports to the ledger. Exactly one of <see cref="StudentId"/> and <see cref="Child"/> is set.
/// <see cref="SourceKey"/> makes the report idempotent per source (e.g. "attendance:{studentId}:{firstDay}"):
/// reporting the same key twice changes nothing the second time.
/// </summary>
public sealed record LedgerReport(
    Guid? StudentId,
    UnregisteredChild? Child,
    LedgerList List,
    LedgerSource Source,
    string SourceKey,
    /// <summary>Why, in words a user reads on the entry (e.g. "连续 6 个上课日无故缺勤").</summary>
    string Reason,
    DateOnly ReportedOn);

public enum LedgerIntakeOutcome
{
    /// <summary>A new entry was opened (marked 新增台账 when the child was not on the ledger before).</summary>
    Opened = 1,
    /// <summary>The child already has an open entry; it was left as it was (or moved to a more serious list).</summary>
    AlreadyOpen = 2,
    /// <summary>The child's case was in follow-up and has been reopened (反弹).</summary>
    Reopened = 3,
    /// <summary>The same source key was reported before; nothing changed.</summary>
    Duplicate = 4,
}

public sealed record LedgerIntakeResult(LedgerIntakeOutcome Outcome, Guid EntryId);

/// <summary>
/// The one internal entry point by which other features (attendance's absence clock, household reconciliation,
/// roll calls) put a child on the ledger or move them to a more serious list. Runs inside the caller's
/// <c>BaoxueDb</c> unit of work (the caller saves), is audited like any ledger transition, and works for the
/// system user (background jobs) as well as for a signed-in one.
/// </summary>
public interface ILedgerIntake
{
    Task<LedgerIntakeResult> ReportAsync(LedgerReport report, CancellationToken ct);

    /// <summary>
    /// The child came back to school (attendance): tells the ledger so an open suspected-dropout entry from
    /// <paramref name="source"/> can be closed or its case move to return. No-op when the child has no open entry.
    /// </summary>
    Task ReturnedAsync(Guid studentId, LedgerSource source, DateOnly on, CancellationToken ct);
}
