using System.Globalization;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Organisation;
using Baoxue.Infrastructure;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
using Microsoft.AspNetCore.Http.HttpResults;
using Baoxue.Infrastructure.Spreadsheets;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Registry.RollCalls;

/// <summary>Roll-call campaigns (进班点名) and the class printables over HTTP: the same use cases as the pages.</summary>
public static class RollCallApi
{
    public const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public sealed record CampaignDto(Guid Id, string Title, int Month, DateOnly OpensOn, DateOnly ClosesOn, string Path);
    public sealed record MarkDto(Guid Id, Guid? StudentId, string Name, RollCallMarkKind Kind, string? Reason, string? Resolution, DateTime? ResolvedAt);
    public sealed record RosterStudentDto(Guid Id, string Name, Gender Gender, string RegistryNumber);
    public sealed record ReturnDto(
        Guid Id, Guid CampaignId, Guid ClassId, Guid SchoolId, RollCallState State, string? ConfirmedBy, DateTime? ConfirmedAt, string? PrincipalAttestedBy, DateTime? PrincipalAttestedAt,
        IReadOnlyList<RosterStudentDto> Roster, IReadOnlyList<MarkDto> Marks);
    public sealed record ClassProgressDto(Guid ClassId, string Name, RollCallState State, int Registered, int? InSchool, int OpenAnomalies);
    public sealed record SchoolProgressDto(Guid SchoolId, string Name, int Classes, int Confirmed, int Attested, int ConfirmedPercent, int AttestedPercent, int OpenAnomalies, int Registered, int? InSchool, IReadOnlyList<ClassProgressDto> ClassList);
    public sealed record ProgressDto(Guid CampaignId, string Title, int Classes, int Confirmed, int Attested, int ConfirmedPercent, int AttestedPercent, int OpenAnomalies, IReadOnlyList<SchoolProgressDto> Schools);
    public sealed record AnomalyDto(Guid MarkId, Guid SchoolId, string School, Guid ClassId, string Class, RollCallMarkKind Kind, Guid? StudentId, string Name, string? Reason, string? Resolution, DateTime? ResolvedAt);

    public static CampaignDto ToDto(RollCallCampaign c) => new(c.Id, c.Title, c.OpensOn.Month, c.OpensOn, c.ClosesOn, c.Path);

    private static MarkDto ToDto(RollCallMark m) => new(m.Id, m.StudentId, m.Student?.Name ?? m.Name ?? "", m.Kind, m.Reason, m.Resolution, m.ResolvedAt);

    private static ReturnDto ToDto(RollCallReturn r, IEnumerable<Student> roster, IdDisclosure disclosure) => new(
        r.Id, r.CampaignId, r.ClassId, r.SchoolId, r.State, r.ConfirmedBy, r.ConfirmedAt, r.PrincipalAttestedBy, r.PrincipalAttestedAt,
        [.. roster.Select(s => new RosterStudentDto(s.Id, s.Name, s.Gender, disclosure.RegistryNumber(s.RegistryNumber)))], [.. r.Marks.Select(ToDto)]);

    public static ProgressDto ToDto(RollCallQueries.Progress p) => new(
        p.Campaign.Id, p.Campaign.Title, p.Total, p.Confirmed, p.Attested, RollCallQueries.Percent(p.Confirmed, p.Total), RollCallQueries.Percent(p.Attested, p.Total), p.OpenAnomalies,
        [.. p.Schools.Select(s => new SchoolProgressDto(s.SchoolId, s.Name, s.Total, s.Confirmed, s.Attested, RollCallQueries.Percent(s.Confirmed, s.Total), RollCallQueries.Percent(s.Attested, s.Total),
            s.OpenAnomalies, s.Registered, s.InSchool,
            [.. s.Classes.Select(c => new ClassProgressDto(c.ClassId, ChineseFormat.ClassName(c.Grade, c.Number), c.State, c.Registered, c.InSchool, c.OpenAnomalies))]))]);

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/v1/roll-calls").WithTags("RollCalls");
        api.MapGet("/", async (PageRequest page, BaoxueDb db, CancellationToken ct) => page.Of(await RollCallQueries.CampaignsAsync(db, ct)))
            .RequireAuthorization(Permission.RegistryView).Paged()
            .WithName("RollCalls_ListCampaigns").WithSummary("List roll-call campaigns (paged)");
        api.MapPost("/", async (OpenCampaign.Command c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await OpenCampaign.HandleAsync(db, c, ct), text, x => ToDto(x)))
            .RequireAuthorization(Permission.RollCallManage)
            .WithName("RollCalls_OpenCampaign").WithSummary("Open a roll-call campaign");
        api.MapGet("/{id:guid}", async (Guid id, BaoxueDb db, CancellationToken ct) =>
            await RollCallQueries.ProgressAsync(db, id, ct) is { } p ? Results.Ok(ToDto(p)) : Results.NotFound())
            .RequireAuthorization(Permission.RegistryView)
            .WithName("RollCalls_GetProgress").WithSummary("Read a campaign's progress");
        api.MapGet("/{id:guid}/progress.xlsx", async (Guid id, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            await RollCallQueries.ProgressAsync(db, id, ct) is { } p
                ? Export(db, p, text)
                : Results.NotFound())
            .RequireAuthorization(Permission.RegistryView)
            .WithName("RollCalls_ExportProgress").WithSummary("Export a campaign's progress (Excel)");
        api.MapGet("/{id:guid}/anomalies", async Task<Results<Ok<PagedResult<AnomalyDto>>, NotFound>> (Guid id, bool? includeResolved, PageRequest page, BaoxueDb db, CancellationToken ct) =>
            await RollCallQueries.CampaignAsync(db, id, ct) is null
                ? TypedResults.NotFound()
                : TypedResults.Ok(page.Of<AnomalyDto>([.. (await RollCallQueries.AnomaliesAsync(db, id, includeResolved ?? false, ct)).Select(a =>
                    new AnomalyDto(a.MarkId, a.SchoolId, a.School, a.ClassId, ChineseFormat.ClassName(a.Grade, a.Number), a.Kind, a.StudentId, a.Name, a.Reason, a.Resolution, a.ResolvedAt))])))
            .RequireAuthorization(Permission.RegistryView).Paged()
            .WithName("RollCalls_ListAnomalies").WithSummary("List a campaign's anomalies (paged)");
        api.MapGet("/{id:guid}/anomalies.xlsx", async (Guid id, bool? includeResolved, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            await RollCallQueries.CampaignAsync(db, id, ct) is null
                ? Results.NotFound()
                : ExportAnomalies(db, await RollCallQueries.AnomaliesAsync(db, id, includeResolved ?? false, ct), text))
            .RequireAuthorization(Permission.RegistryView)
            .WithName("RollCalls_ExportAnomalies").WithSummary("Export a campaign's anomalies (Excel)");
        api.MapGet("/{id:guid}/classes/{classId:guid}", async (Guid id, Guid classId, BaoxueDb db, CancellationToken ct) =>
            await RollCallQueries.ReturnAsync(db, id, classId, ct) is { } v ? Results.Ok(ToDto(v.Return, v.Roster, db.Disclosure)) : Results.NotFound())
            .RequireAuthorization(Permission.RegistryView)
            .WithName("RollCalls_GetReturn").WithSummary("Read a class's return");
        api.MapPost("/{id:guid}/classes/{classId:guid}/confirm", async (Guid id, Guid classId, ConfirmBody body, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await ConfirmReturn.HandleAsync(db, new ConfirmReturn.Command(id, classId, body.Marks, body.Extras), ct), text, r => ToDto(r, [], db.Disclosure)))
            .RequireAuthorization(Permission.RollCallConfirm)
            .WithName("RollCalls_ConfirmReturn").WithSummary("Confirm a class's return");
        api.MapPost("/{id:guid}/classes/{classId:guid}/attest", async (Guid id, Guid classId, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await AttestReturn.HandleAsync(db, id, classId, ct), text, r => ToDto(r, [], db.Disclosure)))
            .RequireAuthorization(Permission.RollCallConfirm)
            .WithName("RollCalls_AttestReturn").WithSummary("Attest a class's return (principal)");
        api.MapPost("/{id:guid}/classes/{classId:guid}/reopen", async (Guid id, Guid classId, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await ReopenReturn.HandleAsync(db, id, classId, ct), text, r => ToDto(r, [], db.Disclosure)))
            .RequireAuthorization(Permission.RollCallConfirm)
            .WithName("RollCalls_ReopenReturn").WithSummary("Reopen a class's return");
        api.MapPost("/marks/{id:guid}/resolve", async (Guid id, ResolveAnomaly.Command c, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            ApiResults.From(await ResolveAnomaly.HandleAsync(db, id, c, ct), text, m => ToDto(m)))
            .RequireAuthorization(Permission.RegistryEdit)
            .WithName("RollCalls_ResolveAnomaly").WithSummary("Resolve an anomaly");

        app.MapGet("/api/v1/classes/{id:guid}/roster.docx", async (Guid id, BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
        {
            if (await ClassRoster.LoadAsync(db, id, ct) is not { } sheet)
            {
                return Results.NotFound();
            }
            db.Audit(AuditAction.Export, nameof(SchoolClass), id.ToString(), sheet.Class.Path, "{\"document\":\"roster.docx\",\"rows\":" + sheet.Rows.Count.ToString(CultureInfo.InvariantCulture) + "}");
            await db.SaveChangesAsync(ct);
            return Results.File(ClassRoster.Docx(sheet, text), DocxType, ClassRoster.Title(sheet, text) + ".docx");
        }).WithTags("RollCalls").RequireAuthorization(Permission.RegistryView)
            .WithName("RollCalls_GetRoster").WithSummary("Download a class's roster (Word)");
    }

    public sealed record ConfirmBody(IReadOnlyList<ConfirmReturn.MarkInput>? Marks, IReadOnlyList<ConfirmReturn.ExtraInput>? Extras);

    /// <summary>The progress table as xlsx, one row per class; the export is audited.</summary>
    public static XlsxDownload Export(BaoxueDb db, RollCallQueries.Progress p, IStringLocalizer<Strings> text)
    {
        string Percent(int part, int total) => RollCallQueries.Percent(part, total).ToString(CultureInfo.InvariantCulture) + "%";
        var rows = new List<IReadOnlyList<string?>>();
        foreach (var s in p.Schools)
        {
            rows.Add([s.Code, s.Name, "", s.Total.ToString(CultureInfo.InvariantCulture), s.Confirmed.ToString(CultureInfo.InvariantCulture), Percent(s.Confirmed, s.Total),
                s.Attested.ToString(CultureInfo.InvariantCulture), Percent(s.Attested, s.Total), s.OpenAnomalies.ToString(CultureInfo.InvariantCulture),
                s.Registered.ToString(CultureInfo.InvariantCulture), s.InSchool?.ToString(CultureInfo.InvariantCulture) ?? ""]);
            foreach (var c in s.Classes)
            {
                rows.Add([s.Code, s.Name, ChineseFormat.ClassName(c.Grade, c.Number), "1", c.State == RollCallState.Open ? "0" : "1", "", c.State == RollCallState.Attested ? "1" : "0", "",
                    c.OpenAnomalies.ToString(CultureInfo.InvariantCulture), c.Registered.ToString(CultureInfo.InvariantCulture), c.InSchool?.ToString(CultureInfo.InvariantCulture) ?? ""]);
            }
        }
        return new XlsxDownload(text["RollCall.ProgressFile"], text["RollCall.Progress"],
            [new(text["RollCall.SchoolCode"], 14), new(text["Student.School"], 30), text["Student.Class"], text["RollCall.ClassesTotal"], text["RollCall.Confirmed"], text["RollCall.ConfirmedPercent"],
             text["RollCall.Attested"], text["RollCall.AttestedPercent"], text["RollCall.OpenAnomalies"], text["RollCall.Registered"], text["RollCall.InSchool"]],
            XlsxWriter.ToAsync(rows), async (count, ct) =>
            {
                db.Audit(AuditAction.Export, nameof(RollCallCampaign), p.Campaign.Id.ToString(), p.Campaign.Path, "{\"document\":\"progress.xlsx\",\"rows\":" + count.ToString(CultureInfo.InvariantCulture) + "}");
                await db.SaveChangesAsync(ct);
            });
    }

    /// <summary>The anomaly list as on screen, registry numbers masked as stored; the export is audited.</summary>
    public static XlsxDownload ExportAnomalies(BaoxueDb db, IReadOnlyList<RollCallQueries.Anomaly> anomalies, IStringLocalizer<Strings> text)
    {
        return new XlsxDownload(text["RollCall.Anomalies"], text["RollCall.Anomalies"],
            [new(text["Student.School"], 30), new(text["Student.Class"], 16), new(text["Student.Name"], 12), new(text["Student.RegistryNumber"], 22), text["RollCall.Mark"], new(text["RollCall.Reason"], 30), new(text["RollCall.Resolution"], 30)],
            XlsxWriter.ToAsync(anomalies.Select(a => (IReadOnlyList<string?>)[a.School, ChineseFormat.ClassName(a.Grade, a.Number), a.Name, a.RegistryNumber, text["RollCallMarkKind." + a.Kind], a.Reason, a.Resolution])),
            async (count, ct) =>
            {
                db.Audit(AuditAction.Export, nameof(RollCallMark), null, null, $"{{\"rows\":{count}}}");
                await db.SaveChangesAsync(ct);
            });
    }
}
