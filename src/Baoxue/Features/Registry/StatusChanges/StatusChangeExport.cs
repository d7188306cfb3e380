using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Spreadsheets;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Registry.StatusChanges;

/// <summary>The status-change lists as xlsx, as seen on screen (IDs masked); each export is audited.</summary>
public static class StatusChangeExport
{
    public static XlsxDownload Build(BaoxueDb db, IStringLocalizer<Strings> text, IReadOnlyList<StatusChangeQueries.Row> rows, IReadOnlyList<int>? waiting, string title)
    {
        List<ExportColumn> headers =
        [
            text["StatusChanges.Student"], text["Student.IdNumber"], text["StatusChange.Kind"], text["StatusChanges.FromSchool"],
            text["StatusChanges.Destination"], text["StatusChange.EffectiveOn"], text["StatusChanges.RequestedOn"], text["StatusChange.State"],
        ];
        if (waiting is not null)
        {
            headers.Add(text["StatusChanges.WorkingDaysWaiting"]);
        }
        return new XlsxDownload(title, title, headers, XlsxWriter.ToAsync(rows.Select((r, i) =>
        {
            List<string?> cells =
            [
                r.StudentName, r.IdNumberMasked, text["StatusChangeKind." + r.Kind], r.FromSchool, r.ToSchool ?? r.ExternalSchool,
                ChineseFormat.Date(r.EffectiveOn), ChineseFormat.Date(db.County.DateOf(r.RequestedAt)), text["StatusChangeState." + r.State],
            ];
            if (waiting is not null)
            {
                cells.Add(waiting[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            return (IReadOnlyList<string?>)cells;
        })), async (count, ct) =>
        {
            db.Audit(AuditAction.Export, nameof(StatusChange), null, null, $"{{\"rows\":{count},\"unconfirmed\":{(waiting is null ? "false" : "true")}}}");
            await db.SaveChangesAsync(ct);
        });
    }
}
