using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Ledger;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Reconciliation;

/// <summary>
/// A person accepts or rejects a scored candidate of the fuzzy queue. Accepting makes the student the child's match
/// (the other candidates are rejected with it); rejecting the last candidate leaves the child not found, and a
/// not-found child of compulsory age goes on the ledger at once. Decisions are kept by later runs.
/// </summary>
public static class DecideCandidate
{
    public sealed record Command(Guid CandidateId, bool Accept, int? Version);

    public static async Task<Outcome<ReconciliationResult>> HandleAsync(BaoxueDb db, ILedgerIntake ledger, PersonalData personal, Command c, CancellationToken ct = default)
    {
        var candidate = await db.MatchCandidates.Include(m => m.Result).FirstOrDefaultAsync(m => m.Id == c.CandidateId, ct);
        if (candidate?.Result is null || !db.Covers(candidate.Path))
        {
            return Outcome<ReconciliationResult>.Missing();
        }
        if (candidate.State != CandidateState.Pending || (c.Version is { } v && v != candidate.Version))
        {
            return Outcome<ReconciliationResult>.Conflicted();
        }
        var result = candidate.Result;
        var now = db.County.UtcNow;
        var by = db.CurrentUser.UserName ?? "";
        candidate.State = c.Accept ? CandidateState.Accepted : CandidateState.Rejected;
        candidate.DecidedBy = by;
        candidate.DecidedAt = now;
        var others = await db.MatchCandidates.Where(m => m.ResultId == result.Id && m.Id != candidate.Id && m.State == CandidateState.Pending).ToListAsync(ct);
        if (c.Accept)
        {
            foreach (var other in others)
            {
                other.State = CandidateState.Rejected;
                other.DecidedBy = by;
                other.DecidedAt = now;
            }
            await RunReconciliation.ApplyAsync(db, result, candidate.StudentId, MatchKind.Accepted, ct);
            result.DecidedBy = by;
            result.DecidedAt = now;
        }
        else if (others.Count == 0)
        {
            result.Outcome = ReconciliationOutcome.NotFound;
            result.Match = MatchKind.None;
            result.DecidedBy = by;
            result.DecidedAt = now;
            if (ReconciliationOptions.Compulsory(result.AgeBand) && result.LedgerEntryId is null)
            {
                var child = await db.HouseholdChildren.AsNoTracking().Where(h => h.Id == result.HouseholdChildId)
                    .Select(h => new RunReconciliation.HouseholdChildRef(h.Id, h.Name, h.BirthDate, h.Gender, h.DivisionCode)).FirstAsync(ct);
                await RunReconciliation.ReportAsync(db, ledger, personal, result, child, db.County.Today, ct);
            }
        }
        result.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<ReconciliationResult>.Conflicted();
        }
        return Outcome<ReconciliationResult>.Ok(result);
    }
}

/// <summary>
/// A person records what became of a child the registry does not show in school: deceased, moved away, home teaching
/// or special education, deferral or exemption — always with evidence (a certificate, a letter, a transfer record).
/// </summary>
public static class RecordOutcome
{
    public sealed record Command(Guid ResultId, ReconciliationOutcome? Outcome, string? Evidence, int? Version);

    public const int EvidenceLength = 500;

    public static readonly ReconciliationOutcome[] Recordable =
        [ReconciliationOutcome.Deceased, ReconciliationOutcome.MovedAway, ReconciliationOutcome.SpecialEducation, ReconciliationOutcome.DeferredOrExempted];

    public static async Task<Outcome<ReconciliationResult>> HandleAsync(BaoxueDb db, Command c, CancellationToken ct = default)
    {
        var result = await db.ReconciliationResults.FirstOrDefaultAsync(r => r.Id == c.ResultId, ct);
        if (result is null || !db.Covers(result.Path))
        {
            return Outcome<ReconciliationResult>.Missing();
        }
        var errors = new List<FieldError>();
        if (c.Outcome is not { } outcome || !Recordable.Contains(outcome))
        {
            errors.Add(new FieldError("Outcome", "Recon.OutcomeRule"));
        }
        var evidence = c.Evidence?.Trim();
        if (string.IsNullOrEmpty(evidence))
        {
            errors.Add(new FieldError("Evidence", "Validation.Required", "Field.ReconEvidence"));
        }
        else if (evidence.Length > EvidenceLength)
        {
            errors.Add(new FieldError("Evidence", "Validation.TooLong", EvidenceLength));
        }
        if (result.Outcome is not (ReconciliationOutcome.NotFound or ReconciliationOutcome.AwaitingDecision))
        {
            errors.Add(new FieldError("Outcome", "Recon.AlreadyFound"));
        }
        if (errors.Count > 0)
        {
            return Outcome<ReconciliationResult>.Invalid(errors);
        }
        if (c.Version is { } v && v != result.Version)
        {
            return Outcome<ReconciliationResult>.Conflicted();
        }
        var now = db.County.UtcNow;
        var by = db.CurrentUser.UserName ?? "";
        foreach (var pending in await db.MatchCandidates.Where(m => m.ResultId == result.Id && m.State == CandidateState.Pending).ToListAsync(ct))
        {
            pending.State = CandidateState.Rejected;
            pending.DecidedBy = by;
            pending.DecidedAt = now;
        }
        result.Outcome = c.Outcome!.Value;
        result.Match = MatchKind.Recorded;
        result.Evidence = evidence;
        result.DecidedBy = by;
        result.DecidedAt = now;
        result.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<ReconciliationResult>.Conflicted();
        }
        return Outcome<ReconciliationResult>.Ok(result);
    }
}
