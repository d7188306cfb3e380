using System.Net;
using System.Text;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Features.Registry;
using Baoxue.Infrastructure.Security;
using Baoxue.Infrastructure.Spreadsheets;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Baoxue.Features.Organisation.OrganisationApi;
using static Baoxue.Tests.Features.Organisation.OrganisationKit;
using static Baoxue.Tests.Features.Registry.Import.RegistryImportKit;

namespace Baoxue.Tests.Features.Registry.Import;

/// <summary>
/// REG-5 / SYS-3 / SYS-4: the registry's student sheet in, all or nothing, IDs encrypted at rest and shown masked.
/// Each test uses its own ID sequence numbers (see <see cref="RegistryImportKit.Id"/>) so they share the fixture's database.
/// </summary>
public abstract class RegistryImportTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private static readonly DateOnly Birth = new(2016, 3, 1);

    static RegistryImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private async Task<(int Students, int Guardians, int Tags, int Imports)> CountsAsync()
    {
        await using var db = app.Db();
        return (await db.Students.CountAsync(), await db.Guardians.CountAsync(), await db.GroupTags.CountAsync(),
            await db.AuditEntries.CountAsync(a => a.Action == AuditAction.Import && a.EntityType == nameof(Student)));
    }

    private async Task<Student> StoredAsync(string id)
    {
        var hash = app.Services.GetRequiredService<PersonalData>().Hash(id);
        await using var db = app.Db();
        return await db.Students.AsNoTracking().Include(s => s.Guardians).Include(s => s.Tags).Include(s => s.Class).SingleAsync(s => s.IdNumberHash == hash);
    }

    private static (int Row, string Column, string Reason)[] Reasons(ImportResultDto report) =>
        [.. report.Problems.Select(p => (p.Row, p.Column, p.Reason))];

    [Fact]
    public async Task A_good_sheet_imports_every_student_searchable_by_full_ID_masked_on_screen_and_encrypted_at_rest()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var before = await CountsAsync();
        var boy = Id(Birth, 1, Gender.Male);
        var girl = Id(Birth.AddDays(1), 2, Gender.Female);
        var rare = Id(Birth.AddDays(2), 3, Gender.Male);
        var legacy15 = "350123" + "080808" + "123"; // 1908-08-08, a legacy 15-digit number, upgraded on the way in
        var legacy18 = IdNumber.Parse(legacy15).Normalized!;
        var minority = "阿依古丽" + ChineseNames.MiddleDot + "买买提";

        var report = await client.ImportAsync(Url, XlsxWriter.Build("学生", Headers,
            [
                Row("陈子轩", boy, birth: "2016-03-01", gender: "男", groups: "留守儿童,建档立卡"),
                Row(minority, girl, gender: "女", ethnicity: "维吾尔族", registry: "G" + girl, groups: "随迁子女"),
                Row(ChineseNames.RareCharacterExample, rare, ethnicity: "畲", household: "福建省罗源县霍口畲族乡福湖村", guardian: null),
                Row("郑老", legacy15, grade: "3", cls: "3"),
            ]), "学生.xlsx", HttpStatusCode.OK);

        Assert.Equal((true, 4, 4, 0), (report.Succeeded, report.RowsRead, report.Created, report.Updated));
        var after = await CountsAsync();
        Assert.Equal((before.Students + 4, before.Guardians + 3, before.Tags + 3, before.Imports + 1), after);

        var found = (await client.GetOkAsync<Baoxue.Infrastructure.Paging.PagedResult<Baoxue.Features.Registry.StudentQueries.StudentRow>>($"/api/v1/students?q={boy}")).Items;
        var row = Assert.Single(found);
        Assert.Equal(("陈子轩", IdNumber.Mask(boy), "G" + IdNumber.Mask(boy), Gender.Male, Birth), (row.Name, row.IdNumberMasked, row.RegistryNumber, row.Gender, row.BirthDate));
        Assert.DoesNotContain(boy, await (await client.GetAsync($"/api/v1/students/{row.Id}")).Content.ReadAsStringAsync());

        var personal = app.Services.GetRequiredService<PersonalData>();
        foreach (var id in new[] { boy, girl, rare, legacy18 })
        {
            var s = await StoredAsync(id);
            Assert.All(new[] { s.RegistryNumber, s.IdNumberCipher!, s.IdNumberHash!, s.IdNumberMasked! }, column => Assert.DoesNotContain(id[6..14], column));
            Assert.Equal(id, personal.Decrypt(s.IdNumberCipher!));
            Assert.Equal(IdNumber.Mask(id), s.IdNumberMasked);
        }
        var first = await StoredAsync(boy);
        Assert.Equal((3, 2, "350123", HouseholdType.Agricultural, new DateOnly(2023, 9, 1)), (first.Grade, first.Class!.Number, first.HouseholdRegionCode, first.HouseholdType, first.EnrolledOn));
        Assert.Equal(("王秀英", GuardianRelation.Mother, "13800138000", false), (first.Guardians[0].Name, first.Guardians[0].Relation, first.Guardians[0].Phone, first.Guardians[0].WorksAway));
        Assert.Equal([GroupKind.PovertyRegistered, GroupKind.LeftBehind], first.Tags.Select(t => t.Kind).Order());
        Assert.Equal((minority, "05", Gender.Female), ((await StoredAsync(girl)).Name, (await StoredAsync(girl)).Ethnicity, (await StoredAsync(girl)).Gender));
        var rareStudent = await StoredAsync(rare);
        Assert.Equal((ChineseNames.RareCharacterExample, "22", "福建省罗源县霍口畲族乡福湖村", 0), (rareStudent.Name, rareStudent.Ethnicity, rareStudent.HouseholdAddress, rareStudent.Guardians.Count));
        var upgraded = await StoredAsync(legacy18);
        Assert.Equal(("郑老", new DateOnly(1908, 8, 8), 3), (upgraded.Name, upgraded.BirthDate, upgraded.Class!.Number));
        Assert.Single((await client.GetOkAsync<Baoxue.Infrastructure.Paging.PagedResult<Baoxue.Features.Registry.StudentQueries.StudentRow>>($"/api/v1/students?q={legacy18}")).Items);

        await using var db = app.Db();
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.Action == AuditAction.Import && a.EntityType == nameof(Student)).OrderByDescending(a => a.Sequence).FirstAsync();
        Assert.Contains("\"rows\":4", audit.After);
        Assert.Contains("\"sha256\":\"", audit.After);
        Assert.DoesNotContain(boy, audit.After);
    }

    [Fact]
    public async Task Importing_the_school_list_again_updates_the_same_records_instead_of_duplicating_them()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var id = Id(Birth, 11, Gender.Female);
        await client.ImportAsync(Url, XlsxWriter.Build("学生", Headers, [Row("林雨桐", id, groups: "留守儿童")]), "学生.xlsx", HttpStatusCode.OK);
        var stored = await StoredAsync(id);
        var before = await CountsAsync();

        var again = await client.ImportAsync(Url, XlsxWriter.Build("学生", Headers, [Row("林雨桐", id, cls: "5", groups: "留守儿童,困境儿童", guardian: "林建国")]), "学生.xlsx", HttpStatusCode.OK);

        Assert.Equal((1, 0, 1), (again.RowsRead, again.Created, again.Updated));
        var updated = await StoredAsync(id);
        Assert.Equal((stored.Id, 5, "林建国"), (updated.Id, updated.Class!.Number, Assert.Single(updated.Guardians).Name));
        Assert.Equal([GroupKind.LeftBehind, GroupKind.InDifficulty], updated.Tags.Select(t => t.Kind).Order());
        Assert.Equal(stored.Tags.Single().Id, updated.Tags.Single(t => t.Kind == GroupKind.LeftBehind).Id);
        Assert.Equal((before.Students, before.Guardians, before.Tags + 1, before.Imports + 1), await CountsAsync());
    }

    [Fact]
    public async Task The_same_sheet_saved_as_CSV_imports_in_UTF8_and_in_GBK()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var utf8Id = Id(Birth, 21, Gender.Male);
        var gbkId = Id(Birth, 22, Gender.Female);
        var minority = "热依拉" + ChineseNames.MiddleDot + "艾力";

        var utf8 = await client.ImportAsync(Url, new UTF8Encoding(false).GetBytes(Csv(Headers, Row("黄梓涵", utf8Id, household: null))), "学生.csv", HttpStatusCode.OK);
        var gbk = await client.ImportAsync(Url, Encoding.GetEncoding(936).GetBytes(Csv(Headers, Row(minority, gbkId, ethnicity: "维吾尔族", groups: "留守儿童、随迁子女"))), "学生.csv", HttpStatusCode.OK);

        Assert.All(new[] { utf8, gbk }, r => Assert.Equal((true, 1, 1), (r.Succeeded, r.RowsRead, r.Created)));
        Assert.Equal("黄梓涵", (await StoredAsync(utf8Id)).Name);
        var fromGbk = await StoredAsync(gbkId);
        Assert.Equal((minority, "王秀英", 2), (fromGbk.Name, fromGbk.Guardians.Single().Name, fromGbk.Tags.Count));
    }

    [Fact]
    public async Task A_sheet_with_bad_rows_is_refused_whole_listing_every_problem_by_row_and_nothing_changes()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var good = Id(Birth, 31, Gender.Male);
        var badCheck = Id(Birth, 32, Gender.Male);
        badCheck = badCheck[..17] + (badCheck[17] == '1' ? '2' : '1');
        var mismatch = Id(Birth.AddDays(2), 33, Gender.Female);
        var before = await CountsAsync();

        static object?[] Cells(string?[] row) => [.. row.Cast<object?>()];
        var numeric = Cells(Row("郑浩宇", "x"));
        numeric[3] = 350123201603010731L;
        var report = await client.ImportAsync(Url, XlsxWithNumbers(Headers,
            Cells(Row("陈一", good)),
            Cells(Row("陈二", badCheck)),
            Cells(Row("陈三", mismatch, birth: "2016-03-01")),
            numeric,
            Cells(Row("陈一", good)),
            Cells(Row("陈五", Id(Birth, 35, Gender.Male), school: "2135999999")),
            Cells(Row("陈六", Id(Birth, 36, Gender.Male), cls: "99"))),
            "学生.xlsx", HttpStatusCode.UnprocessableEntity);

        Assert.Equal((false, 0, 0), (report.Succeeded, report.Created, report.Updated));
        Assert.Equal(
            [
                (2, "身份证件号", "与文件第 6 行重复。"),
                (3, "身份证件号", "身份证号校验位错误，请核对每一位。"),
                (4, "出生日期", "出生日期与身份证号不一致（身份证号为 2016-03-03）。"),
                (5, "身份证件号", "身份证号被存成了数字，末几位已丢失（科学计数法）。请将该列设为“文本”格式，重新录入后再导入。"),
                (6, "身份证件号", "与文件第 2 行重复。"),
                (7, "学校标识码", "找不到该学校标识码，或不在您的管辖范围内。"),
                (8, "班号", "本学年该校没有这个班级，请先在“班级”中建立。"),
            ],
            Reasons(report));
        Assert.Equal(IdNumber.Mask(good), report.Problems[0].Value);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task IDs_already_registered_elsewhere_and_schools_outside_the_jurisdiction_are_refused()
    {
        using var county = await app.ClientAsync(CountyAdmin);
        var id = Id(Birth, 41, Gender.Male);
        await county.ImportAsync(Url, XlsxWriter.Build("学生", Headers, [Row("吴俊杰", id)]), "学生.xlsx", HttpStatusCode.OK);
        var before = await CountsAsync();

        // The same child at another school of the county: that is a transfer, not an import.
        var moved = await county.ImportAsync(Url, XlsxWriter.Build("学生", Headers, [Row("吴俊杰", id, school: OtherSchool, cls: "1")]), "学生.xlsx", HttpStatusCode.UnprocessableEntity);
        Assert.Equal([(2, "学校标识码", "转到其他学校须办理转学，不能直接修改班级。")], Reasons(moved));

        // A school registrar: the child is registered outside their school, and the neighbouring school is not theirs.
        using var registrar = await app.ClientAsync("school.admin");
        var refused = await registrar.ImportAsync(Url, XlsxWriter.Build("学生", Headers,
            [Row("吴俊杰", id, school: AdminsSchool, cls: "1"), Row("吴俊豪", Id(Birth, 42, Gender.Male), school: TestSchool)]), "学生.xlsx", HttpStatusCode.UnprocessableEntity);
        Assert.Equal(
            [
                (2, "身份证件号", "该身份证号已在其他学校或地区建籍，不能重复建籍；如已转学请办理转学手续。"),
                (3, "学校标识码", "找不到该学校标识码，或不在您的管辖范围内。"),
            ],
            Reasons(refused));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Empty_files_and_files_over_the_configured_size_are_refused()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var before = await CountsAsync();

        var empty = await client.ImportAsync(Url, [], "学生.xlsx", HttpStatusCode.UnprocessableEntity);
        Assert.Equal([new ImportProblemDto(0, "", "学生.xlsx", "文件是空的，请检查是否选错了文件。")], empty.Problems);

        var headerOnly = await client.ImportAsync(Url, XlsxWriter.Build("学生", Headers, []), "学生.xlsx", HttpStatusCode.UnprocessableEntity);
        Assert.Equal([(2, "", "文件中没有数据行。")], Reasons(headerOnly));

        var options = app.Services.GetRequiredService<IOptions<RegistryOptions>>().Value;
        var limit = options.MaxImportMegabytes;
        options.MaxImportMegabytes = 1;
        try
        {
            var rows = Enumerable.Range(0, 12_000).Select(i => Row("陈" + ChineseNames.MiddleDot + i, Id(Birth, 50, Gender.Male))).ToArray();
            var big = new UTF8Encoding(false).GetBytes(Csv(Headers, rows));
            Assert.True(big.Length > 1024 * 1024);
            var tooLarge = await client.ImportAsync(Url, big, "学生.csv", HttpStatusCode.UnprocessableEntity);
            Assert.Equal([new ImportProblemDto(0, "", "学生.csv", "文件过大，请拆分成多个文件后分别导入。")], tooLarge.Problems);
        }
        finally
        {
            options.MaxImportMegabytes = limit;
        }
        Assert.Equal(before, await CountsAsync());
    }
}

public sealed class RegistryImportTests_Sqlite(SqliteApp app) : RegistryImportTests<SqliteApp>(app);

public sealed class RegistryImportTests_Postgres(PostgresApp app) : RegistryImportTests<PostgresApp>(app);
