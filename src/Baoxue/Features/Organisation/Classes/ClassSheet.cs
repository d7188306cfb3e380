using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Imports;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Spreadsheets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Organisation.Classes;

/// <summary>Classes to and from xlsx: 学校标识码, 学年, 年级, 班号, 班主任, 额定人数.</summary>
public static class ClassSheet
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxRows = 20000;

    public static readonly ImportColumn[] Columns =
    [
        new("Col.SchoolCode", true), new("Col.SchoolName", false), new("Col.SchoolYear", true), new("Col.Grade", true),
        new("Col.ClassNumber", true), new("Col.HeadTeacher", false), new("Col.Capacity", false),
    ];

    /// <summary>The classes the list shows for the same filter, in its order, in the import's own columns, streamed; audited.</summary>
    public static XlsxDownload Export(BaoxueDb db, IStringLocalizer<Strings> text, ClassQueries.Filter filter)
    {
        async IAsyncEnumerable<IReadOnlyList<string?>> Rows([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
        {
            foreach (var r in await ClassQueries.ListAsync(db, filter, ct))
            {
                yield return [r.SchoolCode, r.SchoolName, ChineseFormat.SchoolYear(r.StartYear), ChineseFormat.Grade(r.Grade), r.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), r.HeadTeacher, r.Capacity?.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            }
        }
        return new XlsxDownload(text["Export.ClassesFile"], text["Classes.Title"], [.. Columns.Select((c, i) => new ExportColumn(text[c.Key].Value, i == 1 ? 30 : null))], Rows(),
            async (count, ct) =>
            {
                db.Audit(AuditAction.Export, nameof(SchoolClass), filter.SchoolId?.ToString(), null, $"{{\"rows\":{count}}}");
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
        var zh = new System.Globalization.CultureInfo(TextTable.Chinese);
        string Col(string key) => table.Find(key, zh) ?? key;

        var schools = await db.Schools.AsNoTracking().ToDictionaryAsync(s => s.Code, ct);
        var years = await db.SchoolYears.AsNoTracking().ToDictionaryAsync(y => y.StartYear, ct);
        var staff = await db.Staff.AsNoTracking().Where(s => s.SchoolId != null && s.IsActive).Select(s => new { s.Id, s.Name, SchoolId = s.SchoolId!.Value }).ToListAsync(ct);
        var existing = await db.Classes.ToDictionaryAsync(c => (c.SchoolId, c.SchoolYearId, c.Grade, c.Number), ct);
        var seen = new Dictionary<(Guid, Guid, int, int), int>();
        var accepted = new List<(School School, SchoolYear Year, int Grade, int Number, Guid? Teacher, int? Capacity)>();

        foreach (var row in report.Rows(reader))
        {
            if (++report.RowsRead > MaxRows)
            {
                report.Add(row.RowNumber, "", "", "Import.TooManyRows", MaxRows);
                return report;
            }
            var problemsBefore = report.Problems.Count;
            var code = map.Text(row, "Col.SchoolCode");
            if (!schools.TryGetValue(code, out var school))
            {
                report.Add(row.RowNumber, Col("Col.SchoolCode"), code, map.Cell(row, "Col.SchoolCode").WasNumeric && !School.IsValidCode(code) ? "Import.NumericCell" : "Import.UnknownSchool");
            }
            var yearText = map.Text(row, "Col.SchoolYear");
            SchoolYear? year = null;
            if (!ChineseFormat.TryParseSchoolYear(yearText, out var startYear) || !years.TryGetValue(startYear, out year))
            {
                report.Add(row.RowNumber, Col("Col.SchoolYear"), yearText, "Import.UnknownSchoolYear");
            }
            var gradeText = map.Text(row, "Col.Grade");
            if (!ChineseFormat.TryParseGrade(gradeText, out var grade))
            {
                report.Add(row.RowNumber, Col("Col.Grade"), gradeText, "Import.BadGrade");
            }
            else if (school is not null && !school.Teaches(grade))
            {
                report.Add(row.RowNumber, Col("Col.Grade"), gradeText, "Class.GradeNotTaught", grade);
            }
            var numberText = map.Text(row, "Col.ClassNumber");
            if (!int.TryParse(numberText, out var number) || number is < 1 or > 99)
            {
                report.Add(row.RowNumber, Col("Col.ClassNumber"), numberText, "Class.NumberRule");
            }
            var capacityText = map.Text(row, "Col.Capacity");
            int? capacity = null;
            if (capacityText.Length > 0)
            {
                if (int.TryParse(capacityText, out var cap) && cap is >= 1 and <= 200)
                {
                    capacity = cap;
                }
                else
                {
                    report.Add(row.RowNumber, Col("Col.Capacity"), capacityText, "Class.CapacityRule");
                }
            }
            var teacherText = map.Text(row, "Col.HeadTeacher");
            Guid? teacher = null;
            if (teacherText.Length > 0 && school is not null)
            {
                var matches = staff.Where(s => s.SchoolId == school.Id && s.Name == teacherText).ToList();
                if (matches.Count == 1)
                {
                    teacher = matches[0].Id;
                }
                else
                {
                    report.Add(row.RowNumber, Col("Col.HeadTeacher"), teacherText, matches.Count == 0 ? "Class.HeadTeacherNotAtSchool" : "Import.AmbiguousName");
                }
            }
            if (report.Problems.Count > problemsBefore || school is null || year is null)
            {
                continue;
            }
            var key = (school.Id, year.Id, grade, number);
            if (seen.TryGetValue(key, out var first))
            {
                report.Add(row.RowNumber, Col("Col.ClassNumber"), numberText, "Import.DuplicateInFile", first);
                continue;
            }
            seen[key] = row.RowNumber;
            accepted.Add((school, year, grade, number, teacher, capacity));
        }
        if (report.RowsRead == 0)
        {
            report.Add(2, "", "", "Import.NoRows");
        }
        if (!report.Succeeded)
        {
            return report;
        }
        foreach (var (school, year, grade, number, teacher, capacity) in accepted)
        {
            if (!existing.TryGetValue((school.Id, year.Id, grade, number), out var item))
            {
                item = new SchoolClass { SchoolId = school.Id, SchoolYearId = year.Id, Grade = grade, Number = number, Path = PlacePath.Child(school.Path, SchoolClass.PathSegment(year.StartYear, grade, number)) };
                db.Classes.Add(item);
                report.Created++;
            }
            else
            {
                report.Updated++;
            }
            item.HeadTeacherId = teacher ?? item.HeadTeacherId;
            item.Capacity = capacity ?? item.Capacity;
        }
        db.Audit(AuditAction.Import, nameof(SchoolClass), null, null, $"{{\"created\":{report.Created},\"updated\":{report.Updated}}}");
        await db.SaveChangesAsync(ct);
        return report;
    }
}
