using Baoxue.Domain;

namespace Baoxue.Features.Ledger;

/// <summary>The <c>Ledger</c> section of the settings.</summary>
public sealed class LedgerOptions
{
    /// <summary>Working days (工作日: weekdays and make-up days, less the county's holidays) the responsible person has to verify a new entry.</summary>
    public int VerifyDays { get; set; } = 5;
    /// <summary>Working days the supervisor has to approve a verification.</summary>
    public int ApproveDays { get; set; } = 3;
    /// <summary>Working days to name a confirmed child's two lines.</summary>
    public int AssignDays { get; set; } = 3;
    /// <summary>A case with no attempt for this many calendar days (日) is highlighted (应劝尽劝).</summary>
    public int NoAttemptDays { get; set; } = 14;
    /// <summary>When a case has no attempt yet, the first is due this many calendar days (日) after assignment: home visits are made on any day.</summary>
    public int FirstAttemptDays { get; set; } = 7;
    /// <summary>Largest department list accepted, in megabytes.</summary>
    public int MaxImportMegabytes { get; set; } = 10;
}

/// <summary>
/// Who may act on a ledger record: pure rules over a role and a jurisdiction (like ApprovalChain.Actor), decided
/// where the authorization matrix's permission has already let the user in.
/// </summary>
public static class LedgerRules
{
    public sealed record Actor(Role? Role, string? ScopePath, string UserName)
    {
        /// <summary>The system (no jurisdiction) acts everywhere.</summary>
        public bool Covers(string? path) => path is not null && (ScopePath is null || PlacePath.IsWithin(path, ScopePath));
        public bool CoversEither(string path, string? residence) => Covers(path) || Covers(residence);
        public bool IsBureau => Role is Domain.Role.CountyAdmin or Domain.Role.BureauStaff || (Role is null && ScopePath is null);
        /// <summary>Supervisors see only the overdue tasks of the people below them.</summary>
        public bool IsSupervisor => IsBureau || Role is Domain.Role.TownshipCadre;
    }

    public static bool MayVerify(Actor a, string path, string? residence) =>
        (a.Role is null ? a.ScopePath is null : a.Role.Value.Allows(Permission.LedgerVerify)) && a.CoversEither(path, residence);

    /// <summary>The bureau for any child in its reach; a township for the children living in its villages. Never one's own verification.</summary>
    public static bool MayApprove(Actor a, string path, string? residence, string? verifiedBy) =>
        verifiedBy != a.UserName
        && ((a.IsBureau && a.CoversEither(path, residence)) || (a.Role == Domain.Role.TownshipCadre && a.Covers(residence)));

    /// <summary>The county, or the township where the child lives or goes to school.</summary>
    public static bool MayAssign(Actor a, string path, string? residence) =>
        (a.IsBureau || a.Role == Domain.Role.TownshipCadre) && a.CoversEither(path, residence);

    /// <summary>What verification needs besides the outcome: the school for "studying elsewhere", a note always.</summary>
    public static IEnumerable<(string Field, string Key)> VerificationProblems(VerificationOutcome? outcome, string? school, string? note)
    {
        if (outcome is null)
        {
            yield return ("Outcome", "Ledger.OutcomeRequired");
        }
        if (outcome == VerificationOutcome.StudyingElsewhere && string.IsNullOrWhiteSpace(school))
        {
            yield return ("ElsewhereSchool", "Ledger.ElsewhereSchoolRequired");
        }
        if (string.IsNullOrWhiteSpace(note))
        {
            yield return ("Note", "Ledger.NoteRequired");
        }
    }

    /// <summary>The township's path of a path (its first four codes), or null above township level.</summary>
    public static string? Township(string? path)
    {
        if (path is null)
        {
            return null;
        }
        var ancestors = PlacePath.Ancestors(path);
        return ancestors.Count >= 4 ? ancestors[3] : ancestors.Count == 3 && path.Count(c => c == '/') == 4 ? path : null;
    }

    /// <summary>When the next attempt is due: the last attempt's next date, else the first attempt's after assignment.</summary>
    public static DateOnly? NextAttemptDue(LedgerCaseState state, DateOnly? lastNextOn, DateOnly? assignedOn, int firstAttemptDays) =>
        state is LedgerCaseState.Assigned or LedgerCaseState.Persuading or LedgerCaseState.Reopened
            ? lastNextOn ?? assignedOn?.AddDays(firstAttemptDays)
            : null;
}
