using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Imports;
using Baoxue.Infrastructure.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Accounts;

/// <summary>
/// The account sheet (账号表): 姓名, 角色, 单位代码, 班级, 用户名. Every row is checked first (the role against
/// <see cref="AccountRules"/>, the unit within the user's jurisdiction); nothing is created unless every row is right.
/// Each account gets a random initial password (on the slips) and is linked to the unit's staff record of that name.
/// </summary>
public static class AccountSheet
{
    public const long MaxBytes = 5 * 1024 * 1024;
    public const int MaxRows = 2000;

    public static readonly ImportColumn[] Columns =
    [
        new("AccCol.Name", true), new("AccCol.Role", true), new("AccCol.UnitCode", true), new("AccCol.Class", false), new("AccCol.UserName", false),
    ];

    public sealed record Result(ImportReport Report, List<ProvisionAccounts.Slip> Slips);

    public static async Task<Result> ImportAsync(BaoxueDb db, UserManager<AppUser> users, TextTable table, Stream file, string fileName, CancellationToken ct = default)
    {
        var report = new ImportReport();
        using var reader = ImportReport.Open(file, fileName, MaxBytes, report);
        if (reader is null)
        {
            return new(report, []);
        }
        var map = HeaderMap.Match(reader.Headers, Columns, table, report);
        if (!report.Succeeded)
        {
            return new(report, []);
        }
        var zh = new System.Globalization.CultureInfo(TextTable.Chinese);
        var en = new System.Globalization.CultureInfo(TextTable.English);
        string Col(string key) => table.Find(key, zh) ?? key;
        var roles = Enum.GetValues<Role>().SelectMany(r => new[] { (table.Find("Role." + r, zh) ?? "", r), (table.Find("Role." + r, en) ?? "", r), (r.ToString(), r) })
            .Where(x => x.Item1.Length > 0).GroupBy(x => x.Item1, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().r, StringComparer.OrdinalIgnoreCase);
        var actor = AccountTargets.ActorOf(db);

        // Units of the jurisdiction by code: schools, townships and villages, departments.
        var schools = await db.Schools.AsNoTracking().Select(s => new { s.Id, s.Code, s.Name, s.Path }).ToListAsync(ct);
        var divisions = await db.Divisions.AsNoTracking().Select(d => new { d.Id, d.Code, d.Name, d.Path, d.Level }).ToListAsync(ct);
        var departments = await db.Departments.AsNoTracking().Select(d => new { d.Id, d.Code, d.Name, d.Path }).ToListAsync(ct);
        var central = (await db.Schools.IgnoreQueryFilters().Where(s => s.CentralSchoolId != null).Select(s => s.CentralSchoolId!.Value).ToListAsync(ct)).ToHashSet();
        var classes = await db.Classes.AsNoTracking().Where(c => c.SchoolYear!.IsCurrent).Select(c => new { c.Id, c.SchoolId, c.Grade, c.Number, c.Path }).ToListAsync(ct);
        var staff = await db.Staff.AsNoTracking().Where(s => s.IsActive).Select(s => new { s.Id, s.Name, s.Path }).ToListAsync(ct);
        var linked = (await db.Users.IgnoreQueryFilters().Where(u => u.StaffId != null).Select(u => u.StaffId!.Value).ToListAsync(ct)).ToHashSet();
        var takenNames = (await db.Users.IgnoreQueryFilters().Select(u => u.NormalizedUserName!).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var seenNames = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var seenStaff = new HashSet<Guid>();
        var names = new ProvisionAccounts.UserNames(db);
        var accepted = new List<(int Row, string? UserName, ProvisionAccounts.NewAccount Account, string UnitCode)>();

        foreach (var row in report.Rows(reader))
        {
            if (++report.RowsRead > MaxRows)
            {
                report.Add(row.RowNumber, "", "", "Import.TooManyRows", MaxRows);
                return new(report, []);
            }
            var before = report.Problems.Count;
            var name = map.Text(row, "AccCol.Name").Trim();
            if (name.Length is 0 or > 64)
            {
                report.Add(row.RowNumber, Col("AccCol.Name"), name, "AccountSheet.NameRule");
            }
            var roleText = map.Text(row, "AccCol.Role").Trim();
            if (!roles.TryGetValue(roleText, out var role))
            {
                report.Add(row.RowNumber, Col("AccCol.Role"), roleText, "AccountSheet.UnknownRole");
            }
            var code = map.Text(row, "AccCol.UnitCode").Trim();
            var classText = map.Text(row, "AccCol.Class").Trim();
            PlaceKind kind = default;
            Guid placeId = Guid.Empty;
            string? path = null, unit = null, placeName = null;
            var atCentral = false;
            if (schools.FirstOrDefault(s => s.Code == code) is { } school)
            {
                (kind, placeId, path, unit, placeName) = (PlaceKind.School, school.Id, school.Path, school.Name, school.Name);
                atCentral = central.Contains(school.Id);
                if (classText.Length > 0 || role == Role.HeadTeacher)
                {
                    var cls = TryParseClass(classText, out var grade, out var number) ? classes.FirstOrDefault(c => c.SchoolId == school.Id && c.Grade == grade && c.Number == number) : null;
                    if (cls is null)
                    {
                        report.Add(row.RowNumber, Col("AccCol.Class"), classText, "AccountSheet.UnknownClass");
                    }
                    else
                    {
                        (kind, placeId, path, placeName) = (PlaceKind.Class, cls.Id, cls.Path, school.Name + " " + ChineseFormat.ClassName(cls.Grade, cls.Number));
                    }
                }
            }
            else if (divisions.FirstOrDefault(d => d.Code == code) is { } division)
            {
                kind = division.Level switch { DivisionLevel.County => PlaceKind.County, DivisionLevel.Township => PlaceKind.Township, _ => PlaceKind.Village };
                (placeId, path, unit, placeName) = (division.Id, division.Path, division.Name, division.Name);
            }
            else if (departments.FirstOrDefault(d => d.Code == code) is { } department)
            {
                (kind, placeId, path, unit, placeName) = (PlaceKind.Department, department.Id, department.Path, department.Name, department.Name);
            }
            else
            {
                report.Add(row.RowNumber, Col("AccCol.UnitCode"), code, map.Cell(row, "AccCol.UnitCode").WasNumeric && code.Length < 9 ? "Import.NumericCell" : "AccountSheet.UnknownUnit");
            }
            if (report.Problems.Count > before)
            {
                continue;
            }
            if (!role.Places().Contains(kind))
            {
                report.Add(row.RowNumber, Col("AccCol.Role"), roleText, "Account.PlaceNotForRole");
                continue;
            }
            if (!AccountRules.MayManage(actor, new AccountRules.Target(role, kind, path!, atCentral)))
            {
                report.Add(row.RowNumber, Col("AccCol.Role"), roleText, "Account.RoleNotYours");
                continue;
            }
            var userName = map.Text(row, "AccCol.UserName").Trim();
            if (userName.Length > 0)
            {
                if (!SaveAccount.IsValidUserName(userName))
                {
                    report.Add(row.RowNumber, Col("AccCol.UserName"), userName, "Account.UserNameRule");
                    continue;
                }
                if (takenNames.Contains(userName.ToUpperInvariant()))
                {
                    report.Add(row.RowNumber, Col("AccCol.UserName"), userName, "AccountSheet.UserNameTaken");
                    continue;
                }
                if (seenNames.TryGetValue(userName, out var first))
                {
                    report.Add(row.RowNumber, Col("AccCol.UserName"), userName, "Import.DuplicateInFile", first);
                    continue;
                }
                seenNames[userName] = row.RowNumber;
            }
            // The person on the staff list of that unit (a class's head teacher is staff of its school), when there is exactly one free.
            var unitPath = kind == PlaceKind.Class ? schools.First(s => s.Code == code).Path : path!;
            var person = staff.Where(s => s.Name == name && s.Path == unitPath && !linked.Contains(s.Id) && !seenStaff.Contains(s.Id)).Take(2).ToList();
            Guid? staffId = person.Count == 1 ? person[0].Id : null;
            if (staffId is { } sid)
            {
                seenStaff.Add(sid);
            }
            accepted.Add((row.RowNumber, userName.Length > 0 ? userName : null, new ProvisionAccounts.NewAccount("", name, role, kind, placeId, path!, staffId, unit!, placeName!), code));
        }
        if (report.RowsRead == 0)
        {
            report.Add(2, "", "", "Import.NoRows");
        }
        if (!report.Succeeded)
        {
            return new(report, []);
        }
        var accounts = new List<ProvisionAccounts.NewAccount>();
        foreach (var (_, userName, account, code) in accepted)
        {
            accounts.Add(account with { UserName = userName ?? await names.NextAsync(code, ct) });
        }
        var created = await ProvisionAccounts.CreateAllAsync(db, users, accounts, ct);
        if (!created.Succeeded)
        {
            foreach (var e in created.Errors)
            {
                report.Add(0, Col("AccCol.UserName"), e.Args.FirstOrDefault()?.ToString(), "AccountSheet.Refused", e.Args.Skip(1).FirstOrDefault() ?? "");
            }
            return new(report, []);
        }
        report.Created = created.Value!.Count;
        db.Audit(AuditAction.Import, nameof(AppUser), null, null, $"{{\"created\":{report.Created}}}");
        await db.SaveChangesAsync(ct);
        return new(report, created.Value!);
    }

    /// <summary>"三年级（2）班", "3年级2班", "3-2" or "3.2".</summary>
    public static bool TryParseClass(string text, out int grade, out int number)
    {
        grade = number = 0;
        var t = text.Replace("（", "(", StringComparison.Ordinal).Replace("）", ")", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        var split = t.IndexOfAny(['年', '-', '.']);
        if (split <= 0)
        {
            return false;
        }
        var gradeText = t[..split];
        var rest = new string([.. t[(split + 1)..].Where(char.IsAsciiDigit)]);
        return ChineseFormat.TryParseGrade(gradeText, out grade)
            && int.TryParse(rest, out number) && number is >= 1 and <= 99;
    }

    public static async Task<IReadOnlyList<Registry.Import.ImportTemplates.Column>> TemplateColumnsAsync(BaoxueDb db, IStringLocalizer text, CancellationToken ct)
    {
        var code = await db.Schools.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.Code).Select(s => s.Code).FirstOrDefaultAsync(ct) ?? "2135012301";
        var examples = new Dictionary<string, string>
        {
            ["AccCol.Name"] = "王老师",
            ["AccCol.Role"] = text["Role.HeadTeacher"],
            ["AccCol.UnitCode"] = code,
            ["AccCol.Class"] = "三年级（1）班",
            ["AccCol.UserName"] = "",
        };
        return [.. Columns.Select(c => new Registry.Import.ImportTemplates.Column(c.Key, c.Required, examples.GetValueOrDefault(c.Key, "")))];
    }
}
