using Baoxue.Domain;

namespace Baoxue.Tests.Domain;

/// <summary>The ledger's two state machines: every allowed step, and refusals of the rest.</summary>
public class LedgerFlowTests
{
    [Theory]
    [InlineData(LedgerEntryState.Reported, LedgerEntryTrigger.Verify, LedgerEntryState.AwaitingApproval)]
    [InlineData(LedgerEntryState.Verifying, LedgerEntryTrigger.Verify, LedgerEntryState.AwaitingApproval)]
    [InlineData(LedgerEntryState.AwaitingApproval, LedgerEntryTrigger.Verify, LedgerEntryState.AwaitingApproval)]
    [InlineData(LedgerEntryState.AwaitingApproval, LedgerEntryTrigger.SendBack, LedgerEntryState.Verifying)]
    [InlineData(LedgerEntryState.AwaitingApproval, LedgerEntryTrigger.Confirm, LedgerEntryState.Confirmed)]
    [InlineData(LedgerEntryState.AwaitingApproval, LedgerEntryTrigger.Close, LedgerEntryState.Closed)]
    [InlineData(LedgerEntryState.Confirmed, LedgerEntryTrigger.Close, LedgerEntryState.Closed)]
    [InlineData(LedgerEntryState.Reported, LedgerEntryTrigger.Close, LedgerEntryState.Closed)]
    public void Entry_steps_that_are_allowed(LedgerEntryState from, LedgerEntryTrigger trigger, LedgerEntryState to) =>
        Assert.Equal(to, LedgerEntryFlow.Next(from, trigger));

    [Theory]
    [InlineData(LedgerEntryState.Reported, LedgerEntryTrigger.Confirm)]
    [InlineData(LedgerEntryState.Reported, LedgerEntryTrigger.SendBack)]
    [InlineData(LedgerEntryState.Verifying, LedgerEntryTrigger.Confirm)]
    [InlineData(LedgerEntryState.Confirmed, LedgerEntryTrigger.Verify)]
    [InlineData(LedgerEntryState.Confirmed, LedgerEntryTrigger.Confirm)]
    [InlineData(LedgerEntryState.Closed, LedgerEntryTrigger.Verify)]
    [InlineData(LedgerEntryState.Closed, LedgerEntryTrigger.Close)]
    public void Entry_steps_that_are_refused(LedgerEntryState from, LedgerEntryTrigger trigger)
    {
        var entry = new LedgerEntry { ChildKey = "S:1", Name = "张三", SourceKey = "k", Reason = "r", ReportedBy = "u", Path = "350123/", State = from };
        var refused = Assert.Throws<LedgerTransitionException>(() => entry.Move(trigger));
        Assert.Equal(from.ToString(), refused.State);
        Assert.Equal(trigger.ToString(), refused.Trigger);
        Assert.Equal(from, entry.State);
    }

    [Fact]
    public void Only_a_dropout_outcome_opens_a_case()
    {
        Assert.True(LedgerEntryFlow.IsDropout(VerificationOutcome.Dropout));
        Assert.All(Enum.GetValues<VerificationOutcome>().Where(o => o != VerificationOutcome.Dropout), o => Assert.False(LedgerEntryFlow.IsDropout(o)));
    }

    [Fact]
    public void A_case_runs_from_assignment_to_close_out()
    {
        var c = new LedgerCase { Path = "350123/" };
        foreach (var (trigger, state) in new[]
        {
            (LedgerCaseTrigger.Assign, LedgerCaseState.Assigned),
            (LedgerCaseTrigger.Persuade, LedgerCaseState.Persuading),
            (LedgerCaseTrigger.Persuade, LedgerCaseState.Persuading),
            (LedgerCaseTrigger.Assign, LedgerCaseState.Persuading),
            (LedgerCaseTrigger.Return, LedgerCaseState.Returned),
            (LedgerCaseTrigger.FollowUp, LedgerCaseState.FollowUp),
            (LedgerCaseTrigger.RequestClose, LedgerCaseState.ClosingRequested),
            (LedgerCaseTrigger.Close, LedgerCaseState.Closed),
        })
        {
            c.Move(trigger);
            Assert.Equal(state, c.State);
        }
        Assert.False(c.IsOpen);
        Assert.Throws<LedgerTransitionException>(() => c.Move(LedgerCaseTrigger.Reopen));
    }

    [Fact]
    public void A_relapse_in_follow_up_reopens_the_case_and_counts()
    {
        var c = new LedgerCase { Path = "350123/", State = LedgerCaseState.FollowUp, ReturnedOn = new DateOnly(2026, 10, 8) };
        c.Move(LedgerCaseTrigger.Reopen);
        Assert.Equal(LedgerCaseState.Reopened, c.State);
        Assert.Equal(1, c.ReopenCount);
        c.Move(LedgerCaseTrigger.Persuade);
        Assert.Equal(LedgerCaseState.Persuading, c.State);
    }

    [Theory]
    [InlineData(true, LedgerCaseState.FollowUp)]
    [InlineData(false, LedgerCaseState.Persuading)]
    public void A_refused_close_out_goes_back_where_the_child_is(bool returned, LedgerCaseState expected) =>
        Assert.Equal(expected, LedgerCaseFlow.Next(LedgerCaseState.ClosingRequested, LedgerCaseTrigger.RejectClose, returned));

    [Theory]
    [InlineData(LedgerCaseState.Opened, LedgerCaseTrigger.Persuade)]
    [InlineData(LedgerCaseState.Opened, LedgerCaseTrigger.Return)]
    [InlineData(LedgerCaseState.Persuading, LedgerCaseTrigger.Close)]
    [InlineData(LedgerCaseState.Persuading, LedgerCaseTrigger.Reopen)]
    [InlineData(LedgerCaseState.Returned, LedgerCaseTrigger.RequestClose)]
    [InlineData(LedgerCaseState.Closed, LedgerCaseTrigger.Assign)]
    [InlineData(LedgerCaseState.Closed, LedgerCaseTrigger.Persuade)]
    [InlineData(LedgerCaseState.FollowUp, LedgerCaseTrigger.Close)]
    public void Case_steps_that_are_refused(LedgerCaseState from, LedgerCaseTrigger trigger)
    {
        var c = new LedgerCase { Path = "350123/", State = from };
        Assert.Throws<LedgerTransitionException>(() => c.Move(trigger));
        Assert.Equal(from, c.State);
    }

    [Fact]
    public void Escalation_only_moves_on_while_persuading()
    {
        var c = new LedgerCase { Path = "350123/", State = LedgerCaseState.Persuading };
        c.Escalate(EscalationStep.WrittenNotice);
        Assert.Equal(EscalationStep.WrittenNotice, c.Escalation);
        Assert.Throws<LedgerTransitionException>(() => c.Escalate(EscalationStep.Criticism));
        c.State = LedgerCaseState.FollowUp;
        Assert.Throws<LedgerTransitionException>(() => c.Escalate(EscalationStep.OrderToCorrect));
    }

    [Fact]
    public void Child_keys_tell_registry_children_ids_and_names_apart()
    {
        Assert.StartsWith("S:", LedgerEntry.KeyOfStudent(Guid.NewGuid()), StringComparison.Ordinal);
        Assert.Equal("N:王小明|20150304|350123100201", LedgerEntry.KeyOfPerson(" 王小明 ", new DateOnly(2015, 3, 4), "350123100201"));
    }
}
