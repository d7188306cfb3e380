using Baoxue.Data;
using Baoxue.Features.Rates;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Auditing;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.AspNetCore.Http.HttpResults;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Reporting;

/// <summary>The reporting rhythm, statistical tables and campaigns over HTTP: the same use cases and queries as the pages.</summary>
public static class ReportingApi
{
    public sealed record ReportDto(Guid Id, ReportKind Kind, DateOnly PeriodStart, DateOnly PeriodEnd, string Period, string UnitName, ReportState State, DateOnly AsOf, DateOnly DueOn, bool Late,
        string? Narrative, ReportFigures Figures, DateTime GeneratedAt, string GeneratedBy, DateTime? SubmittedAt, string? SubmittedBy, DateTime? DecidedAt, string? DecidedBy,
        string? DecisionNote, DateTime? ArchivedAt, int Version, Guid? FigureSetId);

    public sealed record StatTableDto(string Unit, string Title, DateOnly AsOf, int SchoolYear, StatMoment Moment, IReadOnlyList<GradeRow> Rows, GradeRow Total);

    public sealed record ProgressDto(Guid Id, PhaseState State, string? Note, string? ReviewNote, int Version);

    public static ReportDto ToDto(ReportQueries.Detail d, IStringLocalizer text)
    {
        var r = d.Report;
        return new(r.Id, r.Kind, r.PeriodStart, r.PeriodEnd, ReportQueries.Period(text, r.Kind, r.PeriodStart), r.UnitName, r.State, r.AsOf, r.DueOn, d.Late, r.Narrative, d.Figures,
            r.GeneratedAt, r.GeneratedBy, r.SubmittedAt, r.SubmittedBy, r.DecidedAt, r.DecidedBy, r.DecisionNote, r.ArchivedAt, r.Version, r.FigureSetId);
    }

    private static async Task<IResult> AfterAsync(Outcome<Report> outcome, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct)
    {
        if (!outcome.Succeeded || outcome.Conflict)
        {
            return ApiResults.From(outcome, text, r => r);
        }
        var detail = await ReportQueries.DetailAsync(db, outcome.Value!.Id, ct);
        return Results.Ok(ToDto(detail!, text));
    }

    public static void MapReportingApi(this WebApplication app)
    {
        var reports = app.MapGroup("/api/v1/reports").WithTags("Reporting");
        reports.MapGet("/", async Task<Results<Ok<PagedResult<ReportQueries.Row>>, ForbidHttpResult>> (ReportQueries.View? view, ReportKind? kind, ReportState? state, PageRequest page, BaoxueDb db, HttpContext http, CancellationToken ct) =>
            // A view the user's permissions do not allow (待审核 for a school) is refused, not shown empty.
            view is { } v && !ReportQueries.ViewsFor(http.User).Contains(v)
                ? TypedResults.Forbid()
                : TypedResults.Ok(await ReportQueries.PageAsync(db, view ?? ReportQueries.View.All, kind, state, page, ct)))
            .RequireAuthorization(Permission.ReportingView).Paged()
            .WithName("Reporting_ListReports").WithSummary("Reports in reach: the unit's own, those waiting for the user's decision, or all.");
        reports.MapGet("/overdue", async (BaoxueDb db, IOptions<ReportingOptions> options, CancellationToken ct) =>
            await ReportQueries.OverdueAsync(db, options.Value, ct))
            .RequireAuthorization(Permission.ReportingView)
            .WithName("Reporting_ListOverdue").WithSummary("Units below that have not filed a report by its due date this school year, or filed it late.");
        reports.MapPost("/", async (ReportCommands.Generate c, BaoxueDb db, FigureBuilder builder, IOptions<ReportingOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
            await AfterAsync(await ReportCommands.GenerateAsync(db, builder, options.Value, c, ct), db, text, ct))
            .RequireAuthorization(Permission.ReportingPrepare)
            .WithName("Reporting_GenerateReport").WithSummary("Generate the user's unit's report for a period (any date in it; default the last period); its figures are read from the rates snapshot closing the period, or one taken now.");
        reports.MapGet("/{id:guid}", async (Guid id, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            await ReportQueries.DetailAsync(db, id, ct) is { } d ? Results.Ok(ToDto(d, text)) : Results.NotFound())
            .RequireAuthorization(Permission.ReportingView)
            .WithName("Reporting_GetReport").WithSummary("One report with its frozen figures.");
        reports.MapGet("/{id:guid}/docx", async (Guid id, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            if (await ReportQueries.DetailAsync(db, id, ct) is not { } d)
            {
                return Results.NotFound();
            }
            db.Audit(AuditAction.Export, nameof(Report), id.ToString(), d.Report.Path, "{\"document\":\"report.docx\"}");
            await db.SaveChangesAsync(ct);
            var title = ReportDocument.Title(d.Report, text);
            return Results.File(ReportDocument.Docx(d, text), Docs.ContentType, title + ".docx");
        }).RequireAuthorization(Permission.ReportingView)
            .WithName("Reporting_GetReportDocx").WithSummary("The report as a Word document (figures as filed, the narrative, the decision); audited.");
        reports.MapPut("/{id:guid}/narrative", async (Guid id, ReportCommands.Edit c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            await AfterAsync(await ReportCommands.EditAsync(db, id, c, ct), db, text, ct))
            .RequireAuthorization(Permission.ReportingPrepare)
            .WithName("Reporting_EditReport").WithSummary("Change the report's words while the unit still edits it (draft or returned).");
        reports.MapPost("/{id:guid}/refresh", async (Guid id, ReportCommands.Step c, BaoxueDb db, FigureBuilder builder, IStringLocalizer<Strings> text, CancellationToken ct) =>
            await AfterAsync(await ReportCommands.RefreshAsync(db, builder, id, c, ct), db, text, ct))
            .RequireAuthorization(Permission.ReportingPrepare)
            .WithName("Reporting_RefreshReport").WithSummary("Count the figures again in a rates snapshot taken now, while the unit still edits the report.");
        reports.MapPost("/{id:guid}/submit", async (Guid id, ReportCommands.Step c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            await AfterAsync(await ReportCommands.SubmitAsync(db, id, c, ct), db, text, ct))
            .RequireAuthorization(Permission.ReportingPrepare)
            .WithName("Reporting_SubmitReport").WithSummary("Submit the report to the level above.");
        reports.MapPost("/{id:guid}/decision", async (Guid id, ReportCommands.Decision c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            await AfterAsync(await ReportCommands.DecideAsync(db, id, c, ct), db, text, ct))
            .RequireAuthorization(Permission.ReportingReview)
            .WithName("Reporting_DecideReport").WithSummary("The level above approves a submitted report or returns it for correction with a note; of two decisions at once one wins, the other is 409.");
        reports.MapPost("/{id:guid}/archive", async (Guid id, ReportCommands.Step c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            await AfterAsync(await ReportCommands.ArchiveAsync(db, id, c, ct), db, text, ct))
            .RequireAuthorization(Permission.ReportingReview)
            .WithName("Reporting_ArchiveReport").WithSummary("File an approved report in the archive.");

        var tables = app.MapGroup("/api/v1/reporting/tables").WithTags("Reporting");
        tables.MapGet("/", async (StatMoment? moment, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            var s = await StatTable.LoadAsync(db, text, moment ?? StatMoment.YearStart, ct);
            return new StatTableDto(s.Unit, s.Title, s.AsOf, s.SchoolYear, s.Moment, s.Rows, s.Total);
        }).RequireAuthorization(Permission.ReportingView)
            .WithName("Reporting_GetStatTable").WithSummary("学年初/末登记统计表: the jurisdiction by grade (classes, students, girls, minority, left-behind, disabled, migrant, poverty-registered) as of today.");
        tables.MapGet("/xlsx", async (StatMoment? moment, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            StatTable.Xlsx(db, await StatTable.LoadAsync(db, text, moment ?? StatMoment.YearStart, ct), text))
            .RequireAuthorization(Permission.ReportingView)
            .WithName("Reporting_ExportStatTableXlsx").WithSummary("The statistical table as xlsx (title with jurisdiction and date, header frozen and filtered); audited.");
        tables.MapGet("/docx", async (StatMoment? moment, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            var s = await StatTable.LoadAsync(db, text, moment ?? StatMoment.YearStart, ct);
            db.Audit(AuditAction.Export, "StatTable", s.Moment.ToString(), db.ScopePath ?? "", "{\"document\":\"table.docx\"}");
            await db.SaveChangesAsync(ct);
            return Results.File(StatTable.Docx(s, text), Docs.ContentType, s.Title + ".docx");
        }).RequireAuthorization(Permission.ReportingView)
            .WithName("Reporting_ExportStatTableDocx").WithSummary("The statistical table as a Word document (A4 landscape); audited.");

        var campaigns = app.MapGroup("/api/v1/campaigns").WithTags("Reporting");
        campaigns.MapGet("/", async (PageRequest page, BaoxueDb db, CancellationToken ct) => await CampaignQueries.PageAsync(db, page, ct))
            .RequireAuthorization(Permission.CampaignsView).Paged()
            .WithName("Reporting_ListCampaigns").WithSummary("Campaigns in reach with each phase's progress over the schools in reach.");
        campaigns.MapGet("/running", async (BaoxueDb db, CancellationToken ct) => await CampaignQueries.RunningAsync(db, ct))
            .RequireAuthorization(Permission.CampaignsView)
            .WithName("Reporting_ListRunningCampaigns").WithSummary("For dashboards: campaigns not yet confirmed everywhere, per phase schools, marked, confirmed and overdue.");
        campaigns.MapPost("/", async (Campaigns.Create c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await Campaigns.CreateAsync(db, c, ct), text, x => new { x.Id, x.Title, x.Description, x.Path, Phases = x.Phases.Select(p => new { p.Id, p.Kind, p.DueOn }) }))
            .RequireAuthorization(Permission.CampaignsManage)
            .WithName("Reporting_CreateCampaign").WithSummary("A county opens a phased campaign (self-check, county check, rectification) with a deadline per phase.");
        campaigns.MapGet("/{id:guid}", async (Guid id, BaoxueDb db, CancellationToken ct) =>
            await CampaignQueries.DetailAsync(db, id, ct) is { } d
                ? Results.Ok(new { d.Campaign.Id, d.Campaign.Title, d.Campaign.Description, d.Phases, d.Schools })
                : Results.NotFound())
            .RequireAuthorization(Permission.CampaignsView)
            .WithName("Reporting_GetCampaign").WithSummary("A campaign's progress per school and phase.");
        campaigns.MapPost("/progress/{id:guid}/mark", async (Guid id, Campaigns.Mark c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await Campaigns.MarkAsync(db, id, c, ct), text, p => new ProgressDto(p.Id, p.State, p.Note, p.ReviewNote, p.Version)))
            .RequireAuthorization(Permission.CampaignsMark)
            .WithName("Reporting_MarkPhase").WithSummary("The school marks its phase done with a note (phases in order).");
        campaigns.MapPost("/progress/{id:guid}/review", async (Guid id, Campaigns.Review c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await Campaigns.ReviewAsync(db, id, c, ct), text, p => new ProgressDto(p.Id, p.State, p.Note, p.ReviewNote, p.Version)))
            .RequireAuthorization(Permission.CampaignsManage)
            .WithName("Reporting_ReviewPhase").WithSummary("The county confirms a school's phase or returns it with a note.");
    }
}

/// <summary>A report as filed, in Word: title, unit and period, the grade table, movement and loss, the words, the decision.</summary>
public static class ReportDocument
{
    public static string Title(Report r, IStringLocalizer text) => text["Reporting.DocTitle", r.UnitName, ReportQueries.Period(text, r.Kind, r.PeriodStart), text["Reporting.Kind." + r.Kind]];

    public static IReadOnlyList<string> UnitHeaders(ReportKind kind, IStringLocalizer text) => kind == ReportKind.FloatingMonthly
        ?
        [
            text["Reporting.Col.Unit"], text["Reporting.Col.Students"], text["Reporting.Col.TransfersIn"], text["Reporting.Col.TransfersOut"], text["Reporting.Col.MigrantIn"],
            text["Reporting.Col.MigrantOut"], text["Reporting.Col.LeftBehindIn"], text["Reporting.Col.LeftBehindOut"], text["Reporting.Col.Lost"], text["Reporting.Col.LostReturned"], text["Reporting.Col.AbsentDays"],
        ]
        :
        [
            text["Reporting.Col.Unit"], text["Reporting.Col.Students"], text["Reporting.Col.TransfersIn"], text["Reporting.Col.TransfersOut"], text["Reporting.Col.Suspended"],
            text["Reporting.Col.Resumed"], text["Reporting.Col.OtherLeft"], text["Reporting.Col.NewSuspected"], text["Reporting.Col.NewDropouts"], text["Reporting.Col.Returned"], text["Reporting.Col.OpenLedger"],
        ];

    public static IReadOnlyList<string> UnitCells(ReportKind kind, UnitRow u, string? name = null) => kind == ReportKind.FloatingMonthly
        ? [name ?? u.Name, ChineseFormat.Number(u.Students), ChineseFormat.Number(u.TransfersIn), ChineseFormat.Number(u.TransfersOut), ChineseFormat.Number(u.MigrantIn),
            ChineseFormat.Number(u.MigrantOut), ChineseFormat.Number(u.LeftBehindIn), ChineseFormat.Number(u.LeftBehindOut), ChineseFormat.Number(u.Lost), ChineseFormat.Number(u.LostReturned), ChineseFormat.Number(u.AbsentDays)]
        : [name ?? u.Name, ChineseFormat.Number(u.Students), ChineseFormat.Number(u.TransfersIn), ChineseFormat.Number(u.TransfersOut), ChineseFormat.Number(u.Suspended),
            ChineseFormat.Number(u.Resumed), ChineseFormat.Number(u.OtherLeft), ChineseFormat.Number(u.NewSuspected), ChineseFormat.Number(u.NewDropouts), ChineseFormat.Number(u.Returned), ChineseFormat.Number(u.OpenLedger)];

    public static byte[] Docx(ReportQueries.Detail d, IStringLocalizer text)
    {
        var r = d.Report;
        var f = d.Figures;
        using var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, DocumentFormat.OpenXml.WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var body = new Body();
            body.Append(Docs.Para(Title(r, text), 36, bold: true, align: JustificationValues.Center));
            body.Append(Docs.Para(text["Reporting.DocLine", r.UnitName, ChineseFormat.Date(f.From), ChineseFormat.Date(f.To), ChineseFormat.Date(f.AsOf)], 24));
            body.Append(Docs.Para(text["Reporting.Section.Movement"], 28, bold: true));
            body.Append(Docs.Table(UnitHeaders(r.Kind, text), f.Units.Count > 1 || f.Units.Count == 0
                ? f.Units.Select(u => UnitCells(r.Kind, u)).Append(UnitCells(r.Kind, f.Total, text["Reporting.Total"]))
                : [UnitCells(r.Kind, f.Total)]));
            body.Append(Docs.Para(text["Reporting.Section.Grades"], 28, bold: true));
            body.Append(Docs.Table(StatTable.Headers(text), f.Grades.Select(g => StatTable.Cells(g, ChineseFormat.Grade(g.Grade))).Append(StatTable.Cells(f.GradeTotal, text["Reporting.Total"]))));
            body.Append(Docs.Para(text["Reporting.Section.Narrative"], 28, bold: true));
            foreach (var line in (r.Narrative ?? text["Reporting.NoNarrative"]).Split('\n'))
            {
                body.Append(Docs.Para(line.TrimEnd('\r'), 24));
            }
            body.Append(Docs.Para(text["Reporting.DocState", text["Reporting.State." + r.State], r.DecisionNote ?? ""], 24));
            body.Append(Docs.Para(text["Reporting.SignLine"], 24));
            body.Append(Docs.Landscape());
            main.Document = new Document(body);
            main.Document.Save();
        }
        return stream.ToArray();
    }
}
