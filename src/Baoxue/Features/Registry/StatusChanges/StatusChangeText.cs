using Baoxue.Domain;

namespace Baoxue.Features.Registry.StatusChanges;

/// <summary>The string-table keys of the status-change enums, written out so the localization tests can check every one.</summary>
public static class StatusChangeText
{
    public static string Kind(StatusChangeKind kind) => kind switch
    {
        StatusChangeKind.TransferWithinCounty => "StatusChangeKind.TransferWithinCounty",
        StatusChangeKind.TransferAcrossCounty => "StatusChangeKind.TransferAcrossCounty",
        StatusChangeKind.TransferOut => "StatusChangeKind.TransferOut",
        StatusChangeKind.Suspension => "StatusChangeKind.Suspension",
        StatusChangeKind.Resumption => "StatusChangeKind.Resumption",
        StatusChangeKind.Death => "StatusChangeKind.Death",
        StatusChangeKind.Emigration => "StatusChangeKind.Emigration",
        StatusChangeKind.Deferral => "StatusChangeKind.Deferral",
        StatusChangeKind.Exemption => "StatusChangeKind.Exemption",
        StatusChangeKind.Graduation => "StatusChangeKind.Graduation",
        _ => "StatusChangeKind.Promotion",
    };

    public static string State(StatusChangeState state) => state switch
    {
        StatusChangeState.Pending => "StatusChangeState.Pending",
        StatusChangeState.Approved => "StatusChangeState.Approved",
        StatusChangeState.Rejected => "StatusChangeState.Rejected",
        _ => "StatusChangeState.Withdrawn",
    };

    public static string Stage(ApprovalStage stage) => stage switch
    {
        ApprovalStage.ReceivingSchool => "ApprovalStage.ReceivingSchool",
        ApprovalStage.SendingSchool => "ApprovalStage.SendingSchool",
        ApprovalStage.SendingBureau => "ApprovalStage.SendingBureau",
        ApprovalStage.ReceivingBureau => "ApprovalStage.ReceivingBureau",
        ApprovalStage.School => "ApprovalStage.School",
        _ => "ApprovalStage.Bureau",
    };

    /// <summary>第一步, 第二步 …</summary>
    public static string Step(int number) => number switch
    {
        1 => "StatusChanges.Step1",
        2 => "StatusChanges.Step2",
        3 => "StatusChanges.Step3",
        _ => "StatusChanges.Step4",
    };

    /// <summary>How a stage is labelled for a transfer out: its "receiving school" stage is the bureau recording the confirmation.</summary>
    public static string StageFor(StatusChangeKind kind, ApprovalStage stage) =>
        kind == StatusChangeKind.TransferOut && stage == ApprovalStage.ReceivingSchool ? "ApprovalStage.ReceivingConfirmation" : Stage(stage);
}
