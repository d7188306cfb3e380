using System.Globalization;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Registry;
using Baoxue.Features.Registry.StatusChanges;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Integrity;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Ledger;

/// <summary>
/// The ledger's use cases, each the one path for its effect (pages and API call the same): report a child, put an
/// unconfirmed transfer on the ledger, verify, approve, assign a case's two lines.
/// </summary>
public static class LedgerCommands
{
    public const string IllegalTransition = "Ledger.IllegalTransition";

    public static LedgerRules.Actor ActorOf(BaoxueDb db) => new(db.CurrentUser.Role, db.ScopePath, db.CurrentUser.UserName);

    public sealed record Tip(
        LedgerList? List, string? Reason, Guid? StudentId, string? Name, string? IdNumber, DateOnly? BirthDate, Gender? Gender,
        string? HouseholdDivisionCode, string? HouseholdAddress, DateOnly? ReportedOn);

    /// <summary>
    /// A hand-entered tip (线索). A registry child is named by id and must be in the reporter's reach; a child never enrolled
    /// is described. Written under the reporter's name through an unscoped context: the child may study or live outside the
    /// reporter's own place (a village cadre, a department liaison), which is the point of a tip (decision 0020).
    /// </summary>
    public static async Task<Outcome<LedgerIntakeResult>> ReportTipAsync(BaoxueDb db, SystemDb system, PersonalData personal, Tip c, CancellationToken ct = default)
    {
        var errors = new List<FieldError>();
        var today = db.County.Today;
        if (c.List is not { } list || !Enum.IsDefined(list))
        {
            errors.Add(new FieldError("List", "Validation.Required", "Field.LedgerList"));
        }
        var reason = c.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            errors.Add(new FieldError("Reason", "Validation.Required", "Field.LedgerReason"));
        }
        else if (reason.Length > 500)
        {
            errors.Add(new FieldError("Reason", "Validation.TooLong", 500));
        }
        var reportedOn = c.ReportedOn ?? today;
        if (reportedOn > today)
        {
            errors.Add(new FieldError("ReportedOn", "Ledger.NotInFuture"));
        }
        Division? place = null;
        if (!string.IsNullOrWhiteSpace(c.HouseholdDivisionCode))
        {
            var county = db.ScopePath is { } scope ? PlacePath.County(scope) : null;
            place = await db.Divisions.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(d => d.Code == c.HouseholdDivisionCode.Trim()
                && (d.Level == DivisionLevel.Township || d.Level == DivisionLevel.Village), ct);
            if (place is null || (county is not null && !PlacePath.IsWithin(place.Path, county)))
            {
                errors.Add(new FieldError("HouseholdDivisionCode", "Ledger.UnknownPlace"));
            }
        }
        UnregisteredChild? child = null;
        if (c.StudentId is { } studentId)
        {
            if (!await db.Students.AsNoTracking().AnyAsync(s => s.Id == studentId, ct))
            {
                errors.Add(new FieldError("StudentId", "Ledger.StudentNotFound"));
            }
        }
        else
        {
            var name = c.Name?.Trim();
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(new FieldError("Name", "Validation.Required", "Field.ChildName"));
            }
            else if (name.Length > 64)
            {
                errors.Add(new FieldError("Name", "Validation.TooLong", 64));
            }
            var id = string.IsNullOrWhiteSpace(c.IdNumber) ? null : IdNumber.Parse(c.IdNumber);
            if (id is { IsValid: false })
            {
                errors.Add(new FieldError("IdNumber", "Ledger.IdNumberInvalid"));
            }
            var birth = c.BirthDate ?? (id is { IsValid: true } ? id.BirthDate : null);
            if (birth is not { } born)
            {
                errors.Add(new FieldError("BirthDate", "Validation.Required", "Field.BirthDate"));
            }
            else if (born > today.AddYears(-3) || born < today.AddYears(-20))
            {
                errors.Add(new FieldError("BirthDate", "Ledger.BirthDateRange"));
            }
            var gender = c.Gender ?? (id is { IsValid: true } ? id.Gender : null);
            if (gender is not { } g || !Enum.IsDefined(g))
            {
                errors.Add(new FieldError("Gender", "Validation.Required", "Field.Gender"));
            }
            if (place is null && string.IsNullOrWhiteSpace(c.HouseholdDivisionCode))
            {
                errors.Add(new FieldError("HouseholdDivisionCode", "Validation.Required", "Field.HouseholdPlace"));
            }
            if (c.HouseholdAddress is { Length: > 200 })
            {
                errors.Add(new FieldError("HouseholdAddress", "Validation.TooLong", 200));
            }
            if (errors.Count == 0)
            {
                child = new UnregisteredChild(name!, id?.Normalized, birth!.Value, gender!.Value, place!.Code, string.IsNullOrWhiteSpace(c.HouseholdAddress) ? null : c.HouseholdAddress.Trim());
            }
        }
        if (errors.Count > 0)
        {
            return Outcome<LedgerIntakeResult>.Invalid(errors);
        }
        var report = new LedgerReport(c.StudentId, child, c.List!.Value, LedgerSource.Tip, "tip:" + Guid.CreateVersion7().ToString("N"), reason!, reportedOn);
        return await ReportAsOneAsync(system, personal, db.CurrentUser.UserName, report, place?.Path, ct);
    }

    /// <summary>
    /// Reports through a fresh unscoped context under the user's name and saves. Two reports of one child at once: the
    /// database's one-open-entry index refuses the second insert, which is then read again and finds the entry open.
    /// </summary>
    internal static async Task<Outcome<LedgerIntakeResult>> ReportAsOneAsync(SystemDb system, PersonalData personal, string userName, LedgerReport report, string? residencePath, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var writer = system.Open(userName);
            var result = await new LedgerIntake(writer, personal).ReportAsync(report, ct);
            if (result.Outcome == LedgerIntakeOutcome.Opened && residencePath is not null
                && writer.ChangeTracker.Entries<LedgerEntry>().Select(e => e.Entity).FirstOrDefault(e => e.Id == result.EntryId) is { ResidencePath: null } added)
            {
                added.ResidencePath = residencePath;
                foreach (var receipt in writer.ChangeTracker.Entries<LedgerReportReceipt>().Select(e => e.Entity).Where(r => r.EntryId == added.Id))
                {
                    receipt.ResidencePath = residencePath;
                }
            }
            try
            {
                await writer.SaveChangesAsync(ct);
                return Outcome<LedgerIntakeResult>.Ok(result);
            }
            catch (DbUpdateException e) when (Saving.IsUniqueViolation(e) && attempt == 0)
            {
                // Someone else's report of the same child (or the same source key) was saved first: read again.
            }
            catch (InvalidInputException e)
            {
                return Outcome<LedgerIntakeResult>.Invalid(e.Errors);
            }
        }
    }

    /// <summary>One click on the registry's unconfirmed-transfer list: the child goes on the ledger as a suspected dropout.</summary>
    public static async Task<Outcome<LedgerIntakeResult>> ReportTransferAsync(BaoxueDb db, SystemDb system, PersonalData personal, TextTable table, IOptions<RegistryOptions> options, Guid statusChangeId, CancellationToken ct = default)
    {
        var listed = (await UnconfirmedTransfers.ListAsync(db, options, ct)).FirstOrDefault(i => i.Row.Id == statusChangeId);
        if (listed is null)
        {
            return await db.StatusChanges.AsNoTracking().AnyAsync(x => x.Id == statusChangeId, ct)
                ? Outcome<LedgerIntakeResult>.Invalid("StatusChangeId", "Ledger.NotUnconfirmed")
                : Outcome<LedgerIntakeResult>.Missing();
        }
        var zh = new CultureInfo(TextTable.Chinese);
        var reason = string.Format(zh, table.Find("Ledger.TransferReason", zh) ?? "{0} {1}", listed.Row.ToSchool ?? listed.Row.ExternalSchool ?? "", listed.WorkingDaysWaiting);
        var report = new LedgerReport(listed.Row.StudentId, null, LedgerList.SuspectedDropout, LedgerSource.UnconfirmedTransfer, "transfer:" + statusChangeId.ToString("N"), reason, db.County.Today);
        return await ReportAsOneAsync(system, personal, db.CurrentUser.UserName, report, null, ct);
    }

    public sealed record Verification(VerificationOutcome? Outcome, string? ElsewhereSchool, bool? ElsewhereInCounty, string? Note, int? Version = null);

    /// <summary>核查: the responsible person records what they found; the entry waits for the supervisor.</summary>
    public static async Task<Outcome<LedgerEntry>> VerifyAsync(BaoxueDb db, Guid id, Verification c, CancellationToken ct = default)
    {
        var entry = await db.LedgerEntries.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (entry is null)
        {
            return Outcome<LedgerEntry>.Missing();
        }
        if (c.Version is { } v && v != entry.Version)
        {
            return Outcome<LedgerEntry>.Conflicted();
        }
        if (!LedgerEntryFlow.Allows(entry.State, LedgerEntryTrigger.Verify))
        {
            return Outcome<LedgerEntry>.Invalid("State", IllegalTransition);
        }
        if (!LedgerRules.MayVerify(ActorOf(db), entry.Path, entry.ResidencePath))
        {
            return Outcome<LedgerEntry>.Invalid("State", "Ledger.NotYours");
        }
        var problems = LedgerRules.VerificationProblems(c.Outcome, c.ElsewhereSchool, c.Note).Select(p => new FieldError(p.Field, p.Key)).ToList();
        if (c.Outcome is { } o && !Enum.IsDefined(o))
        {
            problems.Add(new FieldError("Outcome", "Ledger.OutcomeRequired"));
        }
        if (problems.Count > 0)
        {
            return Outcome<LedgerEntry>.Invalid(problems);
        }
        entry.Move(LedgerEntryTrigger.Verify);
        entry.Outcome = c.Outcome;
        entry.ElsewhereSchool = c.Outcome == VerificationOutcome.StudyingElsewhere ? c.ElsewhereSchool!.Trim() : null;
        entry.ElsewhereInCounty = c.Outcome == VerificationOutcome.StudyingElsewhere ? c.ElsewhereInCounty ?? false : null;
        entry.VerificationNote = c.Note!.Trim();
        entry.VerifiedBy = db.CurrentUser.UserName;
        entry.VerifiedAt = db.Clock.GetUtcNow().UtcDateTime;
        return await db.SaveAsync(entry, ct);
    }

    public sealed record Approval(bool Approve, string? Note, int? Version = null);

    /// <summary>
    /// 审核: the supervisor approves (a dropout opens the case with the education line from the registry's 包保 chain; any
    /// other outcome closes the entry with its reason) or sends the verification back with a note.
    /// </summary>
    public static async Task<Outcome<LedgerEntry>> ApproveAsync(BaoxueDb db, Guid id, Approval c, CancellationToken ct = default)
    {
        var entry = await db.LedgerEntries.FirstOrDefaultAsync(e => e.Id == id, ct);
        if (entry is null)
        {
            return Outcome<LedgerEntry>.Missing();
        }
        if (c.Version is { } v && v != entry.Version)
        {
            return Outcome<LedgerEntry>.Conflicted();
        }
        if (entry.State != LedgerEntryState.AwaitingApproval)
        {
            return Outcome<LedgerEntry>.Invalid("State", IllegalTransition);
        }
        if (!LedgerRules.MayApprove(ActorOf(db), entry.Path, entry.ResidencePath, entry.VerifiedBy))
        {
            return Outcome<LedgerEntry>.Invalid("State", entry.VerifiedBy == db.CurrentUser.UserName ? "Ledger.NotOwnVerification" : "Ledger.NotYours");
        }
        var note = string.IsNullOrWhiteSpace(c.Note) ? null : c.Note.Trim();
        if (!c.Approve && note is null)
        {
            return Outcome<LedgerEntry>.Invalid("Note", "Validation.Required", "Field.ApprovalNote");
        }
        var now = db.Clock.GetUtcNow().UtcDateTime;
        entry.ApprovalNote = note;
        if (!c.Approve)
        {
            entry.Move(LedgerEntryTrigger.SendBack);
            return await db.SaveAsync(entry, ct);
        }
        entry.ApprovedBy = db.CurrentUser.UserName;
        entry.ApprovedAt = now;
        if (LedgerEntryFlow.IsDropout(entry.Outcome!.Value))
        {
            entry.Move(LedgerEntryTrigger.Confirm);
            if (entry.List == LedgerList.SuspectedDropout)
            {
                entry.List = LedgerList.Dropout;
            }
            db.LedgerCases.Add(new LedgerCase
            {
                EntryId = entry.Id,
                OpenedAt = now,
                EducationStaffId = await DefaultEducationLineAsync(db, entry, ct),
                Path = entry.Path,
                ResidencePath = entry.ResidencePath,
            });
        }
        else
        {
            entry.Move(LedgerEntryTrigger.Close);
            entry.Closure = LedgerClosure.NotADropout;
            entry.ClosedOn = db.County.DateOf(now);
        }
        return await db.SaveAsync(entry, ct);
    }

    /// <summary>The registry's 包保 chain: the child's class's head teacher, else the school's head (校长).</summary>
    public static async Task<Guid?> DefaultEducationLineAsync(BaoxueDb db, LedgerEntry entry, CancellationToken ct)
    {
        if (entry.StudentId is not { } studentId)
        {
            return null;
        }
        var chain = await db.Students.IgnoreQueryFilters().AsNoTracking().Where(s => s.Id == studentId)
            .Select(s => new { HeadTeacher = s.Class == null ? null : s.Class.HeadTeacherId, s.SchoolId }).FirstOrDefaultAsync(ct);
        if (chain?.HeadTeacher is { } teacher)
        {
            return teacher;
        }
        return chain is null ? null : await db.Staff.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.SchoolId == chain.SchoolId && s.IsActive && s.Post == "校长").Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>The village (or township) cadre where the child lives: the government line's default.</summary>
    public static async Task<Guid?> DefaultGovernmentLineAsync(BaoxueDb db, LedgerEntry entry, CancellationToken ct)
    {
        var place = entry.ResidencePath ?? LedgerRules.Township(entry.Path);
        return place is null ? null : await db.Staff.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.IsActive && s.DivisionId != null && s.Path == place).OrderBy(s => s.Id).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
    }

    public sealed record Assignment(Guid? EducationStaffId, Guid? GovernmentStaffId, int? Version = null);

    /// <summary>分配: the county or township names the education line (school leader, head teacher) and the government line (township or village cadre).</summary>
    public static async Task<Outcome<LedgerCase>> AssignAsync(BaoxueDb db, Guid caseId, Assignment c, CancellationToken ct = default)
    {
        var @case = await db.LedgerCases.FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (@case is null)
        {
            return Outcome<LedgerCase>.Missing();
        }
        if (c.Version is { } v && v != @case.Version)
        {
            return Outcome<LedgerCase>.Conflicted();
        }
        if (!LedgerCaseFlow.Allows(@case.State, LedgerCaseTrigger.Assign))
        {
            return Outcome<LedgerCase>.Invalid("State", IllegalTransition);
        }
        if (!LedgerRules.MayAssign(ActorOf(db), @case.Path, @case.ResidencePath))
        {
            return Outcome<LedgerCase>.Invalid("State", "Ledger.NotYours");
        }
        var errors = new List<FieldError>();
        // People are chosen county-wide: the child's school and village may lie outside the assigner's own place. But only in the
        // case's county (several counties share a deployment, decision 0026): the education line in the school's county, the
        // government line there or in the county the child lives in.
        var caseCounty = PlacePath.County(@case.Path) ?? PlacePath.Nothing;
        var homeCounty = @case.ResidencePath is { } home ? PlacePath.County(home) ?? caseCounty : caseCounty;
        var education = c.EducationStaffId is { } e ? await db.Staff.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(s => s.Id == e && s.IsActive && s.Path.StartsWith(caseCounty), ct) : null;
        if (education is null || (education.SchoolId is null && education.DivisionId is null))
        {
            errors.Add(new FieldError("EducationStaffId", "Ledger.EducationLineRequired"));
        }
        else if (education.DivisionId is { } d && !await db.Divisions.IgnoreQueryFilters().AnyAsync(x => x.Id == d && x.Level == DivisionLevel.County, ct))
        {
            errors.Add(new FieldError("EducationStaffId", "Ledger.EducationLineRequired"));
        }
        var government = c.GovernmentStaffId is { } g ? await db.Staff.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(s => s.Id == g && s.IsActive && (s.Path.StartsWith(caseCounty) || s.Path.StartsWith(homeCounty)), ct) : null;
        if (government?.DivisionId is not { } gd || !await db.Divisions.IgnoreQueryFilters().AnyAsync(x => x.Id == gd && (x.Level == DivisionLevel.Township || x.Level == DivisionLevel.Village), ct))
        {
            errors.Add(new FieldError("GovernmentStaffId", "Ledger.GovernmentLineRequired"));
        }
        if (errors.Count > 0)
        {
            return Outcome<LedgerCase>.Invalid(errors);
        }
        @case.Move(LedgerCaseTrigger.Assign);
        @case.EducationStaffId = education!.Id;
        @case.GovernmentStaffId = government!.Id;
        @case.AssignedBy = db.CurrentUser.UserName;
        @case.AssignedAt = db.Clock.GetUtcNow().UtcDateTime;
        return await db.SaveAsync(@case, ct);
    }
}
