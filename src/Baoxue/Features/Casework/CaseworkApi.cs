using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Attachments;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Baoxue.Infrastructure.Security;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Casework;

/// <summary>Casework over HTTP under /api/v1/ledger: the same use cases as the pages.</summary>
public static class CaseworkApi
{
    public sealed record AttemptDto(Guid Id, Guid CaseId, DateOnly On, string People, PersuasionMethod Method, string? Met, string Said,
        PersuasionAttitude GuardianAttitude, PersuasionAttitude ChildAttitude, PersuasionOutcome Outcome, string? NextStep, DateOnly? NextOn, string RecordedBy, DateTime RecordedAt);

    public sealed record NoticeDto(Guid Id, Guid CaseId, NoticeKind Kind, string DocumentNumber, string IssuerName, int Year, int Number, string Addressee, string ChildName,
        string Facts, string LegalBasis, string Demand, DateOnly? DeadlineOn, string? Recipient, DateOnly IssuedOn, string IssuedBy, DateTime? SettledAt, string? SettledNote);

    public sealed record CaseDto(Guid Id, LedgerCaseState State, EscalationStep Escalation, DateOnly? ReturnedOn, PlacementKind? Placement, Guid? PlacementSchoolId, string? PlacementNote,
        int? SuggestedGrade, DateOnly? FollowUpUntil, string? SupportPlan, string? CloseReason, string? ClosedBy, DateTime? ClosedAt, int ReopenCount);

    /// <param name="EnrolledStudentId">The student the return enrolled, for a child who had no registry record.</param>
    public sealed record ReturnDto(CaseDto Case, Guid? StatusChangeId, StatusChangeState? StatusChangeState, Guid? EnrolledStudentId);

    public sealed record TimelineItemDto(DateTime At, DateOnly On, CaseTimeline.ItemKind Kind, string Text, string? Detail, string? By, Guid? RecordId, bool Reminder, bool Overdue, IReadOnlyList<AttachmentInfo> Files);

    public sealed record TimelineDto(CaseDto Case, string ChildName, IReadOnlyList<TimelineItemDto> Items);

    public sealed record GradeDto(int Grade, CaseworkRules.GradeRule Rule, int MonthsOut, string Explanation);

    public static AttemptDto ToDto(PersuasionAttempt a) => new(a.Id, a.CaseId, a.On, a.People, a.Method, a.Met, a.Said, a.GuardianAttitude, a.ChildAttitude, a.Outcome, a.NextStep, a.NextOn, a.RecordedBy, a.RecordedAt);

    public static NoticeDto ToDto(CaseNotice n) => new(n.Id, n.CaseId, n.Kind, n.DocumentNumber, n.IssuerName, n.Year, n.Number, n.Addressee, n.ChildName, n.Facts, n.LegalBasis, n.Demand,
        n.DeadlineOn, n.Recipient, n.IssuedOn, n.IssuedBy, n.SettledAt, n.SettledNote);

    public static CaseDto ToDto(LedgerCase c) => new(c.Id, c.State, c.Escalation, c.ReturnedOn, c.Placement, c.PlacementSchoolId, c.PlacementNote, c.SuggestedGrade, c.FollowUpUntil, c.SupportPlan,
        c.CloseReason, c.ClosedBy, c.ClosedAt, c.ReopenCount);

    /// <summary>The rule applied, in words ("离校 5 个月（3—12 个月）：降一个年级").</summary>
    public static string Explain(CaseworkRules.GradeSuggestion s, CaseworkOptions o, IStringLocalizer text) =>
        text["Casework.GradeRule." + s.Rule, s.MonthsOut, o.SameGradeMonths, o.OneGradeLowerMonths, ChineseFormat.Grade(s.Grade)];

    public static void MapCaseworkApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/ledger").WithTags("Casework");
        api.MapGet("/casework", async (CaseworkQueries.View? view, PageRequest page, BaoxueDb db, CancellationToken ct) =>
            await CaseworkQueries.PageAsync(db, view ?? CaseworkQueries.View.Overdue, page, ct))
            .RequireAuthorization(Permission.CaseworkView).Paged()
            .WithName("Casework_ListCases").WithSummary("Cases by casework view: overdue deadlines, close-outs to approve, follow-up, closed.");
        api.MapGet("/cases/{id:guid}/timeline", async (Guid id, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            await CaseTimeline.LoadAsync(db, id, (k, a) => text[k, a].Value, ct) is { } v
                ? Results.Ok(new TimelineDto(ToDto(v.Case), v.Entry.Name, [.. v.Items.Select(i => new TimelineItemDto(i.At, i.On, i.Kind, i.Text, i.Detail, i.By, i.RecordId, i.Reminder, i.Overdue, i.Files))]))
                : Results.NotFound())
            .RequireAuthorization(Permission.CaseworkView)
            .WithName("Casework_GetTimeline").WithSummary("A case's timeline: report, verification, state changes, attempts, notices, deadlines and reminders in order.");
        api.MapPost("/cases/{id:guid}/attempts", async (Guid id, CaseAttempts.Command c, BaoxueDb db, AttachmentFiles files, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await CaseAttempts.RecordAsync(db, files, id, c, [], ct), text, ToDto))
            .RequireAuthorization(Permission.CaseworkEdit)
            .WithName("Casework_RecordAttempt").WithSummary("Record a persuasion attempt; the same clientKey again returns the first record. Photos: POST /api/v1/attachments with ownerKind=attempt.");
        api.MapPost("/cases/{id:guid}/notices", async (Guid id, CaseNotices.Command c, BaoxueDb db, TextTable table, IOptions<CaseworkOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await CaseNotices.IssueAsync(db, table, options.Value, id, c, ct), text, ToDto))
            .RequireAuthorization(Permission.CaseworkEdit)
            .WithName("Casework_IssueNotice").WithSummary("Issue a notice (文书) on a case; numbered per issuing unit and year without gaps.");
        api.MapGet("/notices/{id:guid}", async (Guid id, BaoxueDb db, TextTable table, CancellationToken ct) =>
            await NoticeSheet.LoadAsync(db, table, id, ct) is { } s ? Results.Ok(ToDto(s.Notice)) : Results.NotFound())
            .RequireAuthorization(Permission.CaseworkView)
            .WithName("Casework_GetNotice").WithSummary("One issued notice.");
        api.MapGet("/notices/{id:guid}/docx", async (Guid id, BaoxueDb db, TextTable table, CancellationToken ct) =>
        {
            if (await NoticeSheet.LoadAsync(db, table, id, ct) is not { } sheet)
            {
                return Results.NotFound();
            }
            db.Audit(AuditAction.Export, nameof(CaseNotice), id.ToString(), sheet.Notice.Path, "{\"document\":\"notice.docx\"}");
            await db.SaveChangesAsync(ct);
            return Results.File(NoticeSheet.Docx(sheet), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", sheet.Notice.DocumentNumber + sheet.Title + ".docx");
        }).RequireAuthorization(Permission.CaseworkView)
            .WithName("Casework_GetNoticeDocx").WithSummary("The notice as a Word document in the official layout; audited.");
        api.MapPost("/notices/{id:guid}/settle", async (Guid id, CaseNotices.SettleCommand c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await CaseNotices.SettleAsync(db, id, c, ct), text, ToDto))
            .RequireAuthorization(Permission.CaseworkEdit)
            .WithName("Casework_SettleNotice").WithSummary("Settle a notice's deadline (complied, or the next step taken).");
        api.MapGet("/cases/{id:guid}/grade-suggestion", async (Guid id, DateOnly? on, BaoxueDb db, IOptions<CaseworkOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
            await CaseProgress.SuggestAsync(db, options.Value, id, on ?? db.County.Today, ct) is { } s
                ? Results.Ok(new GradeDto(s.Grade, s.Rule, s.MonthsOut, Explain(s, options.Value, text)))
                : Results.NotFound())
            .RequireAuthorization(Permission.CaseworkView)
            .WithName("Casework_SuggestGrade").WithSummary("The suggested grade for a return on a date, and the rule applied.");
        api.MapPost("/cases/{id:guid}/return", async (Guid id, CaseProgress.ReturnCommand c, BaoxueDb db, PersonalData personal, IOptions<CaseworkOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await CaseProgress.ReturnAsync(db, personal, options, id, c, ct), text, r => new ReturnDto(ToDto(r.Case), r.Change?.Id, r.Change?.State, r.Enrolled?.Id)))
            .RequireAuthorization(Permission.CaseworkEdit)
            .WithName("Casework_RecordReturn").WithSummary("Record the return and placement; asks the registry for the matching status change, or enrols a never-enrolled child in the chosen class, in the same step.");
        api.MapPost("/cases/{id:guid}/follow-up", async (Guid id, CaseProgress.FollowUpCommand c, BaoxueDb db, IOptions<CaseworkOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await CaseProgress.FollowUpAsync(db, options, id, c, ct), text, ToDto))
            .RequireAuthorization(Permission.CaseworkEdit)
            .WithName("Casework_StartFollowUp").WithSummary("Start the follow-up period with a support plan (default: one term).");
        api.MapPost("/cases/{id:guid}/close-out", async (Guid id, CaseProgress.CloseOutCommand c, BaoxueDb db, AttachmentFiles files, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await CaseProgress.RequestCloseOutAsync(db, files, id, c, [], ct), text, ToDto))
            .RequireAuthorization(Permission.CaseworkEdit)
            .WithName("Casework_RequestCloseOut").WithSummary("Ask the county to close the case out (销号); evidence: POST /api/v1/attachments with ownerKind=case.");
        api.MapPost("/cases/{id:guid}/close-out/decision", async (Guid id, CaseProgress.DecisionCommand c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await CaseProgress.DecideCloseOutAsync(db, id, c, ct), text, ToDto))
            .RequireAuthorization(Permission.CaseworkApprove)
            .WithName("Casework_DecideCloseOut").WithSummary("The county approves or sends back a close-out.");
        api.MapPost("/cases/{id:guid}/reopen", async (Guid id, CaseProgress.ReopenCommand c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await CaseProgress.ReopenAsync(db, id, c, ct), text, ToDto))
            .RequireAuthorization(Permission.CaseworkEdit)
            .WithName("Casework_ReopenCase").WithSummary("反弹: reopen a returned or followed case for new persuasion.");
    }
}
