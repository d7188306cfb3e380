using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Registry;
using Baoxue.Features.Registry.StatusChanges;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Attachments;
using Baoxue.Infrastructure.Integrity;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Casework;

/// <summary>After persuasion: the return and placement (复学安置), follow-up (跟踪巩固), close-out (销号) and relapse (反弹).</summary>
public static class CaseProgress
{
    /// <param name="IdNumber">A never-enrolled child's ID number when the ledger does not have it (the ledger's own is used when it has one).</param>
    /// <param name="RegistryNumber">A never-enrolled child's registry number, needed only without an ID number (J/L numbers).</param>
    /// <param name="Ethnicity">A never-enrolled child's ethnicity (民族), which the registry requires and the ledger does not keep.</param>
    public sealed record ReturnCommand(DateOnly? ReturnedOn, PlacementKind? Placement, Guid? ClassId, string? Note,
        string? IdNumber = null, string? RegistryNumber = null, string? Ethnicity = null);

    public sealed record FollowUpCommand(string? SupportPlan, DateOnly? Until);

    public sealed record CloseOutCommand(string? Reason);

    public sealed record DecisionCommand(bool Approve, string? Note);

    public sealed record ReopenCommand(string? Reason);

    /// <summary>What the return recorded, the status change it asked the registry for (null when none was needed), and the student it enrolled (a never-enrolled child).</summary>
    public sealed record Returned(LedgerCase Case, StatusChange? Change, Student? Enrolled = null);

    /// <summary>The suggested grade for a return on <paramref name="on"/>, with the rule that chose it.</summary>
    public static async Task<CaseworkRules.GradeSuggestion?> SuggestAsync(BaoxueDb db, CaseworkOptions options, Guid caseId, DateOnly on, CancellationToken ct)
    {
        var entry = await db.LedgerCases.AsNoTracking().Where(c => c.Id == caseId).Select(c => c.Entry).FirstOrDefaultAsync(ct);
        return entry is null ? null : CaseworkRules.SuggestGrade(entry.Grade, entry.ReportedOn, on, entry.BirthDate, options);
    }

    /// <summary>
    /// Records the return and asks the registry for the matching status change in the same transaction, through the
    /// status-change machinery (复学 for a suspended or dropped-out student; a transfer for another school in the county;
    /// 转出 for a vocational path): either both are recorded or neither. A child never enrolled (on the ledger from a tip,
    /// a department list or the household reconciliation) is enrolled in the chosen class through the registry's one
    /// enrolment path (<see cref="SaveStudent"/>) in the same transaction, and the ledger entry is linked to the new student.
    /// </summary>
    public static async Task<Outcome<Returned>> ReturnAsync(BaoxueDb db, PersonalData personal, IOptions<CaseworkOptions> options, Guid caseId, ReturnCommand c, CancellationToken ct = default)
    {
        var @case = await db.LedgerCases.Include(x => x.Entry).FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (@case?.Entry is not { } entry)
        {
            return Outcome<Returned>.Missing();
        }
        if (!LedgerCaseFlow.Allows(@case.State, LedgerCaseTrigger.Return))
        {
            // Already returned: a phone's retry that arrives after the first submission committed was dealt with, not wrong.
            return @case.State == LedgerCaseState.Returned ? Outcome<Returned>.Conflicted() : Outcome<Returned>.Invalid("State", "Casework.Return.NotNow");
        }
        var errors = new List<FieldError>();
        var today = db.County.Today;
        if (c.ReturnedOn is not { } on)
        {
            errors.Add(new FieldError("ReturnedOn", "Validation.Required", "Field.Casework.ReturnedOn"));
        }
        else if (on > today)
        {
            errors.Add(new FieldError("ReturnedOn", "Casework.Attempt.NotInFuture"));
        }
        if (c.Placement is not { } placement || !Enum.IsDefined(placement))
        {
            errors.Add(new FieldError("Placement", "Validation.Required", "Field.Casework.Placement"));
            placement = default;
        }
        var note = CaseNotices.Trim(c.Note);
        if (note is { Length: > 500 })
        {
            errors.Add(new FieldError("Note", "Validation.TooLong", 500));
        }
        // A registry student's return is placed in a class and may change the registry: the school's registrar or the bureau
        // records it; a never-enrolled child placed in a school is enrolled, which only those who enrol students may do.
        if (db.CurrentUser.Role is { } actor && (entry.StudentId is not null
                ? !actor.Allows(Permission.StatusChangeRequest)
                : placement != PlacementKind.Vocational && !actor.Allows(Permission.RegistryEdit)))
        {
            return Outcome<Returned>.Invalid("Placement", "Casework.Return.RegistryUser");
        }
        SchoolClass? toClass = null;
        if (placement != PlacementKind.Vocational && errors.Count == 0)
        {
            toClass = c.ClassId is { } classId
                ? await db.Classes.AsNoTracking().Include(x => x.School).FirstOrDefaultAsync(x => x.Id == classId && x.SchoolYear!.IsCurrent, ct)
                : null;
            if (toClass is null)
            {
                errors.Add(new FieldError("ClassId", "Validation.Required", "Field.Casework.Class"));
            }
            else if (placement is PlacementKind.OriginalSchool or PlacementKind.RegularClass or PlacementKind.HomeDelivered
                && entry.SchoolId is { } original && toClass.SchoolId != original)
            {
                errors.Add(new FieldError("ClassId", "Casework.Return.ClassOfOriginalSchool"));
            }
            else if (placement is PlacementKind.OtherSchool && entry.SchoolId == toClass.SchoolId)
            {
                errors.Add(new FieldError("ClassId", "Casework.Return.ClassOfOtherSchool"));
            }
        }
        if (placement == PlacementKind.Vocational && note is null)
        {
            errors.Add(new FieldError("Note", "Casework.Return.NameVocational"));
        }
        if (errors.Count > 0)
        {
            return Outcome<Returned>.Invalid(errors);
        }

        // The registry's part, asked through the status-change machinery (never by writing the student row).
        var student = entry.StudentId is { } sid ? await db.Students.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sid, ct) : null;
        RequestStatusChange.Command? request = null;
        SaveStudent.Command? enrol = null;
        var reason = ReasonFor(placement, note);
        if (student is not null)
        {
            var otherSchool = toClass is not null && toClass.SchoolId != student.SchoolId;
            if (placement == PlacementKind.Vocational)
            {
                request = new(StatusChangeKind.TransferOut, student.Id, null, reason, c.ReturnedOn, ExternalSchool: note);
            }
            else if (otherSchool)
            {
                request = new(StatusChangeKind.TransferWithinCounty, student.Id, null, reason, c.ReturnedOn, ToClassId: toClass!.Id);
            }
            else if (student.Status is StudentStatus.Suspended or StudentStatus.DroppedOut)
            {
                request = new(StatusChangeKind.Resumption, student.Id, null, reason, c.ReturnedOn, ToClassId: toClass!.Id);
            }
            // Still on the roll at the school it returns to: the registry already says so.
        }
        else if (placement != PlacementKind.Vocational)
        {
            // 学籍注册 in the chosen class: the person as the ledger knows them, what only the registry needs from the form.
            var idNumber = entry.IdNumberCipher is { } cipher ? personal.Decrypt(cipher) : CaseNotices.Trim(c.IdNumber);
            var region = entry.HouseholdDivisionCode is { Length: >= 6 } code ? code[..6] : null;
            enrol = new SaveStudent.Command(null, idNumber, CaseNotices.Trim(c.RegistryNumber), entry.Name, entry.Gender, entry.BirthDate, c.Ethnicity,
                region, entry.HouseholdAddress, null, null, toClass!.Id, c.ReturnedOn);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        StatusChange? change = null;
        Student? enrolled = null;
        if (enrol is not null)
        {
            // A second submission of the same return (a phone's retry) that waited for the first finds the case moved on
            // and enrols nobody; where the database lets both read first, the case's row version refuses the later one
            // and its student is rolled back with it.
            if (await db.LedgerCases.AsNoTracking().Where(x => x.Id == caseId).Select(x => x.Version).FirstOrDefaultAsync(ct) != @case.Version)
            {
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                return Outcome<Returned>.Conflicted();
            }
            var made = await SaveStudent.HandleAsync(db, personal, enrol, ct);
            if (!made.Succeeded)
            {
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                // A retry that read the case before the first submission committed finds "its" child already enrolled (the same
                // registry number): that is the first submission's doing, so it is told the return was dealt with, not that its
                // form was wrong.
                var moved = await db.LedgerCases.AsNoTracking().Where(x => x.Id == caseId).Select(x => x.Version).FirstOrDefaultAsync(ct) != @case.Version;
                return made.Conflict || moved ? Outcome<Returned>.Conflicted() : Outcome<Returned>.Invalid(made.Errors);
            }
            enrolled = made.Value!;
            entry.StudentId = enrolled.Id;
            // From now on the child is this student: the absence clock and every other source report them by it.
            entry.ChildKey = LedgerEntry.KeyOfStudent(enrolled.Id);
            // The school now answers for the child as well: entry and case are reached by the class, and still by where the child lives.
            entry.Path = enrolled.Path;
            @case.Path = enrolled.Path;
        }
        if (request is not null)
        {
            var asked = await RequestStatusChange.HandleAsync(db, personal, request, ct);
            if (!asked.Succeeded)
            {
                await tx.RollbackAsync(ct);
                return asked.NotFound
                    ? Outcome<Returned>.Invalid("Placement", "Casework.Return.RegistryUser")
                    : Outcome<Returned>.Invalid([.. asked.Errors.Select(e => e with { Field = e.Field == "ToClassId" ? "ClassId" : e.Field })]);
            }
            change = asked.Value;
            // The change is the student's; reload the case (the registry's save cleared nothing of it, but keep one tracked copy).
        }
        var suggestion = CaseworkRules.SuggestGrade(entry.Grade, entry.ReportedOn, c.ReturnedOn!.Value, entry.BirthDate, options.Value);
        @case.Move(LedgerCaseTrigger.Return);
        @case.ReturnedOn = c.ReturnedOn;
        @case.Placement = placement;
        @case.PlacementSchoolId = toClass?.SchoolId;
        @case.PlacementNote = note;
        @case.SuggestedGrade = suggestion.Grade;
        var saved = await db.SaveAsync(@case, ct);
        if (!saved.Succeeded)
        {
            await tx.RollbackAsync(ct);
            return saved.Conflict ? Outcome<Returned>.Conflicted() : Outcome<Returned>.Invalid(saved.Errors);
        }
        await tx.CommitAsync(ct);
        return Outcome<Returned>.Ok(new Returned(@case, change, enrolled));
    }

    private static string ReasonFor(PlacementKind placement, string? note) =>
        "劝返复学" + (note is null ? "" : "：" + note);

    /// <summary>The follow-up period (跟踪巩固) starts, with its support plan; by default it lasts <see cref="CaseworkOptions.FollowUpTerms"/> terms.</summary>
    public static async Task<Outcome<LedgerCase>> FollowUpAsync(BaoxueDb db, IOptions<CaseworkOptions> options, Guid caseId, FollowUpCommand c, CancellationToken ct = default)
    {
        var @case = await db.LedgerCases.FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (@case is null)
        {
            return Outcome<LedgerCase>.Missing();
        }
        if (!LedgerCaseFlow.Allows(@case.State, LedgerCaseTrigger.FollowUp))
        {
            return Outcome<LedgerCase>.Invalid("State", "Casework.FollowUp.NotNow");
        }
        var plan = CaseNotices.Trim(c.SupportPlan);
        if (plan is null)
        {
            return Outcome<LedgerCase>.Invalid("SupportPlan", "Validation.Required", "Field.Casework.SupportPlan");
        }
        if (plan.Length > 1000)
        {
            return Outcome<LedgerCase>.Invalid("SupportPlan", "Validation.TooLong", 1000);
        }
        var from = @case.ReturnedOn ?? db.County.Today;
        var until = c.Until ?? await DefaultUntilAsync(db, options.Value, from, ct);
        if (until <= from)
        {
            return Outcome<LedgerCase>.Invalid("Until", "Casework.FollowUp.UntilAfterReturn");
        }
        @case.Move(LedgerCaseTrigger.FollowUp);
        @case.SupportPlan = plan;
        @case.FollowUpUntil = until;
        return await db.SaveAsync(@case, ct);
    }

    /// <summary>The end of the term that finishes <see cref="CaseworkOptions.FollowUpTerms"/> whole terms after the return (the school calendar), else a fallback length.</summary>
    public static async Task<DateOnly> DefaultUntilAsync(BaoxueDb db, CaseworkOptions options, DateOnly from, CancellationToken ct)
    {
        var ends = await db.Terms.AsNoTracking().Where(t => t.EndDate > from).OrderBy(t => t.EndDate).Select(t => t.EndDate).Take(Math.Max(1, options.FollowUpTerms)).ToListAsync(ct);
        return ends.Count >= Math.Max(1, options.FollowUpTerms) ? ends[^1] : from.AddDays(options.TermDaysFallback * Math.Max(1, options.FollowUpTerms));
    }

    /// <summary>Asks the county to close the case out (申请销号) with the reason and evidence files; the approver gets a task.</summary>
    public static async Task<Outcome<LedgerCase>> RequestCloseOutAsync(BaoxueDb db, AttachmentFiles files, Guid caseId, CloseOutCommand c, IReadOnlyList<IncomingFile> evidence, CancellationToken ct = default)
    {
        var @case = await db.LedgerCases.FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (@case is null)
        {
            return Outcome<LedgerCase>.Missing();
        }
        if (!LedgerCaseFlow.Allows(@case.State, LedgerCaseTrigger.RequestClose))
        {
            return Outcome<LedgerCase>.Invalid("State", "Casework.CloseOut.NotNow");
        }
        if (@case.State == LedgerCaseState.FollowUp && @case.FollowUpUntil is { } until && until > db.County.Today)
        {
            return Outcome<LedgerCase>.Invalid("State", "Casework.CloseOut.FollowUpRunning", until);
        }
        var reason = CaseNotices.Trim(c.Reason);
        if (reason is null)
        {
            return Outcome<LedgerCase>.Invalid("Reason", "Validation.Required", "Field.Casework.CloseReason");
        }
        if (reason.Length > 500)
        {
            return Outcome<LedgerCase>.Invalid("Reason", "Validation.TooLong", 500);
        }
        if (evidence.Count > 0)
        {
            var staged = await files.StageAsync(db, CaseworkSetup.CaseOwner, @case.Id, new AttachmentOwnerAccess(@case.Path, true), evidence, "Evidence", ct);
            if (!staged.Succeeded)
            {
                db.ChangeTracker.Clear();
                return Outcome<LedgerCase>.Invalid(staged.Errors);
            }
        }
        @case.Move(LedgerCaseTrigger.RequestClose);
        @case.CloseReason = reason;
        @case.CloseRequestedBy = db.CurrentUser.UserName;
        @case.CloseRequestedAt = db.Clock.GetUtcNow().UtcDateTime;
        return await db.SaveAsync(@case, ct);
    }

    /// <summary>The county approves the close-out (销号: the ledger entry closes too) or sends it back.</summary>
    public static async Task<Outcome<LedgerCase>> DecideCloseOutAsync(BaoxueDb db, Guid caseId, DecisionCommand c, CancellationToken ct = default)
    {
        var @case = await db.LedgerCases.Include(x => x.Entry).FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (@case?.Entry is not { } entry)
        {
            return Outcome<LedgerCase>.Missing();
        }
        if (@case.State != LedgerCaseState.ClosingRequested)
        {
            return Outcome<LedgerCase>.Invalid("State", "Casework.CloseOut.NothingToDecide");
        }
        var note = CaseNotices.Trim(c.Note);
        if (!c.Approve && note is null)
        {
            return Outcome<LedgerCase>.Invalid("Note", "Casework.CloseOut.SayWhy");
        }
        if (note is { Length: > 500 })
        {
            return Outcome<LedgerCase>.Invalid("Note", "Validation.TooLong", 500);
        }
        var now = db.Clock.GetUtcNow().UtcDateTime;
        if (c.Approve)
        {
            @case.Move(LedgerCaseTrigger.Close);
            @case.ClosedBy = db.CurrentUser.UserName;
            @case.ClosedAt = now;
            entry.Move(LedgerEntryTrigger.Close);
            entry.Closure = LedgerClosure.CaseClosed;
            entry.ClosedOn = db.County.Today;
        }
        else
        {
            @case.Move(LedgerCaseTrigger.RejectClose);
        }
        // The decision and its note are in the audit line of this save.
        db.Audit(AuditAction.Update, nameof(LedgerCase), @case.Id.ToString(), @case.Path,
            System.Text.Json.JsonSerializer.Serialize(new { closeOut = c.Approve ? "approved" : "rejected", note }, Infrastructure.Auditing.ChangeAudit.Json));
        return await db.SaveAsync(@case, ct);
    }

    /// <summary>反弹: a returned child is absent again or suspected again during follow-up; persuasion starts over.</summary>
    public static async Task<Outcome<LedgerCase>> ReopenAsync(BaoxueDb db, Guid caseId, ReopenCommand c, CancellationToken ct = default)
    {
        var @case = await db.LedgerCases.FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (@case is null)
        {
            return Outcome<LedgerCase>.Missing();
        }
        if (!LedgerCaseFlow.Allows(@case.State, LedgerCaseTrigger.Reopen))
        {
            return Outcome<LedgerCase>.Invalid("State", "Casework.Reopen.NotNow");
        }
        var reason = CaseNotices.Trim(c.Reason);
        if (reason is null)
        {
            return Outcome<LedgerCase>.Invalid("Reason", "Validation.Required", "Field.Casework.ReopenReason");
        }
        if (reason.Length > 500)
        {
            return Outcome<LedgerCase>.Invalid("Reason", "Validation.TooLong", 500);
        }
        @case.Move(LedgerCaseTrigger.Reopen);
        db.Audit(AuditAction.Update, nameof(LedgerCase), @case.Id.ToString(), @case.Path,
            System.Text.Json.JsonSerializer.Serialize(new { relapse = reason }, Infrastructure.Auditing.ChangeAudit.Json));
        return await db.SaveAsync(@case, ct);
    }
}
