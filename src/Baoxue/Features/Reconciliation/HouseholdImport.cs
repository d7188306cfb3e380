using System.Globalization;
using System.Text.Json;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Imports;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Features.Reconciliation;

/// <summary>
/// Household data from public security (户籍数据: xlsx, xls or csv), children 0–18, all or nothing with the row report,
/// like the registry import (decision 0006). A child already imported (same ID, or without an ID the same name,
/// birth date, gender and place) is updated in place, so that reconciliation results and decisions stay with them.
/// </summary>
/// <remarks>
/// Rows that are the same child (the same ID; without an ID, the same name, birth date, gender and village) are
/// merged, not refused: public-security extracts list a child once per household they belong to. The first row's
/// values are kept, empty fields are filled from the later row, and the choice is recorded on the child
/// (<see cref="HouseholdChild.MergeNote"/>) and counted in the report.
/// </remarks>
public static class HouseholdImport
{
    public const int MaxAge = 18;
    public const int MaxProblems = 5000;

    public static readonly ImportColumn[] Columns =
    [
        new("Household.Col.Name", true),
        new("Household.Col.IdNumber", false),
        new("Household.Col.Gender", false),
        new("Household.Col.BirthDate", false),
        new("Household.Col.Ethnicity", false),
        new("Household.Col.Address", false),
        new("Household.Col.DivisionCode", true),
        new("Household.Col.HouseholdType", false),
        new("Household.Col.Relation", false),
        new("Household.Col.GuardianName", false),
        new("Household.Col.GuardianPhone", false),
        new("Household.Col.Guardian2Name", false),
        new("Household.Col.Guardian2Phone", false),
        new("Household.Col.Residency", false),
    ];

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy/MM/dd", "yyyy.M.d", "yyyyMMdd", "yyyy年M月d日", "yyyy-MM-dd HH:mm:ss"];

    /// <summary>What an import did beyond the counts: rows merged as the same child.</summary>
    public sealed class Result
    {
        public required ImportReport Report { get; init; }
        public List<string> Merges { get; } = [];
    }

    private sealed class Row
    {
        public int Number;
        public required HouseholdChild Child;
        public string? Id;
        public List<string> Notes { get; } = [];
    }

    public static async Task<Result> ImportAsync(BaoxueDb db, PersonalData personal, TextTable table, long maxBytes, Stream file, string fileName, CancellationToken ct = default)
    {
        var report = new ImportReport();
        var result = new Result { Report = report };
        using var reader = ImportReport.Open(file, fileName, maxBytes, report);
        if (reader is null)
        {
            return result;
        }
        var map = HeaderMap.Match(reader.Headers, Columns, table, report);
        if (!report.Succeeded)
        {
            return result;
        }
        string Column(string key) => table.Find(key, new CultureInfo(TextTable.Chinese)) ?? key;
        void Problem(int row, string key, string? value, string reason, params object[] args) => report.Add(row, Column(key), value, reason, args);

        var divisions = (await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Village || d.Level == DivisionLevel.Township)
            .Select(d => new { d.Code, d.Path }).ToListAsync(ct)).ToDictionary(d => d.Code, d => d.Path, StringComparer.Ordinal);
        var today = db.County.Today;
        var now = db.County.UtcNow;
        var rows = new List<Row>();
        var byId = new Dictionary<string, Row>(StringComparer.Ordinal);
        var byPerson = new Dictionary<(string, DateOnly, Gender, string), Row>();
        foreach (var sheetRow in report.Rows(reader))
        {
            report.RowsRead++;
            var r = sheetRow.RowNumber;
            var before = report.Problems.Count;
            var name = Registry.StudentInput.NormalizeName(map.Text(sheetRow, "Household.Col.Name"));
            if (name.Length == 0 || name.Length > 64)
            {
                Problem(r, "Household.Col.Name", name, "Import.Required");
            }
            var idCell = map.Cell(sheetRow, "Household.Col.IdNumber");
            var idText = idCell.Text?.Trim() ?? "";
            string? id = null;
            DateOnly? birth = null;
            Gender? gender = null;
            if (idText.Length > 0)
            {
                if (idCell.WasNumeric || idText.Contains("E+", StringComparison.OrdinalIgnoreCase))
                {
                    Problem(r, "Household.Col.IdNumber", idText, "RegImport.IdDigitsLost");
                }
                else
                {
                    var parsed = IdNumber.Parse(idText);
                    if (!parsed.IsValid)
                    {
                        Problem(r, "Household.Col.IdNumber", idText, "Student.Id." + parsed.Error);
                    }
                    else
                    {
                        id = parsed.Normalized;
                        birth = parsed.BirthDate;
                        gender = parsed.Gender;
                    }
                }
            }
            var genderText = map.Text(sheetRow, "Household.Col.Gender").Trim();
            if (genderText.Length > 0)
            {
                Gender? g = genderText switch { "男" or "1" or "M" or "Male" => Gender.Male, "女" or "2" or "F" or "Female" => Gender.Female, _ => null };
                if (g is null)
                {
                    Problem(r, "Household.Col.Gender", genderText, "RegImport.BadGender");
                }
                else if (gender is { } fromId && fromId != g)
                {
                    Problem(r, "Household.Col.Gender", genderText, "Student.GenderDisagrees");
                }
                gender ??= g;
            }
            var birthText = map.Text(sheetRow, "Household.Col.BirthDate").Trim();
            if (birthText.Length > 0)
            {
                if (!TryDate(birthText, out var b))
                {
                    Problem(r, "Household.Col.BirthDate", birthText, "RegImport.BadDate");
                }
                else if (birth is { } fromId && fromId != b)
                {
                    Problem(r, "Household.Col.BirthDate", birthText, "Student.BirthDateDisagrees", fromId.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }
                else
                {
                    birth = b;
                }
            }
            if (gender is null && genderText.Length == 0)
            {
                Problem(r, "Household.Col.Gender", "", "Import.Required");
            }
            if (birth is null && birthText.Length == 0)
            {
                Problem(r, "Household.Col.BirthDate", "", "Import.Required");
            }
            else if (birth is { } bd && (bd > today || ReconciliationOptions.AgeOn(bd, today) > MaxAge))
            {
                Problem(r, "Household.Col.BirthDate", birthText.Length > 0 ? birthText : bd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "Household.NotAChild", MaxAge);
            }
            var code = map.Text(sheetRow, "Household.Col.DivisionCode").Trim();
            if (!divisions.TryGetValue(code, out var path) || !db.Covers(path))
            {
                Problem(r, "Household.Col.DivisionCode", code, map.Cell(sheetRow, "Household.Col.DivisionCode").WasNumeric && code.Length != 12 && code.Length != 9 ? "Import.NumericCell" : "Household.UnknownDivision");
            }
            HouseholdType? type = null;
            var typeText = map.Text(sheetRow, "Household.Col.HouseholdType").Trim();
            if (typeText.Length > 0)
            {
                type = typeText switch { "农业" or "农业户口" => HouseholdType.Agricultural, "非农业" or "非农业户口" => HouseholdType.NonAgricultural, "居民" or "居民户口" => HouseholdType.Resident, _ => null };
                if (type is null)
                {
                    Problem(r, "Household.Col.HouseholdType", typeText, "Import.UnknownValue");
                }
            }
            var residency = Residency.Resident;
            var residencyText = map.Text(sheetRow, "Household.Col.Residency").Trim();
            if (residencyText.Length > 0)
            {
                Residency? parsed = residencyText switch { "户籍人口" or "户籍" or "常住" => Residency.Resident, "流动人口" or "流动" or "暂住" => Residency.Floating, _ => null };
                if (parsed is null)
                {
                    Problem(r, "Household.Col.Residency", residencyText, "Import.UnknownValue");
                }
                residency = parsed ?? Residency.Resident;
            }
            string? Limited(string key, int max)
            {
                var text = map.Text(sheetRow, key).Trim();
                if (text.Length > max)
                {
                    Problem(r, key, text[..Math.Min(20, text.Length)] + "…", "RegImport.TooLong", max);
                }
                return text.Length == 0 ? null : text;
            }
            string? Phone(string key)
            {
                var text = map.Text(sheetRow, key).Trim();
                if (text.Length > 0 && !PhoneNumber.IsValid(text))
                {
                    Problem(r, key, text, "Validation.Phone", text);
                }
                return text.Length == 0 ? null : PhoneNumber.Normalize(text);
            }
            var ethnicity = Limited("Household.Col.Ethnicity", 2);
            var address = Limited("Household.Col.Address", 200);
            var relation = Limited("Household.Col.Relation", 16);
            var guardian = Limited("Household.Col.GuardianName", 64);
            var guardianPhone = Phone("Household.Col.GuardianPhone");
            var guardian2 = Limited("Household.Col.Guardian2Name", 64);
            var guardian2Phone = Phone("Household.Col.Guardian2Phone");
            if (report.Problems.Count >= MaxProblems)
            {
                report.Add(r, "", "", "RegImport.TooManyProblems", MaxProblems);
                break;
            }
            if (report.Problems.Count > before)
            {
                continue;
            }
            var row = new Row
            {
                Number = r,
                Id = id,
                Child = new HouseholdChild
                {
                    Name = name, Gender = gender!.Value, BirthDate = birth!.Value, Ethnicity = ethnicity, DivisionCode = code, HouseholdAddress = address,
                    HouseholdType = type, RelationToHead = relation, GuardianName = guardian, GuardianPhone = guardianPhone, SecondGuardianName = guardian2,
                    SecondGuardianPhone = guardian2Phone, Residency = residency, ImportedAt = now, Path = path!,
                    IdNumberMasked = id is null ? null : IdNumber.Mask(id),
                },
            };
            var same = id is not null ? byId.GetValueOrDefault(id) : byPerson.GetValueOrDefault((name, birth!.Value, gender!.Value, code));
            if (same is not null)
            {
                var note = Merge(same, row);
                same.Notes.Add(note);
                result.Merges.Add(note);
                continue;
            }
            rows.Add(row);
            if (id is not null)
            {
                byId[id] = row;
            }
            else
            {
                byPerson[(name, birth!.Value, gender!.Value, code)] = row;
            }
        }
        if (report.RowsRead == 0)
        {
            report.Add(2, "", "", "Import.NoRows");
        }
        if (!report.Succeeded)
        {
            return result;
        }

        // Hash and encrypt in parallel (the costly part), then update children already known, add the rest.
        Parallel.ForEach(rows, row =>
        {
            if (row.Id is { } id)
            {
                row.Child.IdNumberHash = personal.Hash(id);
                row.Child.IdNumberCipher = personal.Encrypt(id);
            }
        });
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var hashes = rows.Where(r => r.Child.IdNumberHash is not null).Select(r => r.Child.IdNumberHash!).ToHashSet(StringComparer.Ordinal);
        var existing = await db.HouseholdChildren.IgnoreQueryFilters().ToListAsync(ct);
        var known = existing.Where(e => e.IdNumberHash is not null && hashes.Contains(e.IdNumberHash)).ToDictionary(e => e.IdNumberHash!, StringComparer.Ordinal);
        var knownWithoutId = existing.Where(e => e.IdNumberHash is null).GroupBy(e => (e.Name, e.BirthDate, e.Gender, e.DivisionCode)).ToDictionary(g => g.Key, g => g.First());
        using (db.AuditAsBatch("导入户籍数据"))
        {
            foreach (var row in rows)
            {
                var c = row.Child;
                c.MergeNote = row.Notes.Count == 0 ? null : Shorten(string.Join("；", row.Notes));
                var target = c.IdNumberHash is { } h ? known.GetValueOrDefault(h) : knownWithoutId.GetValueOrDefault((c.Name, c.BirthDate, c.Gender, c.DivisionCode));
                if (target is null)
                {
                    db.HouseholdChildren.Add(c);
                    report.Created++;
                    continue;
                }
                if (!db.Covers(target.Path))
                {
                    report.Add(row.Number, Column("Household.Col.IdNumber"), c.IdNumberMasked, "RegImport.IdElsewhere");
                    continue;
                }
                target.Name = c.Name;
                target.Gender = c.Gender;
                target.BirthDate = c.BirthDate;
                target.Ethnicity = c.Ethnicity;
                target.DivisionCode = c.DivisionCode;
                target.HouseholdAddress = c.HouseholdAddress;
                target.HouseholdType = c.HouseholdType;
                target.RelationToHead = c.RelationToHead;
                target.GuardianName = c.GuardianName;
                target.GuardianPhone = c.GuardianPhone;
                target.SecondGuardianName = c.SecondGuardianName;
                target.SecondGuardianPhone = c.SecondGuardianPhone;
                target.Residency = c.Residency;
                target.ImportedAt = c.ImportedAt;
                target.MergeNote = c.MergeNote;
                target.Path = c.Path;
                report.Updated++;
            }
        }
        if (!report.Succeeded)
        {
            report.Created = report.Updated = 0;
            await transaction.RollbackAsync(ct);
            return result;
        }
        db.Audit(AuditAction.Import, nameof(HouseholdChild), null, null,
            JsonSerializer.Serialize(new { file = Path.GetFileName(fileName), rows = report.RowsRead, created = report.Created, updated = report.Updated, merged = result.Merges.Count }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return result;
    }

    /// <summary>Keeps the first row's values, fills its empty fields from the later one, and says so.</summary>
    private static string Merge(Row first, Row later)
    {
        var a = first.Child;
        var b = later.Child;
        var filled = new List<string>();
        var differing = new List<string>();
        void Fill(string label, string? kept, string? other, Action<string> set)
        {
            if (string.IsNullOrEmpty(kept) && !string.IsNullOrEmpty(other))
            {
                set(other);
                filled.Add(label);
            }
            else if (!string.IsNullOrEmpty(other) && !string.Equals(kept, other, StringComparison.Ordinal))
            {
                differing.Add(label);
            }
        }
        Fill("户籍地址", a.HouseholdAddress, b.HouseholdAddress, v => a.HouseholdAddress = v);
        Fill("与户主关系", a.RelationToHead, b.RelationToHead, v => a.RelationToHead = v);
        Fill("监护人姓名", a.GuardianName, b.GuardianName, v => a.GuardianName = v);
        Fill("监护人电话", a.GuardianPhone, b.GuardianPhone, v => a.GuardianPhone = v);
        Fill("第二监护人姓名", a.SecondGuardianName, b.SecondGuardianName, v => a.SecondGuardianName = v);
        Fill("第二监护人电话", a.SecondGuardianPhone, b.SecondGuardianPhone, v => a.SecondGuardianPhone = v);
        Fill("民族", a.Ethnicity, b.Ethnicity, v => a.Ethnicity = v);
        if (a.Name != b.Name)
        {
            differing.Add("姓名");
        }
        if (a.DivisionCode != b.DivisionCode)
        {
            differing.Add("行政区划代码");
        }
        var note = $"第{later.Number}行与第{first.Number}行为同一儿童，已合并，保留第{first.Number}行";
        if (filled.Count > 0)
        {
            note += $"，由第{later.Number}行补充{string.Join("、", filled)}";
        }
        if (differing.Count > 0)
        {
            note += $"，第{later.Number}行的{string.Join("、", differing)}不同，未采用";
        }
        return note;
    }

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..499] + "…";

    private static bool TryDate(string text, out DateOnly date)
    {
        if (DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return true;
        }
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            date = DateOnly.FromDateTime(at);
            return true;
        }
        return false;
    }
}
