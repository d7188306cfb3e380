using Baoxue.Infrastructure.Paging;
using System.Net;
using System.Text;
using Baoxue.Domain;
using Baoxue.Features.Organisation.Schools;
using Baoxue.Tests.Support;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using static Baoxue.Features.Organisation.OrganisationApi;
using static Baoxue.Tests.Features.Organisation.OrganisationKit;

namespace Baoxue.Tests.Features.Organisation;

/// <summary>
/// Schools and classes in and out of spreadsheets the way officials keep them: Chinese headers, xlsx or CSV
/// (UTF-8 or GBK), refused whole with every problem listed when any row is wrong. School codes used here: 21359991xx.
/// </summary>
public abstract class SheetTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private const string SchoolImport = "/api/v1/schools/import";
    private const string ClassImport = "/api/v1/classes/import";

    /// <summary>办学类型 as the sheets write it.</summary>
    private static readonly Dictionary<SchoolKind, string> KindNames = new()
    {
        [SchoolKind.Primary] = "小学", [SchoolKind.JuniorSecondary] = "初级中学", [SchoolKind.NineYear] = "九年一贯制学校",
        [SchoolKind.CompleteSecondary] = "完全中学", [SchoolKind.TeachingPoint] = "教学点", [SchoolKind.SpecialEducation] = "特殊教育学校",
    };

    static SheetTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private async Task<int> SchoolCountAsync()
    {
        await using var db = app.Db();
        return await db.Schools.CountAsync();
    }

    private async Task<int> AuditCountAsync(AuditAction action, string entityType)
    {
        await using var db = app.Db();
        return await db.AuditEntries.CountAsync(a => a.Action == action && a.EntityType == entityType);
    }

    private async Task<School?> StoredSchoolAsync(string code)
    {
        await using var db = app.Db();
        return await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.Code == code);
    }

    private async Task<Division> DivisionAsync(string name)
    {
        await using var db = app.Db();
        return await db.Divisions.AsNoTracking().SingleAsync(d => d.Name == name);
    }

    private async Task<Division> FirstVillageAsync(Division township)
    {
        await using var db = app.Db();
        return await db.Divisions.AsNoTracking().Where(d => d.ParentId == township.Id && d.Kind == "Village").OrderBy(d => d.Code).FirstAsync();
    }

    private async Task<SchoolYearDto> CurrentYearAsync(HttpClient client) =>
        ((await client.GetOkAsync<PagedResult<SchoolYearDto>>("/api/v1/school-years")).Items).Single(y => y.IsCurrent);

    // ---------- importing schools ----------

    [Fact]
    public async Task A_good_school_sheet_creates_new_schools_and_updates_them_when_imported_again()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var fengshan = await DivisionAsync("凤山镇");
        var songshan = await DivisionAsync("松山镇");
        var village = await FirstVillageAsync(fengshan);
        var imports = await AuditCountAsync(AuditAction.Import, "School");

        var first = await client.ImportAsync(SchoolImport, Xlsx(SchoolHeaders,
            ["2135999101", "罗源县导入测试小学", "小学", "凤山镇", village.Name, "凤山镇导入路1号", "吴建国", "13800138000", null],
            ["2135999102", "罗源县导入测试教学点", "教学点", "350123101", null, null, null, "0591-26000001", "2135999101"]),
            "学校.xlsx", HttpStatusCode.OK);

        Assert.Equal((true, 2, 2, 0), (first.Succeeded, first.RowsRead, first.Created, first.Updated));
        Assert.Empty(first.Problems);
        var primary = (await StoredSchoolAsync("2135999101"))!;
        var point = (await StoredSchoolAsync("2135999102"))!;
        Assert.Equal(("罗源县导入测试小学", SchoolKind.Primary, fengshan.Id, village.Id), (primary.Name, primary.Kind, primary.TownshipId, primary.VillageId));
        Assert.Equal(("凤山镇导入路1号", "吴建国", "13800138000"), (primary.Address, primary.HeadName, primary.Phone));
        Assert.Equal((SchoolKind.TeachingPoint, songshan.Id, primary.Id), (point.Kind, point.TownshipId, point.CentralSchoolId));

        var again = await client.ImportAsync(SchoolImport, Xlsx(SchoolHeaders,
            ["2135999101", "罗源县导入测试小学（更名）", "九年一贯制学校", "凤山镇", village.Code, null, null, null, null],
            ["2135999102", "罗源县导入测试教学点", "Teaching point", "松山镇", null, null, null, null, "2135999101"]),
            "学校.xlsx", HttpStatusCode.OK);

        Assert.Equal((true, 2, 0, 2), (again.Succeeded, again.RowsRead, again.Created, again.Updated));
        primary = (await StoredSchoolAsync("2135999101"))!;
        Assert.Equal(("罗源县导入测试小学（更名）", SchoolKind.NineYear), (primary.Name, primary.Kind));
        Assert.Equal(SchoolKind.TeachingPoint, (await StoredSchoolAsync("2135999102"))!.Kind);
        Assert.Equal(imports + 2, await AuditCountAsync(AuditAction.Import, "School"));
        Assert.Contains("罗源县导入测试小学（更名）", await client.PageTextAsync("/schools?q=2135999101"));
    }

    [Fact]
    public async Task The_same_school_sheet_saved_as_CSV_imports_in_UTF8_with_or_without_BOM_and_in_GBK()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        string Sheet(string code, string name) => Csv(SchoolHeaders, [code, name, "初级中学", "霍口畲族乡", null, "霍口畲族乡福湖村", "雷秀英", "0591-26831234", null]);

        var utf8 = await client.ImportAsync(SchoolImport, new UTF8Encoding(false).GetBytes(Sheet("2135999111", "罗源县霍口畲族乡第二中学")), "学校.csv", HttpStatusCode.OK);
        var utf8Bom = await client.ImportAsync(SchoolImport, [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(Sheet("2135999112", "罗源县霍口畲族乡第三中学"))], "学校.csv", HttpStatusCode.OK);
        var gbk = await client.ImportAsync(SchoolImport, Encoding.GetEncoding(936).GetBytes(Sheet("2135999113", "罗源县霍口畲族乡第四中学")), "学校.csv", HttpStatusCode.OK);

        Assert.All([utf8, utf8Bom, gbk], r => Assert.Equal((true, 1, 1), (r.Succeeded, r.RowsRead, r.Created)));
        var huokou = await DivisionAsync("霍口畲族乡");
        foreach (var (code, name) in new[] { ("2135999111", "罗源县霍口畲族乡第二中学"), ("2135999112", "罗源县霍口畲族乡第三中学"), ("2135999113", "罗源县霍口畲族乡第四中学") })
        {
            var school = await StoredSchoolAsync(code);
            Assert.NotNull(school);
            Assert.Equal((name, SchoolKind.JuniorSecondary, huokou.Id, "雷秀英", "霍口畲族乡福湖村"), (school.Name, school.Kind, school.TownshipId, school.HeadName, school.Address));
        }
    }

    [Fact]
    public async Task A_school_sheet_with_bad_rows_is_refused_whole_listing_every_problem_by_its_row_in_the_file()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var before = await SchoolCountAsync();
        var imports = await AuditCountAsync(AuditAction.Import, "School");

        var report = await client.ImportAsync(SchoolImport, Xlsx(SchoolHeaders,
            ["2135999121", "罗源县不应导入小学", "小学", "凤山镇", null, null, null, null, null],
            [null, null, null, null, null, null, null, null, null],
            ["21359991", "罗源县短码小学", "小学", "凤山镇", null, null, null, null, null],
            ["2135999123", "罗源县无乡镇小学", "小学", "不存在镇", null, null, null, null, null],
            ["2135999121", "罗源县重复码小学", "小学", "凤山镇", null, null, null, null, null],
            ["2135999125", "罗源县大学", "大学", "凤山镇", null, null, null, null, null],
            ["2135012301", "罗源县实验小学（不应改名）", "小学", "凤山镇", null, null, null, null, null]),
            "学校.xlsx", HttpStatusCode.UnprocessableEntity);

        Assert.False(report.Succeeded);
        Assert.Equal((0, 0), (report.Created, report.Updated));
        Assert.Equal(
            [
                new ImportProblemDto(4, "学校标识码", "21359991", "学校标识码应为10位数字。"),
                new ImportProblemDto(5, "所属乡镇", "不存在镇", "找不到该乡镇，或不在您的管辖范围内。"),
                new ImportProblemDto(6, "学校标识码", "2135999121", "与文件第 2 行重复。"),
                new ImportProblemDto(7, "办学类型", "大学", "无法识别的取值。"),
            ],
            report.Problems);
        Assert.Equal(before, await SchoolCountAsync());
        Assert.Null(await StoredSchoolAsync("2135999121"));
        Assert.Equal("罗源县实验小学", (await StoredSchoolAsync("2135012301"))!.Name);
        Assert.Equal(imports, await AuditCountAsync(AuditAction.Import, "School"));
    }

    [Fact]
    public async Task A_school_code_typed_as_a_number_that_lost_its_leading_zero_is_refused_asking_for_a_text_column()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var before = await SchoolCountAsync();

        var report = await client.ImportAsync(SchoolImport, XlsxWithNumericCode(135999131, "罗源县数字码小学"), "学校.xlsx", HttpStatusCode.UnprocessableEntity);

        var problem = Assert.Single(report.Problems);
        Assert.Equal((2, "学校标识码", "135999131"), (problem.Row, problem.Column, problem.Value));
        Assert.Contains("数字", problem.Reason);
        Assert.Contains("文本", problem.Reason);
        Assert.Equal(before, await SchoolCountAsync());
    }

    [Fact]
    public async Task A_school_code_typed_as_a_number_with_all_ten_digits_is_read_as_those_digits()
    {
        using var client = await app.ClientAsync(CountyAdmin);

        var report = await client.ImportAsync(SchoolImport, XlsxWithNumericCode(2135999132, "罗源县十位数字码小学"), "学校.xlsx", HttpStatusCode.OK);

        Assert.Equal(1, report.Created);
        Assert.Equal("罗源县十位数字码小学", (await StoredSchoolAsync("2135999132"))?.Name);
    }

    /// <summary>A workbook as Excel saves one when the code column was left in General format: the code cell is a number.</summary>
    private static byte[] XlsxWithNumericCode(long code, string name)
    {
        static Cell Text(string reference, string value) =>
            new() { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(value)) };

        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData(
                new Row(SchoolHeaders.Take(4).Select((h, i) => Text($"{(char)('A' + i)}1", h))) { RowIndex = 1 },
                new Row(
                    new Cell { CellReference = "A2", DataType = CellValues.Number, CellValue = new CellValue(code.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
                    Text("B2", name), Text("C2", "小学"), Text("D2", "凤山镇")) { RowIndex = 2 });
            sheetPart.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "学校" }));
        }
        return stream.ToArray();
    }

    [Fact]
    public async Task An_empty_file_is_refused_saying_it_is_empty()
    {
        using var client = await app.ClientAsync(CountyAdmin);

        var report = await client.ImportAsync(SchoolImport, [], "学校.xlsx", HttpStatusCode.UnprocessableEntity);

        Assert.Equal([new ImportProblemDto(0, "", "学校.xlsx", "文件是空的，请检查是否选错了文件。")], report.Problems);
    }

    [Fact]
    public async Task A_sheet_with_only_its_header_row_is_refused_for_having_no_data()
    {
        using var client = await app.ClientAsync(CountyAdmin);

        var report = await client.ImportAsync(SchoolImport, Xlsx(SchoolHeaders), "学校.xlsx", HttpStatusCode.UnprocessableEntity);

        Assert.Equal((0, 0, 0), (report.RowsRead, report.Created, report.Updated));
        Assert.Equal([new ImportProblemDto(2, "", "", "文件中没有数据行。")], report.Problems);
    }

    [Fact]
    public async Task A_sheet_missing_a_required_column_is_refused_naming_the_column()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        string[] headers = ["学校标识码", "学校名称", "所属乡镇"];

        var report = await client.ImportAsync(SchoolImport, Xlsx(headers, ["2135999141", "罗源县缺列小学", "凤山镇"]), "学校.xlsx", HttpStatusCode.UnprocessableEntity);

        Assert.Equal([new ImportProblemDto(1, "办学类型", "", "缺少必填列。")], report.Problems);
        Assert.Null(await StoredSchoolAsync("2135999141"));
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_and_nothing_in_it_is_imported()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var sheet = Encoding.UTF8.GetBytes(Csv(SchoolHeaders, ["2135999151", "罗源县超大文件小学", "小学", "凤山镇", null, null, null, null, null]));
        // Blank lines, which the reader skips: only the size makes this file wrong.
        var file = new byte[SchoolSheet.MaxBytes + 1];
        Array.Fill(file, (byte)'\n');
        sheet.CopyTo(file, 0);

        var report = await client.ImportAsync(SchoolImport, file, "学校.csv", HttpStatusCode.UnprocessableEntity);

        var problem = Assert.Single(report.Problems);
        Assert.Equal("文件过大，请拆分成多个文件后分别导入。", problem.Reason);
        Assert.Null(await StoredSchoolAsync("2135999151"));
    }

    [Fact]
    public async Task A_school_cannot_be_made_its_own_central_school_by_an_import()
    {
        using var client = await app.ClientAsync(CountyAdmin);

        var report = await client.ImportAsync(SchoolImport, Xlsx(SchoolHeaders,
            ["2135999161", "罗源县自指小学", "小学", "凤山镇", null, null, null, null, "2135999161"]),
            "学校.xlsx", HttpStatusCode.UnprocessableEntity);

        Assert.Equal([new ImportProblemDto(2, "中心校标识码", "2135999161", "找不到所属中心校。")], report.Problems);
        Assert.Null(await StoredSchoolAsync("2135999161"));
    }

    [Fact]
    public async Task Columns_left_out_of_a_school_sheet_keep_what_the_school_had()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        School village;
        await using (var db = app.Db())
        {
            village = await db.Schools.AsNoTracking().Include(s => s.Township)
                .Where(s => s.Code.StartsWith("21350123") && s.CentralSchoolId != null && s.VillageId != null).OrderBy(s => s.Code).FirstAsync();
        }
        string[] required = ["学校标识码", "学校名称", "办学类型", "所属乡镇"];

        var report = await client.ImportAsync(SchoolImport, Xlsx(required,
            [village.Code, village.Name + "（新名）", KindNames[village.Kind], village.Township!.Name]), "学校.xlsx", HttpStatusCode.OK);

        Assert.Equal(1, report.Updated);
        var stored = (await StoredSchoolAsync(village.Code))!;
        Assert.Equal(village.Name + "（新名）", stored.Name);
        Assert.Equal(
            (village.VillageId, village.Address, village.HeadName, village.Phone, village.CentralSchoolId),
            (stored.VillageId, stored.Address, stored.HeadName, stored.Phone, stored.CentralSchoolId));
    }

    // ---------- importing classes ----------

    [Fact]
    public async Task A_good_class_sheet_opens_classes_reading_grades_as_sheets_write_them()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var year = await CurrentYearAsync(client);
        School school;
        await using (var db = app.Db())
        {
            school = await db.Schools.AsNoTracking().Where(s => s.Kind == SchoolKind.NineYear).OrderBy(s => s.Code).FirstAsync();
        }
        var teacher = await (await client.PostJsonAsync("/api/v1/staff", new
        {
            name = "导入班主任甲", post = "班主任", placeKind = "School", placeId = school.Id,
        })).OkAsync<StaffDto>();

        var report = await client.ImportAsync(ClassImport, Xlsx(ClassHeaders,
            [school.Code, school.Name, year.Name, "三年级", "11", "导入班主任甲", "40"],
            [school.Code, school.Name, year.StartYear.ToString(System.Globalization.CultureInfo.InvariantCulture), "初一", "11", null, "50"],
            [school.Code, null, $"{year.StartYear}-{year.StartYear + 1}", "9", "12", null, null]),
            "班级.xlsx", HttpStatusCode.OK);

        Assert.Equal((true, 3, 3, 0), (report.Succeeded, report.RowsRead, report.Created, report.Updated));
        await using (var db = app.Db())
        {
            var opened = await db.Classes.AsNoTracking().Where(c => c.SchoolId == school.Id && c.SchoolYearId == year.Id && c.Number >= 11)
                .OrderBy(c => c.Grade).Select(c => new { c.Grade, c.Number, c.HeadTeacherId, c.Capacity }).ToListAsync();
            Assert.Equal(
                [new { Grade = 3, Number = 11, HeadTeacherId = (Guid?)teacher.Id, Capacity = (int?)40 }, new { Grade = 7, Number = 11, HeadTeacherId = (Guid?)null, Capacity = (int?)50 }, new { Grade = 9, Number = 12, HeadTeacherId = (Guid?)null, Capacity = (int?)null }],
                opened);
        }
        var page = await client.PageTextAsync($"/schools/{school.Id}");
        Assert.Contains("三年级（11）班 导入班主任甲 40", page);
        Assert.Contains("七年级（11）班", page);

        var again = await client.ImportAsync(ClassImport, Xlsx(ClassHeaders, [school.Code, null, year.Name, "七年级", "11", "导入班主任甲", "48"]), "班级.xlsx", HttpStatusCode.OK);
        Assert.Equal((0, 1), (again.Created, again.Updated));
        await using (var db = app.Db())
        {
            var changed = await db.Classes.AsNoTracking().SingleAsync(c => c.SchoolId == school.Id && c.SchoolYearId == year.Id && c.Grade == 7 && c.Number == 11);
            Assert.Equal((teacher.Id, 48), (changed.HeadTeacherId, changed.Capacity));
        }
    }

    [Fact]
    public async Task A_class_sheet_with_unknown_schools_or_unreadable_grades_is_refused_whole()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var year = await CurrentYearAsync(client);
        var primary = (await StoredSchoolAsync("2135012301"))!;
        int classes;
        await using (var db = app.Db())
        {
            classes = await db.Classes.CountAsync();
        }

        var report = await client.ImportAsync(ClassImport, Xlsx(ClassHeaders,
            [primary.Code, null, year.Name, "一年级", "21", null, null],
            ["2135999999", null, year.Name, "一年级", "1", null, null],
            [primary.Code, null, year.Name, "高三", "22", null, null],
            [primary.Code, null, year.Name, "初一", "23", null, null],
            [primary.Code, null, "2001—2002学年", "二年级", "24", null, null]),
            "班级.xlsx", HttpStatusCode.UnprocessableEntity);

        Assert.Equal(
            [
                new ImportProblemDto(3, "学校标识码", "2135999999", "找不到该学校标识码，或不在您的管辖范围内。"),
                new ImportProblemDto(4, "年级", "高三", "无法识别的年级（应为1至9，或“三年级”“初一”等）。"),
                new ImportProblemDto(5, "年级", "初一", "该学校不设7年级。"),
                new ImportProblemDto(6, "学年", "2001—2002学年", "找不到该学年，请先在“学年学期”中新增。"),
            ],
            report.Problems);
        await using (var db = app.Db())
        {
            Assert.Equal(classes, await db.Classes.CountAsync());
            Assert.False(await db.Classes.AnyAsync(c => c.SchoolId == primary.Id && c.Number == 21));
        }
    }

    // ---------- exports ----------

    [Fact]
    public async Task The_school_export_is_an_xlsx_with_Chinese_headers_and_every_school_with_its_code_as_text()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var exports = await AuditCountAsync(AuditAction.Export, "School");
        Dictionary<string, (string Name, SchoolKind Kind, string Township)> schools;
        await using (var db = app.Db())
        {
            schools = (await db.Schools.AsNoTracking().Select(s => new { s.Code, s.Name, s.Kind, Township = s.Township!.Name }).ToListAsync())
                .ToDictionary(s => s.Code, s => (s.Name, s.Kind, s.Township));
        }

        using var response = await client.GetAsync("/api/v1/schools/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("学校名册.xlsx", response.Content.Headers.ContentDisposition?.FileNameStar);
        var (headers, rows) = ReadSheet(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(SchoolHeaders, headers);
        Assert.Equal(schools.Keys.Order(StringComparer.Ordinal), rows.Select(r => r[0].Text));
        Assert.All(rows, r => Assert.False(r[0].WasNumeric, $"{r[0].Text} was written as a number"));
        Assert.InRange(rows.Count(r => r[0].Text.StartsWith("21350123", StringComparison.Ordinal)), 35, 50);
        Assert.All(rows, r => Assert.Equal((schools[r[0].Text].Name, KindNames[schools[r[0].Text].Kind], schools[r[0].Text].Township), (r[1].Text, r[2].Text, r[3].Text)));
        Assert.Contains(rows, r => r[0].Text == "2135012301" && r[1].Text == "罗源县实验小学");

        Assert.Equal(exports + 1, await AuditCountAsync(AuditAction.Export, "School"));
        await using (var db = app.Db())
        {
            var line = await db.AuditEntries.Where(a => a.Action == AuditAction.Export && a.EntityType == "School").OrderByDescending(a => a.Sequence).FirstAsync();
            Assert.Equal((CountyAdmin, $"{{\"rows\":{rows.Count}}}"), (line.UserName, line.After));
        }
    }

    [Fact]
    public async Task The_class_export_for_a_school_lists_that_schools_classes_this_year()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var year = await CurrentYearAsync(client);
        var school = (await StoredSchoolAsync("2135012303"))!;
        var exports = await AuditCountAsync(AuditAction.Export, "SchoolClass");
        List<(int Grade, int Number, string? Teacher, int? Capacity)> expected;
        await using (var db = app.Db())
        {
            expected = [.. (await db.Classes.AsNoTracking().Where(c => c.SchoolId == school.Id && c.SchoolYearId == year.Id)
                .Select(c => new { c.Grade, c.Number, Teacher = c.HeadTeacher!.Name, c.Capacity }).ToListAsync())
                .OrderBy(c => c.Grade).ThenBy(c => c.Number).Select(c => (c.Grade, c.Number, (string?)c.Teacher, c.Capacity))];
        }
        Assert.NotEmpty(expected);

        using var response = await client.GetAsync($"/api/v1/classes/export?schoolId={school.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var (headers, rows) = ReadSheet(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(ClassHeaders, headers);
        Assert.All(rows, r => Assert.Equal((school.Code, school.Name, year.Name), (r[0].Text, r[1].Text, r[2].Text)));
        string[] grades = ["", "一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级"];
        Assert.Equal(
            expected.Select(c => (grades[c.Grade], c.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Teacher ?? "", c.Capacity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "")),
            rows.Select(r => (r[3].Text, r[4].Text, r[5].Text, r[6].Text)));

        Assert.Equal(exports + 1, await AuditCountAsync(AuditAction.Export, "SchoolClass"));
        await using var audit = app.Db();
        var line = await audit.AuditEntries.Where(a => a.Action == AuditAction.Export && a.EntityType == "SchoolClass").OrderByDescending(a => a.Sequence).FirstAsync();
        Assert.Equal((school.Id.ToString(), $"{{\"rows\":{rows.Count}}}"), (line.EntityId, line.After));
    }

    [Fact]
    public async Task The_exported_class_sheet_imports_back_as_updates_only()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var school = (await StoredSchoolAsync("2135012304"))!;
        var exported = await (await client.GetAsync($"/api/v1/classes/export?schoolId={school.Id}")).Content.ReadAsByteArrayAsync();
        var rows = ReadSheet(exported).Rows.Count;

        var report = await client.ImportAsync(ClassImport, exported, "班级名册.xlsx", HttpStatusCode.OK);

        Assert.Equal((rows, 0, rows), (report.RowsRead, report.Created, report.Updated));
    }

    [Fact]
    public async Task Reimporting_a_closed_schools_exported_row_leaves_it_closed()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var fengshan = await DivisionAsync("凤山镇");
        var school = await (await client.PostJsonAsync("/api/v1/schools", new
        {
            code = "2135999171", name = "罗源县已停办小学", kind = "Primary", townshipId = fengshan.Id, isActive = false,
        })).OkAsync<SchoolDto>();
        Assert.False(school.IsActive);
        var (_, rows) = ReadSheet(await (await client.GetAsync("/api/v1/schools/export")).Content.ReadAsByteArrayAsync());
        var row = rows.Single(r => r[0].Text == "2135999171");

        var report = await client.ImportAsync(SchoolImport, Xlsx(SchoolHeaders, row.Select(c => (string?)c.Text).ToArray()), "学校名册.xlsx", HttpStatusCode.OK);

        Assert.Equal(1, report.Updated);
        Assert.False((await StoredSchoolAsync("2135999171"))!.IsActive, "the import reopened a closed school");
    }
}

public sealed class SheetTests_Sqlite(SqliteApp app) : SheetTests<SqliteApp>(app);

public sealed class SheetTests_Postgres(PostgresApp app) : SheetTests<PostgresApp>(app);
