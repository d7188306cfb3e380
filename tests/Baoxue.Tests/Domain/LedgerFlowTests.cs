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

/// <summary>Who may verify, approve and assign: the bureau anywhere in reach, the township for where children live, nobody their own verification.</summary>
public class LedgerRulesTests
{
    private const string School = "35/3501/350123/350123100/2135012303/";
    private const string Village = "35/3501/350123/350123101/350123101201/";

    private static Baoxue.Features.Ledger.LedgerRules.Actor As(Role role, string scope, string name = "someone") => new(role, scope, name);

    [Fact]
    public void A_village_cadre_verifies_a_child_living_in_the_village_though_schooled_elsewhere()
    {
        Assert.True(Baoxue.Features.Ledger.LedgerRules.MayVerify(As(Role.VillageCadre, Village), School, Village));
        Assert.False(Baoxue.Features.Ledger.LedgerRules.MayVerify(As(Role.VillageCadre, "35/3501/350123/350123102/350123102201/"), School, Village));
        Assert.False(Baoxue.Features.Ledger.LedgerRules.MayVerify(As(Role.Inspector, "35/3501/350123/"), School, Village));
    }

    [Fact]
    public void The_township_approves_for_its_villages_the_bureau_for_all_and_nobody_their_own()
    {
        Assert.True(Baoxue.Features.Ledger.LedgerRules.MayApprove(As(Role.TownshipCadre, "35/3501/350123/350123101/"), School, Village, "village.cadre"));
        // A township does not approve for a school of its own whose child lives in another township.
        Assert.False(Baoxue.Features.Ledger.LedgerRules.MayApprove(As(Role.TownshipCadre, "35/3501/350123/350123100/"), School, Village, "village.cadre"));
        Assert.True(Baoxue.Features.Ledger.LedgerRules.MayApprove(As(Role.BureauStaff, "35/3501/350123/"), School, null, "school.admin"));
        Assert.False(Baoxue.Features.Ledger.LedgerRules.MayApprove(As(Role.BureauStaff, "35/3501/350123/", "bureau.staff"), School, null, "bureau.staff"));
        Assert.False(Baoxue.Features.Ledger.LedgerRules.MayApprove(As(Role.SchoolAdmin, School), School, null, "head.teacher"));
    }

    [Fact]
    public void A_path_names_its_township_and_the_next_attempt_is_due_by_the_last_one_or_after_assignment()
    {
        Assert.Equal("35/3501/350123/350123100/", Baoxue.Features.Ledger.LedgerRules.Township(School));
        Assert.Equal("35/3501/350123/350123101/", Baoxue.Features.Ledger.LedgerRules.Township("35/3501/350123/350123101/"));
        Assert.Null(Baoxue.Features.Ledger.LedgerRules.Township("35/3501/350123/"));
        var assigned = new DateOnly(2026, 11, 2);
        Assert.Equal(assigned.AddDays(7), Baoxue.Features.Ledger.LedgerRules.NextAttemptDue(LedgerCaseState.Assigned, null, assigned, 7));
        Assert.Equal(new DateOnly(2026, 11, 20), Baoxue.Features.Ledger.LedgerRules.NextAttemptDue(LedgerCaseState.Persuading, new DateOnly(2026, 11, 20), assigned, 7));
        Assert.Null(Baoxue.Features.Ledger.LedgerRules.NextAttemptDue(LedgerCaseState.FollowUp, null, assigned, 7));
    }
}
