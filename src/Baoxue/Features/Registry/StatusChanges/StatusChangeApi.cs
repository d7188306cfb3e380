using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Registry.StatusChanges;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Baoxue.Infrastructure.Security;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

// In the Registry namespace (which Program.cs already imports) so that registering it is one line there.
namespace Baoxue.Features.Registry;

/// <summary>学籍异动 over HTTP: the same use cases as the pages, under /api/v1/status-changes.</summary>
public static class StatusChangeApi
{
    public sealed record StepDto(int Step, ApprovalStage Stage, bool? Approved, string? DecidedBy, DateTime? DecidedAt, string? Comment, string? DecidedByName = null);

    public sealed record StatusChangeDto(
        Guid Id, StatusChangeKind Kind, StatusChangeState State, Guid StudentId, string StudentName, string? IdNumberMasked,
        Guid FromSchoolId, string FromSchool, Guid? ToSchoolId, string? ToSchool, string? ExternalSchool, DateOnly EffectiveOn,
        DateTime RequestedAt, string RequestedBy, ApprovalStage? AwaitingStage, bool CanDecide, string? RequestedByName = null);

    public sealed record StatusChangeDetailDto(
        StatusChangeDto Change, string Reason, string? Evidence, DateOnly? ExpectedReturnOn, Guid? FromClassId, Guid? ToClassId,
        DateTime? DecidedAt, IReadOnlyList<StepDto> Steps, bool CanWithdraw);

    public sealed record UnconfirmedDto(StatusChangeDto Change, int WorkingDaysWaiting);

    public sealed record LookupDto(string Name, string? IdNumberMasked, string School, StudentStatus Status);

    public sealed class ListQuery
    {
        public StatusChangeQueries.View? View { get; set; }
        public StatusChangeKind? Kind { get; set; }
        public StatusChangeState? State { get; set; }
        public Guid? StudentId { get; set; }

        public StatusChangeQueries.Filter ToFilter() => new(View ?? StatusChangeQueries.View.All, Kind, State, StudentId);
    }

    public static StatusChangeDto ToDto(StatusChangeQueries.Row r) => new(
        r.Id, r.Kind, r.State, r.StudentId, r.StudentName, r.IdNumberMasked, r.FromSchoolId, r.FromSchool, r.ToSchoolId, r.ToSchool, r.ExternalSchool,
        r.EffectiveOn, r.RequestedAt, r.RequestedBy, r.AwaitingStage, r.CanDecide, r.RequestedByName);

    public static StatusChangeDetailDto ToDto(StatusChangeQueries.Detail d) => new(
        ToDto(d.Row), d.Reason, d.Evidence, d.ExpectedReturnOn, d.FromClassId, d.ToClassId, d.DecidedAt,
        [.. d.Steps.Select(s => new StepDto(s.Number, s.Stage, s.Approved, s.DecidedBy, s.DecidedAt, s.Comment, s.DecidedByName))], d.CanWithdraw);

    private static async Task<IResult> DetailAsync(BaoxueDb db, Guid id, CancellationToken ct) =>
        await StatusChangeQueries.DetailAsync(db, id, ct) is { } d ? Results.Ok(ToDto(d)) : Results.NotFound();

    private static async Task<IResult> AfterAsync(Outcome<StatusChange> outcome, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
        outcome.Succeeded ? await DetailAsync(db, outcome.Value!.Id, ct) : ApiResults.From(outcome, text, c => c.Id);

    public static void MapStatusChangeApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/status-changes").WithTags("StatusChanges");
        api.MapGet("/", async ([AsParameters] ListQuery q, PageRequest page, BaoxueDb db, CancellationToken ct) =>
        {
            var found = await StatusChangeQueries.PageAsync(db, q.ToFilter(), page, ct);
            return page.Of<StatusChangeDto>([.. found.Items.Select(ToDto)], found.Total);
        }).RequireAuthorization(Permission.RegistryView).Paged()
            .WithName("StatusChanges_ListChanges").WithSummary("List status changes (paged)");
        api.MapGet("/{id:guid}", (Guid id, BaoxueDb db, CancellationToken ct) => DetailAsync(db, id, ct))
            .RequireAuthorization(Permission.RegistryView)
            .WithName("StatusChanges_GetChange").WithSummary("Read a status change");
        api.MapGet("/unconfirmed", async (PageRequest page, BaoxueDb db, IOptions<RegistryOptions> options, CancellationToken ct) =>
            page.Of<UnconfirmedDto>([.. (await UnconfirmedTransfers.ListAsync(db, options, ct)).Select(i => new UnconfirmedDto(ToDto(i.Row), i.WorkingDaysWaiting))]))
            .RequireAuthorization(Permission.RegistryView).Paged()
            .WithName("StatusChanges_ListUnconfirmed").WithSummary("List transfers awaiting the receiving school (paged)");
        api.MapGet("/export", async ([AsParameters] ListQuery q, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            StatusChangeExport.Build(db, text, await StatusChangeQueries.ListAsync(db, q.ToFilter(), ct), null, text["StatusChanges.Title"]))
            .RequireAuthorization(Permission.RegistryView)
            .WithName("StatusChanges_ExportChanges").WithSummary("Export status changes (Excel)");
        api.MapGet("/unconfirmed/export", async (BaoxueDb db, IOptions<RegistryOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            var items = await UnconfirmedTransfers.ListAsync(db, options, ct);
            return StatusChangeExport.Build(db, text, [.. items.Select(i => i.Row)], [.. items.Select(i => i.WorkingDaysWaiting)], text["StatusChanges.Unconfirmed"]);
        }).RequireAuthorization(Permission.RegistryView)
            .WithName("StatusChanges_ExportUnconfirmed").WithSummary("Export unconfirmed transfers (Excel)");
        api.MapGet("/lookup", async (string? number, string? name, BaoxueDb db, PersonalData personal, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await TransferLookup.LookUpAsync(db, personal, number, name, ct), text, f => new LookupDto(f.Name, f.IdNumberMasked, f.School, f.Status)))
            .RequireAuthorization(Permission.StatusChangeRequest)
            .RequireRateLimiting(SecurityHardening.LookupLimit)
            .WithName("StatusChanges_LookUpStudent").WithSummary("Find a child to transfer in by number and name (audited, rate-limited)");
        api.MapPost("/", async (RequestStatusChange.Command c, BaoxueDb db, PersonalData personal, IStringLocalizer<Strings> text, CancellationToken ct) =>
            await AfterAsync(await RequestStatusChange.HandleAsync(db, personal, c, ct), db, text, ct))
            .RequireAuthorization(Permission.StatusChangeRequest)
            .WithName("StatusChanges_RequestChange").WithSummary("Request a status change");
        api.MapPost("/{id:guid}/decision", async (Guid id, DecideStatusChange.Command c, BaoxueDb db, SystemDb system, IStringLocalizer<Strings> text, CancellationToken ct) =>
            await AfterAsync(await DecideStatusChange.HandleAsync(db, system, id, c, ct), db, text, ct))
            .RequireAuthorization(Permission.StatusChangeApprove)
            .WithName("StatusChanges_DecideChange").WithSummary("Approve or refuse a stage of a status change");
        api.MapPost("/{id:guid}/withdraw", async (Guid id, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            await AfterAsync(await WithdrawStatusChange.HandleAsync(db, id, ct), db, text, ct))
            .RequireAuthorization(Permission.StatusChangeRequest)
            .WithName("StatusChanges_WithdrawChange").WithSummary("Withdraw a status change");

        var schools = app.MapGroup("/api/v1/schools").WithTags("StatusChanges");
        schools.MapGet("/{id:guid}/year-end", async (Guid id, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await YearEnd.PreviewAsync(db, id, ct), text, p => p))
            .RequireAuthorization(Permission.StatusChangeApprove)
            .WithName("StatusChanges_PreviewYearEnd").WithSummary("Preview a school's year-end promotion");
        schools.MapPost("/{id:guid}/year-end", async (Guid id, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await YearEnd.RunAsync(db, id, ct), text, r => r))
            .RequireAuthorization(Permission.StatusChangeApprove)
            .WithName("StatusChanges_RunYearEnd").WithSummary("Run a school's year-end promotion");
    }
}
