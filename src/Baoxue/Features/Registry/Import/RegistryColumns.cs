using System.Globalization;
using Baoxue.Infrastructure.Imports;
using Baoxue.Infrastructure.Localization;

namespace Baoxue.Features.Registry.Import;

/// <summary>The columns of the national registry system's student export that the import reads.</summary>
public enum RegistryColumn
{
    Name,
    Gender,
    BirthDate,
    IdNumber,
    RegistryNumber,
    Ethnicity,
    SchoolCode,
    Grade,
    ClassNumber,
    Household,
    HouseholdType,
    Residence,
    GuardianName,
    GuardianRelation,
    GuardianPhone,
    WorksAway,
    Groups,
    EnrolledOn,
}

/// <summary>One column: its string-table keys (the first names it in reports; the others are headers it is also known by).</summary>
public sealed record RegistryColumnSpec(RegistryColumn Column, bool Required, params string[] Keys);

/// <summary>
/// The one list of columns, matched by their Chinese header (or the English one) as <c>Strings.Import.tsv</c> writes them.
/// Extra columns in the sheet (the registry exports dozens) are ignored.
/// </summary>
public sealed class RegistryColumns
{
    public static readonly RegistryColumnSpec[] All =
    [
        new(RegistryColumn.Name, true, "RegImport.Col.Name"),
        new(RegistryColumn.Gender, false, "RegImport.Col.Gender"),
        new(RegistryColumn.BirthDate, false, "RegImport.Col.BirthDate"),
        new(RegistryColumn.IdNumber, false, "RegImport.Col.IdNumber", "RegImport.Col.IdNumberShort"),
        new(RegistryColumn.RegistryNumber, false, "RegImport.Col.RegistryNumber", "RegImport.Col.RegistryNumberShort"),
        new(RegistryColumn.Ethnicity, true, "RegImport.Col.Ethnicity"),
        new(RegistryColumn.SchoolCode, true, "RegImport.Col.SchoolCode"),
        new(RegistryColumn.Grade, true, "RegImport.Col.Grade"),
        new(RegistryColumn.ClassNumber, true, "RegImport.Col.ClassNumber"),
        new(RegistryColumn.Household, false, "RegImport.Col.Household"),
        new(RegistryColumn.HouseholdType, false, "RegImport.Col.HouseholdType"),
        new(RegistryColumn.Residence, false, "RegImport.Col.Residence"),
        new(RegistryColumn.GuardianName, false, "RegImport.Col.GuardianName"),
        new(RegistryColumn.GuardianRelation, false, "RegImport.Col.GuardianRelation"),
        new(RegistryColumn.GuardianPhone, false, "RegImport.Col.GuardianPhone"),
        new(RegistryColumn.WorksAway, false, "RegImport.Col.WorksAway"),
        new(RegistryColumn.Groups, false, "RegImport.Col.Groups"),
        new(RegistryColumn.EnrolledOn, false, "RegImport.Col.EnrolledOn"),
    ];

    private static readonly CultureInfo Zh = new(TextTable.Chinese);
    private static readonly CultureInfo En = new(TextTable.English);

    private readonly int[] _index;
    private readonly string[] _names;

    private RegistryColumns(int[] index, string[] names)
    {
        _index = index;
        _names = names;
    }

    /// <summary>Finds each column in the header row; a missing required column (or neither ID nor registry number) is reported on row 1.</summary>
    public static RegistryColumns Match(IReadOnlyList<string> headers, TextTable table, ImportReport report)
    {
        var names = headers.Select(Normalize).ToList();
        var index = new int[All.Length];
        var display = new string[All.Length];
        foreach (var spec in All)
        {
            var at = -1;
            foreach (var key in spec.Keys)
            {
                var zh = Normalize(table.Find(key, Zh) ?? key);
                var en = Normalize(table.Find(key, En) ?? key);
                at = names.FindIndex(n => n == zh || string.Equals(n, en, StringComparison.OrdinalIgnoreCase));
                if (at >= 0)
                {
                    break;
                }
            }
            index[(int)spec.Column] = at;
            display[(int)spec.Column] = table.Find(spec.Keys[0], Zh) ?? spec.Keys[0];
            if (at < 0 && spec.Required)
            {
                report.Add(1, display[(int)spec.Column], "", "Import.MissingColumn");
            }
        }
        if (index[(int)RegistryColumn.IdNumber] < 0 && index[(int)RegistryColumn.RegistryNumber] < 0)
        {
            report.Add(1, display[(int)RegistryColumn.IdNumber], "", "Import.MissingColumn");
        }
        return new RegistryColumns(index, display);
    }

    // Officials' sheets carry stray spaces, full-width brackets and required-field stars in headers.
    private static string Normalize(string header) =>
        header.Replace(" ", "", StringComparison.Ordinal).Replace("\u3000", "", StringComparison.Ordinal)
            .Replace("*", "", StringComparison.Ordinal).Replace("（", "(", StringComparison.Ordinal).Replace("）", ")", StringComparison.Ordinal).Trim();

    public bool Has(RegistryColumn column) => _index[(int)column] >= 0;

    /// <summary>The column's Chinese header, for the report.</summary>
    public string Name(RegistryColumn column) => _names[(int)column];

    public Infrastructure.Spreadsheets.SheetCell Cell(Infrastructure.Spreadsheets.SheetRow row, RegistryColumn column) =>
        _index[(int)column] is var at and >= 0 ? row[at] : default;

    public string Text(Infrastructure.Spreadsheets.SheetRow row, RegistryColumn column) => Cell(row, column).Text;
}
