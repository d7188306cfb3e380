using System.Globalization;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Registry.Import;
using Baoxue.Infrastructure.Imports;
using Baoxue.Infrastructure.Integrity;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Ledger;

/// <summary>
/// A member department's list (poverty office, disabled persons' federation, civil affairs) onto the ledger: every row is
/// checked first and nothing is written unless all are good (the row report says what to fix). Each child goes through the
/// intake like any other report, keyed by department and child, so importing the same list again adds nothing.
/// </summary>
public static class LedgerImport
{
    public const int MaxRows = 5000;
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy/MM/dd", "yyyy.M.d", "yyyyMMdd", "yyyy年M月d日", "yyyy-MM-dd HH:mm:ss"];

    public static readonly ImportColumn[] Columns =
    [
        new("Ledger.Col.Name", true), new("Ledger.Col.IdNumber", false), new("Ledger.Col.BirthDate", false), new("Ledger.Col.Gender", false),
        new("Ledger.Col.Village", true), new("Ledger.Col.Address", false), new("Field.LedgerList", true), new("Field.LedgerReason", true),
        new("Ledger.Col.Department", false),
    ];

    public static async Task<ImportReport> ImportAsync(BaoxueDb db, SystemDb system, PersonalData personal, TextTable table, long maxBytes, Stream file, string fileName, CancellationToken ct = default)
    {
        var report = new ImportReport();
        using var reader = ImportReport.Open(file, fileName, maxBytes, report);
        if (reader is null)
        {
            return report;
        }
        var map = HeaderMap.Match(reader.Headers, Columns, table, report);
        if (!report.Succeeded)
        {
            return report;
        }
        var zh = new CultureInfo(TextTable.Chinese);
        string Col(string key) => table.Find(key, zh) ?? key;
        var county = db.ScopePath is { } scope ? PlacePath.County(scope) : null;
        var places = await db.Divisions.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.Level == DivisionLevel.Village || d.Level == DivisionLevel.Township).ToListAsync(ct);
        places = [.. places.Where(p => county is null || PlacePath.IsWithin(p.Path, county))];
        var ownDepartment = await db.Departments.AsNoTracking().Where(d => d.Path == db.ScopePath).Select(d => d.Name).FirstOrDefaultAsync(ct);
        var lists = Enum.GetValues<LedgerList>().SelectMany(l => Names(table, LedgerText.List(l)).Select(n => (n, l))).ToDictionary(x => x.n, x => x.l);
        var genders = Enum.GetValues<Gender>().SelectMany(g => Names(table, "Gender." + g).Select(n => (n, g))).ToDictionary(x => x.n, x => x.g);
        var today = db.County.Today;
        var rows = new List<(LedgerReport Report, string ResidencePath)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);

        foreach (var row in report.Rows(reader))
        {
            if (++report.RowsRead > MaxRows)
            {
                report.Add(row.RowNumber, "", "", "Import.TooManyRows", MaxRows);
                return report;
            }
            var problems = report.Problems.Count;
            var name = map.Text(row, "Ledger.Col.Name").Trim();
            if (name.Length is 0 or > 64)
            {
                report.Add(row.RowNumber, Col("Ledger.Col.Name"), name, "Import.Required");
            }
            var idText = map.Text(row, "Ledger.Col.IdNumber").Trim();
            var id = idText.Length == 0 ? null : IdNumber.Parse(idText);
            if (id is { IsValid: false })
            {
                report.Add(row.RowNumber, Col("Ledger.Col.IdNumber"), idText, map.Cell(row, "Ledger.Col.IdNumber").WasNumeric ? "Import.NumericCell" : "Ledger.IdNumberInvalid");
            }
            var birthText = map.Text(row, "Ledger.Col.BirthDate").Trim();
            DateOnly? birth = id is { IsValid: true } ? id.BirthDate : null;
            if (birthText.Length > 0)
            {
                if (DateOnly.TryParseExact(birthText, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                    || (DateTime.TryParseExact(birthText, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) && (d = DateOnly.FromDateTime(at)) != default))
                {
                    birth = d;
                }
                else
                {
                    report.Add(row.RowNumber, Col("Ledger.Col.BirthDate"), birthText, "RegImport.BadDate");
                }
            }
            if (birth is null && birthText.Length == 0)
            {
                report.Add(row.RowNumber, Col("Ledger.Col.BirthDate"), "", "Import.Required");
            }
            else if (birth is { } b && (b > today.AddYears(-3) || b < today.AddYears(-20)))
            {
                report.Add(row.RowNumber, Col("Ledger.Col.BirthDate"), birthText, "Ledger.BirthDateRange");
            }
            var genderText = map.Text(row, "Ledger.Col.Gender").Trim();
            Gender? gender = id is { IsValid: true } ? id.Gender : null;
            if (genderText.Length > 0)
            {
                if (genders.TryGetValue(genderText, out var g))
                {
                    gender = g;
                }
                else
                {
                    report.Add(row.RowNumber, Col("Ledger.Col.Gender"), genderText, "Import.UnknownValue");
                }
            }
            else if (gender is null)
            {
                report.Add(row.RowNumber, Col("Ledger.Col.Gender"), "", "Import.Required");
            }
            var villageText = map.Text(row, "Ledger.Col.Village").Trim();
            var matches = places.Where(p => p.Code == villageText || p.Name == villageText).ToList();
            if (matches.Count != 1)
            {
                report.Add(row.RowNumber, Col("Ledger.Col.Village"), villageText, matches.Count == 0 ? "Ledger.UnknownPlace" : "Ledger.AmbiguousPlace");
            }
            var address = map.Text(row, "Ledger.Col.Address").Trim();
            if (address.Length > 200)
            {
                report.Add(row.RowNumber, Col("Ledger.Col.Address"), address, "Validation.TooLong", 200);
            }
            var listText = map.Text(row, "Field.LedgerList").Trim();
            if (!lists.TryGetValue(listText, out var list))
            {
                report.Add(row.RowNumber, Col("Field.LedgerList"), listText, "Import.UnknownValue");
            }
            var reason = map.Text(row, "Field.LedgerReason").Trim();
            if (reason.Length is 0 or > 500)
            {
                report.Add(row.RowNumber, Col("Field.LedgerReason"), reason, "Import.Required");
            }
            var department = ownDepartment ?? map.Text(row, "Ledger.Col.Department").Trim();
            if (department.Length > 60)
            {
                report.Add(row.RowNumber, Col("Ledger.Col.Department"), department, "Validation.TooLong", 60);
            }
            if (report.Problems.Count > problems)
            {
                continue;
            }
            var place = matches[0];
            var who = id is { IsValid: true } ? id.Normalized! : $"{name}|{birth:yyyyMMdd}|{place.Code}";
            if (seen.TryGetValue(who, out var first))
            {
                report.Add(row.RowNumber, Col("Ledger.Col.Name"), name, "Import.DuplicateInFile", first);
                continue;
            }
            seen[who] = row.RowNumber;
            // Keyed by department and child: the same list imported again reports nothing new. The ID is hashed, never kept in the key.
            var key = "dept:" + personal.Hash(department + "|" + who)[..32];
            var child = new UnregisteredChild(name, id?.Normalized, birth!.Value, gender!.Value, place.Code, address.Length == 0 ? null : address);
            var because = department.Length > 0 ? $"{department}：{reason}" : reason;
            rows.Add((new LedgerReport(null, child, list, LedgerSource.DepartmentList, key, because.Length > 500 ? because[..500] : because, today), place.Path));
        }
        if (report.RowsRead == 0)
        {
            report.Add(2, "", "", "Import.NoRows");
        }
        if (!report.Succeeded)
        {
            return report;
        }

        await using var writer = system.Open(db.CurrentUser.UserName);
        var intake = new LedgerIntake(writer, personal);
        foreach (var (r, _) in rows)
        {
            var result = await intake.ReportAsync(r, ct);
            if (result.Outcome == LedgerIntakeOutcome.Opened)
            {
                report.Created++;
            }
            else if (result.Outcome is LedgerIntakeOutcome.AlreadyOpen or LedgerIntakeOutcome.Reopened)
            {
                report.Updated++;
            }
        }
        writer.Audit(AuditAction.Import, nameof(LedgerEntry), null, null, $"{{\"file\":\"{System.Text.Json.JsonEncodedText.Encode(Path.GetFileName(fileName))}\",\"created\":{report.Created},\"updated\":{report.Updated}}}");
        try
        {
            await writer.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (Saving.IsUniqueViolation(e))
        {
            report.Created = report.Updated = 0;
            report.Add(0, "", "", "Ledger.ImportRace");
        }
        return report;
    }

    /// <summary>The template: the import's own columns, an example row of the user's county, the notes sheet.</summary>
    public static async Task<byte[]> TemplateAsync(BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct)
    {
        var county = db.ScopePath is { } scope ? PlacePath.County(scope) ?? scope : null;
        var village = await db.Divisions.IgnoreQueryFilters().AsNoTracking().Where(d => d.Level == DivisionLevel.Village && (county == null || d.Path.StartsWith(county)))
            .OrderBy(d => d.Code).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? "";
        string[] examples = ["王小明", "", "2013-05-04", text["Gender.Male"], village, "", text[LedgerText.List(LedgerList.NotEnrolled)], text["Ledger.Template.ExampleReason"], ""];
        return ImportTemplates.Build(text, text["Ledger.Template.Sheet"], [.. Columns.Select((c, i) => new ImportTemplates.Column(c.Key, c.Required, examples[i]))], "Ledger.Template.Notes");
    }

    private static IEnumerable<string> Names(TextTable table, string key) =>
        new[] { table.Find(key, new CultureInfo(TextTable.Chinese)), table.Find(key, new CultureInfo(TextTable.English)) }
            .Where(n => n is not null).Select(n => n!).Distinct();
}
