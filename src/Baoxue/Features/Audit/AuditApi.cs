using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Auditing;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Spreadsheets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Audit;

public static class AuditApi
{
    public sealed record AuditDto(long Sequence, DateTime At, string UserName, AuditAction Action, string EntityType, string? EntityId, string? Before, string? After, string? IpAddress, string Hash);

    public static void MapAuditApi(this WebApplication app)
    {
        var audit = app.MapGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization(Permission.AuditView);
        audit.MapGet("/", async ([AsParameters] FilterQuery q, BaoxueDb db, LocalZone zone, IStringLocalizer<Strings> text, CancellationToken ct) =>
            Infrastructure.Integrity.Paging.Check(q.Page) is { } bad
                ? Infrastructure.ApiResults.Refuse(bad, text)
                : Results.Ok((await AuditQuery.PageAsync(db, q.ToFilter(), zone.Zone, ct)).Select(a => new AuditDto(a.Sequence, a.At, a.UserName, a.Action, a.EntityType, a.EntityId, a.Before, a.After, a.IpAddress, a.Hash))));
        audit.MapGet("/export", async ([AsParameters] FilterQuery q, BaoxueDb db, LocalZone zone, IStringLocalizer<Strings> text, CancellationToken ct) =>
            Results.File(await ExportAsync(db, q.ToFilter(), zone.Zone, text, ct), Organisation.OrganisationApi.XlsxType, text["Export.AuditFile"] + ".xlsx"));
        audit.MapPost("/verify", async (BaoxueDb db, CancellationToken ct) => await AuditChain.VerifyAsync(db, ct));
    }

    public sealed class FilterQuery
    {
        public string? User { get; set; }
        public string? EntityType { get; set; }
        public string? EntityId { get; set; }
        public AuditAction? Action { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }
        public int? Page { get; set; }

        public AuditQuery.Filter ToFilter() => new(User, EntityType, EntityId, Action, From, To, Page ?? 1);
    }

    public const int MaxExportRows = 100_000;

    public static async Task<byte[]> ExportAsync(BaoxueDb db, AuditQuery.Filter filter, TimeZoneInfo zone, IStringLocalizer<Strings> text, CancellationToken ct)
    {
        var rows = await AuditQuery.Apply(db, filter, zone).Take(MaxExportRows).ToListAsync(ct);
        db.Audit(AuditAction.Export, nameof(AuditEntry), null, null, $"{{\"rows\":{rows.Count}}}");
        await db.SaveChangesAsync(ct);
        return XlsxWriter.Build(text["Audit.Title"],
            [text["Audit.Sequence"], text["Audit.At"], text["Audit.User"], text["Audit.Action"], text["Audit.Record"], text["Audit.RecordId"], text["Audit.Before"], text["Audit.After"], text["Audit.Ip"], text["Audit.Hash"]],
            rows.Select(a => (IReadOnlyList<string?>)[a.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), ChineseFormat.DateTimeLocal(a.At, zone), a.UserName, text["AuditAction." + a.Action], a.EntityType, a.EntityId, a.Before, a.After, a.IpAddress, a.Hash]));
    }
}
