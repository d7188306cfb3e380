using System.Globalization;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Baoxue.Infrastructure.Spreadsheets;
using Baoxue.Infrastructure.Time;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Baoxue.Features.Holidays;

/// <summary>Holiday plans, home visits and the term-start return check over HTTP: the pages' use cases and queries.</summary>
public static class HolidaysApi
{
    public sealed record HolidayDto(string Code, int StartYear, HolidayKind Kind, string Name, DateOnly From, DateOnly To);
    public sealed record PlanDto(Guid Id, Guid SchoolId, string School, int StartYear, HolidayKind Kind, HolidayPlanState State, string? Measures, string? SubmittedBy, DateTime? SubmittedAt,
        string? ReturnedBy, DateTime? ReturnedAt, string? ReturnReason, IReadOnlyList<HolidayPlans.WatchRow> Watches, IReadOnlyList<HolidayPlans.VisitPlanRow> VisitPlans, IReadOnlyList<HolidayPlans.VisitRow> Visits);
    public sealed record PlanStateDto(Guid Id, HolidayPlanState State, string? Measures, string? ReturnReason);
    public sealed record VisitPlanDto(Guid Id, Guid PlanId, Guid StudentId, Guid StaffId, DateOnly PlannedOn);
    public sealed record VisitDto(Guid Id, Guid PlanId, Guid StudentId, DateOnly VisitedOn, string Met, string Said, DateTime RecordedAt);
    public sealed record CheckDto(Guid Id, Guid ClassId, DateOnly Date, int OnRoll, int NotBack, int Unexcused, string ConfirmedBy, DateTime ConfirmedAt, IReadOnlyList<ReturnChecks.Entry> Students);
    public sealed record ClassCheckDto(Guid ClassId, string School, string Class, DateOnly? WindowFirst, DateOnly? WindowLast, bool Open, CheckDto? Check, IReadOnlyList<ReturnChecks.RosterRow> Roster);
    public sealed record ConfirmBody(string? ClientKey, IReadOnlyList<ReturnChecks.Entry>? NotBack);

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/v1/attendance").WithTags("Holiday");

        api.MapGet("/holidays", async (PageRequest page, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                page.Of((await HolidayCalendar.AllAsync(db, ct)).OrderByDescending(h => h.From).Select(h => ToDto(h, text)).ToList()))
            .RequireAuthorization(Permission.AttendanceView).Paged()
            .WithName("Holiday_ListHolidays").WithSummary("List the winter and summer holidays the school years' terms leave");
        api.MapGet("/holidays/{holiday}/plans", async (string holiday, PageRequest page, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                Holiday.TryParse(holiday, out var year, out var kind)
                    ? Results.Ok(page.Of(await HolidayPlans.SchoolsAsync(db, year, kind, ct)))
                    : ApiResults.Refuse(new FieldError("holiday", "Holiday.CodeFormat"), text))
            .RequireAuthorization(Permission.AttendanceView).Paged()
            .WithName("Holiday_ListPlans").WithSummary("Every school in reach with its plan for a holiday: filed, returned, being written or none");
        api.MapGet("/holidays/{holiday}/plans.xlsx", async (string holiday, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                Holiday.TryParse(holiday, out var year, out var kind)
                    ? ExportPlans(db, await HolidayCalendar.FindAsync(db, year, kind, ct), await HolidayPlans.SchoolsAsync(db, year, kind, ct), text)
                    : ApiResults.Refuse(new FieldError("holiday", "Holiday.CodeFormat"), text))
            .RequireAuthorization(Permission.AttendanceView)
            .WithName("Holiday_ExportPlans").WithSummary("The schools' holiday plans as a spreadsheet");
        api.MapGet("/holidays/{holiday}/children", async (string holiday, PageRequest page, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                Holiday.TryParse(holiday, out var year, out var kind)
                    ? Results.Ok(page.Of(await HolidayVisits.ChildrenAsync(db, year, kind, ct)))
                    : ApiResults.Refuse(new FieldError("holiday", "Holiday.CodeFormat"), text))
            .RequireAuthorization(Permission.AttendanceView).Paged()
            .WithName("Holiday_ListVisitChildren").WithSummary("The children of the plans in reach whose home visits the user records, with visits done");

        api.MapPost("/holiday-plans", async (HolidayPlans.Start body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await HolidayPlans.StartAsync(db, body, ct), text, ToStateDto))
            .RequireAuthorization(Permission.HolidayPlanFile)
            .WithName("Holiday_StartPlan").WithSummary("Draw up a school's plan for a holiday with its priority children watched by their head teachers");
        api.MapGet("/holiday-plans/{id:guid}", async (Guid id, BaoxueDb db, CancellationToken ct) =>
                await HolidayPlans.GetAsync(db, id, ct) is { } v ? Results.Ok(ToDto(v)) : Results.NotFound())
            .RequireAuthorization(Permission.AttendanceView)
            .WithName("Holiday_GetPlan").WithSummary("A holiday plan: watched children, planned and done home visits, measures");
        api.MapPut("/holiday-plans/{id:guid}", async (Guid id, HolidayPlans.Change body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await HolidayPlans.ChangeAsync(db, id, body, ct), text, ToStateDto))
            .RequireAuthorization(Permission.HolidayPlanFile)
            .WithName("Holiday_ChangePlan").WithSummary("Change a plan's measures and who watches which child");
        api.MapPost("/holiday-plans/{id:guid}/visit-plans", async (Guid id, HolidayPlans.PlanVisit body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await HolidayPlans.PlanVisitAsync(db, id, body, ct), text, v => new VisitPlanDto(v.Id, v.PlanId, v.StudentId, v.StaffId, v.PlannedOn)))
            .RequireAuthorization(Permission.HolidayPlanFile)
            .WithName("Holiday_PlanVisit").WithSummary("Plan a home visit: a child, a staff member, a day");
        api.MapDelete("/holiday-plans/{id:guid}/visit-plans/{visitId:guid}", async (Guid id, Guid visitId, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await HolidayPlans.RemoveVisitAsync(db, id, visitId, ct), text, v => new { v.Id }))
            .RequireAuthorization(Permission.HolidayPlanFile)
            .WithName("Holiday_RemovePlannedVisit").WithSummary("Remove a planned home visit");
        api.MapPost("/holiday-plans/{id:guid}/submission", async (Guid id, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await HolidayPlans.SubmitAsync(db, id, ct), text, ToStateDto))
            .RequireAuthorization(Permission.HolidayPlanFile)
            .WithName("Holiday_SubmitPlan").WithSummary("File the school's plan with the county");
        api.MapPost("/holiday-plans/{id:guid}/return", async (Guid id, HolidayPlans.ReturnBody body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await HolidayPlans.ReturnAsync(db, id, body, ct), text, ToStateDto))
            .RequireAuthorization(Permission.HolidayPlanReturn)
            .WithName("Holiday_ReturnPlan").WithSummary("Return a filed plan to its school with a reason");
        api.MapPost("/holiday-visits", async (HolidayVisits.Command body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await HolidayVisits.RecordAsync(db, body, ct), text, v => new VisitDto(v.Id, v.PlanId, v.StudentId, v.VisitedOn, v.Met, v.Said, v.RecordedAt)))
            .RequireAuthorization(Permission.HolidayVisitRecord)
            .WithName("Holiday_RecordVisit").WithSummary("Record a home visit made during a holiday (idempotent by client key)");

        api.MapGet("/return-checks/classes/{classId:guid}", async (Guid classId, BaoxueDb db, IOptions<HolidayOptions> options, CancellationToken ct) =>
                await ReturnChecks.ForClassAsync(db, classId, options.Value, ct) is { } v ? Results.Ok(ToDto(v)) : Results.NotFound())
            .RequireAuthorization(Permission.AttendanceView)
            .WithName("Holiday_GetReturnCheck").WithSummary("A class's return check for the term: its window, roster and what was confirmed");
        api.MapPost("/return-checks/classes/{classId:guid}", async (Guid classId, ConfirmBody body, BaoxueDb db, IOptions<HolidayOptions> options, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ApiResults.From(await ReturnChecks.ConfirmAsync(db, options.Value, new ReturnChecks.Command(classId, body.ClientKey, body.NotBack), ct), text, c => ToDto(c)))
            .RequireAuthorization(Permission.ReturnCheckConfirm)
            .WithName("Holiday_ConfirmReturnCheck").WithSummary("Confirm every child of a class back or not back (the day's roll; idempotent by client key)");
        api.MapGet("/return-checks/progress", async (Guid? township, Guid? school, PageRequest page, BaoxueDb db, CancellationToken ct) =>
                page.Of(await ProgressAsync(db, township, school, ct)))
            .RequireAuthorization(Permission.AttendanceView).Paged()
            .WithName("Holiday_ListReturnProgress").WithSummary("The return check's progress by township, by the schools of a township or by the classes of a school");
        api.MapGet("/return-checks/children", async (Guid? township, Guid? school, PageRequest page, BaoxueDb db, CancellationToken ct) =>
                page.Of(await ReturnChecks.CurrentTermAsync(db, db.County.Today, ct) is { } term ? await ReturnChecks.ChildrenAsync(db, term, township, school, ct) : []))
            .RequireAuthorization(Permission.AttendanceView).Paged()
            .WithName("Holiday_ListNotBack").WithSummary("The children not back at the start of the term, with the reasons given");
        api.MapGet("/return-checks/progress.xlsx", async (BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
                ExportProgress(db, await ProgressAsync(db, null, null, ct, ReturnChecks.Level.School), text))
            .RequireAuthorization(Permission.AttendanceView)
            .WithName("Holiday_ExportReturnProgress").WithSummary("The return check's progress by school as a spreadsheet");
    }

    /// <summary>The level shown follows what was chosen: townships, the schools of a township, the classes of a school.</summary>
    public static async Task<List<ReturnChecks.ProgressRow>> ProgressAsync(BaoxueDb db, Guid? township, Guid? school, CancellationToken ct, ReturnChecks.Level? level = null)
    {
        if (await ReturnChecks.CurrentTermAsync(db, db.County.Today, ct) is not { } term)
        {
            return [];
        }
        var (l, parent) = level is { } given ? (given, (Guid?)null)
            : school is { } s ? (ReturnChecks.Level.Class, (Guid?)s)
            : township is { } t ? (ReturnChecks.Level.School, (Guid?)t)
            : (ReturnChecks.Level.Township, (Guid?)null);
        return await ReturnChecks.ProgressAsync(db, term, l, parent, ct);
    }

    public static string HolidayName(Holiday h, IStringLocalizer<Strings> text) =>
        text["Holiday.Name." + h.Kind, h.Kind == HolidayKind.Winter ? h.StartYear + 1 : h.StartYear + 1].Value;

    private static HolidayDto ToDto(Holiday h, IStringLocalizer<Strings> text) => new(h.Code, h.StartYear, h.Kind, HolidayName(h, text), h.From, h.To);

    private static PlanStateDto ToStateDto(HolidayPlan p) => new(p.Id, p.State, p.Measures, p.ReturnReason);

    private static PlanDto ToDto(HolidayPlans.PlanView v) => new(v.Plan.Id, v.Plan.SchoolId, v.School, v.Plan.StartYear, v.Plan.Kind, v.Plan.State, v.Plan.Measures, v.Plan.SubmittedBy, v.Plan.SubmittedAt,
        v.Plan.ReturnedBy, v.Plan.ReturnedAt, v.Plan.ReturnReason, v.Watches, v.VisitPlans, v.Visits);

    private static CheckDto ToDto(ReturnCheck c) => new(c.Id, c.ClassId, c.Date, c.OnRoll, c.NotBack, c.Unexcused, c.ConfirmedBy, c.ConfirmedAt,
        [.. c.Students.Select(s => new ReturnChecks.Entry(s.StudentId, s.Reason, s.Note))]);

    private static ClassCheckDto ToDto(ReturnChecks.ClassView v) => new(v.Class.Id, v.School, ChineseFormat.ClassName(v.Class), v.Window?.First, v.Window?.Last, v.Window?.Open ?? false,
        v.Check is null ? null : ToDto(v.Check), v.Roster);

    public static IResult ExportPlans(BaoxueDb db, Holiday? holiday, IReadOnlyList<HolidayPlans.SchoolRow> rows, IStringLocalizer<Strings> text)
    {
        static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        var name = holiday is null ? "" : HolidayName(holiday, text);
        return new XlsxDownload(text["Holiday.PlansFile"], text["Holiday.PlansSheetTitle", name],
            [new(text["Holiday.Township"], 16), new(text["Holiday.School"], 28), new(text["Holiday.State"], 12), new(text["Holiday.Watched"], 12),
             new(text["Holiday.VisitsPlanned"], 12), new(text["Holiday.VisitsDone"], 12), new(text["Holiday.SubmittedAt"], 20), new(text["Holiday.ReturnReason"], 30)],
            XlsxWriter.ToAsync(rows.Select(r => (IReadOnlyList<string?>)[r.Township, r.School, StateText(r.State, text), N(r.Watched), N(r.VisitsPlanned), N(r.VisitsDone),
                r.SubmittedAt is { } at ? ChineseFormat.DateTimeLocal(at, db.County.Zone) : "", r.ReturnReason])),
            async (count, ct) =>
            {
                db.Audit(AuditAction.Export, nameof(HolidayPlan), null, db.ScopePath, $"{{\"document\":\"holiday-plans.xlsx\",\"holiday\":\"{holiday?.Code}\",\"rows\":{count}}}");
                await db.SaveChangesAsync(ct);
            });
    }

    public static string StateText(HolidayPlanState? state, IStringLocalizer<Strings> text) => text["HolidayPlanState." + (state?.ToString() ?? "None")].Value;

    public static IResult ExportProgress(BaoxueDb db, IReadOnlyList<ReturnChecks.ProgressRow> rows, IStringLocalizer<Strings> text)
    {
        static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        return new XlsxDownload(text["ReturnCheck.File"], text["ReturnCheck.SheetTitle"],
            [new(text["Holiday.Township"], 16), new(text["Holiday.School"], 28), new(text["ReturnCheck.Classes"], 10), new(text["ReturnCheck.Confirmed"], 12),
             new(text["ReturnCheck.OnRoll"], 12), new(text["ReturnCheck.NotBack"], 12), new(text["ReturnCheck.Unexcused"], 14)],
            XlsxWriter.ToAsync(rows.Select(r => (IReadOnlyList<string?>)[r.Township, r.Name, N(r.Classes), N(r.Confirmed), N(r.OnRoll), N(r.NotBack), N(r.Unexcused)])),
            async (count, ct) =>
            {
                db.Audit(AuditAction.Export, nameof(ReturnCheck), null, db.ScopePath, $"{{\"document\":\"return-checks.xlsx\",\"rows\":{count}}}");
                await db.SaveChangesAsync(ct);
            });
    }
}
