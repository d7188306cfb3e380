using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Imports;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Spreadsheets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Organisation.Schools;

/// <summary>Schools to and from xlsx, with the columns officials use (学校标识码, 学校名称, 办学类型 …).</summary>
public static class SchoolSheet
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxRows = 5000;

    public static readonly ImportColumn[] Columns =
    [
        new("Col.SchoolCode", true), new("Col.SchoolName", true), new("Col.SchoolKind", true), new("Col.Township", true),
        new("Col.Village", false), new("Col.Address", false), new("Col.HeadName", false), new("Col.Phone", false), new("Col.CentralSchoolCode", false),
    ];

    /// <summary>The schools the list shows for the same filter, in its order, in the import's own columns (a title line above them is skipped when read back), streamed; audited.</summary>
    public static XlsxDownload Export(BaoxueDb db, IStringLocalizer<Strings> text, SchoolQueries.Filter filter)
    {
        async IAsyncEnumerable<IReadOnlyList<string?>> Rows([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
        {
            foreach (var s in await SchoolQueries.ListAsync(db, filter, ct))
            {
                yield return [s.Code, s.Name, text["SchoolKind." + s.Kind], s.Township, s.Village, s.Address, s.HeadName, s.Phone, s.CentralSchoolCode];
            }
        }
        return new XlsxDownload(text["Export.SchoolsFile"], text["Nav.Schools"], [.. Columns.Select((c, i) => new ExportColumn(text[c.Key].Value, i is 1 or 5 ? 30 : null))], Rows(),
            async (count, ct) =>
            {
                db.Audit(AuditAction.Export, nameof(School), null, null, $"{{\"rows\":{count}}}");
                await db.SaveChangesAsync(ct);
            });
    }

    public static async Task<ImportReport> ImportAsync(BaoxueDb db, TextTable table, Stream file, string fileName, CancellationToken ct = default)
    {
        var report = new ImportReport();
        using var reader = ImportReport.Open(file, fileName, MaxBytes, report);
        if (reader is null)
        {
            return report;
        }
        var map = HeaderMap.Match(reader.Headers, Columns, table, report);
        if (!report.Succeeded)
        {
            return report;
        }

        var townships = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Township).ToListAsync(ct);
        var villages = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Village).ToListAsync(ct);
        var existing = await db.Schools.ToDictionaryAsync(s => s.Code, ct);
        var kinds = Enum.GetValues<SchoolKind>().SelectMany(k => Names(table, "SchoolKind." + k).Select(n => (n, k))).ToDictionary(x => x.n, x => x.k);
        var rows = new List<(int Row, SaveSchool.Command Command, string? CentralCode)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var colName = (string key) => table.Find(key, new System.Globalization.CultureInfo(TextTable.Chinese)) ?? key;

        foreach (var row in report.Rows(reader))
        {
            if (++report.RowsRead > MaxRows)
            {
                report.Add(row.RowNumber, "", "", "Import.TooManyRows", MaxRows);
                return report;
            }
            var code = map.Text(row, "Col.SchoolCode");
            var codeCell = map.Cell(row, "Col.SchoolCode");
            if (!School.IsValidCode(code))
            {
                report.Add(row.RowNumber, colName("Col.SchoolCode"), code, codeCell.WasNumeric ? "Import.NumericCell" : "School.CodeRule");
            }
            else if (seen.TryGetValue(code, out var first))
            {
                report.Add(row.RowNumber, colName("Col.SchoolCode"), code, "Import.DuplicateInFile", first);
            }
            else
            {
                seen[code] = row.RowNumber;
            }
            var name = map.Text(row, "Col.SchoolName");
            if (name.Length is 0 or > 100)
            {
                report.Add(row.RowNumber, colName("Col.SchoolName"), name, "Import.Required");
            }
            var kindText = map.Text(row, "Col.SchoolKind");
            if (!kinds.TryGetValue(kindText, out var kind))
            {
                report.Add(row.RowNumber, colName("Col.SchoolKind"), kindText, "Import.UnknownValue");
            }
            var townshipText = map.Text(row, "Col.Township");
            var township = townships.FirstOrDefault(t => t.Name == townshipText || t.Code == townshipText);
            if (township is null)
            {
                report.Add(row.RowNumber, colName("Col.Township"), townshipText, "Import.UnknownTownship");
            }
            var villageText = map.Text(row, "Col.Village");
            Division? village = null;
            if (villageText.Length > 0 && township is not null)
            {
                village = villages.FirstOrDefault(v => v.ParentId == township.Id && (v.Name == villageText || v.Code == villageText));
                if (village is null)
                {
                    report.Add(row.RowNumber, colName("Col.Village"), villageText, "School.VillageNotInTownship");
                }
            }
            var phone = map.Text(row, "Col.Phone");
            if (phone.Length > 0 && !PhoneNumber.IsValid(phone))
            {
                report.Add(row.RowNumber, colName("Col.Phone"), phone, "Validation.Phone", phone);
            }
            if (existing.TryGetValue(code, out var current) && township is not null && current.TownshipId != township.Id)
            {
                report.Add(row.RowNumber, colName("Col.Township"), townshipText, "School.TownshipFixed");
            }
            var central = map.Text(row, "Col.CentralSchoolCode");
            // Columns left out of the sheet keep what the school had; a closed school stays closed.
            string? Keep(string key, string? had) => map.Has(key) ? map.Text(row, key) : had;
            rows.Add((row.RowNumber, new SaveSchool.Command(current?.Id, code, name, kind, township?.Id ?? Guid.Empty,
                map.Has("Col.Village") ? village?.Id : current?.VillageId,
                Keep("Col.Address", current?.Address), Keep("Col.HeadName", current?.HeadName), Keep("Col.Phone", current?.Phone), current?.CentralSchoolId, current?.IsActive ?? true),
                central.Length > 0 ? central : null));
        }
        if (report.RowsRead == 0)
        {
            report.Add(2, "", "", "Import.NoRows");
        }
        foreach (var (rowNumber, command, centralCode) in rows)
        {
            if (centralCode is not null && (centralCode == command.Code || (!existing.ContainsKey(centralCode) && !seen.ContainsKey(centralCode))))
            {
                report.Add(rowNumber, colName("Col.CentralSchoolCode"), centralCode, "School.CentralSchoolNotFound");
            }
        }
        if (!report.Succeeded)
        {
            return report;
        }

        var byCode = new Dictionary<string, School>(existing, StringComparer.Ordinal);
        foreach (var (_, c, _) in rows)
        {
            if (!byCode.TryGetValue(c.Code, out var school))
            {
                var township = townships.First(t => t.Id == c.TownshipId);
                school = new School { Code = c.Code, Name = c.Name, TownshipId = c.TownshipId, Path = PlacePath.Child(township.Path, c.Code) };
                db.Schools.Add(school);
                byCode[c.Code] = school;
                report.Created++;
            }
            else
            {
                report.Updated++;
            }
            SaveSchool.Apply(school, c);
        }
        foreach (var (_, c, centralCode) in rows)
        {
            if (map.Has("Col.CentralSchoolCode"))
            {
                byCode[c.Code].CentralSchoolId = centralCode is null ? null : byCode[centralCode].Id;
            }
        }
        db.Audit(AuditAction.Import, nameof(School), null, null, $"{{\"file\":\"{Path.GetFileName(fileName)}\",\"created\":{report.Created},\"updated\":{report.Updated}}}");
        await db.SaveChangesAsync(ct);
        return report;
    }

    internal static IEnumerable<string> Names(TextTable table, string key) =>
        new[] { table.Find(key, new System.Globalization.CultureInfo(TextTable.Chinese)), table.Find(key, new System.Globalization.CultureInfo(TextTable.English)) }
            .Where(n => n is not null).Select(n => n!).Distinct();
}
