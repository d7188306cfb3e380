using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Auditing;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Paging;
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
        audit.MapGet("/", async ([AsParameters] FilterQuery q, PageRequest page, BaoxueDb db, LocalZone zone, CancellationToken ct) =>
        {
            var found = await AuditQuery.PageAsync(db, q.ToFilter(), zone.Zone, page, ct);
            return page.Of<AuditDto>([.. found.Items.Select(a => new AuditDto(a.Sequence, a.At, a.UserName, a.Action, a.EntityType, a.EntityId, a.Before, a.After, a.IpAddress, a.Hash))], found.Total);
        }).Paged()
            .WithName("Audit_ListEntries").WithSummary("List audit log lines (paged)");
        audit.MapGet("/export", ([AsParameters] FilterQuery q, BaoxueDb db, LocalZone zone, IStringLocalizer<Strings> text) =>
            Export(db, q.ToFilter(), zone.Zone, text))
            .WithName("Audit_ExportEntries").WithSummary("Export the audit log (Excel)");
        audit.MapPost("/verify", async (BaoxueDb db, AuditCheckpoint checkpoint, CancellationToken ct) => await AuditChain.VerifyAsync(db, checkpoint, ct))
            .WithName("Audit_VerifyChain").WithSummary("Verify the audit chain");
    }

    public sealed class FilterQuery
    {
        public string? User { get; set; }
        public string? EntityType { get; set; }
        public string? EntityId { get; set; }
        public AuditAction? Action { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }

        public AuditQuery.Filter ToFilter() => new(User, EntityType, EntityId, Action, From, To);
    }

    public const int MaxExportRows = 100_000;

    /// <summary>The audit log as xlsx, streamed; exporting it is itself audited with the number of rows sent.</summary>
    public static XlsxDownload Export(BaoxueDb db, AuditQuery.Filter filter, TimeZoneInfo zone, IStringLocalizer<Strings> text)
    {
        var rows = AuditQuery.Apply(db, filter, zone).Take(MaxExportRows).AsAsyncEnumerable()
            .Select(a => (IReadOnlyList<string?>)[a.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), ChineseFormat.DateTimeLocal(a.At, zone), a.UserName, text["AuditAction." + a.Action], a.EntityType, a.EntityId, a.Before, a.After, a.IpAddress, a.Hash]);
        return new XlsxDownload(text["Export.AuditFile"], text["Audit.Title"],
            [new(text["Audit.Sequence"], 10), new(text["Audit.At"], 22), text["Audit.User"], text["Audit.Action"], text["Audit.Record"], new(text["Audit.RecordId"], 38), new(text["Audit.Before"], 40), new(text["Audit.After"], 40), text["Audit.Ip"], new(text["Audit.Hash"], 30)],
            rows, async (count, ct) =>
            {
                db.Audit(AuditAction.Export, nameof(AuditEntry), null, null, $"{{\"rows\":{count}}}");
                await db.SaveChangesAsync(ct);
            });
    }
}
