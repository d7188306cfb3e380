using System.Net;
using System.Text;
using Baoxue.Domain;
using Baoxue.Infrastructure.Security;
using Baoxue.Infrastructure.Spreadsheets;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Baoxue.Features.Organisation.OrganisationApi;
using static Baoxue.Tests.Features.Organisation.OrganisationKit;
using static Baoxue.Tests.Features.Registry.Import.RegistryImportKit;

namespace Baoxue.Tests.Features.Registry.Import;

/// <summary>
/// The import's pipeline (issue 8): batches are written while the next ones are read, and look-ups ask the database
/// only about rows that may match. Files here span several batches, so a problem found late must still leave nothing
/// behind, and duplicates across batches must still be found. Every file here is refused, so the shared database is untouched.
/// </summary>
public abstract class RegistryImportPipelineTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    // Children born from July 2016 on: no other import test uses these IDs.
    private static readonly DateOnly Birth = new(2016, 7, 1);
    private const string Digits = "一二三四五六七八九十";

    static RegistryImportPipelineTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static string?[][] Rows(int count) =>
        [.. Enumerable.Range(0, count).Select(i => Row("林" + Digits[i % 10] + Digits[i / 10 % 10], Id(Birth.AddDays(i / 400), i % 400, i % 2 == 0 ? Gender.Male : Gender.Female)))];

    private async Task<(int Students, int Guardians, int Tags, int Imports)> CountsAsync()
    {
        await using var db = app.Db();
        return (await db.Students.IgnoreQueryFilters().CountAsync(), await db.Guardians.IgnoreQueryFilters().CountAsync(), await db.GroupTags.IgnoreQueryFilters().CountAsync(),
            await db.AuditEntries.CountAsync(a => a.Action == AuditAction.Import && a.EntityType == nameof(Student)));
    }

    private static (int Row, string Column)[] Places(ImportResultDto report) => [.. report.Problems.Select(p => (p.Row, p.Column)).Order()];

    [Fact]
    public async Task A_bad_row_at_the_very_end_of_a_large_file_changes_nothing()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var rows = Rows(5000);
        rows[^1] = Row("林末", rows[^1][3]!, cls: "99");
        var before = await CountsAsync();

        var report = await client.ImportAsync(Url, new UTF8Encoding(true).GetBytes(Csv(Headers, rows)), "学生.csv", HttpStatusCode.UnprocessableEntity);

        Assert.Equal((false, 0, 0, 5000), (report.Succeeded, report.Created, report.Updated, report.RowsRead));
        Assert.Equal([(5001, "班号")], Places(report));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_duplicate_ID_batches_apart_names_both_rows_and_nothing_is_stored()
    {
        using var client = await app.ClientAsync(CountyAdmin);
        var rows = Rows(4500);
        rows[4400] = Row("林重", rows[10][3]!);
        var before = await CountsAsync();

        var report = await client.ImportAsync(Url, XlsxWriter.Build("学生", Headers, rows), "学生.xlsx", HttpStatusCode.UnprocessableEntity);

        Assert.Equal([(12, "身份证件号"), (4402, "身份证件号")], Places(report));
        Assert.All(report.Problems, p => Assert.Equal(IdNumber.Mask(rows[10][3]!), p.Value));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task An_ID_registered_at_another_school_found_in_a_late_batch_rolls_back_the_batches_already_written()
    {
        // A child registered at another school: importing it into the test school would be a transfer.
        using var client = await app.ClientAsync(CountyAdmin);
        var registered = Id(new DateOnly(2016, 2, 1), 7, Gender.Female);
        await client.ImportAsync(Url, XlsxWriter.Build("学生", Headers, [Row("林在籍", registered, school: OtherSchool, cls: "1")]), "学生.xlsx", HttpStatusCode.OK);
        var rows = Rows(4500);
        rows[4300] = Row("林转", registered);
        var before = await CountsAsync();

        var report = await client.ImportAsync(Url, XlsxWriter.Build("学生", Headers, rows), "学生.xlsx", HttpStatusCode.UnprocessableEntity);

        Assert.Equal((false, 0, 0), (report.Succeeded, report.Created, report.Updated));
        var problem = Assert.Single(report.Problems);
        Assert.Equal((4302, "学校标识码", "转到其他学校须办理转学，不能直接修改班级。"), (problem.Row, problem.Column, problem.Reason));
        Assert.Equal(before, await CountsAsync());
    }
}

public sealed class RegistryImportPipelineTests_Sqlite(SqliteApp app) : RegistryImportPipelineTests<SqliteApp>(app);

public sealed class RegistryImportPipelineTests_Postgres(PostgresApp app) : RegistryImportPipelineTests<PostgresApp>(app);
