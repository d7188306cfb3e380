using System.Globalization;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Ledger;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Baoxue.Infrastructure.Security;
using Baoxue.Infrastructure.Spreadsheets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Reconciliation;

/// <summary>Results by school, the transition checks, entry notices and the census over HTTP: the pages' use cases.</summary>
public static class TransitionsApi
{
    public sealed record CheckBody(TransitionKind? Kind, int? Year);
    public sealed record FollowUpBody(string? Note, int? Version);
    public sealed record IssueBody(Guid? SchoolId, int? Year, string? Village);
    public sealed record VersionBody(int? Version);
    public sealed record IssuedDto(int Issued);
    public sealed record CaseDto(Guid Id, TransitionKind Kind, int Year, string Name, Gender Gender, DateOnly BirthDate, string? IdNumberMasked, string? From,
        TransitionState State, string? FollowUp, string? FollowUpBy, bool OnLedger, int Version);
    public sealed record VisitDto(Guid Id, string DivisionCode, string HeadName, string Address, DateOnly VisitedOn, IReadOnlyList<CensusChildDto> Children);
    public sealed record CensusChildDto(Guid Id, string Name, string? IdNumberMasked, CensusMatch Match, string? SchoolName, bool OnLedger);

    public static CaseDto ToDto(TransitionCase c) => new(c.Id, c.Kind, c.Year, c.Name, c.Gender, c.BirthDate, c.IdNumberMasked, c.From, c.State, c.FollowUp, c.FollowUpBy, c.LedgerEntryId is not null, c.Version);

    public static VisitDto ToDto(CensusVisit v) => new(v.Id, v.DivisionCode, v.HeadName, v.Address, v.VisitedOn,
        [.. v.Children.Select(c => new CensusChildDto(c.Id, c.Name, c.IdNumberMasked, c.Match, c.SchoolName, c.LedgerEntryId is not null))]);

    public static void MapTransitionsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/schools", async (PageRequest page, BaoxueDb db, CancellationToken ct) => page.Of(await ReconciliationQueries.BySchoolAsync(db, ct)))
            .RequireAuthorization(Permission.ReconciliationView).Paged()
            .WithName("Reconciliation_ListSchools").WithSummary("The reconciliation's results by school: matched, awaiting, not found, no household record");
        api.MapGet("/schools.xlsx", async (BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) => ExportSchools(db, await ReconciliationQueries.BySchoolAsync(db, ct), text))
            .RequireAuthorization(Permission.ReconciliationView)
            .WithName("Reconciliation_ExportSchools").WithSummary("The results by school as a spreadsheet");

        api.MapGet("/transitions", async (TransitionKind? kind, int? year, TransitionState? state, PageRequest page, BaoxueDb db, IOptions<ReconciliationOptions> options, CancellationToken ct) =>
            {
                var q = TransitionChecks.List(db, kind ?? TransitionKind.PrimaryToJunior, year ?? options.Value.DefaultCutOff(db.County.Today).Year, state);
                return page.Of((await q.Skip(page.Skip).Take(page.PageSize).ToListAsync(ct)).Select(ToDto).ToList(), await q.CountAsync(ct));
            })
            .RequireAuthorization(Permission.ReconciliationView).Paged()
            .WithName("Reconciliation_ListTransitions").WithSummary("Children a transition check (小升初, 幼升小) did not find as entrants");
        api.MapPost("/transitions/checks", async (CheckBody body, BaoxueDb db, ILedgerIntake ledger, PersonalData personal, IOptions<ReconciliationOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await TransitionChecks.RunAsync(db, ledger, personal, options.Value, new(body.Kind, body.Year), ct), text, r => r))
            .RequireAuthorization(Permission.ReconciliationRun)
            .WithName("Reconciliation_RunTransitionCheck").WithSummary("Runs a transition check for the user's county; after the deadline the missing go to the ledger");
        api.MapPost("/transitions/{id:guid}/follow-up", async (Guid id, FollowUpBody body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await TransitionChecks.FollowUpAsync(db, new(id, body.Note, body.Version), ct), text, c => ToDto(c)))
            .RequireAuthorization(Permission.ReconciliationFollowUp)
            .WithName("Reconciliation_FollowUpTransition").WithSummary("Explains a missing child with a note; the case leaves the list");

        api.MapGet("/notices", async (int? year, Guid? school, string? village, PageRequest page, BaoxueDb db, IOptions<ReconciliationOptions> options, CancellationToken ct) =>
                page.Of(await EntryNotices.DueAsync(db, options.Value, year ?? EntryNotices.DefaultYear(options.Value, db.County.Today), school, ct, village)))
            .RequireAuthorization(Permission.ReconciliationView).Paged()
            .WithName("Reconciliation_ListEntryNotices").WithSummary("Children of entry age with their catchment school, notice and enrolment");
        api.MapPost("/notices", async (IssueBody body, BaoxueDb db, IOptions<ReconciliationOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await EntryNotices.IssueAsync(db, options.Value, new(body.SchoolId, body.Year, body.Village), ct), text, n => new IssuedDto(n)))
            .RequireAuthorization(Permission.ReconciliationRun)
            .WithName("Reconciliation_IssueEntryNotices").WithSummary("Issues numbered entry notices to every child due at a school without one");
        api.MapGet("/notices.docx", async (Guid? school, string? village, int? year, BaoxueDb db, TextTable table, IOptions<ReconciliationOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
            {
                // The sheets come from the scoped list of children due: a school out of reach has none, and gets 404.
                var y = year ?? EntryNotices.DefaultYear(options.Value, db.County.Today);
                var sheets = await EntryNotices.SheetsAsync(db, table, options.Value, school, y, ct, village);
                if (sheets.Count == 0)
                {
                    return Results.NotFound();
                }
                var villageName = village is { Length: > 0 } ? await db.Divisions.AsNoTracking().Where(d => d.Code == village).Select(d => d.Name).FirstOrDefaultAsync(ct) : null;
                db.Audit(AuditAction.Export, nameof(EntryNotice), null, null,
                    $"{{\"document\":\"notices.docx\",\"school\":\"{school}\",\"village\":\"{village}\",\"year\":{y},\"notices\":{sheets.Count}}}");
                await db.SaveChangesAsync(ct);
                return Results.File(EntryNotices.Docx(sheets, text["EntryNotice.Title"]), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    $"{(school is null ? villageName : sheets[0].School + villageName)}{text["EntryNotice.Title"]}{y}.docx");
            })
            .RequireAuthorization(Permission.ReconciliationView)
            .WithName("Reconciliation_PrintEntryNotices").WithSummary("The issued entry notices of a school and/or village and a year as one Word file, a page each");
        api.MapPost("/notices/{id:guid}/returned", async (Guid id, VersionBody? body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await EntryNotices.ReturnedAsync(db, new(id, body?.Version), ct), text, n => new { n.Id, n.State, n.ReturnedOn, n.Version }))
            .RequireAuthorization(Permission.ReconciliationFollowUp)
            .WithName("Reconciliation_ReturnEntryNotice").WithSummary("Records that a notice's receipt came back signed");

        api.MapGet("/census/progress", async (PageRequest page, BaoxueDb db, CancellationToken ct) => page.Of(await Census.ProgressAsync(db, ct)))
            .RequireAuthorization(Permission.ReconciliationView).Paged()
            .WithName("Reconciliation_ListCensusProgress").WithSummary("The census's progress per village");
        api.MapGet("/census/children", async (CensusMatch? match, PageRequest page, BaoxueDb db, CancellationToken ct) =>
            {
                var q = Census.Children(db, match);
                return page.Of(await q.Skip(page.Skip).Take(page.PageSize).ToListAsync(ct), await q.CountAsync(ct));
            })
            .RequireAuthorization(Permission.ReconciliationView).Paged()
            .WithName("Reconciliation_ListCensusChildren").WithSummary("Children recorded by the census with what the merge found");
        api.MapPost("/census/visits", async (Census.VisitCommand body, BaoxueDb db, ILedgerIntake ledger, PersonalData personal, IOptions<ReconciliationOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await Census.RecordAsync(db, ledger, personal, options.Value, body, ct), text, v => ToDto(v)))
            .RequireAuthorization(Permission.CensusRecord)
            .WithName("Reconciliation_RecordCensusVisit").WithSummary("Records a household visit of the census and merges its children");
    }

    public static XlsxDownload ExportSchools(BaoxueDb db, IReadOnlyList<ReconciliationQueries.SchoolRow> rows, IStringLocalizer<Strings> text)
    {
        static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        var total = new ReconciliationQueries.SchoolRow(Guid.Empty, text["Recon.Total"], "", rows.Sum(r => r.Matched), rows.Sum(r => r.Awaiting), rows.Sum(r => r.NotFound), rows.Sum(r => r.NoHousehold));
        return new XlsxDownload(text["Recon.SchoolsFile"], text["Recon.SchoolsTitle"],
            [new(text["Recon.School"], 28), new(text["Recon.Matched"], 12), new(text["Recon.Awaiting"], 12), new(text["Recon.NotFoundCompulsory"], 14),
             new(text["Recon.NoHousehold"], 14), new(text["Recon.Discrepancies"], 12)],
            XlsxWriter.ToAsync(rows.Append(total).Select(r => (IReadOnlyList<string?>)[r.Name, N(r.Matched), N(r.Awaiting), N(r.NotFound), N(r.NoHousehold), N(r.Discrepancies)])),
            async (count, ct) =>
            {
                db.Audit(AuditAction.Export, nameof(ReconciliationResult), null, db.ScopePath, $"{{\"document\":\"schools.xlsx\",\"rows\":{count}}}");
                await db.SaveChangesAsync(ct);
            });
    }
}
