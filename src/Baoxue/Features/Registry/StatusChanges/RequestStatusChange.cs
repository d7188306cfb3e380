using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Registry.StatusChanges;

/// <summary>
/// Ask for a change of a student's status. School kinds come from the student's school (or the bureau); a transfer
/// within the deployment comes from the receiving school, which names the student by exact ID or registry number.
/// When the requester is the one who decides the first stage, the request is that stage's approval.
/// </summary>
public static class RequestStatusChange
{
    public sealed record Command(
        StatusChangeKind Kind, Guid? StudentId, string? StudentNumber, string? Reason, DateOnly? EffectiveOn,
        DateOnly? ExpectedReturnOn = null, string? Evidence = null, string? ExternalSchool = null, Guid? ToClassId = null);

    public static async Task<Outcome<StatusChange>> HandleAsync(BaoxueDb db, PersonalData personal, Command c, CancellationToken ct = default)
    {
        var actor = new ApprovalChain.Actor(db.CurrentUser.Role, db.ScopePath);
        var transfer = ApprovalChain.IsTransferWithinDeployment(c.Kind);
        if (!transfer && !ApprovalChain.SchoolKinds.Contains(c.Kind))
        {
            return Outcome<StatusChange>.Invalid("Kind", "StatusChanges.KindNotRequestable");
        }

        // The student: in the user's jurisdiction, or (for a transfer in) found by an exact number from anywhere.
        Student? student = null;
        if (c.StudentId is { } studentId)
        {
            student = await db.Students.FirstOrDefaultAsync(s => s.Id == studentId, ct);
        }
        else if (transfer && !string.IsNullOrWhiteSpace(c.StudentNumber))
        {
            student = await TransferLookup.FindAsync(db, personal, c.StudentNumber, ct);
        }
        if (student is null)
        {
            return transfer && c.StudentId is null
                ? Outcome<StatusChange>.Invalid("StudentNumber", "StatusChanges.StudentNotFound")
                : Outcome<StatusChange>.Missing();
        }

        var errors = new List<FieldError>();
        var reason = Trim(c.Reason);
        var evidence = Trim(c.Evidence);
        var today = db.County.Today;
        if (reason is null)
        {
            errors.Add(new FieldError("Reason", "Validation.Required", "Field.ChangeReason"));
        }
        else if (reason.Length > 500)
        {
            errors.Add(new FieldError("Reason", "Validation.TooLong", 500));
        }
        if (evidence is { Length: > 500 })
        {
            errors.Add(new FieldError("Evidence", "Validation.TooLong", 500));
        }
        if (!ApprovalChain.Applies(c.Kind, student.Status))
        {
            errors.Add(new FieldError("Kind", "StatusChanges.NotForThisStatus"));
        }
        if (await db.StatusChanges.IgnoreQueryFilters().AnyAsync(x => x.StudentId == student.Id && x.State == StatusChangeState.Pending, ct))
        {
            errors.Add(new FieldError("StudentId", "StatusChanges.AlreadyPending"));
        }

        var kind = c.Kind;
        var effective = c.EffectiveOn ?? today;
        SchoolClass? toClass = null;
        var fromSchool = await db.Schools.IgnoreQueryFilters().AsNoTracking().FirstAsync(s => s.Id == student.SchoolId, ct);
        switch (c.Kind)
        {
            case StatusChangeKind.Suspension:
                if (c.ExpectedReturnOn is not { } back)
                {
                    errors.Add(new FieldError("ExpectedReturnOn", "Validation.Required", "Field.ExpectedReturnOn"));
                }
                else if (back <= effective)
                {
                    errors.Add(new FieldError("ExpectedReturnOn", "StatusChanges.ReturnAfterStart"));
                }
                RequireEvidence(evidence, errors);
                break;
            case StatusChangeKind.Deferral or StatusChangeKind.Exemption:
                RequireEvidence(evidence, errors);
                break;
            case StatusChangeKind.TransferOut:
                if (Trim(c.ExternalSchool) is not { } external)
                {
                    errors.Add(new FieldError("ExternalSchool", "Validation.Required", "Field.ExternalSchool"));
                }
                else if (external.Length > 100)
                {
                    errors.Add(new FieldError("ExternalSchool", "Validation.TooLong", 100));
                }
                break;
            case StatusChangeKind.Resumption:
                toClass = await CurrentClassAsync(db, c.ToClassId, ct);
                if (toClass is null || toClass.SchoolId != student.SchoolId)
                {
                    errors.Add(new FieldError("ToClassId", "StatusChanges.ClassOfThisSchool"));
                }
                break;
            case StatusChangeKind.TransferWithinCounty or StatusChangeKind.TransferAcrossCounty:
                toClass = await CurrentClassAsync(db, c.ToClassId, ct);
                if (toClass is null || !actor.Covers(toClass.Path))
                {
                    errors.Add(new FieldError("ToClassId", "StatusChanges.ClassInYourSchool"));
                }
                else if (toClass.SchoolId == student.SchoolId)
                {
                    errors.Add(new FieldError("ToClassId", "StatusChanges.SameSchool"));
                }
                else
                {
                    kind = ApprovalChain.TransferKind(fromSchool.Path, toClass.School!.Path);
                }
                break;
        }
        if (!transfer && !actor.Covers(student.Path))
        {
            return Outcome<StatusChange>.Missing();
        }
        if (errors.Count > 0)
        {
            return Outcome<StatusChange>.Invalid(errors);
        }

        var now = db.Clock.GetUtcNow().UtcDateTime;
        var change = new StatusChange
        {
            StudentId = student.Id,
            Kind = kind,
            Reason = reason!,
            EffectiveOn = effective,
            RequestedAt = now,
            RequestedBy = db.CurrentUser.UserName,
            FromSchoolId = student.SchoolId,
            FromClassId = student.ClassId,
            ToSchoolId = transfer ? toClass!.SchoolId : null,
            ToClassId = toClass?.Id,
            ExternalSchool = kind == StatusChangeKind.TransferOut ? Trim(c.ExternalSchool) : null,
            ExpectedReturnOn = kind == StatusChangeKind.Suspension ? c.ExpectedReturnOn : null,
            Evidence = evidence,
            Path = student.Path,
            TargetPath = transfer ? toClass!.School!.Path : null,
        };
        var first = ApprovalChain.First(kind);
        change.AwaitingStage = first;
        if (ApprovalChain.MayDecide(actor, kind, first, change.Path, change.TargetPath))
        {
            change.Approvals.Add(new StatusApproval { StatusChangeId = change.Id, Stage = first, Approved = true, DecidedBy = change.RequestedBy, DecidedAt = now, Comment = null });
            change.AwaitingStage = ApprovalChain.Next(kind, first);
        }
        db.StatusChanges.Add(change);
        var saved = await db.SaveAsync(change, ct);
        // Two requests for one student at once: the partial unique index lets only the first stand.
        return saved.Conflict ? Outcome<StatusChange>.Invalid("StudentId", "StatusChanges.AlreadyPending") : saved;
    }

    private static void RequireEvidence(string? evidence, List<FieldError> errors)
    {
        if (evidence is null)
        {
            errors.Add(new FieldError("Evidence", "Validation.Required", "Field.Evidence"));
        }
    }

    /// <summary>A class of the current school year, with its school, if the user can see it.</summary>
    private static Task<SchoolClass?> CurrentClassAsync(BaoxueDb db, Guid? classId, CancellationToken ct) =>
        classId is { } id
            ? db.Classes.AsNoTracking().Include(x => x.School).FirstOrDefaultAsync(x => x.Id == id && x.SchoolYear!.IsCurrent, ct)
            : Task.FromResult<SchoolClass?>(null);

    private static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>
/// The one way to find a student outside one's jurisdiction: the receiving school types the whole ID number or
/// registry number, and sees only the name, the masked ID and the school.
/// </summary>
public static class TransferLookup
{
    public sealed record Found(string Name, string? IdNumberMasked, string School, StudentStatus Status);

    public static async Task<Student?> FindAsync(BaoxueDb db, PersonalData personal, string? number, CancellationToken ct = default)
    {
        var term = (number ?? "").Trim().ToUpperInvariant();
        if (term.Length < 6 || term.Contains('*', StringComparison.Ordinal))
        {
            return null;
        }
        var id = IdNumber.Parse(term.StartsWith('G') ? term[1..] : term);
        var students = db.Students.IgnoreQueryFilters();
        if (id.IsValid)
        {
            var hash = personal.Hash(id.Normalized);
            return await students.FirstOrDefaultAsync(s => s.IdNumberHash == hash, ct);
        }
        // G numbers are stored masked, so only J and L numbers are matched as written.
        return term.StartsWith('G') ? null : await students.FirstOrDefaultAsync(s => s.RegistryNumber == term, ct);
    }

    /// <summary>
    /// The receiving side's look-up: a number alone would let anyone with the form enumerate the county's children
    /// (IDs are guessable from a birth date), so the name must match too. Every look-up is audited, found or not;
    /// the route is rate-limited per account (<c>Security:LookupsPerMinute</c>).
    /// </summary>
    public static async Task<Outcome<Found>> LookUpAsync(BaoxueDb db, PersonalData personal, string? number, string? name, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(number) || string.IsNullOrWhiteSpace(name))
        {
            return Outcome<Found>.Invalid(string.IsNullOrWhiteSpace(number) ? "number" : "name", "StatusChanges.LookupNeedsName");
        }
        var student = await FindAsync(db, personal, number, ct);
        var matches = student is not null && SameName(student.Name, name);
        // Neither the number nor the name tried goes into the log: a failed guess is personal data too.
        db.Audit(AuditAction.Lookup, nameof(Student), matches ? student!.Id.ToString() : null, null,
            matches ? "{\"found\":true}" : "{\"found\":false}");
        await db.SaveChangesAsync(ct);
        if (!matches)
        {
            return Outcome<Found>.Missing();
        }
        var school = await db.Schools.IgnoreQueryFilters().AsNoTracking().Where(s => s.Id == student!.SchoolId).Select(s => s.Name).FirstAsync(ct);
        return Outcome<Found>.Ok(new Found(student!.Name, db.Disclosure.IdNumber(student.IdNumberMasked), school, student.Status));
    }

    private static bool SameName(string stored, string given) =>
        string.Equals(Squeeze(stored), Squeeze(given), StringComparison.Ordinal);

    private static string Squeeze(string name) =>
        string.Concat(name.Where(c => !char.IsWhiteSpace(c) && c is not '·' and not '•' and not '.'));
}
