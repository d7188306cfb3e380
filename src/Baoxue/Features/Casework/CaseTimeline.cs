using System.Text.Json;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Ledger;
using Baoxue.Infrastructure.Attachments;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Casework;

/// <summary>The case in order (时间线): the report, verification, state changes, attempts, documents, deadlines and reminders.</summary>
public static class CaseTimeline
{
    public enum ItemKind
    {
        Reported = 1,
        Verified = 2,
        StateChanged = 3,
        Attempt = 4,
        Notice = 5,
        NoticeSettled = 6,
        Deadline = 7,
        NextStepDue = 8,
        Returned = 9,
        FollowUpEnds = 10,
        CloseOutRequested = 11,
        Closed = 12,
    }

    /// <param name="At">When it happened (UTC), or for reminders the start of the day it falls due.</param>
    /// <param name="Reminder">A date still to come (or passed without its step): a deadline, a next step, the end of follow-up.</param>
    public sealed record Item(DateTime At, DateOnly On, ItemKind Kind, string Text, string? Detail, string? By, Guid? RecordId, bool Reminder, bool Overdue, IReadOnlyList<AttachmentInfo> Files);

    public sealed record CaseView(LedgerCase Case, LedgerEntry Entry, IReadOnlyList<Item> Items, IReadOnlyList<CaseNotice> Notices, IReadOnlyList<AttachmentInfo> CaseFiles, IReadOnlyList<AttachmentInfo> EntryFiles, string? EducationName, string? GovernmentName, string? SchoolName);

    /// <summary>The case with its timeline, or null when it is not in the user's reach.</summary>
    public static async Task<CaseView?> LoadAsync(BaoxueDb db, Guid caseId, Func<string, object[], string> text, CancellationToken ct = default)
    {
        var c = await db.LedgerCases.AsNoTracking().Include(x => x.Entry).ThenInclude(e => e!.School).FirstOrDefaultAsync(x => x.Id == caseId, ct);
        if (c?.Entry is not { } entry)
        {
            return null;
        }
        var zone = db.County;
        var today = zone.Today;
        var attempts = await db.PersuasionAttempts.AsNoTracking().Where(a => a.CaseId == caseId).OrderBy(a => a.On).ThenBy(a => a.RecordedAt).ToListAsync(ct);
        var notices = await db.CaseNotices.AsNoTracking().Where(n => n.CaseId == caseId).OrderBy(n => n.IssuedAt).ToListAsync(ct);
        var photos = (await AttachmentFiles.ListUncheckedAsync(db, CaseworkSetup.AttemptOwner, [.. attempts.Select(a => a.Id)], ct)).ToLookup(a => a.OwnerId);
        var caseFiles = await AttachmentFiles.ListUncheckedAsync(db, CaseworkSetup.CaseOwner, [caseId], ct);
        var entryFiles = await AttachmentFiles.ListUncheckedAsync(db, CaseworkSetup.EntryOwner, [entry.Id], ct);
        var names = await db.Staff.IgnoreQueryFilters().AsNoTracking().Where(s => s.Id == c.EducationStaffId || s.Id == c.GovernmentStaffId).ToDictionaryAsync(s => s.Id, s => s.Name, ct);

        var items = new List<Item>
        {
            new(entry.ReportedAt, zone.DateOf(entry.ReportedAt), ItemKind.Reported, text("Casework.Timeline.Reported", [entry.Reason]), null, entry.ReportedBy, entry.Id, false, false, []),
        };
        if (entry.VerifiedAt is { } verified)
        {
            items.Add(new(verified, zone.DateOf(verified), ItemKind.Verified, text("Casework.Timeline.Verified", []), entry.VerificationNote, entry.VerifiedBy, entry.Id, false, false, entryFiles));
        }
        // State changes as the audit log recorded them (before → after), so the timeline cannot disagree with the log.
        var caseKey = caseId.ToString();
        var lines = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.EntityType == nameof(LedgerCase) && a.EntityId == caseKey).OrderBy(a => a.Sequence).ToListAsync(ct);
        foreach (var line in lines)
        {
            var before = StateIn(line.Before);
            var after = StateIn(line.After);
            if (after is { } to && before != to)
            {
                items.Add(new(line.At, zone.DateOf(line.At), ItemKind.StateChanged,
                    text("Casework.Timeline.State", [before is { } from ? text(LedgerText.CaseState(from), []) : "—", text(LedgerText.CaseState(to), [])]), null, line.UserName, null, false, false, []));
            }
        }
        foreach (var a in attempts)
        {
            items.Add(new(a.RecordedAt, a.On, ItemKind.Attempt,
                text("Casework.Timeline.Attempt", [text("Casework.Method." + a.Method, []), a.People]),
                a.Said, a.RecordedBy, a.Id, false, false, [.. photos[a.Id]]));
        }
        var lastAttempt = attempts.OrderByDescending(a => a.On).ThenByDescending(a => a.RecordedAt).FirstOrDefault();
        if (c.IsOpen && lastAttempt?.NextOn is { } next)
        {
            items.Add(new(zone.StartOfDayUtc(next), next, ItemKind.NextStepDue, text("Casework.Timeline.NextStep", [lastAttempt.NextStep ?? ""]), null, null, lastAttempt.Id, true, next < today, []));
        }
        foreach (var n in notices)
        {
            items.Add(new(n.IssuedAt, n.IssuedOn, ItemKind.Notice, text("Casework.Timeline.Notice", [text("Casework.NoticeKind." + n.Kind, []), n.DocumentNumber]), n.Addressee, n.IssuedBy, n.Id, false, false, []));
            if (n.SettledAt is { } settled)
            {
                items.Add(new(settled, zone.DateOf(settled), ItemKind.NoticeSettled, text("Casework.Timeline.Settled", [n.DocumentNumber]), n.SettledNote, n.SettledBy, n.Id, false, false, []));
            }
            else if (n.DeadlineOn is { } due && c.IsOpen)
            {
                items.Add(new(zone.StartOfDayUtc(due), due, ItemKind.Deadline, text("Casework.Timeline.Deadline", [n.DocumentNumber]), null, null, n.Id, true, due < today, []));
            }
        }
        if (c.ReturnedOn is { } back)
        {
            items.Add(new(zone.StartOfDayUtc(back), back, ItemKind.Returned,
                text("Casework.Timeline.Returned", [c.Placement is { } p ? text(LedgerText.Placement(p), []) : "", c.SuggestedGrade is { } g ? Infrastructure.Localization.ChineseFormat.Grade(g) : ""]), c.PlacementNote, null, null, false, false, []));
        }
        if (c.FollowUpUntil is { } until && c.State == LedgerCaseState.FollowUp)
        {
            items.Add(new(zone.StartOfDayUtc(until), until, ItemKind.FollowUpEnds, text("Casework.Timeline.FollowUpEnds", []), c.SupportPlan, null, null, true, false, []));
        }
        if (c.CloseRequestedAt is { } asked)
        {
            items.Add(new(asked, zone.DateOf(asked), ItemKind.CloseOutRequested, text("Casework.Timeline.CloseOutRequested", []), c.CloseReason, c.CloseRequestedBy, null, false, false, caseFiles));
        }
        if (c.ClosedAt is { } closed)
        {
            items.Add(new(closed, zone.DateOf(closed), ItemKind.Closed, text("Casework.Timeline.Closed", []), null, c.ClosedBy, null, false, false, []));
        }
        var ordered = items.OrderBy(i => i.On).ThenBy(i => i.At).ThenBy(i => i.Kind).ToList();
        return new CaseView(c, entry, ordered, notices, caseFiles, entryFiles,
            c.EducationStaffId is { } e && names.TryGetValue(e, out var en) ? en : null,
            c.GovernmentStaffId is { } g2 && names.TryGetValue(g2, out var gn) ? gn : null,
            entry.School?.Name);
    }

    private static LedgerCaseState? StateIn(string? json)
    {
        if (json is null)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(nameof(LedgerCase.State), out var s) && s.TryGetInt32(out var v)
                ? (LedgerCaseState)v
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
