namespace Baoxue.Domain;

/// <summary>What can happen to a ledger entry.</summary>
public enum LedgerEntryTrigger
{
    /// <summary>核查: the responsible person records the outcome.</summary>
    Verify = 1,
    /// <summary>审核退回: the supervisor sends the verification back.</summary>
    SendBack = 2,
    /// <summary>审核通过, a dropout: the case opens.</summary>
    Confirm = 3,
    /// <summary>审核通过, not a dropout; or the case was closed out; or the child came back before verification.</summary>
    Close = 4,
}

/// <summary>What can happen to a case.</summary>
public enum LedgerCaseTrigger
{
    /// <summary>Both lines named (again: reassignment keeps the state).</summary>
    Assign = 1,
    /// <summary>The first attempt, or persuasion resumed.</summary>
    Persuade = 2,
    /// <summary>复学: the child is back and placed.</summary>
    Return = 3,
    /// <summary>跟踪: the follow-up period starts.</summary>
    FollowUp = 4,
    /// <summary>申请销号.</summary>
    RequestClose = 5,
    /// <summary>销号审核不通过: back where it came from.</summary>
    RejectClose = 6,
    /// <summary>销号 approved by the county.</summary>
    Close = 7,
    /// <summary>反弹: a new absence or suspicion during follow-up.</summary>
    Reopen = 8,
}

/// <summary>A transition the state machine does not allow; shown to users in Chinese (Ledger.Transition.Refused).</summary>
public sealed class LedgerTransitionException(string entity, string state, string trigger)
    : InvalidOperationException($"{entity} in state {state} cannot {trigger}.")
{
    public string Entity { get; } = entity;
    public string State { get; } = state;
    public string Trigger { get; } = trigger;
}

/// <summary>The entry's states and transitions: the one place they are decided. Pure: no database, no clock.</summary>
public static class LedgerEntryFlow
{
    public static LedgerEntryState? TryNext(LedgerEntryState state, LedgerEntryTrigger trigger) => (state, trigger) switch
    {
        (LedgerEntryState.Reported or LedgerEntryState.Verifying, LedgerEntryTrigger.Verify) => LedgerEntryState.AwaitingApproval,
        // Verification may be corrected while it waits.
        (LedgerEntryState.AwaitingApproval, LedgerEntryTrigger.Verify) => LedgerEntryState.AwaitingApproval,
        (LedgerEntryState.AwaitingApproval, LedgerEntryTrigger.SendBack) => LedgerEntryState.Verifying,
        (LedgerEntryState.AwaitingApproval, LedgerEntryTrigger.Confirm) => LedgerEntryState.Confirmed,
        (LedgerEntryState.AwaitingApproval, LedgerEntryTrigger.Close) => LedgerEntryState.Closed,
        // Before verification an entry closes only because the child came back (ILedgerIntake.ReturnedAsync);
        // a confirmed one closes with its case.
        (LedgerEntryState.Reported or LedgerEntryState.Verifying or LedgerEntryState.Confirmed, LedgerEntryTrigger.Close) => LedgerEntryState.Closed,
        _ => null,
    };

    public static LedgerEntryState Next(LedgerEntryState state, LedgerEntryTrigger trigger) =>
        TryNext(state, trigger) ?? throw new LedgerTransitionException("Entry", state.ToString(), trigger.ToString());

    public static bool Allows(LedgerEntryState state, LedgerEntryTrigger trigger) => TryNext(state, trigger) is not null;

    /// <summary>The outcomes that are not a dropout close the entry when approved.</summary>
    public static bool IsDropout(VerificationOutcome outcome) => outcome == VerificationOutcome.Dropout;
}

/// <summary>The case's states and transitions: the one place they are decided. Pure.</summary>
public static class LedgerCaseFlow
{
    /// <param name="hasReturned">Whether the child's return is recorded: a refused close-out goes back to follow-up, else to persuasion.</param>
    public static LedgerCaseState? TryNext(LedgerCaseState state, LedgerCaseTrigger trigger, bool hasReturned = false) => (state, trigger) switch
    {
        (LedgerCaseState.Opened, LedgerCaseTrigger.Assign) => LedgerCaseState.Assigned,
        // Reassigning the lines keeps an open case where it is.
        (LedgerCaseState.Assigned or LedgerCaseState.Persuading or LedgerCaseState.Returned or LedgerCaseState.FollowUp or LedgerCaseState.Reopened, LedgerCaseTrigger.Assign) => state,
        (LedgerCaseState.Assigned or LedgerCaseState.Reopened, LedgerCaseTrigger.Persuade) => LedgerCaseState.Persuading,
        (LedgerCaseState.Persuading, LedgerCaseTrigger.Persuade) => LedgerCaseState.Persuading,
        (LedgerCaseState.Assigned or LedgerCaseState.Persuading or LedgerCaseState.Reopened, LedgerCaseTrigger.Return) => LedgerCaseState.Returned,
        (LedgerCaseState.Returned, LedgerCaseTrigger.FollowUp) => LedgerCaseState.FollowUp,
        // Close-out after follow-up, or when return is no longer possible (died, moved abroad, over age) while persuading.
        (LedgerCaseState.FollowUp or LedgerCaseState.Persuading or LedgerCaseState.Reopened, LedgerCaseTrigger.RequestClose) => LedgerCaseState.ClosingRequested,
        (LedgerCaseState.ClosingRequested, LedgerCaseTrigger.Close) => LedgerCaseState.Closed,
        (LedgerCaseState.ClosingRequested, LedgerCaseTrigger.RejectClose) => hasReturned ? LedgerCaseState.FollowUp : LedgerCaseState.Persuading,
        (LedgerCaseState.FollowUp or LedgerCaseState.Returned, LedgerCaseTrigger.Reopen) => LedgerCaseState.Reopened,
        _ => null,
    };

    public static LedgerCaseState Next(LedgerCaseState state, LedgerCaseTrigger trigger, bool hasReturned = false) =>
        TryNext(state, trigger, hasReturned) ?? throw new LedgerTransitionException("Case", state.ToString(), trigger.ToString());

    public static bool Allows(LedgerCaseState state, LedgerCaseTrigger trigger) => TryNext(state, trigger) is not null;
}
