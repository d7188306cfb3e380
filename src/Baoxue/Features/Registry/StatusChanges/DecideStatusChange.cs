using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Registry.StatusChanges;

/// <summary>
/// Approve or reject the stage now waiting. Only the user the stage belongs to may decide it; each decision is a
/// <see cref="StatusApproval"/> row (and an audit line). The approval of the effect stage changes the student.
/// </summary>
public static class DecideStatusChange
{
    public sealed record Command(bool Approve, string? Comment, Guid? ToClassId = null);

    public static async Task<Outcome<StatusChange>> HandleAsync(BaoxueDb db, SystemDb system, Guid id, Command c, CancellationToken ct = default)
    {
        var actor = new ApprovalChain.Actor(db.CurrentUser.Role, db.ScopePath);
        var seen = await db.StatusChanges.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (seen is null)
        {
            return Outcome<StatusChange>.Missing();
        }
        if (seen.State != StatusChangeState.Pending || seen.AwaitingStage is not { } stage)
        {
            return Outcome<StatusChange>.Invalid("State", "StatusChanges.NotPending");
        }
        if (!ApprovalChain.MayDecide(actor, seen.Kind, stage, seen.Path, seen.TargetPath))
        {
            return Outcome<StatusChange>.Invalid("Stage", "StatusChanges.NotYourStage");
        }
        var comment = string.IsNullOrWhiteSpace(c.Comment) ? null : c.Comment.Trim();
        if (comment is { Length: > 500 })
        {
            return Outcome<StatusChange>.Invalid("Comment", "Validation.TooLong", 500);
        }
        if (!c.Approve && !ApprovalChain.MayReject(seen.Kind, stage))
        {
            return Outcome<StatusChange>.Invalid("Approve", "StatusChanges.ConfirmOnly");
        }
        if (!c.Approve && comment is null)
        {
            return Outcome<StatusChange>.Invalid("Comment", "Validation.Required", "Field.DecisionComment");
        }
        if (seen.Kind == StatusChangeKind.TransferOut && stage == ApprovalStage.ReceivingSchool && comment is null)
        {
            return Outcome<StatusChange>.Invalid("Comment", "StatusChanges.ConfirmationNeedsEvidence");
        }

        // The receiving school may choose (or change) the class at its own stage.
        var toClassId = seen.ToClassId;
        if (c.Approve && c.ToClassId is { } chosen && chosen != seen.ToClassId && stage == ApprovalStage.ReceivingSchool && ApprovalChain.IsTransferWithinDeployment(seen.Kind))
        {
            var cls = await db.Classes.AsNoTracking().FirstOrDefaultAsync(x => x.Id == chosen && x.SchoolYear!.IsCurrent, ct);
            if (cls is null || cls.SchoolId != seen.ToSchoolId)
            {
                return Outcome<StatusChange>.Invalid("ToClassId", "StatusChanges.ClassInYourSchool");
            }
            toClassId = chosen;
        }

        var takesEffect = c.Approve && stage == ApprovalChain.EffectStage(seen.Kind);
        SchoolClass? toClass = null;
        if (takesEffect && toClassId is { } classId)
        {
            toClass = await db.Classes.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(x => x.Id == classId, ct);
        }
        if (takesEffect && (ApprovalChain.IsTransferWithinDeployment(seen.Kind) || seen.Kind == StatusChangeKind.Resumption) && toClass is null)
        {
            return Outcome<StatusChange>.Invalid("ToClassId", "StatusChanges.ClassOfThisSchool");
        }

        // Across counties the receiving bureau's approval moves a student it could not otherwise touch: the decision
        // has been authorised above, so it is written unscoped, still under the user's name.
        var studentPath = await db.Students.IgnoreQueryFilters().Where(s => s.Id == seen.StudentId).Select(s => s.Path).FirstAsync(ct);
        var crossesScope = takesEffect && !(actor.Covers(studentPath) && (toClass is null || actor.Covers(toClass.Path)));
        await using var unscoped = crossesScope ? system.Open(db.CurrentUser.UserName) : null;
        var writer = unscoped ?? db;

        var change = await writer.StatusChanges.IgnoreQueryFilters().FirstAsync(x => x.Id == id, ct);
        // The decision was checked against what was read first: it is recorded only if nobody decided in between.
        if (change.Version != seen.Version)
        {
            return Outcome<StatusChange>.Conflicted();
        }
        var now = db.Clock.GetUtcNow().UtcDateTime;
        writer.StatusApprovals.Add(new StatusApproval { StatusChangeId = change.Id, Stage = stage, Approved = c.Approve, DecidedBy = db.CurrentUser.UserName, DecidedAt = now, Comment = comment });
        change.ToClassId = toClassId;
        if (!c.Approve)
        {
            change.State = StatusChangeState.Rejected;
            change.AwaitingStage = null;
            change.DecidedAt = now;
        }
        else
        {
            if (takesEffect)
            {
                var student = await writer.Students.IgnoreQueryFilters().FirstAsync(s => s.Id == change.StudentId, ct);
                await ApplyAsync(writer, change, student, toClass, ct);
            }
            var next = ApprovalChain.Next(change.Kind, stage);
            change.AwaitingStage = next;
            if (next is null)
            {
                change.State = StatusChangeState.Approved;
                change.DecidedAt = now;
            }
        }
        return await writer.SaveAsync(change, ct);
    }

    private static async Task ApplyAsync(BaoxueDb db, StatusChange change, Student student, SchoolClass? toClass, CancellationToken ct)
    {
        var schoolPath = await db.Schools.IgnoreQueryFilters().Where(s => s.Id == student.SchoolId).Select(s => s.Path).FirstAsync(ct);
        StatusChangeEffect.Apply(change, student, toClass, schoolPath);
    }
}

/// <summary>
/// What a change does to the student's record once it takes effect: the one path by which a student's status, class
/// and place change, whether the change was approved stage by stage or recorded by the year-end run.
/// </summary>
public static class StatusChangeEffect
{
    public static void Apply(StatusChange change, Student student, SchoolClass? toClass, string schoolPath)
    {
        // The grade the student was in when the change took effect: the year-end table's movement per grade.
        change.Grade = student.Grade;
        student.Status = ApprovalChain.ResultingStatus(change.Kind);
        switch (change.Kind)
        {
            case StatusChangeKind.Suspension:
                break; // keeps the class place
            case StatusChangeKind.Resumption or StatusChangeKind.TransferWithinCounty or StatusChangeKind.TransferAcrossCounty or StatusChangeKind.Promotion:
                student.SchoolId = toClass!.SchoolId;
                student.ClassId = toClass.Id;
                student.Class = toClass;
                student.Grade = toClass.Grade;
                student.Path = toClass.Path;
                break;
            default:
                // Off the roll: no class; the record stays with the school.
                student.ClassId = null;
                student.Class = null;
                student.Path = schoolPath;
                break;
        }
    }
}

/// <summary>The requester takes back a request that has not yet changed the student.</summary>
public static class WithdrawStatusChange
{
    public static async Task<Outcome<StatusChange>> HandleAsync(BaoxueDb db, Guid id, CancellationToken ct = default)
    {
        var change = await db.StatusChanges.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (change is null)
        {
            return Outcome<StatusChange>.Missing();
        }
        if (!MayWithdraw(change, db.CurrentUser.UserName))
        {
            return Outcome<StatusChange>.Invalid("State", "StatusChanges.CannotWithdraw");
        }
        change.State = StatusChangeState.Withdrawn;
        change.AwaitingStage = null;
        change.DecidedAt = db.Clock.GetUtcNow().UtcDateTime;
        return await db.SaveAsync(change, ct);
    }

    public static bool MayWithdraw(StatusChange change, string userName) =>
        change.State == StatusChangeState.Pending
        && string.Equals(change.RequestedBy, userName, StringComparison.Ordinal)
        && !ApprovalChain.HasTakenEffect(change.Kind, change.State, change.AwaitingStage);
}
