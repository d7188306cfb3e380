using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Spreadsheets;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Ledger;

/// <summary>The three lists as the county files them: one row per child, Chinese headers, the jurisdiction and date in the title; audited.</summary>
public static class LedgerExport
{
    public static XlsxDownload Build(BaoxueDb db, IStringLocalizer<Strings> text, LedgerQueries.Filter filter, LedgerOptions? options = null)
    {
        List<ExportColumn> columns =
        [
            new(text["Ledger.Col.Number"], 6), text["Field.LedgerList"], text["Field.ChildName"], text["Field.Gender"], new(text["Student.IdNumber"], 20), text["Field.BirthDate"],
            new(text["Field.HouseholdPlace"], 24), new(text["Ledger.Col.School"], 24), text["Ledger.Col.Grade"], text["Ledger.Col.Source"], text["Ledger.Col.IsNew"],
            text["Ledger.Col.ReportedOn"], new(text["Field.LedgerReason"], 30), text["Ledger.Col.State"], text["Ledger.Col.Outcome"],
            text["Ledger.Col.EducationLine"], text["Ledger.Col.GovernmentLine"], text["Ledger.Col.CaseState"],
        ];
        async IAsyncEnumerable<IReadOnlyList<string?>> Rows([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
        {
            var n = 0;
            foreach (var r in await LedgerQueries.ListAsync(db, filter, ct, options))
            {
                yield return
                [
                    (++n).ToString(System.Globalization.CultureInfo.InvariantCulture), text[LedgerText.List(r.List)].Value, r.Name, text["Gender." + r.Gender].Value, r.IdNumber, r.Born,
                    r.Residence, r.School, r.Grade is { } g ? ChineseFormat.Grade(g) : null, text[LedgerText.Source(r.Source)].Value, text[r.IsNew ? "Common.Yes" : "Common.No"].Value,
                    ChineseFormat.Date(r.ReportedOn), r.Reason, text[LedgerText.State(r.State)].Value, r.Outcome is { } o ? text[LedgerText.Outcome(o)].Value : null,
                    r.EducationLine, r.GovernmentLine, r.CaseState is { } cs ? text[LedgerText.CaseState(cs)].Value : null,
                ];
            }
        }
        var title = filter.List is { } list ? text[LedgerText.List(list)].Value : text["Ledger.ThreeLists"].Value;
        return new XlsxDownload(title, title, columns, Rows(), async (count, ct) =>
        {
            db.Audit(AuditAction.Export, nameof(LedgerEntry), null, null, $"{{\"rows\":{count},\"list\":\"{filter.List}\",\"state\":\"{filter.State}\"}}");
            await db.SaveChangesAsync(ct);
        });
    }
}

/// <summary>String-table keys of the ledger's enums (one function each, so the localisation test sees every key).</summary>
public static class LedgerText
{
    public static string List(LedgerList v) => "LedgerList." + v;
    public static string Source(LedgerSource v) => "LedgerSource." + v;
    public static string State(LedgerEntryState v) => "LedgerEntryState." + v;
    public static string CaseState(LedgerCaseState v) => "LedgerCaseState." + v;
    public static string Outcome(VerificationOutcome v) => "VerificationOutcome." + v;
    public static string Closure(LedgerClosure v) => "LedgerClosure." + v;
    public static string Escalation(EscalationStep v) => "EscalationStep." + v;
    public static string Placement(PlacementKind v) => "PlacementKind." + v;
    public static string Intake(LedgerIntakeOutcome v) => "LedgerIntakeOutcome." + v;
}
