using System.Globalization;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Organisation.Classes;
using Baoxue.Features.Organisation.Schools;
using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Spreadsheets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Baoxue.Features.Registry.Import;

/// <summary>
/// A blank workbook per import: the headers that import reads (from the same column lists it matches), one example row
/// with a school of the user's own jurisdiction, and a notes sheet saying which columns are required and how to fill them.
/// </summary>
public static class ImportTemplates
{
    public sealed record Column(string Key, bool Required, string Example);

    public static void MapImportTemplates(this WebApplication app)
    {
        app.MapGet("/api/v1/students/import/template", async (BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            File(Build(text, text["Template.StudentsSheet"], await StudentColumnsAsync(db, ct), "Template.StudentsNotes"), text["Template.StudentsFile"]))
            .WithTags("Registry").RequireAuthorization(Permission.RegistryEdit)
            .WithName("Registry_GetStudentTemplate").WithSummary("Download the student import template");
        app.MapGet("/api/v1/schools/import/template", async (BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            File(Build(text, text["Nav.Schools"], await SchoolColumnsAsync(db, text, ct), "Template.SchoolsNotes"), text["Template.SchoolsFile"]))
            .WithTags("Organisation").RequireAuthorization(Permission.SchoolsEdit)
            .WithName("Organisation_GetSchoolTemplate").WithSummary("Download the school import template");
        app.MapGet("/api/v1/classes/import/template", async (BaoxueDb db, IStringLocalizer<Strings> text, CancellationToken ct) =>
            File(Build(text, text["Classes.Title"], await ClassColumnsAsync(db, ct), "Template.ClassesNotes"), text["Template.ClassesFile"]))
            .WithTags("Organisation").RequireAuthorization(Permission.ClassesEdit)
            .WithName("Organisation_GetClassTemplate").WithSummary("Download the class import template");
    }

    private static IResult File(byte[] bytes, string name) =>
        Results.File(bytes, Organisation.OrganisationApi.XlsxType, name + ".xlsx");

    /// <summary>Sheet one: headers and the example row; sheet two (说明): each column, required or not, the other headers it is known by, and the general notes.</summary>
    public static byte[] Build(IStringLocalizer text, string sheetName, IReadOnlyList<Column> columns, string notesKey)
    {
        var notes = columns.Select(c =>
        {
            var note = text[$"Template.Note.{c.Key}"];
            return (IReadOnlyList<string?>)[text[c.Key].Value, text[c.Required ? "Common.Yes" : "Common.No"].Value, note.ResourceNotFound ? "" : note.Value];
        }).Append([]).Concat(text[notesKey].Value.Split('\n').Select(line => (IReadOnlyList<string?>)["", "", line]));
        return XlsxWriter.Build([
            (new XlsxSheet(sheetName, null, [.. columns.Select(c => new ExportColumn(text[c.Key].Value))]), [[.. columns.Select(c => c.Example)]]),
            (new XlsxSheet(text["Template.NotesSheet"], null, [new(text["Template.Column"], 24), new(text["Template.Required"], 10), new(text["Template.Note"], 80)]), notes),
        ]);
    }

    private static async Task<(string Code, int StartYear)> ExampleSchoolAsync(BaoxueDb db, CancellationToken ct)
    {
        var code = await db.Schools.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.Code).Select(s => s.Code).FirstOrDefaultAsync(ct) ?? "2135012301";
        var year = await db.SchoolYears.AsNoTracking().Where(y => y.IsCurrent).Select(y => (int?)y.StartYear).FirstOrDefaultAsync(ct) ?? db.County.Today.Year;
        return (code, year);
    }

    private static async Task<IReadOnlyList<Column>> StudentColumnsAsync(BaoxueDb db, CancellationToken ct)
    {
        var (school, year) = await ExampleSchoolAsync(db, ct);
        var birth = new DateOnly(year - 8, 3, 15);
        var first17 = $"350123{birth:yyyyMMdd}001";
        var id = first17 + IdNumber.ComputeCheckCharacter(first17);
        var examples = new Dictionary<RegistryColumn, string>
        {
            [RegistryColumn.Name] = "张小明",
            [RegistryColumn.Gender] = "男",
            [RegistryColumn.BirthDate] = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            [RegistryColumn.IdNumber] = id,
            [RegistryColumn.RegistryNumber] = "G" + id,
            [RegistryColumn.Ethnicity] = "汉族",
            [RegistryColumn.SchoolCode] = school,
            [RegistryColumn.Grade] = "3",
            [RegistryColumn.ClassNumber] = "1",
            [RegistryColumn.Household] = "福建省福州市罗源县凤山镇",
            [RegistryColumn.HouseholdType] = "农业户口",
            [RegistryColumn.Residence] = "罗源县凤山镇东门路1号",
            [RegistryColumn.GuardianName] = "张建国",
            [RegistryColumn.GuardianRelation] = "父亲",
            [RegistryColumn.GuardianPhone] = "13800000000",
            [RegistryColumn.WorksAway] = "否",
            [RegistryColumn.Groups] = "留守儿童",
            [RegistryColumn.EnrolledOn] = $"{year - 2}-09-01",
        };
        return [.. RegistryColumns.All.Select(c => new Column(c.Keys[0], c.Required, examples.GetValueOrDefault(c.Column, "")))];
    }

    private static async Task<IReadOnlyList<Column>> SchoolColumnsAsync(BaoxueDb db, IStringLocalizer text, CancellationToken ct)
    {
        var township = await db.Divisions.AsNoTracking().Where(d => d.Level == DivisionLevel.Township).OrderBy(d => d.Code).Select(d => d.Name).FirstOrDefaultAsync(ct) ?? "凤山镇";
        var examples = new Dictionary<string, string>
        {
            ["Col.SchoolCode"] = "2135012399",
            ["Col.SchoolName"] = "罗源县示例小学",
            ["Col.SchoolKind"] = text["SchoolKind.Primary"],
            ["Col.Township"] = township,
            ["Col.Address"] = "罗源县凤山镇示例路1号",
            ["Col.HeadName"] = "王校长",
            ["Col.Phone"] = "0591-26800000",
        };
        return [.. SchoolSheet.Columns.Select(c => new Column(c.Key, c.Required, examples.GetValueOrDefault(c.Key, "")))];
    }

    private static async Task<IReadOnlyList<Column>> ClassColumnsAsync(BaoxueDb db, CancellationToken ct)
    {
        var (school, year) = await ExampleSchoolAsync(db, ct);
        var examples = new Dictionary<string, string>
        {
            ["Col.SchoolCode"] = school,
            ["Col.SchoolYear"] = $"{year}-{year + 1}",
            ["Col.Grade"] = "1",
            ["Col.ClassNumber"] = "1",
            ["Col.Capacity"] = "45",
        };
        return [.. ClassSheet.Columns.Select(c => new Column(c.Key, c.Required, examples.GetValueOrDefault(c.Key, "")))];
    }
}
