using System.Globalization;
using Baoxue.Domain;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Baoxue.Tests.Features.Registry.Import;

/// <summary>Registry sheets as the national system exports them, with valid IDs made to order.</summary>
internal static class RegistryImportKit
{
    public const string Url = "/api/v1/students/import";
    public const string TestSchool = "2135012301"; // 罗源县实验小学: 8 classes a grade
    public const string OtherSchool = "2135012302"; // 罗源县第二实验小学
    public const string AdminsSchool = "2135012303"; // 罗源县凤山中心小学, school.admin's

    public static readonly string[] Headers =
    [
        "姓名", "性别", "出生日期", "身份证件号", "全国学籍号", "民族", "学校标识码", "年级", "班号", "户口所在地", "户口性质", "现住址",
        "监护人姓名", "监护人关系", "监护人电话", "是否外出务工", "重点群体", "入学日期",
    ];

    /// <summary>An 18-digit ID of 罗源县 (350123) with the right check character; odd sequence = boy.</summary>
    public static string Id(DateOnly birth, int sequence, Gender gender)
    {
        var seq = sequence * 2 + (gender == Gender.Male ? 1 : 0);
        var first17 = "350123" + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + (seq % 1000).ToString("000", CultureInfo.InvariantCulture);
        return first17 + IdNumber.ComputeCheckCharacter(first17);
    }

    /// <summary>A row with sensible defaults: grade 3 class 2 of the test school, a mother as guardian.</summary>
    public static string?[] Row(string name, string id, string? birth = null, string? gender = null, string school = TestSchool, string grade = "三年级", string cls = "2",
        string? registry = null, string ethnicity = "汉族", string? household = "350123", string? groups = null, string? guardian = "王秀英", string? phone = "13800138000") =>
    [
        name, gender, birth, id, registry, ethnicity, school, grade, cls, household, "农业户口", "福建省罗源县凤山镇某路1号",
        guardian, guardian is null ? null : "母亲", guardian is null ? null : phone, guardian is null ? null : "否", groups, "2023-09-01",
    ];

    /// <summary>
    /// A workbook as Excel saves one: text cells, and numbers where the user left a column in General format
    /// (a <see cref="long"/> in <paramref name="rows"/> becomes a numeric cell).
    /// </summary>
    public static byte[] XlsxWithNumbers(IReadOnlyList<string> headers, params object?[][] rows)
    {
        static string Column(int i) => i < 26 ? ((char)('A' + i)).ToString() : "A" + (char)('A' + i - 26);
        static Cell Make(string reference, object? value) => value switch
        {
            long n => new Cell { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue(n.ToString(CultureInfo.InvariantCulture)) },
            string s => new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(s)) },
            _ => new Cell { CellReference = reference },
        };

        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData(new Row(headers.Select((h, i) => Make($"{Column(i)}1", h))) { RowIndex = 1 });
            for (var r = 0; r < rows.Length; r++)
            {
                var number = (uint)(r + 2);
                data.Append(new Row(rows[r].Select((v, i) => Make($"{Column(i)}{number}", v))) { RowIndex = number });
            }
            sheetPart.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "学生" }));
        }
        return stream.ToArray();
    }
}
