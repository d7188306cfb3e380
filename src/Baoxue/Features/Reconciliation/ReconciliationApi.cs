using System.Globalization;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Home;
using Baoxue.Features.Ledger;
using Baoxue.Features.Registry.Import;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Baoxue.Infrastructure.Security;
using Baoxue.Infrastructure.Spreadsheets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Reconciliation;

/// <summary>Household data, reconciliation runs, the fuzzy queue, results and the reverse check over HTTP: the pages' use cases.</summary>
public static class ReconciliationApi
{
    public sealed record RunBody(DateOnly? CutOff);
    public sealed record DecisionBody(int? Version);
    public sealed record OutcomeBody(ReconciliationOutcome? Outcome, string? Evidence, int? Version);
    public sealed record RunDto(Guid Id, DateOnly CutOff, DateTime StartedAt, string StartedBy, int Children, int Exact, int Candidates, int NotFound, int Reported, long PairsScored, int Milliseconds);
    public sealed record PlaceDto(string Path, string Name, int Children, int Compulsory, IReadOnlyDictionary<string, int> Outcomes);
    public sealed record SummaryDto(string Path, string Name, RunDto? LastRun, PlaceDto Total, IReadOnlyList<PlaceDto> Places);
    public sealed record ResultDto(Guid Id, Guid HouseholdChildId, AgeBand AgeBand, ReconciliationOutcome Outcome, MatchKind Match, Guid? StudentId, string? SchoolName, string? Evidence, string? DecidedBy, bool OnLedger, int Version);
    public sealed record HouseholdImportDto(bool Succeeded, int RowsRead, int Created, int Updated, IReadOnlyList<string> Merged, IReadOnlyList<Organisation.OrganisationApi.ImportProblemDto> Problems);

    public static RunDto ToDto(ReconciliationRun r) => new(r.Id, r.CutOff, r.StartedAt, r.StartedBy, r.Children, r.Exact, r.Candidates, r.NotFound, r.Reported, r.PairsScored, r.Milliseconds);
    public static ResultDto ToDto(ReconciliationResult r) => new(r.Id, r.HouseholdChildId, r.AgeBand, r.Outcome, r.Match, r.StudentId, r.SchoolName, r.Evidence, r.DecidedBy, r.LedgerEntryId is not null, r.Version);
    private static PlaceDto ToDto(ReconciliationQueries.PlaceRow p) => new(p.Path, p.Name, p.Children, p.Compulsory, p.Outcomes.ToDictionary(o => o.Key.ToString(), o => o.Value));

    public static void AddReconciliation(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ReconciliationOptions>(builder.Configuration.GetSection("Reconciliation"));
        builder.Services.AddScoped<ITaskSource, ReconciliationTasks>();
    }

    public static void MapReconciliationApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/reconciliation").WithTags("Reconciliation");
        api.MapTransitionsApi();
        api.MapGet("/summary", async (string? place, BaoxueDb db, CancellationToken ct) =>
                await ReconciliationQueries.SummaryAsync(db, place, ct) is { } s
                    ? Results.Ok(new SummaryDto(s.Path, s.Name, s.LastRun is null ? null : ToDto(s.LastRun), ToDto(s.Total), [.. s.Places.Select(ToDto)]))
                    : Results.NotFound())
            .RequireAuthorization(Permission.ReconciliationView)
            .WithName("Reconciliation_GetSummary").WithSummary("Counts by outcome per place, one level below the given place");
        api.MapGet("/summary.xlsx", async (string? place, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                await ReconciliationQueries.SummaryAsync(db, place, ct) is { } s ? ExportSummary(db, s, text) : Results.NotFound())
            .RequireAuthorization(Permission.ReconciliationView)
            .WithName("Reconciliation_ExportSummary").WithSummary("The counts by place as a spreadsheet");
        api.MapGet("/children", async (ReconciliationOutcome? outcome, string? place, bool? compulsory, Guid? school, ReconciliationQueries.SchoolCount? count, PageRequest page, BaoxueDb db, CancellationToken ct) =>
            {
                var q = ReconciliationQueries.Children(db, new(outcome, place, compulsory ?? false, null, school, count));
                return page.Of(await q.Skip(page.Skip).Take(page.PageSize).ToListAsync(ct), await q.CountAsync(ct));
            })
            .RequireAuthorization(Permission.ReconciliationView).Paged()
            .WithName("Reconciliation_ListChildren").WithSummary("Household children with their reconciliation outcome");
        api.MapGet("/children.xlsx", async (ReconciliationOutcome? outcome, string? place, bool? compulsory, Guid? school, ReconciliationQueries.SchoolCount? count, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ExportChildren(db, ReconciliationQueries.Children(db, new(outcome, place, compulsory ?? false, null, school, count)), outcome, text,
                    school is { } sid ? await SchoolTitleAsync(db, text, sid, count, ct) : null))
            .RequireAuthorization(Permission.ReconciliationView)
            .WithName("Reconciliation_ExportChildren").WithSummary("Household children with their outcome as a spreadsheet");
        api.MapPost("/runs", async (RunBody? body, BaoxueDb db, ILedgerIntake ledger, PersonalData personal, IOptions<ReconciliationOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await RunReconciliation.HandleAsync(db, ledger, personal, options.Value, new(body?.CutOff), ct), text, r => ToDto(r)))
            .RequireAuthorization(Permission.ReconciliationRun)
            .WithName("Reconciliation_StartRun").WithSummary("Runs the reconciliation of the user's county");
        api.MapGet("/queue", async (string? place, PageRequest page, BaoxueDb db, CancellationToken ct) =>
            {
                var (items, total) = await ReconciliationQueries.QueueAsync(db, place, page.Skip, page.PageSize, ct);
                return page.Of(items, total);
            })
            .RequireAuthorization(Permission.ReconciliationView).Paged()
            .WithName("Reconciliation_ListQueue").WithSummary("Children waiting for a decision, best candidates first");
        api.MapPost("/candidates/{id:guid}/accept", async (Guid id, DecisionBody? body, BaoxueDb db, ILedgerIntake ledger, PersonalData personal, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await DecideCandidate.HandleAsync(db, ledger, personal, new(id, true, body?.Version), ct), text, r => ToDto(r)))
            .RequireAuthorization(Permission.ReconciliationDecide)
            .WithName("Reconciliation_AcceptCandidate").WithSummary("Accepts a candidate: the student is the household child");
        api.MapPost("/candidates/{id:guid}/reject", async (Guid id, DecisionBody? body, BaoxueDb db, ILedgerIntake ledger, PersonalData personal, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await DecideCandidate.HandleAsync(db, ledger, personal, new(id, false, body?.Version), ct), text, r => ToDto(r)))
            .RequireAuthorization(Permission.ReconciliationDecide)
            .WithName("Reconciliation_RejectCandidate").WithSummary("Rejects a candidate");
        api.MapPost("/results/{id:guid}/outcome", async (Guid id, OutcomeBody body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await RecordOutcome.HandleAsync(db, new(id, body.Outcome, body.Evidence, body.Version), ct), text, r => ToDto(r)))
            .RequireAuthorization(Permission.ReconciliationDecide)
            .WithName("Reconciliation_RecordOutcome").WithSummary("Records what became of a child not found in school, with evidence");
        api.MapGet("/reverse", async (ReconciliationQueries.ReverseKind? kind, Guid? school, PageRequest page, BaoxueDb db, CancellationToken ct) =>
            {
                var q = ReconciliationQueries.Reverse(db, kind ?? ReconciliationQueries.ReverseKind.NoHousehold, school);
                return page.Of(await q.Skip(page.Skip).Take(page.PageSize).ToListAsync(ct), await q.CountAsync(ct));
            })
            .RequireAuthorization(Permission.ReconciliationView).Paged()
            .WithName("Reconciliation_ListReverse").WithSummary("Students without a household record, or registered twice");
        api.MapGet("/reverse.xlsx", (ReconciliationQueries.ReverseKind? kind, Guid? school, BaoxueDb db, IStringLocalizer<Strings> text) =>
                ExportReverse(db, kind ?? ReconciliationQueries.ReverseKind.NoHousehold, school, text))
            .RequireAuthorization(Permission.ReconciliationView)
            .WithName("Reconciliation_ExportReverse").WithSummary("Students without a household record, or registered twice, as a spreadsheet");
        api.MapPost("/households/import", async (IFormFile file, BaoxueDb db, PersonalData personal, TextTable table, IOptions<Registry.RegistryOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
            {
                await using var stream = file.OpenReadStream();
                var result = await HouseholdImport.ImportAsync(db, personal, table, RegistryImportApi.MaxBytes(options.Value), stream, file.FileName, ct);
                var r = result.Report;
                var dto = new HouseholdImportDto(r.Succeeded, r.RowsRead, r.Created, r.Updated, result.Merges,
                    [.. r.Problems.OrderBy(p => p.Row).Select(p => new Organisation.OrganisationApi.ImportProblemDto(p.Row, p.Column, p.Value, text[p.ReasonKey, p.Args]))]);
                return r.Succeeded ? Results.Ok(dto) : Results.UnprocessableEntity(dto);
            })
            .RequireAuthorization(Permission.HouseholdImport).DisableAntiforgery()
            .RequireRateLimiting(Accounts.AccountsSetup.ImportLimit)
            .WithFormOptions(multipartBodyLengthLimit: RegistryImportApi.TransportLimitBytes)
            .WithMetadata(new RequestSizeLimitAttribute(RegistryImportApi.TransportLimitBytes))
            .WithName("Reconciliation_ImportHouseholds").WithSummary("Imports household data (xlsx, xls or csv), all or nothing");
        api.MapGet("/households/import/template", async (BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            {
                var code = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Village).OrderBy(d => d.Code).Select(d => d.Code).FirstOrDefaultAsync(ct) ?? "350123100201";
                string[] examples = ["张子涵", "350123201503071234", "男", "2015-03-07", "01", "某某村3组12号", code, "农业", "子", "张伟", "13800000000", "李娜", "", "户籍人口"];
                var columns = HouseholdImport.Columns.Select((c, i) => new ImportTemplates.Column(c.Key, c.Required, examples[i])).ToList();
                return Results.File(ImportTemplates.Build(text, text["Household.TemplateSheet"], columns, "Household.TemplateNotes"), Organisation.OrganisationApi.XlsxType, text["Household.TemplateFile"] + ".xlsx");
            })
            .RequireAuthorization(Permission.HouseholdImport)
            .WithName("Reconciliation_GetHouseholdTemplate").WithSummary("A blank household-data workbook with notes");
    }

    public static XlsxDownload ExportSummary(BaoxueDb db, ReconciliationQueries.Summary s, IStringLocalizer<Strings> text)
    {
        var outcomes = Enum.GetValues<ReconciliationOutcome>();
        static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        var rows = s.Places.Append(s.Total).Select(p => (IReadOnlyList<string?>)[p.Name, N(p.Children), N(p.Compulsory), .. outcomes.Select(o => N(p.Count(o)))]);
        return new XlsxDownload(text["Recon.SummaryFile"], text["Recon.SummaryTitle"],
            [new(text["Recon.Place"], 24), text["Recon.Children"], text["Recon.Compulsory"], .. outcomes.Select(o => new ExportColumn(text["ReconciliationOutcome." + o]))],
            XlsxWriter.ToAsync(rows), async (count, ct) =>
            {
                db.Audit(AuditAction.Export, nameof(ReconciliationResult), null, s.Path, $"{{\"document\":\"summary.xlsx\",\"rows\":{count}}}");
                await db.SaveChangesAsync(ct);
            });
    }

    /// <summary>"School · column" for the children behind one count of the results by school, or null for a school out of reach.</summary>
    public static async Task<string?> SchoolTitleAsync(BaoxueDb db, IStringLocalizer<Strings> text, Guid school, ReconciliationQueries.SchoolCount? count, CancellationToken ct) =>
        await db.Schools.AsNoTracking().Where(s => s.Id == school).Select(s => s.Name).FirstOrDefaultAsync(ct) is { } name
            ? text["Recon.SchoolCountTitle", name, text["Recon.SchoolCount." + (count ?? ReconciliationQueries.SchoolCount.Matched)]].Value
            : null;

    public static XlsxDownload ExportChildren(BaoxueDb db, IQueryable<ReconciliationQueries.ChildRow> rows, ReconciliationOutcome? outcome, IStringLocalizer<Strings> text, string? schoolTitle = null)
    {
        var title = schoolTitle ?? (outcome is { } o ? text["ReconciliationOutcome." + o].Value : text["Recon.ChildrenTitle"].Value);
        return new XlsxDownload(title, title,
            [new(text["Student.Name"], 12), new(text["Recon.IdNumber"], 20), text["Student.Gender"], new(text["Student.BirthDate"], 14), text["Recon.AgeBand"],
             new(text["Recon.Village"], 20), new(text["Recon.Address"], 30), text["Recon.Residency"], text["Recon.Outcome"], new(text["Recon.School"], 24),
             new(text["Recon.NearestSchool"], 24), new(text["Recon.Evidence"], 30), text["Recon.OnLedger"]],
            rows.AsAsyncEnumerable().Select(r => (IReadOnlyList<string?>)[r.Name, r.IdNumberMasked, text["Gender." + r.Gender], ChineseFormat.Date(r.BirthDate),
                text["AgeBand." + r.AgeBand], r.Place, r.HouseholdAddress, text["Residency." + r.Residency], text["ReconciliationOutcome." + r.Outcome], r.SchoolName,
                r.NearestSchool, r.Evidence, r.OnLedger ? text["Common.Yes"] : ""]),
            async (count, ct) =>
            {
                db.Audit(AuditAction.Export, nameof(ReconciliationResult), null, null, $"{{\"document\":\"children.xlsx\",\"outcome\":\"{outcome}\",\"rows\":{count}}}");
                await db.SaveChangesAsync(ct);
            });
    }

    public static XlsxDownload ExportReverse(BaoxueDb db, ReconciliationQueries.ReverseKind kind, Guid? school, IStringLocalizer<Strings> text)
    {
        var title = text["ReverseKind." + kind].Value;
        return new XlsxDownload(title, title,
            [new(text["Student.Name"], 12), new(text["Recon.IdNumber"], 20), text["Student.Gender"], new(text["Student.BirthDate"], 14), new(text["Recon.School"], 28), text["Recon.Grade"]],
            ReconciliationQueries.Reverse(db, kind, school).AsAsyncEnumerable().Select(r => (IReadOnlyList<string?>)[r.Name, r.IdNumberMasked, text["Gender." + r.Gender],
                ChineseFormat.Date(r.BirthDate), r.SchoolName, ChineseFormat.Grade(r.Grade)]),
            async (count, ct) =>
            {
                db.Audit(AuditAction.Export, nameof(Student), null, null, $"{{\"document\":\"reverse.xlsx\",\"kind\":\"{kind}\",\"school\":\"{school}\",\"rows\":{count}}}");
                await db.SaveChangesAsync(ct);
            });
    }
}

/// <summary>
/// Reconciliation on the home page: the fuzzy queue for those who decide; for the village and township (the
/// government line) and the nearest school (the school line), the compulsory-age children not found — 两线劝返.
/// </summary>
public sealed class ReconciliationTasks : ITaskSource
{
    public int Order => 300;

    public async Task<IReadOnlyList<HomeTask>> TasksAsync(HomeContext home, CancellationToken ct)
    {
        var (db, user) = (home.Db, home.User);
        var tasks = new List<HomeTask>();
        if (!user.Can(Permission.ReconciliationView))
        {
            return tasks;
        }
        if (user.Can(Permission.ReconciliationDecide))
        {
            var waiting = await db.ReconciliationResults.AsNoTracking().CountAsync(r => r.Outcome == ReconciliationOutcome.AwaitingDecision, ct);
            tasks.Add(new("Home.Task.ReconQueue", waiting, "/reconciliation/queue"));
        }
        var notFound = await ReconciliationQueries.Children(db, new(ReconciliationOutcome.NotFound, null, true)).CountAsync(ct);
        tasks.Add(new("Home.Task.ReconNotFound", notFound, "/reconciliation/children?outcome=NotFound&compulsory=true"));
        return tasks;
    }
}
