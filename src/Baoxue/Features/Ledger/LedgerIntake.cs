using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Ledger;

/// <summary>
/// The one way a child is put on the ledger, whatever the source (tips, the unconfirmed-transfer list, department lists,
/// attendance, reconciliation): idempotent per source key, one open entry per child, a relapse in follow-up reopens the
/// case. Adds to <paramref name="db"/>'s unit of work; the caller saves. Reads past the jurisdiction filters, because
/// the caller has already been authorised to report and the child may live or study elsewhere (decision 0020).
/// </summary>
public sealed class LedgerIntake(BaoxueDb db, PersonalData personal) : ILedgerIntake
{
    /// <summary>For a caller with its own context (a background job's system context).</summary>
    public static ILedgerIntake For(BaoxueDb db, PersonalData personal) => new LedgerIntake(db, personal);

    public async Task<LedgerIntakeResult> ReportAsync(LedgerReport report, CancellationToken ct)
    {
        if ((report.StudentId is null) == (report.Child is null))
        {
            throw new ArgumentException("Exactly one of StudentId and Child is set.", nameof(report));
        }
        var seen = Tracked<LedgerReportReceipt>().FirstOrDefault(r => r.Source == report.Source && r.SourceKey == report.SourceKey)
            ?? await db.LedgerReportReceipts.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(r => r.Source == report.Source && r.SourceKey == report.SourceKey, ct);
        if (seen is not null)
        {
            return new LedgerIntakeResult(LedgerIntakeOutcome.Duplicate, seen.EntryId);
        }

        var child = await DescribeAsync(report, ct);
        var open = Tracked<LedgerEntry>().FirstOrDefault(e => e.ChildKey == child.Key && e.IsOpen)
            ?? await db.LedgerEntries.IgnoreQueryFilters().Include(e => e.Case).FirstOrDefaultAsync(e => e.ChildKey == child.Key && e.State != LedgerEntryState.Closed, ct);
        var now = db.Clock.GetUtcNow().UtcDateTime;
        LedgerIntakeOutcome outcome;
        LedgerEntry entry;
        if (open is not null)
        {
            entry = open;
            outcome = LedgerIntakeOutcome.AlreadyOpen;
            // A more serious list wins while the entry is still being verified.
            if (report.List > entry.List && entry.State is not LedgerEntryState.Confirmed)
            {
                entry.List = report.List;
            }
            if (entry.Case is { State: LedgerCaseState.FollowUp or LedgerCaseState.Returned } relapsed)
            {
                relapsed.Move(LedgerCaseTrigger.Reopen);
                outcome = LedgerIntakeOutcome.Reopened;
            }
        }
        else
        {
            var before = await db.LedgerEntries.IgnoreQueryFilters().AnyAsync(e => e.ChildKey == child.Key, ct);
            entry = new LedgerEntry
            {
                ChildKey = child.Key,
                StudentId = child.StudentId,
                Name = child.Name,
                IdNumberCipher = child.NormalizedId is null ? null : personal.Encrypt(child.NormalizedId),
                IdNumberHash = child.IdHash,
                IdNumberMasked = child.NormalizedId is null ? child.StoredMask : IdNumber.Mask(child.NormalizedId),
                BirthDate = child.BirthDate,
                Gender = child.Gender,
                HouseholdDivisionCode = child.HouseholdCode,
                HouseholdAddress = child.HouseholdAddress,
                SchoolId = child.SchoolId,
                Grade = child.Grade,
                List = report.List,
                Source = report.Source,
                SourceKey = report.SourceKey,
                Reason = report.Reason.Trim(),
                ReportedOn = report.ReportedOn,
                ReportedAt = now,
                ReportedBy = db.CurrentUser.UserName,
                IsNew = !before,
                Path = child.Path,
                ResidencePath = child.ResidencePath,
            };
            db.LedgerEntries.Add(entry);
            outcome = LedgerIntakeOutcome.Opened;
        }
        db.LedgerReportReceipts.Add(new LedgerReportReceipt
        {
            EntryId = entry.Id,
            Source = report.Source,
            SourceKey = report.SourceKey,
            List = report.List,
            Reason = report.Reason.Trim(),
            ReportedOn = report.ReportedOn,
            ReceivedAt = now,
            Outcome = outcome,
            Path = entry.Path,
            ResidencePath = entry.ResidencePath,
        });
        return new LedgerIntakeResult(outcome, entry.Id);
    }

    /// <summary>
    /// This unit of work's entities of a type, without detecting changes first: <c>Entries&lt;T&gt;()</c> compares every
    /// tracked entity of every type on each call, and the clock run reports from batches of 2,000 tracked clocks (at a
    /// million students that was 18 of its 27 seconds). Added entities are tracked the moment they are added, and what
    /// is read here (keys, state) is read from the entities themselves, so nothing needs detecting.
    /// </summary>
    private List<T> Tracked<T>() where T : class
    {
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return [.. db.ChangeTracker.Entries<T>().Select(e => e.Entity)];
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    public async Task ReturnedAsync(Guid studentId, LedgerSource source, DateOnly on, CancellationToken ct)
    {
        var key = LedgerEntry.KeyOfStudent(studentId);
        var entry = await db.LedgerEntries.IgnoreQueryFilters().Include(e => e.Case)
            .FirstOrDefaultAsync(e => e.ChildKey == key && e.State != LedgerEntryState.Closed, ct);
        if (entry is null)
        {
            return;
        }
        if (entry.State is LedgerEntryState.Reported or LedgerEntryState.Verifying && entry.Source == source)
        {
            entry.Move(LedgerEntryTrigger.Close);
            entry.Closure = LedgerClosure.Returned;
            entry.ClosedOn = on;
        }
        else if (entry.Case is { } c && LedgerCaseFlow.Allows(c.State, LedgerCaseTrigger.Return))
        {
            c.Move(LedgerCaseTrigger.Return);
            c.ReturnedOn = on;
            c.Placement ??= PlacementKind.OriginalSchool;
        }
    }

    private sealed record Child(
        string Key, Guid? StudentId, string Name, string? NormalizedId, string? IdHash, string? StoredMask, DateOnly BirthDate, Gender Gender,
        string? HouseholdCode, string? HouseholdAddress, Guid? SchoolId, int? Grade, string Path, string? ResidencePath);

    private async Task<Child> DescribeAsync(LedgerReport report, CancellationToken ct)
    {
        if (report.StudentId is { } studentId)
        {
            var s = await db.Students.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(x => x.Id == studentId, ct)
                ?? throw new ArgumentException("No such student.", nameof(report));
            return new Child(LedgerEntry.KeyOfStudent(s.Id), s.Id, s.Name, null, s.IdNumberHash, s.IdNumberMasked, s.BirthDate, s.Gender,
                null, s.HouseholdAddress, s.SchoolId, s.Grade, s.Path, null);
        }
        var c = report.Child!;
        var place = await db.Divisions.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(d => d.Code == c.HouseholdDivisionCode, ct)
            ?? throw new ArgumentException("Unknown household division.", nameof(report));
        var id = string.IsNullOrWhiteSpace(c.IdNumber) ? null : IdNumber.Parse(c.IdNumber) is { IsValid: true } check ? check.Normalized : throw new ArgumentException("Invalid ID number.", nameof(report));
        var hash = id is null ? null : personal.Hash(id);
        // A child reported by ID who is in the registry after all is that student.
        if (hash is not null && await db.Students.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(s => s.IdNumberHash == hash, ct) is { } known)
        {
            return new Child(LedgerEntry.KeyOfStudent(known.Id), known.Id, known.Name, null, hash, known.IdNumberMasked, known.BirthDate, known.Gender,
                place.Code, c.HouseholdAddress, known.SchoolId, known.Grade, known.Path, place.Path);
        }
        var key = hash is not null ? LedgerEntry.KeyOfId(hash) : LedgerEntry.KeyOfPerson(c.Name, c.BirthDate, place.Code);
        return new Child(key, null, c.Name.Trim(), id, hash, null, c.BirthDate, c.Gender, place.Code, c.HouseholdAddress, null, null, place.Path, place.Path);
    }
}
