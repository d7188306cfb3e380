using Baoxue.Domain;
using Baoxue.Features.Registry.StatusChanges;

namespace Baoxue.Tests.Features.Registry.StatusChanges;

/// <summary>The approval chains and who decides each stage, and working days: pure rules.</summary>
public sealed class ApprovalChainTests
{
    private const string County = "35/3501/350123/";
    private const string SchoolA = County + "350123100/2135012301/";
    private const string ClassA = SchoolA + "20260301/";
    private const string SchoolB = County + "350123101/2135012302/";
    private const string OtherCountySchool = "35/3501/350121/350121100/2135012101/";

    private static ApprovalChain.Actor Registrar(string school) => new(Role.SchoolAdmin, school);
    private static ApprovalChain.Actor Bureau(string path = County) => new(Role.BureauStaff, path);

    [Fact]
    public void School_kinds_go_from_the_school_to_the_bureau()
    {
        foreach (var kind in new[] { StatusChangeKind.Suspension, StatusChangeKind.Resumption, StatusChangeKind.Death, StatusChangeKind.Emigration, StatusChangeKind.Deferral, StatusChangeKind.Exemption })
        {
            Assert.Equal([ApprovalStage.School, ApprovalStage.Bureau], ApprovalChain.Stages(kind));
            Assert.Equal(ApprovalStage.Bureau, ApprovalChain.Next(kind, ApprovalStage.School));
            Assert.Null(ApprovalChain.Next(kind, ApprovalStage.Bureau));
            Assert.Equal(ApprovalStage.Bureau, ApprovalChain.EffectStage(kind));
        }
    }

    [Fact]
    public void Transfers_follow_the_national_registry_chain()
    {
        Assert.Equal([ApprovalStage.ReceivingSchool, ApprovalStage.SendingSchool, ApprovalStage.SendingBureau], ApprovalChain.Stages(StatusChangeKind.TransferWithinCounty));
        Assert.Equal([ApprovalStage.ReceivingSchool, ApprovalStage.SendingSchool, ApprovalStage.SendingBureau, ApprovalStage.ReceivingBureau], ApprovalChain.Stages(StatusChangeKind.TransferAcrossCounty));
        Assert.Equal(ApprovalStage.SendingBureau, ApprovalChain.Next(StatusChangeKind.TransferAcrossCounty, ApprovalStage.SendingSchool));
        Assert.Equal(ApprovalStage.ReceivingBureau, ApprovalChain.EffectStage(StatusChangeKind.TransferAcrossCounty));
        Assert.Equal(3, ApprovalChain.Step(StatusChangeKind.TransferWithinCounty, ApprovalStage.SendingBureau));
        Assert.Equal(StatusChangeKind.TransferWithinCounty, ApprovalChain.TransferKind(SchoolA, SchoolB));
        Assert.Equal(StatusChangeKind.TransferAcrossCounty, ApprovalChain.TransferKind(SchoolA, OtherCountySchool));
    }

    [Fact]
    public void A_transfer_out_takes_effect_at_the_bureau_and_then_waits_for_confirmation()
    {
        var kind = StatusChangeKind.TransferOut;
        Assert.Equal([ApprovalStage.School, ApprovalStage.Bureau, ApprovalStage.ReceivingSchool], ApprovalChain.Stages(kind));
        Assert.Equal(ApprovalStage.Bureau, ApprovalChain.EffectStage(kind));
        Assert.False(ApprovalChain.HasTakenEffect(kind, StatusChangeState.Pending, ApprovalStage.Bureau));
        Assert.True(ApprovalChain.HasTakenEffect(kind, StatusChangeState.Pending, ApprovalStage.ReceivingSchool));
        Assert.True(ApprovalChain.MayReject(kind, ApprovalStage.Bureau));
        Assert.False(ApprovalChain.MayReject(kind, ApprovalStage.ReceivingSchool));
        Assert.True(ApprovalChain.AwaitsReceivingConfirmation(kind, StatusChangeState.Pending, ApprovalStage.School));
        Assert.False(ApprovalChain.AwaitsReceivingConfirmation(kind, StatusChangeState.Approved, null));
        Assert.True(ApprovalChain.AwaitsReceivingConfirmation(StatusChangeKind.TransferWithinCounty, StatusChangeState.Pending, ApprovalStage.ReceivingSchool));
        Assert.False(ApprovalChain.AwaitsReceivingConfirmation(StatusChangeKind.TransferWithinCounty, StatusChangeState.Pending, ApprovalStage.SendingSchool));
    }

    [Fact]
    public void Each_stage_belongs_to_one_side()
    {
        var within = StatusChangeKind.TransferWithinCounty;
        Assert.True(ApprovalChain.MayDecide(Registrar(SchoolB), within, ApprovalStage.ReceivingSchool, ClassA, SchoolB));
        Assert.False(ApprovalChain.MayDecide(Registrar(SchoolA), within, ApprovalStage.ReceivingSchool, ClassA, SchoolB));
        Assert.True(ApprovalChain.MayDecide(Registrar(SchoolA), within, ApprovalStage.SendingSchool, ClassA, SchoolB));
        Assert.False(ApprovalChain.MayDecide(Registrar(SchoolB), within, ApprovalStage.SendingSchool, ClassA, SchoolB));
        Assert.False(ApprovalChain.MayDecide(Bureau(), within, ApprovalStage.SendingSchool, ClassA, SchoolB));
        Assert.True(ApprovalChain.MayDecide(Bureau(), within, ApprovalStage.SendingBureau, ClassA, SchoolB));
        Assert.True(ApprovalChain.MayDecide(new(Role.CountyAdmin, County), within, ApprovalStage.SendingBureau, ClassA, SchoolB));
        Assert.False(ApprovalChain.MayDecide(Registrar(SchoolA), within, ApprovalStage.SendingBureau, ClassA, SchoolB));
        Assert.False(ApprovalChain.MayDecide(new(Role.HeadTeacher, ClassA), StatusChangeKind.Suspension, ApprovalStage.School, ClassA, null));

        var across = StatusChangeKind.TransferAcrossCounty;
        Assert.False(ApprovalChain.MayDecide(Bureau(), across, ApprovalStage.ReceivingBureau, ClassA, OtherCountySchool));
        Assert.True(ApprovalChain.MayDecide(Bureau("35/3501/350121/"), across, ApprovalStage.ReceivingBureau, ClassA, OtherCountySchool));
        Assert.False(ApprovalChain.MayDecide(Bureau("35/3501/350121/"), across, ApprovalStage.SendingBureau, ClassA, OtherCountySchool));

        // A transfer out has no receiving school here: the bureau records its confirmation.
        Assert.True(ApprovalChain.MayDecide(Bureau(), StatusChangeKind.TransferOut, ApprovalStage.ReceivingSchool, ClassA, null));
        Assert.False(ApprovalChain.MayDecide(Registrar(SchoolA), StatusChangeKind.TransferOut, ApprovalStage.ReceivingSchool, ClassA, null));
    }

    [Fact]
    public void Which_students_each_kind_applies_to()
    {
        Assert.True(ApprovalChain.Applies(StatusChangeKind.Suspension, StudentStatus.InSchool));
        Assert.False(ApprovalChain.Applies(StatusChangeKind.Suspension, StudentStatus.Suspended));
        Assert.True(ApprovalChain.Applies(StatusChangeKind.Resumption, StudentStatus.Suspended));
        Assert.False(ApprovalChain.Applies(StatusChangeKind.Resumption, StudentStatus.InSchool));
        Assert.False(ApprovalChain.Applies(StatusChangeKind.TransferWithinCounty, StudentStatus.Graduated));
        Assert.Equal(StudentStatus.TransferredOut, ApprovalChain.ResultingStatus(StatusChangeKind.TransferOut));
        Assert.Equal(StudentStatus.InSchool, ApprovalChain.ResultingStatus(StatusChangeKind.Resumption));
    }

    [Theory]
    [InlineData("2026-09-04", "2026-09-04", 0)] // Friday to itself
    [InlineData("2026-09-04", "2026-09-05", 0)] // Friday → Saturday
    [InlineData("2026-09-04", "2026-09-07", 1)] // Friday → Monday
    [InlineData("2026-09-01", "2026-09-15", 10)] // Tuesday → Tuesday two weeks on
    [InlineData("2026-09-01", "2026-09-14", 9)]
    [InlineData("2026-09-05", "2026-09-19", 10)] // Saturday → Saturday two weeks on
    [InlineData("2026-09-15", "2026-09-01", 0)]
    public void Working_days_are_Monday_to_Friday(string from, string to, int expected)
    {
        var a = DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture);
        var b = DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, WorkingDays.Between(a, b));
        var naive = 0;
        for (var d = a.AddDays(1); d <= b; d = d.AddDays(1))
        {
            naive += d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0 : 1;
        }
        Assert.Equal(naive, WorkingDays.Between(a, b));
    }

    [Fact]
    public void Adding_working_days_skips_weekends()
    {
        var friday = new DateOnly(2026, 9, 4);
        Assert.Equal(new DateOnly(2026, 9, 7), WorkingDays.Add(friday, 1));
        Assert.Equal(new DateOnly(2026, 9, 18), WorkingDays.Add(friday, 10));
        Assert.Equal(10, WorkingDays.Between(friday, WorkingDays.Add(friday, 10)));
        Assert.Equal(new DateOnly(2026, 9, 2), new Baoxue.Infrastructure.Time.CountyClock(TimeProvider.System).DateOf(new DateTime(2026, 9, 1, 17, 0, 0, DateTimeKind.Utc)));
    }
}
