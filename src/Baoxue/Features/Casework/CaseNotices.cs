using System.Globalization;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Baoxue.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Casework;

/// <summary>Issuing the documents of 依法控辍 (文书) on a case, and settling their deadlines.</summary>
public static class CaseNotices
{
    public sealed record Command(NoticeKind? Kind, NoticeIssuer? Issuer, string? Addressee, string? Facts, string? Demand, DateOnly? DeadlineOn, string? Recipient);

    public sealed record SettleCommand(string? Note);

    /// <summary>What the form offers before anything is typed: the guardians, the facts so far, the demand of the kind.</summary>
    public sealed record Draft(string Addressee, string Facts, string Demand, string LegalBasis);

    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo(TextTable.Chinese);

    /// <summary>Documents are issued in Chinese whatever the interface language of whoever issues them.</summary>
    private static string Zh(TextTable table, string key, params object[] args) =>
        string.Format(Chinese, table.Find(key, Chinese) ?? key, args);

    public static async Task<Draft?> DraftAsync(BaoxueDb db, TextTable table, Guid caseId, NoticeKind kind, CancellationToken ct)
    {
        var c = await db.LedgerCases.AsNoTracking().Include(x => x.Entry).ThenInclude(e => e!.School).FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (c?.Entry is not { } entry)
        {
            return null;
        }
        var guardians = entry.StudentId is { } sid
            ? await db.Guardians.AsNoTracking().Where(g => g.StudentId == sid).OrderBy(g => g.Relation).Select(g => g.Name).ToListAsync(ct)
            : [];
        var attempts = await db.PersuasionAttempts.CountAsync(a => a.CaseId == caseId, ct);
        var addressee = kind == NoticeKind.WrittenReport
            ? Zh(table, "Casework.Notice.ReportAddressee")
            : guardians.Count > 0 ? string.Join("、", guardians) : Zh(table, "Casework.Notice.GuardiansOf", entry.Name);
        var school = entry.School?.Name ?? Zh(table, "Casework.Notice.NoSchool");
        var facts = Zh(table, "Casework.Notice.Facts", entry.Name, school, CaseworkRules.OfficialDate(entry.ReportedOn), attempts);
        return new Draft(addressee, facts, Zh(table, "Casework.Demand." + kind), Zh(table, "Casework.Basis." + kind));
    }

    /// <summary>
    /// Issues a notice. An order to correct (责令限期改正) left without a deadline gets <see cref="CaseworkOptions.OrderToCorrectSchoolDays"/>
    /// school days (上学日) of the child's school from today: weekends, holidays and the school holidays are skipped, make-up days count.
    /// </summary>
    public static async Task<Outcome<CaseNotice>> IssueAsync(BaoxueDb db, TextTable table, CaseworkOptions options, Guid caseId, Command c, CancellationToken ct = default)
    {
        var @case = await db.LedgerCases.Include(x => x.Entry).FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (@case?.Entry is not { } entry)
        {
            return Outcome<CaseNotice>.Missing();
        }
        var errors = new List<FieldError>();
        var today = db.County.Today;
        if (c.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            return Outcome<CaseNotice>.Invalid("Kind", "Validation.Required", "Field.Casework.NoticeKind");
        }
        var issuer = c.Issuer ?? (kind is NoticeKind.CriticismRecord or NoticeKind.GuardianNotice or NoticeKind.WrittenReport ? NoticeIssuer.Township : NoticeIssuer.Bureau);
        if (!Enum.IsDefined(issuer))
        {
            errors.Add(new FieldError("Issuer", "Casework.Notice.UnknownIssuer"));
        }
        if (!@case.IsOpen || @case.State == LedgerCaseState.ClosingRequested)
        {
            return Outcome<CaseNotice>.Invalid("State", "Casework.CaseClosed");
        }
        var step = CaseworkRules.StepOf(kind);
        if (step is { } s)
        {
            if (@case.State is not (LedgerCaseState.Persuading or LedgerCaseState.Reopened))
            {
                errors.Add(new FieldError("Kind", "Casework.Notice.OnlyWhilePersuading"));
            }
            else if (s < @case.Escalation)
            {
                errors.Add(new FieldError("Kind", "Casework.Notice.StepPassed"));
            }
        }
        var draft = (await DraftAsync(db, table, caseId, kind, ct))!;
        var addressee = Trim(c.Addressee) ?? draft.Addressee;
        var facts = Trim(c.Facts) ?? draft.Facts;
        var demand = Trim(c.Demand) ?? draft.Demand;
        Limit(errors, "Addressee", addressee, 200);
        Limit(errors, "Facts", facts, 2000);
        Limit(errors, "Demand", demand, 1000);
        var deadline = c.DeadlineOn;
        if (kind == NoticeKind.OrderToCorrect && deadline is null)
        {
            var schoolDays = await Ledger.DeadlineDays.SchoolDaysAsync(db, entry.SchoolId ?? @case.PlacementSchoolId, @case.Path, today, ct);
            deadline = schoolDays.AddSchoolDays(today, Math.Max(1, options.OrderToCorrectSchoolDays));
            if (deadline is null)
            {
                errors.Add(new FieldError("DeadlineOn", "Casework.Notice.NoSchoolDays", options.OrderToCorrectSchoolDays));
            }
        }
        if (deadline is { } due && due <= today)
        {
            errors.Add(new FieldError("DeadlineOn", "Casework.Notice.DeadlineAfterToday"));
        }
        var recipient = Trim(c.Recipient);
        if (kind == NoticeKind.JudicialReferral && recipient is null)
        {
            errors.Add(new FieldError("Recipient", "Validation.Required", "Field.Casework.Recipient"));
        }
        Limit(errors, "Recipient", recipient, 100);
        var (issuerPath, placeName) = await IssuerPlaceAsync(db, @case, issuer, ct);
        if (issuerPath is null)
        {
            errors.Add(new FieldError("Issuer", "Casework.Notice.NoTownship"));
        }
        if (errors.Count > 0)
        {
            return Outcome<CaseNotice>.Invalid(errors);
        }

        var (name, prefix) = CaseworkRules.IssuerNames(issuer, placeName!);
        var notice = new CaseNotice
        {
            CaseId = @case.Id,
            Kind = kind,
            Issuer = issuer,
            IssuerPath = issuerPath!,
            IssuerName = name,
            NumberPrefix = prefix,
            Year = today.Year,
            Addressee = addressee,
            ChildName = entry.Name,
            Facts = facts,
            LegalBasis = draft.LegalBasis,
            Demand = demand,
            DeadlineOn = deadline,
            Recipient = recipient,
            IssuedOn = today,
            IssuedBy = db.CurrentUser.UserName,
            IssuedAt = db.Clock.GetUtcNow().UtcDateTime,
            Path = @case.Path,
            ResidencePath = @case.ResidencePath,
        };
        if (step is { } next && next > @case.Escalation)
        {
            @case.Escalate(next);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        notice.Number = await DocumentNumbers.NextAsync(db, notice.IssuerPath, notice.Year, ct);
        db.CaseNotices.Add(notice);
        var saved = await db.SaveAsync(notice, ct);
        if (!saved.Succeeded)
        {
            await tx.RollbackAsync(ct);
            return saved;
        }
        await tx.CommitAsync(ct);
        return saved;
    }

    /// <summary>The deadline is settled: the guardians complied, or the next step was taken. A missed deadline stops being a task.</summary>
    public static async Task<Outcome<CaseNotice>> SettleAsync(BaoxueDb db, Guid noticeId, SettleCommand c, CancellationToken ct = default)
    {
        var notice = await db.CaseNotices.FirstOrDefaultAsync(n => n.Id == noticeId, ct);
        if (notice is null)
        {
            return Outcome<CaseNotice>.Missing();
        }
        if (notice.DeadlineOn is null || notice.SettledAt is not null)
        {
            return Outcome<CaseNotice>.Invalid("State", "Casework.Notice.NothingToSettle");
        }
        var note = Trim(c.Note);
        if (note is null)
        {
            return Outcome<CaseNotice>.Invalid("Note", "Validation.Required", "Field.Casework.SettledNote");
        }
        if (note.Length > 500)
        {
            return Outcome<CaseNotice>.Invalid("Note", "Validation.TooLong", 500);
        }
        notice.SettledAt = db.Clock.GetUtcNow().UtcDateTime;
        notice.SettledBy = db.CurrentUser.UserName;
        notice.SettledNote = note;
        return await db.SaveAsync(notice, ct);
    }

    /// <summary>The issuing unit's path and place name: the county (bureau) or the township the child lives in (else the school's).</summary>
    private static async Task<(string? Path, string? Name)> IssuerPlaceAsync(BaoxueDb db, LedgerCase c, NoticeIssuer issuer, CancellationToken ct)
    {
        var levels = issuer == NoticeIssuer.Bureau ? DivisionLevel.County : DivisionLevel.Township;
        foreach (var path in new[] { c.ResidencePath, c.Path }.Where(p => p is not null))
        {
            var ancestors = PlacePath.Ancestors(path!).Append(path!).ToList();
            var place = await db.Divisions.IgnoreQueryFilters().AsNoTracking()
                .Where(d => ancestors.Contains(d.Path) && d.Level == levels).Select(d => new { d.Path, d.Name }).FirstOrDefaultAsync(ct);
            if (place is not null)
            {
                return (place.Path, place.Name);
            }
        }
        return (null, null);
    }

    private static void Limit(List<FieldError> errors, string field, string? value, int max)
    {
        if (value is { Length: var n } && n > max)
        {
            errors.Add(new FieldError(field, "Validation.TooLong", max));
        }
    }

    internal static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
