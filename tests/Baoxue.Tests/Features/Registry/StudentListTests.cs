using System.Net;
using Baoxue.Domain;
using Baoxue.Features.Registry;
using Baoxue.Infrastructure.Paging;
using Baoxue.Tests.Features.Organisation;
using Baoxue.Tests.Support;
using ExcelDataReader;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Tests.Features.Registry;

/// <summary>
/// The student list (学籍) through the API and the page: pinyin order, every filter optional and kept, the paged
/// envelope, seek paging that visits every row once, the export with and without filters. The fixture's registry
/// holds only the students made here (Demo:Students = 0), in the county admin's county.
/// </summary>
public abstract class StudentListTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private const string CountyAdmin = "county.admin";
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly Dictionary<string, Seeded> SeededBy = [];

    /// <summary>What the fixture made: two classes of one school, one class of a school in another township.</summary>
    private sealed record Seeded(Guid Township, Guid School, Guid ClassA, Guid ClassB, Guid OtherTownship, Guid OtherSchool, Guid OtherClass, int Total);

    // Surnames chosen so that code-point order and pinyin order differ, with the polyphonic ones among them.
    private static readonly string[] Names =
    [
        "上官婉儿", "刘洋", "卢杰", "叶青", "安然", "曾国强", "单田芳", "解晓东", "仇英", "区志明", "查文", "朴志勇", "夏雨", "秦岚", "张伟",
    ];

    private async Task<Seeded> SeedAsync()
    {
        await Once.WaitAsync();
        try
        {
            var key = app.Provider + app.GetHashCode();
            if (SeededBy.TryGetValue(key, out var done))
            {
                return done;
            }
            await using var db = app.Db();
            var schools = await db.Schools.Where(s => db.Classes.Any(c => c.SchoolId == s.Id)).OrderBy(s => s.Code).ToListAsync();
            var first = schools[0];
            var other = schools.First(s => s.TownshipId != first.TownshipId);
            var classes = await db.Classes.Where(c => c.SchoolId == first.Id).OrderBy(c => c.Grade).ThenBy(c => c.Number).Take(2).ToListAsync();
            var otherClass = await db.Classes.Where(c => c.SchoolId == other.Id).OrderBy(c => c.Grade).FirstAsync();
            SchoolClass[] targets = [classes[0], classes[1], otherClass];
            var n = 0;
            var statuses = new[] { StudentStatus.InSchool, StudentStatus.InSchool, StudentStatus.Suspended };
            // 3 rounds of the names in each class: 135 students, ties in name broken by id.
            for (var round = 0; round < 3; round++)
            {
                foreach (var cls in targets)
                {
                    foreach (var name in Names)
                    {
                        n++;
                        var student = new Student
                        {
                            RegistryNumber = $"L{n:000000000}T",
                            Name = name,
                            Gender = n % 2 == 0 ? Gender.Female : Gender.Male,
                            BirthDate = new DateOnly(2015, 1, 1).AddDays(n),
                            Ethnicity = "01",
                            SchoolId = cls.SchoolId,
                            ClassId = cls.Id,
                            Grade = cls.Grade,
                            Status = statuses[n % 3],
                            Path = cls.Path,
                        };
                        if (n % 5 == 0)
                        {
                            student.Tags.Add(new GroupTag { StudentId = student.Id, Kind = GroupKind.LeftBehind, StartedOn = new DateOnly(2025, 9, 1) });
                        }
                        db.Students.Add(student);
                    }
                }
            }
            await db.SaveChangesAsync();
            return SeededBy[key] = new Seeded(first.TownshipId, first.Id, classes[0].Id, classes[1].Id, other.TownshipId, other.Id, otherClass.Id, n);
        }
        finally
        {
            Once.Release();
        }
    }

    private async Task<PagedResult<StudentQueries.StudentRow>> ListAsync(HttpClient client, string query) =>
        await client.GetOkAsync<PagedResult<StudentQueries.StudentRow>>("/api/v1/students?" + query);

    /// <summary>Every row of a list, following <c>next</c> from the first page.</summary>
    private static async Task<List<StudentQueries.StudentRow>> WalkAsync(HttpClient client, string query)
    {
        var all = new List<StudentQueries.StudentRow>();
        var url = "/api/v1/students?" + query;
        for (var pages = 0; url is not null; pages++)
        {
            Assert.True(pages < 200, "next never ends");
            var page = await client.GetOkAsync<PagedResult<StudentQueries.StudentRow>>(url);
            all.AddRange(page.Items);
            url = page.Next;
        }
        return all;
    }

    [Fact]
    public async Task The_list_sorts_by_pinyin_with_surnames_read_as_surnames()
    {
        var seeded = await SeedAsync();
        using var client = await app.ClientAsync(CountyAdmin);

        var page = await ListAsync(client, $"class={seeded.ClassA}&sort=name&pageSize=200");

        var distinct = page.Items.Select(r => r.Name).Distinct().ToList();
        Assert.Equal(["安然", "刘洋", "卢杰", "区志明", "朴志勇", "秦岚", "仇英", "单田芳", "上官婉儿", "夏雨", "解晓东", "叶青", "曾国强", "查文", "张伟"], distinct);
    }

    [Fact]
    public async Task Every_filter_is_optional_and_an_empty_value_means_not_chosen()
    {
        var seeded = await SeedAsync();
        using var client = await app.ClientAsync(CountyAdmin);

        // What the page's form and export link send when nothing is chosen (issue 7.1: this answered 400).
        var none = await ListAsync(client, "q=&township=&school=&class=&grade=&status=&group=&sort=&page=&pageSize=");
        Assert.Equal(seeded.Total, none.Total);
        Assert.False(none.TotalIsEstimate);

        Assert.Equal(90, (await ListAsync(client, $"township={seeded.Township}")).Total);
        Assert.Equal(45, (await ListAsync(client, $"township={seeded.OtherTownship}")).Total);
        Assert.Equal(90, (await ListAsync(client, $"school={seeded.School}")).Total);
        Assert.Equal(45, (await ListAsync(client, $"school={seeded.School}&class={seeded.ClassB}")).Total);
        // Filters keep each other: a class of another township's school lists nobody.
        Assert.Equal(0, (await ListAsync(client, $"township={seeded.Township}&class={seeded.OtherClass}")).Total);
        Assert.Equal(seeded.Total / 3, (await ListAsync(client, "status=Suspended")).Total);
        Assert.Equal(seeded.Total / 5, (await ListAsync(client, "group=LeftBehind")).Total);
        var all = await ListAsync(client, $"township={seeded.Township}&school={seeded.School}&class={seeded.ClassA}&status=InSchool&group=LeftBehind&pageSize=200");
        Assert.NotEmpty(all.Items);
        Assert.All(all.Items, r => Assert.Equal((seeded.ClassA, StudentStatus.InSchool), (r.ClassId!.Value, r.Status)));
        var byName = await ListAsync(client, "q=曾国");
        Assert.Equal(9, byName.Total);
        Assert.All(byName.Items, r => Assert.Equal("曾国强", r.Name));
        Assert.Equal(9, (await ListAsync(client, "q=解晓东")).Total);
        Assert.Equal(0, (await ListAsync(client, "q=晓东")).Total); // from the start of the name, not inside it
    }

    [Theory]
    [InlineData("status=Studying", "status", "学籍状态")]
    [InlineData("school=not-a-school", "school", "学校")]
    [InlineData("grade=12", "grade", "年级")]
    [InlineData("pageSize=500", "pageSize", "每页条数")]
    [InlineData("page=0", "page", "页码")]
    [InlineData("after=garbage", "after", "翻页位置")]
    public async Task A_value_that_is_not_understood_is_refused_with_the_field_named_in_Chinese(string query, string field, string words)
    {
        await SeedAsync();
        using var client = await app.ClientAsync(CountyAdmin);

        var errors = await (await client.GetAsync("/api/v1/students?" + query)).RefusedAsync();

        Assert.Contains(words, Assert.Single(errors[field]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sort=name")]
    [InlineData("sort=grade")]
    [InlineData("sort=status")]
    [InlineData("sort=school&status=InSchool")]
    public async Task Following_next_visits_every_row_once_in_the_order_of_one_big_page(string query)
    {
        var seeded = await SeedAsync();
        using var client = await app.ClientAsync(CountyAdmin);

        var whole = await ListAsync(client, query + "&pageSize=200");
        var first = await ListAsync(client, query + "&pageSize=7");
        var walked = await WalkAsync(client, query + "&pageSize=7");

        Assert.Equal((1, 7, 7, whole.Total), (first.Page, first.PageSize, first.Items.Count, first.Total));
        Assert.Contains("after=", first.Next, StringComparison.Ordinal);
        Assert.Equal(whole.Items.Select(r => r.Id), walked.Select(r => r.Id));
        Assert.True(whole.Total <= seeded.Total);
        // A page by number (offset) agrees with the seek pages.
        var third = await ListAsync(client, query + "&pageSize=7&page=3");
        Assert.Equal(walked.Skip(14).Take(7).Select(r => r.Id), third.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task The_export_takes_no_filter_or_every_filter_and_lists_the_same_rows()
    {
        var seeded = await SeedAsync();
        using var client = await app.ClientAsync(CountyAdmin);

        var everything = await SheetAsync(client, "/api/v1/students/export?q=&township=&school=&class=&grade=&status=&group=");
        Assert.Equal("学籍号", everything[0][0]);
        Assert.Equal(["学籍号", "姓名", "性别", "出生日期", "民族", "身份证号", "学校", "班级", "学籍状态"], everything[0]);
        Assert.Equal(seeded.Total, everything.Count - 1);

        var query = $"township={seeded.Township}&school={seeded.School}&class={seeded.ClassA}&status=InSchool&group=LeftBehind&sort=name";
        var filtered = await SheetAsync(client, "/api/v1/students/export?" + query);
        var listed = await ListAsync(client, query + "&pageSize=200");
        Assert.Equal(listed.Items.Select(r => r.RegistryNumber), filtered.Skip(1).Select(r => r[0]));
        Assert.All(filtered.Skip(1), r => Assert.Equal("在读", r[8]));
    }

    [Fact]
    public async Task The_page_shows_the_class_filter_from_the_class_link_and_keeps_it_in_every_link()
    {
        var seeded = await SeedAsync();
        using var client = await app.ClientAsync(CountyAdmin);

        var (status, html) = await Pages.GetAsync(client, $"/students?school={seeded.School}&class={seeded.ClassA}&pageSize=10");

        Assert.Equal(HttpStatusCode.OK, status);

        Assert.Contains("共 45 名学生", html, StringComparison.Ordinal);
        Assert.Contains("第 1 / 5 页", html, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{seeded.ClassA}\" selected", html, StringComparison.Ordinal);
        Assert.Contains($"/api/v1/students/export?school={seeded.School}&amp;class={seeded.ClassA}", html, StringComparison.Ordinal);
        Assert.Contains($"/students?school={seeded.School}&amp;class={seeded.ClassA}&amp;page=2&amp;pageSize=10&amp;after=", html, StringComparison.Ordinal);
        Assert.Contains($"/students?school={seeded.School}&amp;class={seeded.ClassA}&amp;sort=name", html, StringComparison.Ordinal);
    }

    private static async Task<List<List<string>>> SheetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ReadSheet(await response.Content.ReadAsByteArrayAsync());
    }

    internal static List<List<string>> ReadSheet(byte[] xlsx)
    {
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(new MemoryStream(xlsx));
        var rows = new List<List<string>>();
        while (reader.Read())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i)?.ToString() ?? "")]);
        }
        // The title line names the jurisdiction and the as-of date; the rows below it are the header and the list.
        Assert.Matches(@"学生名单（截至\d{4}年\d{1,2}月\d{1,2}日）$", rows[0][0]);
        Assert.All(rows[0].Skip(1), cell => Assert.Equal("", cell));
        return rows[1..];
    }
}

public sealed class StudentListTests_Sqlite(SqliteApp app) : StudentListTests<SqliteApp>(app);

public sealed class StudentListTests_Postgres(PostgresApp app) : StudentListTests<PostgresApp>(app);
