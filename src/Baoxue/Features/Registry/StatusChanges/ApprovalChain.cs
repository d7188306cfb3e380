using Baoxue.Domain;

namespace Baoxue.Features.Registry.StatusChanges;

/// <summary>
/// The approval chain of each kind of status change, as the national registry runs it, and who may decide each
/// stage. Pure rules: no database, no clock.
/// </summary>
public static class ApprovalChain
{
    /// <summary>Who is acting: a role bound to a place (its path is the jurisdiction).</summary>
    public sealed record Actor(Role? Role, string? ScopePath)
    {
        public bool Covers(string? path) => path is not null && ScopePath is not null && PlacePath.IsWithin(path, ScopePath);
        public bool IsBureau => Role is Domain.Role.CountyAdmin or Domain.Role.BureauStaff;
        public bool IsSchool => Role is Domain.Role.SchoolAdmin;
    }

    /// <summary>Kinds a user requests one student at a time (promotion and graduation come from the year-end run).</summary>
    public static readonly StatusChangeKind[] SchoolKinds =
    [
        StatusChangeKind.Suspension, StatusChangeKind.Resumption, StatusChangeKind.TransferOut, StatusChangeKind.Death,
        StatusChangeKind.Emigration, StatusChangeKind.Deferral, StatusChangeKind.Exemption,
    ];

    public static IReadOnlyList<ApprovalStage> Stages(StatusChangeKind kind) => kind switch
    {
        StatusChangeKind.TransferWithinCounty => [ApprovalStage.ReceivingSchool, ApprovalStage.SendingSchool, ApprovalStage.SendingBureau],
        StatusChangeKind.TransferAcrossCounty => [ApprovalStage.ReceivingSchool, ApprovalStage.SendingSchool, ApprovalStage.SendingBureau, ApprovalStage.ReceivingBureau],
        // 转出 out of the deployment: the school asks, the bureau approves, then the bureau records the receiving school's confirmation.
        StatusChangeKind.TransferOut => [ApprovalStage.School, ApprovalStage.Bureau, ApprovalStage.ReceivingSchool],
        StatusChangeKind.Graduation or StatusChangeKind.Promotion => [],
        _ => [ApprovalStage.School, ApprovalStage.Bureau],
    };

    public static ApprovalStage First(StatusChangeKind kind) => Stages(kind)[0];

    /// <summary>The stage after <paramref name="stage"/>, or null when it is the last.</summary>
    public static ApprovalStage? Next(StatusChangeKind kind, ApprovalStage stage)
    {
        var stages = Stages(kind);
        var i = IndexOf(stages, stage);
        return i >= 0 && i + 1 < stages.Count ? stages[i + 1] : null;
    }

    /// <summary>1 for the first stage (第一步), 2 for the second …; 0 when the stage is not in the chain.</summary>
    public static int Step(StatusChangeKind kind, ApprovalStage stage) => IndexOf(Stages(kind), stage) + 1;

    /// <summary>The stage whose approval changes the student's record: the last, except that a transfer out takes effect at the bureau's approval and then waits for the receiving school's confirmation.</summary>
    public static ApprovalStage EffectStage(StatusChangeKind kind) => kind == StatusChangeKind.TransferOut ? ApprovalStage.Bureau : Stages(kind)[^1];

    /// <summary>Whether a pending change has already changed the student (a transfer out waiting for confirmation).</summary>
    public static bool HasTakenEffect(StatusChangeKind kind, StatusChangeState state, ApprovalStage? awaiting) =>
        state == StatusChangeState.Approved
        || (state == StatusChangeState.Pending && awaiting is { } stage && Step(kind, stage) > Step(kind, EffectStage(kind)));

    /// <summary>Stages that may only be approved: a receiving school's confirmation after the student has left.</summary>
    public static bool MayReject(StatusChangeKind kind, ApprovalStage stage) => Step(kind, stage) <= Step(kind, EffectStage(kind));

    public static bool IsTransferWithinDeployment(StatusChangeKind kind) => kind is StatusChangeKind.TransferWithinCounty or StatusChangeKind.TransferAcrossCounty;

    /// <summary>The receiving school's confirmation, whose absence makes a transfer "unconfirmed".</summary>
    public static bool AwaitsReceivingConfirmation(StatusChangeKind kind, StatusChangeState state, ApprovalStage? awaiting) =>
        state == StatusChangeState.Pending && (kind == StatusChangeKind.TransferOut || (IsTransferWithinDeployment(kind) && awaiting == ApprovalStage.ReceivingSchool));

    /// <summary>The student's status once the change takes effect.</summary>
    public static StudentStatus ResultingStatus(StatusChangeKind kind) => kind switch
    {
        StatusChangeKind.Suspension => StudentStatus.Suspended,
        StatusChangeKind.Death => StudentStatus.Deceased,
        StatusChangeKind.Emigration => StudentStatus.Emigrated,
        StatusChangeKind.TransferOut => StudentStatus.TransferredOut,
        StatusChangeKind.Deferral => StudentStatus.Deferred,
        StatusChangeKind.Exemption => StudentStatus.Exempted,
        StatusChangeKind.Graduation => StudentStatus.Graduated,
        _ => StudentStatus.InSchool,
    };

    /// <summary>Whether a student in <paramref name="status"/> may be the subject of <paramref name="kind"/>.</summary>
    public static bool Applies(StatusChangeKind kind, StudentStatus status) => kind switch
    {
        StatusChangeKind.Suspension => status == StudentStatus.InSchool,
        // 复学 also brings back a child the registry records as dropped out (劝返复学).
        StatusChangeKind.Resumption => status is StudentStatus.Suspended or StudentStatus.DroppedOut,
        _ => status is StudentStatus.InSchool or StudentStatus.Suspended,
    };

    /// <summary>Within the county or across counties, from the two schools' paths (province/city/county/…).</summary>
    public static StatusChangeKind TransferKind(string fromSchoolPath, string toSchoolPath) =>
        string.Equals(County(fromSchoolPath), County(toSchoolPath), StringComparison.Ordinal) ? StatusChangeKind.TransferWithinCounty : StatusChangeKind.TransferAcrossCounty;

    /// <summary>The county part of a path: its first three codes.</summary>
    public static string County(string path)
    {
        var ancestors = PlacePath.Ancestors(path);
        return ancestors.Count >= 3 ? ancestors[2] : path;
    }

    /// <summary>
    /// School stages are decided by the registrar (SchoolAdmin) of that school; bureau stages by county admins and
    /// bureau staff whose jurisdiction covers that side. A transfer out has no receiving school here, so the bureau
    /// records its confirmation.
    /// </summary>
    public static bool MayDecide(Actor actor, StatusChangeKind kind, ApprovalStage stage, string path, string? targetPath) => stage switch
    {
        ApprovalStage.School or ApprovalStage.SendingSchool => actor.IsSchool && actor.Covers(path),
        ApprovalStage.ReceivingSchool when kind == StatusChangeKind.TransferOut => actor.IsBureau && actor.Covers(path),
        ApprovalStage.ReceivingSchool => actor.IsSchool && actor.Covers(targetPath),
        ApprovalStage.Bureau or ApprovalStage.SendingBureau => actor.IsBureau && actor.Covers(path),
        ApprovalStage.ReceivingBureau => actor.IsBureau && actor.Covers(targetPath),
        _ => false,
    };

    private static int IndexOf(IReadOnlyList<ApprovalStage> stages, ApprovalStage stage)
    {
        for (var i = 0; i < stages.Count; i++)
        {
            if (stages[i] == stage)
            {
                return i;
            }
        }
        return -1;
    }
}

/// <summary>Working days: Monday to Friday. (School calendars with holidays will refine this.)</summary>
public static class WorkingDays
{
    public static bool IsWorkingDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>Working days after <paramref name="from"/> up to and including <paramref name="to"/>; 0 when <paramref name="to"/> is not later.</summary>
    public static int Between(DateOnly from, DateOnly to)
    {
        if (to <= from)
        {
            return 0;
        }
        var days = to.DayNumber - from.DayNumber;
        var count = days / 7 * 5;
        for (var d = from.AddDays(days / 7 * 7 + 1); d <= to; d = d.AddDays(1))
        {
            count += IsWorkingDay(d) ? 1 : 0;
        }
        return count;
    }

    /// <summary>The day <paramref name="n"/> working days after <paramref name="from"/>.</summary>
    public static DateOnly Add(DateOnly from, int n)
    {
        var day = from;
        while (n > 0)
        {
            day = day.AddDays(1);
            n -= IsWorkingDay(day) ? 1 : 0;
        }
        return day;
    }
}
