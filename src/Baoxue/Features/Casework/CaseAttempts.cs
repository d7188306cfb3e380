using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Attachments;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Casework;

/// <summary>Recording a persuasion attempt (劝返记录) with its photos, once per client key.</summary>
public static class CaseAttempts
{
    /// <param name="ClientKey">Made by the form (or the API client) once per attempt: a retry with the same key records nothing new.</param>
    public sealed record Command(
        string? ClientKey, DateOnly? On, string? People, PersuasionMethod? Method, string? Met, string? Said,
        PersuasionAttitude? GuardianAttitude, PersuasionAttitude? ChildAttitude, PersuasionOutcome? Outcome, string? NextStep, DateOnly? NextOn);

    public const string SubmissionKind = "attempt";

    public static async Task<Outcome<PersuasionAttempt>> RecordAsync(BaoxueDb db, AttachmentFiles files, Guid caseId, Command c, IReadOnlyList<IncomingFile> photos, CancellationToken ct = default)
    {
        var @case = await db.LedgerCases.FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (@case is null)
        {
            return Outcome<PersuasionAttempt>.Missing();
        }
        var key = CaseNotices.Trim(c.ClientKey);
        if (key is { Length: > 64 })
        {
            return Outcome<PersuasionAttempt>.Invalid("ClientKey", "Validation.TooLong", 64);
        }
        if (key is not null && await ExistingAsync(db, key, ct) is { } earlier)
        {
            return earlier.CaseId == caseId ? Outcome<PersuasionAttempt>.Ok(earlier) : Outcome<PersuasionAttempt>.Invalid("ClientKey", "Casework.Attempt.KeyUsed");
        }

        var errors = new List<FieldError>();
        var today = db.County.Today;
        if (!@case.IsOpen || @case.State == LedgerCaseState.ClosingRequested)
        {
            return Outcome<PersuasionAttempt>.Invalid("State", "Casework.CaseClosed");
        }
        if (@case.State == LedgerCaseState.Opened)
        {
            return Outcome<PersuasionAttempt>.Invalid("State", "Casework.Attempt.AssignFirst");
        }
        if (c.On is not { } on)
        {
            errors.Add(new FieldError("On", "Validation.Required", "Field.Casework.On"));
        }
        else if (on > today)
        {
            errors.Add(new FieldError("On", "Casework.Attempt.NotInFuture"));
        }
        var people = CaseNotices.Trim(c.People);
        Require(errors, "People", people, "Field.Casework.People", 200);
        var said = CaseNotices.Trim(c.Said);
        Require(errors, "Said", said, "Field.Casework.Said", 2000);
        var met = CaseNotices.Trim(c.Met);
        if (met is { Length: > 100 })
        {
            errors.Add(new FieldError("Met", "Validation.TooLong", 100));
        }
        var next = CaseNotices.Trim(c.NextStep);
        if (next is { Length: > 500 })
        {
            errors.Add(new FieldError("NextStep", "Validation.TooLong", 500));
        }
        Defined(errors, "Method", c.Method, "Field.Casework.Method");
        Defined(errors, "GuardianAttitude", c.GuardianAttitude, "Field.Casework.GuardianAttitude");
        Defined(errors, "ChildAttitude", c.ChildAttitude, "Field.Casework.ChildAttitude");
        Defined(errors, "Outcome", c.Outcome, "Field.Casework.Outcome");
        if (c.NextOn is { } nextOn && c.On is { } day && nextOn < day)
        {
            errors.Add(new FieldError("NextOn", "Casework.Attempt.NextAfterAttempt"));
        }
        if (errors.Count > 0)
        {
            return Outcome<PersuasionAttempt>.Invalid(errors);
        }

        var attempt = new PersuasionAttempt
        {
            CaseId = @case.Id,
            On = c.On!.Value,
            People = people!,
            Method = c.Method!.Value,
            Met = met,
            Said = said!,
            GuardianAttitude = c.GuardianAttitude!.Value,
            ChildAttitude = c.ChildAttitude!.Value,
            Outcome = c.Outcome!.Value,
            NextStep = next,
            NextOn = c.NextOn,
            RecordedBy = db.CurrentUser.UserName,
            RecordedAt = db.Clock.GetUtcNow().UtcDateTime,
            Path = @case.Path,
            ResidencePath = @case.ResidencePath,
        };
        // The first attempt starts persuasion; visits after the return are follow-up visits and leave the state alone.
        if (LedgerCaseFlow.Allows(@case.State, LedgerCaseTrigger.Persuade))
        {
            @case.Move(LedgerCaseTrigger.Persuade);
        }
        db.PersuasionAttempts.Add(attempt);
        if (photos.Count > 0)
        {
            var staged = await files.StageAsync(db, CaseworkSetup.AttemptOwner, attempt.Id, new AttachmentOwnerAccess(attempt.Path, true), photos, "Photos", ct);
            if (!staged.Succeeded)
            {
                db.ChangeTracker.Clear();
                return Outcome<PersuasionAttempt>.Invalid(staged.Errors);
            }
        }
        if (key is not null)
        {
            db.CaseworkSubmissions.Add(new CaseworkSubmission { UserId = db.CurrentUser.Id ?? Guid.Empty, ClientKey = key, Kind = SubmissionKind, RecordId = attempt.Id, At = attempt.RecordedAt });
        }
        var saved = await db.SaveAsync(attempt, ct);
        // The same key twice at once: the second insert meets the first's key and answers with its attempt.
        if (!saved.Succeeded && key is not null && await ExistingAsync(db, key, ct) is { } raced)
        {
            return Outcome<PersuasionAttempt>.Ok(raced);
        }
        return saved;
    }

    private static async Task<PersuasionAttempt?> ExistingAsync(BaoxueDb db, string key, CancellationToken ct)
    {
        var user = db.CurrentUser.Id ?? Guid.Empty;
        var id = await db.CaseworkSubmissions.AsNoTracking().Where(s => s.UserId == user && s.ClientKey == key && s.Kind == SubmissionKind).Select(s => (Guid?)s.RecordId).FirstOrDefaultAsync(ct);
        return id is { } found ? await db.PersuasionAttempts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == found, ct) : null;
    }

    private static void Require(List<FieldError> errors, string field, string? value, string label, int max)
    {
        if (value is null)
        {
            errors.Add(new FieldError(field, "Validation.Required", label));
        }
        else if (value.Length > max)
        {
            errors.Add(new FieldError(field, "Validation.TooLong", max));
        }
    }

    private static void Defined<T>(List<FieldError> errors, string field, T? value, string label) where T : struct, Enum
    {
        if (value is not { } v || !Enum.IsDefined(v))
        {
            errors.Add(new FieldError(field, "Validation.Required", label));
        }
    }
}
