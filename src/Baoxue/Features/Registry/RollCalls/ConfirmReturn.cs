using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Registry.RollCalls;

/// <summary>
/// The head teacher (or the school's registrar) checks the class against its roster: one mark per student on
/// the roll, plus any child present but not on this roll. Confirming records who confirmed, which is the head
/// teacher's attestation; the principal attests afterwards (<see cref="AttestReturn"/>).
/// </summary>
public static class ConfirmReturn
{
    public sealed record MarkInput(Guid StudentId, RollCallMarkKind Kind, string? Reason = null);

    /// <summary>A child found in the classroom who is not on this class's roll (人籍分离).</summary>
    public sealed record ExtraInput(string? Name, string? Note = null);

    public sealed record Command(Guid CampaignId, Guid ClassId, IReadOnlyList<MarkInput>? Marks, IReadOnlyList<ExtraInput>? Extras = null);

    public const int ReasonLength = 200;
    public const int NameLength = 64;

    /// <summary>What the head teacher is about to sign, counted: shown on the confirm step before anything is saved.</summary>
    public sealed record Summary(int OnRoll, int Present, int Absent, int NotInSchool, int NotOnRoll)
    {
        /// <summary>Children found in school: present, absent with a reason, and present but not on this roll.</summary>
        public int InSchool => Present + Absent + NotOnRoll;
    }

    /// <summary>Every check <see cref="HandleAsync"/> makes, without saving: the confirm step shows the counts only when the return would be accepted.</summary>
    public static async Task<Outcome<Summary>> CheckAsync(BaoxueDb db, Command c, CancellationToken ct = default)
    {
        var ret = await db.RollCallReturns.AsNoTracking().FirstOrDefaultAsync(r => r.CampaignId == c.CampaignId && r.ClassId == c.ClassId, ct);
        if (ret is null)
        {
            return Outcome<Summary>.Missing();
        }
        var (roster, extras, errors) = await ValidateAsync(db, ret, c, ct);
        if (errors.Count > 0)
        {
            return Outcome<Summary>.Invalid(errors);
        }
        var marks = c.Marks ?? [];
        int Count(RollCallMarkKind kind) => roster.Count(s => marks.Single(m => m.StudentId == s.Id).Kind == kind);
        return Outcome<Summary>.Ok(new Summary(roster.Count, Count(RollCallMarkKind.Present), Count(RollCallMarkKind.AbsentWithReason), Count(RollCallMarkKind.NotInSchool), extras.Count));
    }

    public static async Task<Outcome<RollCallReturn>> HandleAsync(BaoxueDb db, Command c, CancellationToken ct = default)
    {
        var ret = await db.RollCallReturns.Include(r => r.Marks).FirstOrDefaultAsync(r => r.CampaignId == c.CampaignId && r.ClassId == c.ClassId, ct);
        if (ret is null)
        {
            return Outcome<RollCallReturn>.Missing();
        }
        var (roster, extras, errors) = await ValidateAsync(db, ret, c, ct);
        if (errors.Count > 0)
        {
            return Outcome<RollCallReturn>.Invalid(errors);
        }
        var marks = c.Marks ?? [];

        db.RollCallMarks.RemoveRange(ret.Marks);
        // Added explicitly: keys are client-generated, so marks found only through the navigation would be taken for existing rows.
        List<RollCallMark> added = [
            .. roster.Select(s => marks.Single(m => m.StudentId == s.Id)).Select(m => new RollCallMark
            {
                ReturnId = ret.Id,
                StudentId = m.StudentId,
                Kind = m.Kind,
                Reason = m.Kind == RollCallMarkKind.Present || string.IsNullOrWhiteSpace(m.Reason) ? null : m.Reason.Trim(),
            }),
            .. extras.Select(e => new RollCallMark
            {
                ReturnId = ret.Id,
                Kind = RollCallMarkKind.PresentNotOnRoll,
                Name = e.Name!.Trim(),
                Reason = string.IsNullOrWhiteSpace(e.Note) ? null : e.Note.Trim(),
            })];
        db.RollCallMarks.AddRange(added);
        ret.Marks = added;
        ret.State = RollCallState.Confirmed;
        ret.ConfirmedBy = db.CurrentUser.UserName;
        ret.ConfirmedAt = db.Clock.GetUtcNow().UtcDateTime;
        return await db.SaveAsync(ret, ct);
    }

    private static async Task<(List<Student> Roster, List<ExtraInput> Extras, List<FieldError> Errors)> ValidateAsync(BaoxueDb db, RollCallReturn ret, Command c, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (ret.State == RollCallState.Attested)
        {
            errors.Add(new FieldError("State", "RollCall.AlreadyAttested"));
            return ([], [], errors);
        }
        if (ret.State == RollCallState.Confirmed)
        {
            errors.Add(new FieldError("State", "RollCall.AlreadyConfirmed"));
            return ([], [], errors);
        }

        var roster = await RollCallQueries.RosterAsync(db, c.ClassId, ct);
        var marks = c.Marks ?? [];
        foreach (var student in roster)
        {
            var given = marks.Where(m => m.StudentId == student.Id).ToList();
            if (given.Count != 1)
            {
                errors.Add(new FieldError("Marks", "RollCall.MarkMissing", student.Name));
                continue;
            }
            var mark = given[0];
            if (mark.Kind is not (RollCallMarkKind.Present or RollCallMarkKind.AbsentWithReason or RollCallMarkKind.NotInSchool))
            {
                errors.Add(new FieldError("Marks", "RollCall.KindRule", student.Name));
            }
            else if (mark.Kind == RollCallMarkKind.AbsentWithReason && string.IsNullOrWhiteSpace(mark.Reason))
            {
                errors.Add(new FieldError("Marks", "RollCall.ReasonRequired", student.Name));
            }
            else if (mark.Kind == RollCallMarkKind.NotInSchool && string.IsNullOrWhiteSpace(mark.Reason))
            {
                // A ghost enrolment is what the check is for: whoever settles it needs to know where the child is said to be.
                errors.Add(new FieldError("Marks", "RollCall.NotInSchoolReasonRequired", student.Name));
            }
            if (mark.Reason?.Trim().Length > ReasonLength)
            {
                errors.Add(new FieldError("Marks", "Validation.TooLong", ReasonLength));
            }
        }
        var onRoll = roster.Select(s => s.Id).ToHashSet();
        if (marks.Any(m => !onRoll.Contains(m.StudentId)))
        {
            errors.Add(new FieldError("Marks", "RollCall.NotOnThisRoll"));
        }
        var extras = (c.Extras ?? []).Where(e => !string.IsNullOrWhiteSpace(e.Name) || !string.IsNullOrWhiteSpace(e.Note)).ToList();
        foreach (var extra in extras)
        {
            if (string.IsNullOrWhiteSpace(extra.Name))
            {
                errors.Add(new FieldError("Extras", "RollCall.ExtraNameRequired"));
            }
            else if (extra.Name.Trim().Length > NameLength)
            {
                errors.Add(new FieldError("Extras", "Validation.TooLong", NameLength));
            }
            if (extra.Note?.Trim().Length > ReasonLength)
            {
                errors.Add(new FieldError("Extras", "Validation.TooLong", ReasonLength));
            }
        }
        return (roster, extras, errors);
    }
}
