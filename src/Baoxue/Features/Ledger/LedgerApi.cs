using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Home;
using Baoxue.Features.Registry;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Baoxue.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Ledger;

public static class LedgerSetup
{
    public static void AddLedger(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<LedgerOptions>(builder.Configuration.GetSection("Ledger"));
        builder.Services.AddScoped<ILedgerIntake, LedgerIntake>();
        builder.Services.AddScoped<ITaskSource, LedgerTasks>();
    }
}

/// <summary>The ledger over HTTP, under /api/v1/ledger: the same use cases and queries as the pages.</summary>
public static class LedgerApi
{
    public sealed class ListQuery
    {
        public LedgerList? List { get; set; }
        public LedgerEntryState? State { get; set; }
        /// <summary>The township's division code.</summary>
        public string? Township { get; set; }
        public Guid? SchoolId { get; set; }
        public LedgerSource? Source { get; set; }
        public bool? NewThisMonth { get; set; }
        public bool? OpenOnly { get; set; }
        public int? Grade { get; set; }
        /// <summary>The cause (原因) exactly as recorded.</summary>
        public string? Reason { get; set; }
        public GroupKind? Group { get; set; }
        /// <summary>残疾类别 of a Disabled tag (视力, 听力, 智力 …).</summary>
        public string? Disability { get; set; }
        /// <summary>Only children whose case is open.</summary>
        public bool? OpenCase { get; set; }
        /// <summary>The funnel's stage the child reached (all time, closed entries too).</summary>
        public LedgerFunnelStage? Stage { get; set; }
        /// <summary>Only open entries whose waiting step is past due.</summary>
        public bool? Overdue { get; set; }
        /// <summary>Only entries overdue at this step.</summary>
        public LedgerStep? Step { get; set; }
        /// <summary>A county's or city's division code.</summary>
        public string? Division { get; set; }

        public LedgerQueries.Filter ToFilter() => new(List, State, Township, SchoolId, Source, NewThisMonth ?? false, OpenOnly ?? false, Grade, Reason, Group, Disability, OpenCase ?? false,
            Stage, Overdue ?? false, Step, string.IsNullOrWhiteSpace(Division) ? null : Division.Trim());
    }

    public sealed record EntryDto(
        Guid Id, string Name, Gender Gender, string? IdNumber, string Born, LedgerList List, LedgerEntryState State, LedgerSource Source, bool IsNew,
        DateOnly ReportedOn, string Reason, Guid? StudentId, string? School, int? Grade, string? Residence, VerificationOutcome? Outcome,
        Guid? CaseId, LedgerCaseState? CaseState, string? EducationLine, string? GovernmentLine);

    public sealed record ReceiptDto(LedgerSource Source, LedgerList List, string Reason, DateOnly ReportedOn, LedgerIntakeOutcome Outcome);
    public sealed record HistoryDto(DateTime At, string By, string Record, string? From, string? To);

    public sealed record EntryDetailDto(
        EntryDto Entry, int Version, string ReportedBy, string? HouseholdAddress, string? ElsewhereSchool, bool? ElsewhereInCounty, string? VerificationNote,
        string? VerifiedBy, DateTime? VerifiedAt, string? ApprovedBy, DateTime? ApprovedAt, string? ApprovalNote, LedgerClosure? Closure, DateOnly? ClosedOn,
        LedgerQueries.CaseView? Case, IReadOnlyList<ReceiptDto> Receipts, IReadOnlyList<HistoryDto> History, bool CanVerify, bool CanApprove, bool CanAssign);

    public sealed record IntakeDto(LedgerIntakeOutcome Outcome, Guid EntryId);

    public static EntryDto ToDto(LedgerQueries.Row r) => new(r.Id, r.Name, r.Gender, r.IdNumber, r.Born, r.List, r.State, r.Source, r.IsNew, r.ReportedOn, r.Reason,
        r.StudentId, r.School, r.Grade, r.Residence, r.Outcome, r.CaseId, r.CaseState, r.EducationLine, r.GovernmentLine);

    public static EntryDetailDto ToDto(LedgerQueries.Detail d) => new(ToDto(d.Row), d.Version, d.ReportedBy, d.Row.HouseholdAddress, d.ElsewhereSchool, d.ElsewhereInCounty,
        d.VerificationNote, d.VerifiedBy, d.VerifiedAt, d.ApprovedBy, d.ApprovedAt, d.ApprovalNote, d.Closure, d.ClosedOn, d.Case,
        [.. d.Receipts.Select(r => new ReceiptDto(r.Source, r.List, r.Reason, r.ReportedOn, r.Outcome))],
        [.. d.History.Select(h => new HistoryDto(h.At, h.By, h.Record, h.From, h.To))], d.CanVerify, d.CanApprove, d.CanAssign);

    /// <summary>An illegal transition is a conflict with the record's state (409) and says so in Chinese; other refusals are 400 naming the field.</summary>
    public static IResult From<T>(Outcome<T> outcome, IStringLocalizer<Strings> text, Func<T, object> map) =>
        outcome.Errors.Any(e => e.Key == LedgerCommands.IllegalTransition)
            ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: text[LedgerCommands.IllegalTransition], detail: text[LedgerCommands.IllegalTransition],
                type: "https://tools.ietf.org/html/rfc9110#section-15.5.10")
            : ApiResults.From(outcome, text, map);

    private static async Task<IResult> DetailAsync(BaoxueDb db, Guid id, IOptions<LedgerOptions> options, CancellationToken ct) =>
        await LedgerQueries.DetailAsync(db, id, options.Value, ct) is { } d ? Results.Ok(ToDto(d)) : Results.NotFound();

    public static void MapLedgerApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/ledger").WithTags("Ledger");
        api.MapGet("/entries", async ([AsParameters] ListQuery q, PageRequest page, BaoxueDb db, IOptions<LedgerOptions> options, CancellationToken ct) =>
        {
            var found = await LedgerQueries.PageAsync(db, q.ToFilter(), page, ct, options.Value);
            return page.Of<EntryDto>([.. found.Items.Select(ToDto)], found.Total);
        }).RequireAuthorization(Permission.LedgerView).Paged()
            .WithName("Ledger_ListEntries").WithSummary("The three lists: ledger entries in reach, filtered and paged.");
        api.MapGet("/entries/{id:guid}", (Guid id, BaoxueDb db, IOptions<LedgerOptions> options, CancellationToken ct) => DetailAsync(db, id, options, ct))
            .RequireAuthorization(Permission.LedgerView)
            .WithName("Ledger_GetEntry").WithSummary("One entry with its verification, case, sources and history.");
        api.MapPost("/entries", async (LedgerCommands.Tip body, BaoxueDb db, SystemDb system, PersonalData personal, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await LedgerCommands.ReportTipAsync(db, system, personal, body, ct), text, r => new IntakeDto(r.Outcome, r.EntryId)))
            .RequireAuthorization(Permission.LedgerReport)
            .WithName("Ledger_ReportTip").WithSummary("Report a child (a tip): a registry student by id, or a child never enrolled.");
        api.MapPost("/entries/from-transfer/{statusChangeId:guid}", async (Guid statusChangeId, BaoxueDb db, SystemDb system, PersonalData personal, TextTable table,
            IOptions<RegistryOptions> registry, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await LedgerCommands.ReportTransferAsync(db, system, personal, table, registry, statusChangeId, ct), text, r => new IntakeDto(r.Outcome, r.EntryId)))
            .RequireAuthorization(Permission.LedgerReport)
            .WithName("Ledger_ReportUnconfirmedTransfer").WithSummary("Put a child from the unconfirmed-transfer list on the ledger as a suspected dropout.");
        api.MapPost("/entries/{id:guid}/verification", async (Guid id, LedgerCommands.Verification body, BaoxueDb db, IOptions<LedgerOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            var outcome = await LedgerCommands.VerifyAsync(db, id, body, ct);
            return outcome.Succeeded ? await DetailAsync(db, id, options, ct) : From(outcome, text, e => e.Id);
        }).RequireAuthorization(Permission.LedgerVerify)
            .WithName("Ledger_VerifyEntry").WithSummary("Record the verification of an entry (dropout or the reason it is not).");
        api.MapPost("/entries/{id:guid}/approval", async (Guid id, LedgerCommands.Approval body, BaoxueDb db, IOptions<LedgerOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            var outcome = await LedgerCommands.ApproveAsync(db, id, body, ct);
            return outcome.Succeeded ? await DetailAsync(db, id, options, ct) : From(outcome, text, e => e.Id);
        }).RequireAuthorization(Permission.LedgerApprove)
            .WithName("Ledger_ApproveVerification").WithSummary("Approve a verification (a dropout opens the case) or send it back.");
        api.MapPost("/cases/{id:guid}/assignment", async (Guid id, LedgerCommands.Assignment body, BaoxueDb db, IOptions<LedgerOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            var outcome = await LedgerCommands.AssignAsync(db, id, body, ct);
            return outcome.Succeeded ? await DetailAsync(db, outcome.Value!.EntryId, options, ct) : From(outcome, text, c => c.Id);
        }).RequireAuthorization(Permission.LedgerAssign)
            .WithName("Ledger_AssignCase").WithSummary("Name a case's education-line and government-line people.");
        api.MapGet("/export", ([AsParameters] ListQuery q, BaoxueDb db, IOptions<LedgerOptions> options, IStringLocalizer<Strings> text) => LedgerExport.Build(db, text, q.ToFilter(), options.Value))
            .RequireAuthorization(Permission.LedgerView)
            .WithName("Ledger_ExportEntries").WithSummary("The three lists as xlsx, one row per child, as the county files them.");
        api.MapGet("/counts", async (BaoxueDb db, IOptions<LedgerOptions> options, CancellationToken ct) => await LedgerCounts.BuildAsync(db, options.Value, ct))
            .RequireAuthorization(Permission.LedgerView)
            .WithName("Ledger_GetCounts").WithSummary("应劝尽劝，应返尽返: counts per township and school.");
        api.MapPost("/import", async (IFormFile file, BaoxueDb db, SystemDb system, PersonalData personal, TextTable table, IOptions<LedgerOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            await using var stream = file.OpenReadStream();
            return Organisation.OrganisationApi.ImportResult(await LedgerImport.ImportAsync(db, system, personal, table, MaxBytes(options.Value), stream, file.FileName, ct), text);
        }).RequireAuthorization(Permission.LedgerImport).DisableAntiforgery().RequireRateLimiting(Accounts.AccountsSetup.ImportLimit)
            .WithName("Ledger_ImportDepartmentList").WithSummary("Import a member department's list: all rows or none, with the row report.");
        api.MapGet("/import/template", async (BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            Results.File(await LedgerImport.TemplateAsync(db, text, ct), Organisation.OrganisationApi.XlsxType, text["Ledger.Template.File"] + ".xlsx"))
            .RequireAuthorization(Permission.LedgerImport)
            .WithName("Ledger_GetImportTemplate").WithSummary("The department-list template (xlsx).");
    }

    public static long MaxBytes(LedgerOptions o) => Math.Max(1, o.MaxImportMegabytes) * 1024L * 1024;
}
