using System.IO.Compression;
using System.Net;
using System.Text;
using Baoxue.Domain;
using Baoxue.Features.Registry;
using Baoxue.Infrastructure.Security;
using Baoxue.Tests.Features.Organisation;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Baoxue.Tests.Features.Registry;

/// <summary>
/// A student's registry record over the API and the pages: the ID checked against the child, stored only encrypted,
/// hashed for finding, shown masked unless a user who may reveal it asks (and that is logged), and the same for
/// guardians' phones. Records made here use IDs no demo student has (checked by hash before use).
/// </summary>
public abstract partial class StudentRecordTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private const string SchoolAdmin = "school.admin";
    private const string HeadTeacher = "head.teacher";
    private const string CountyAdmin = "county.admin";
    private static int _next;

    private PersonalData Personal => app.Services.GetRequiredService<PersonalData>();

    /// <summary>An 18-character 罗源 ID for a child born in 2016 that no record holds yet.</summary>
    private async Task<string> FreshIdAsync(Gender gender, DateOnly? birth = null)
    {
        await using var db = app.Db();
        while (true)
        {
            var n = Interlocked.Increment(ref _next);
            var born = birth ?? new DateOnly(2016, 1, 1).AddDays(n * 7 % 360);
            var sequence = 100 + n * 2 % 800 + (gender == Gender.Male ? 1 : 0);
            var first17 = $"350123{born:yyyyMMdd}{sequence:000}";
            var id = first17 + IdNumber.ComputeCheckCharacter(first17);
            var hash = Personal.Hash(id);
            if (!await db.Students.IgnoreQueryFilters().AnyAsync(s => s.IdNumberHash == hash))
            {
                return id;
            }
        }
    }

    private static DateOnly BirthOf(string id) => DateOnly.ParseExact(id.Substring(6, 8), "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>school.admin's school (罗源县凤山中心小学): a grade-4 class, so the head teacher of grade 3 does not see it.</summary>
    private async Task<(Guid School, Guid Class, Guid HeadClass)> PlacesAsync()
    {
        await using var db = app.Db();
        var admin = await db.Users.SingleAsync(u => u.UserName == SchoolAdmin);
        var head = await db.Users.SingleAsync(u => u.UserName == HeadTeacher);
        var grade4 = await db.Classes.Where(c => c.SchoolId == admin.PlaceId && c.Grade == 4).OrderBy(c => c.Number).FirstAsync();
        return (admin.PlaceId, grade4.Id, head.PlaceId);
    }

    private static object Body(string? idNumber, string name, Gender? gender, DateOnly? birth, Guid classId, object[]? guardians = null, object[]? tags = null, string? registryNumber = null) => new
    {
        idNumber,
        registryNumber,
        name,
        gender,
        birthDate = birth,
        ethnicity = "汉族",
        householdRegionCode = "350123",
        householdAddress = "福建省福州市罗源县凤山镇测试村8号",
        householdType = HouseholdType.Resident,
        residence = "福建省福州市罗源县凤山镇测试路8号",
        classId,
        enrolledOn = new DateOnly(2022, 9, 1),
        guardians,
        tags,
    };

    private async Task<RegistryApi.StudentDto> CreateAsync(string name, Gender gender = Gender.Female, object[]? guardians = null, Guid? classId = null, string userName = SchoolAdmin)
    {
        var (_, cls, _) = await PlacesAsync();
        var id = await FreshIdAsync(gender);
        using var client = await app.ClientAsync(userName);
        return await (await client.PostJsonAsync("/api/v1/students", Body(id, name, gender, BirthOf(id), classId ?? cls, guardians))).OkAsync<RegistryApi.StudentDto>();
    }

    /// <summary>A grade-4 class of a school other than the registrar's.</summary>
    private async Task<Guid> OtherSchoolClassAsync(Guid ownSchool)
    {
        await using var db = app.Db();
        return await db.Classes.Where(c => c.SchoolId != ownSchool && c.Grade == 4 && c.SchoolYear!.IsCurrent).OrderBy(c => c.Path).Select(c => c.Id).FirstAsync();
    }

    private async Task<string> IdOfAsync(Guid studentId)
    {
        await using var db = app.Db();
        return Personal.Decrypt((await db.Students.SingleAsync(s => s.Id == studentId)).IdNumberCipher!);
    }

    [Fact]
    public async Task Posting_a_student_derives_the_G_number_from_the_ID_and_returns_it_masked()
    {
        var (school, cls, _) = await PlacesAsync();
        var id = await FreshIdAsync(Gender.Male);
        using var client = await app.ClientAsync(SchoolAdmin);

        var created = await (await client.PostJsonAsync("/api/v1/students", Body(id, "陈子轩", Gender.Male, BirthOf(id), cls))).OkAsync<RegistryApi.StudentDto>();

        var masked = "350123********" + id[^4..];
        Assert.Equal(("G" + masked, masked), (created.RegistryNumber, created.IdNumberMasked));
        Assert.Matches("^G350123\\*{8}[0-9]{3}[0-9X]$", created.RegistryNumber);
        Assert.Equal((school, cls, 4, StudentStatus.InSchool, BirthOf(id), "01"), (created.SchoolId, created.ClassId, created.Grade, created.Status, created.BirthDate, created.Ethnicity));
        Assert.Equal(id, await IdOfAsync(created.Id));
        var fetched = await client.GetOkAsync<RegistryApi.StudentDto>($"/api/v1/students/{created.Id}");
        Assert.Equal(("G" + masked, masked), (fetched.RegistryNumber, fetched.IdNumberMasked));
    }

    [Fact]
    public async Task A_wrong_ID_is_refused_field_by_field_in_Chinese()
    {
        var (_, cls, _) = await PlacesAsync();
        var id = await FreshIdAsync(Gender.Female);
        var birth = BirthOf(id);
        var badCheck = id[..17] + (id[17] == '0' ? "1" : "0");
        using var client = await app.ClientAsync(SchoolAdmin);

        await (await client.PostJsonAsync("/api/v1/students", Body(badCheck, "林雨桐", Gender.Female, birth, cls)))
            .AssertRefusedAsync("IdNumber", "身份证号校验位错误，请核对每一位。");
        await (await client.PostJsonAsync("/api/v1/students", Body(id, "林雨桐", Gender.Female, birth.AddDays(1), cls)))
            .AssertRefusedAsync("BirthDate", $"出生日期与身份证号不一致（身份证号为 {birth:yyyy-MM-dd}）。");
        await (await client.PostJsonAsync("/api/v1/students", Body(id, "林雨桐", Gender.Male, birth, cls)))
            .AssertRefusedAsync("Gender", "性别与身份证号不一致。");
        await (await client.PostJsonAsync("/api/v1/students", Body("3.50123E+17", "林雨桐", Gender.Female, birth, cls)))
            .AssertRefusedAsync("IdNumber", "身份证号被存成了数字（科学计数法），末几位已丢失，请把该列设为“文本”后重新录入。");
        await (await client.PostJsonAsync("/api/v1/students", Body(id[..17], "林雨桐", Gender.Female, birth, cls)))
            .AssertRefusedAsync("IdNumber", "身份证号应为18位（15位旧号码自动升位）。");
        await (await client.PostJsonAsync("/api/v1/students", Body(id, "林雨桐", Gender.Female, birth, cls, registryNumber: "G" + badCheck)))
            .AssertRefusedAsync("RegistryNumber", "学籍号与身份证号不一致（应为G+身份证号）。");

        await using var db = app.Db();
        Assert.False(await db.Students.AnyAsync(s => s.IdNumberHash == Personal.Hash(id)));
    }

    [Fact]
    public async Task A_15_digit_ID_is_upgraded_to_18_and_then_counts_as_the_same_person()
    {
        var (_, cls, _) = await PlacesAsync();
        // 15 digits: region, yyMMdd (19xx), sequence. Pick one whose upgraded form no record holds.
        string legacy, upgraded;
        await using (var db = app.Db())
        {
            var n = 0;
            do
            {
                legacy = $"350123{980101 + n:000000}{(Interlocked.Increment(ref _next) * 2 % 900) + 101:000}";
                var first17 = legacy[..6] + "19" + legacy[6..];
                upgraded = first17 + IdNumber.ComputeCheckCharacter(first17);
                n++;
            }
            while (await db.Students.IgnoreQueryFilters().AnyAsync(s => s.IdNumberHash == Personal.Hash(upgraded)));
        }
        var parsed = IdNumber.Parse(upgraded);
        using var client = await app.ClientAsync(SchoolAdmin);

        await (await client.PostJsonAsync("/api/v1/students", Body(legacy, "郑文博", parsed.Gender, parsed.BirthDate.AddYears(1), cls)))
            .AssertRefusedAsync("BirthDate", $"出生日期与身份证号不一致（身份证号为 {parsed.BirthDate:yyyy-MM-dd}）。");
        var created = await (await client.PostJsonAsync("/api/v1/students", Body(legacy, "郑文博", parsed.Gender, parsed.BirthDate, cls))).OkAsync<RegistryApi.StudentDto>();

        Assert.Equal("G" + IdNumber.Mask(upgraded), created.RegistryNumber);
        Assert.Equal(upgraded, await IdOfAsync(created.Id));
        await (await client.PostJsonAsync("/api/v1/students", Body(upgraded, "郑文博", parsed.Gender, parsed.BirthDate, cls)))
            .AssertRefusedAsync("IdNumber", "该身份证号已有学籍，不能重复建籍。");
    }

    [Fact]
    public async Task An_ID_that_already_has_a_record_is_refused_even_one_from_another_school()
    {
        var first = await CreateAsync("吴思远", Gender.Male);
        var id = await IdOfAsync(first.Id);
        var (_, cls, _) = await PlacesAsync();
        var elsewhere = await CreateAsync("郑雅琪", Gender.Female, classId: await OtherSchoolClassAsync(first.SchoolId), userName: "county.admin");
        var demoId = await IdOfAsync(elsewhere.Id);
        using var client = await app.ClientAsync(SchoolAdmin);

        await (await client.PostJsonAsync("/api/v1/students", Body(id, "吴思远", Gender.Male, BirthOf(id), cls))).AssertRefusedAsync("IdNumber", "该身份证号已有学籍，不能重复建籍。");
        var demo = IdNumber.Parse(demoId);
        await (await client.PostJsonAsync("/api/v1/students", Body(demoId, "张三", demo.Gender, demo.BirthDate, cls))).AssertRefusedAsync("IdNumber", "该身份证号已有学籍，不能重复建籍。");
    }

    [Theory]
    [InlineData("阿依古丽·买买提")]
    [InlineData("林\U00020BB7")]
    [InlineData("欧阳·娜仁其其格")]
    public async Task Names_with_the_middle_dot_or_a_rare_character_are_kept_exactly(string name)
    {
        var created = await CreateAsync(name);
        using var client = await app.ClientAsync(SchoolAdmin);

        Assert.Equal(name, created.Name);
        Assert.Equal(name, (await client.GetOkAsync<RegistryApi.StudentDto>($"/api/v1/students/{created.Id}")).Name);
        await using var db = app.Db();
        Assert.Equal(name, (await db.Students.SingleAsync(s => s.Id == created.Id)).Name);
        Assert.Contains(name, await client.PageTextAsync($"/students/{created.Id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guardians_phones_are_masked_in_the_API_and_on_the_page_but_kept_whole()
    {
        var created = await CreateAsync("黄欣怡", Gender.Female, [new { relation = "Father", name = "黄建国", phone = "13805912345", worksAway = true }, new { relation = "Mother", name = "陈秀英", phone = "0591-26123456", worksAway = false }]);
        using var client = await app.ClientAsync(SchoolAdmin);

        Assert.Equal(["0591-****3456", "138****2345"], created.Guardians.Select(g => g.Phone).Order());
        var fetched = await client.GetOkAsync<RegistryApi.StudentDto>($"/api/v1/students/{created.Id}");
        Assert.Equal(["0591-****3456", "138****2345"], fetched.Guardians.Select(g => g.Phone).Order());
        var page = await client.PageTextAsync($"/students/{created.Id}");
        Assert.Contains("138****2345", page, StringComparison.Ordinal);
        Assert.DoesNotContain("13805912345", page, StringComparison.Ordinal);
        await using var db = app.Db();
        Assert.Equal(["13805912345", "0591-26123456"], await db.Guardians.Where(g => g.StudentId == created.Id).OrderBy(g => g.Relation).Select(g => g.Phone).ToListAsync());
    }

    [Fact]
    public async Task The_school_registrar_may_reveal_the_full_ID_and_phones_and_that_is_audited()
    {
        var created = await CreateAsync("刘梓涵", Gender.Female, [new { relation = "Mother", name = "刘丽华", phone = "13905918888", worksAway = false }]);
        var id = await IdOfAsync(created.Id);
        using var client = await app.ClientAsync(SchoolAdmin);

        var revealed = await (await client.PostAsync($"/api/v1/students/{created.Id}/reveal", null)).OkAsync<RegistryApi.RevealedDto>();

        Assert.Equal(id, revealed.IdNumber);
        Assert.Equal("13905918888", Assert.Single(revealed.Guardians).Phone);
        await using var db = app.Db();
        var line = Assert.Single(await db.AuditEntries.Where(a => a.Action == AuditAction.Reveal && a.EntityId == created.Id.ToString()).ToListAsync());
        Assert.Equal((SchoolAdmin, nameof(Student)), (line.UserName, line.EntityType));
        Assert.DoesNotContain(id, line.After ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_head_teacher_may_not_reveal_and_lists_only_their_own_class()
    {
        var other = await CreateAsync("赵一鸣", Gender.Male);
        var (_, _, headClass) = await PlacesAsync();
        await CreateAsync("钱晓彤", Gender.Female, classId: headClass);
        using var client = await app.ClientAsync(HeadTeacher);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/v1/students/{other.Id}/reveal", null)).StatusCode);
        await using var db = app.Db();
        var own = await db.Students.Where(s => s.ClassId == headClass).Select(s => s.Id).ToListAsync();
        Assert.NotEmpty(own);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/v1/students/{own[0]}/reveal", null)).StatusCode);
        var listed = (await client.GetOkAsync<Baoxue.Infrastructure.Paging.PagedResult<StudentQueries.StudentRow>>("/api/v1/students")).Items;
        Assert.Equal(own.Order(), listed.Select(r => r.Id).Order());
        Assert.All(listed, r => Assert.Equal(headClass, r.ClassId));
        Assert.Empty((await client.GetOkAsync<Baoxue.Infrastructure.Paging.PagedResult<StudentQueries.StudentRow>>($"/api/v1/students?q={other.Name}")).Items);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/students/{other.Id}")).StatusCode);
    }

    [Fact]
    public async Task Searching_by_a_whole_ID_or_G_number_finds_the_student_by_its_hash()
    {
        var created = await CreateAsync("周浩然", Gender.Male);
        var id = await IdOfAsync(created.Id);
        using var client = await app.ClientAsync(SchoolAdmin);

        Assert.Equal(created.Id, Assert.Single((await client.GetOkAsync<Baoxue.Infrastructure.Paging.PagedResult<StudentQueries.StudentRow>>($"/api/v1/students?q={id}")).Items).Id);
        Assert.Equal(created.Id, Assert.Single((await client.GetOkAsync<Baoxue.Infrastructure.Paging.PagedResult<StudentQueries.StudentRow>>($"/api/v1/students?q=G{id}")).Items).Id);
        using var county = await app.ClientAsync(CountyAdmin);
        Assert.Equal(created.Id, Assert.Single((await county.GetOkAsync<Baoxue.Infrastructure.Paging.PagedResult<StudentQueries.StudentRow>>($"/api/v1/students?q={id}")).Items).Id);
    }

    private sealed record RawIdColumns(string RegistryNumber, string? IdNumberCipher, string? IdNumberHash, string? IdNumberMasked);

    [Fact]
    public async Task The_database_row_holds_the_ID_only_encrypted_hashed_and_masked()
    {
        var created = await CreateAsync("郭晨曦", Gender.Female);
        var id = await IdOfAsync(created.Id);
        await using var db = app.Db();

        var raw = await db.Database.SqlQuery<RawIdColumns>($"SELECT \"RegistryNumber\", \"IdNumberCipher\", \"IdNumberHash\", \"IdNumberMasked\" FROM \"Students\" WHERE \"Id\" = {created.Id}").SingleAsync();

        Assert.DoesNotContain(id, raw.IdNumberCipher!, StringComparison.Ordinal);
        Assert.DoesNotContain(id[6..14], raw.IdNumberCipher!, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{64}$", raw.IdNumberHash);
        Assert.Equal(Personal.Hash(id), raw.IdNumberHash);
        Assert.Equal(IdNumber.Mask(id), raw.IdNumberMasked);
        Assert.Equal("G" + IdNumber.Mask(id), raw.RegistryNumber);
        Assert.Equal(id, Personal.Decrypt(raw.IdNumberCipher!));
    }

    [Fact]
    public async Task The_xlsx_export_has_masked_IDs_and_is_audited()
    {
        var created = await CreateAsync("欧阳静怡", Gender.Female);
        var id = await IdOfAsync(created.Id);
        using var client = await app.ClientAsync(SchoolAdmin);
        await using var db = app.Db();
        var before = await db.AuditEntries.CountAsync(a => a.Action == AuditAction.Export && a.EntityType == nameof(Student));

        var response = await client.GetAsync($"/api/v1/students/export?q={id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = XlsxText(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains(created.Name, text, StringComparison.Ordinal);
        Assert.Contains(IdNumber.Mask(id), text, StringComparison.Ordinal);
        Assert.Contains("G" + IdNumber.Mask(id), text, StringComparison.Ordinal);
        Assert.DoesNotContain(id, text, StringComparison.Ordinal);
        Assert.Equal(before + 1, await db.AuditEntries.CountAsync(a => a.Action == AuditAction.Export && a.EntityType == nameof(Student)));
        var line = await db.AuditEntries.Where(a => a.Action == AuditAction.Export && a.EntityType == nameof(Student)).OrderByDescending(a => a.Sequence).FirstAsync();
        Assert.Equal(SchoolAdmin, line.UserName);
        Assert.Contains("\"rows\":1", line.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_student_pages_show_masked_IDs_and_the_full_ID_after_the_reveal_form()
    {
        var created = await CreateAsync("蔡雨涵", Gender.Female, [new { relation = "Father", name = "蔡志强", phone = "13705917777", worksAway = false }]);
        var id = await IdOfAsync(created.Id);
        using var client = await app.ClientAsync(SchoolAdmin);

        var list = await client.PageTextAsync($"/students?q={id}");
        Assert.Contains(created.Name, list, StringComparison.Ordinal);
        Assert.Contains(IdNumber.Mask(id), list, StringComparison.Ordinal);
        Assert.DoesNotContain(id, list, StringComparison.Ordinal);
        var detail = await client.PageTextAsync($"/students/{created.Id}");
        Assert.Contains(IdNumber.Mask(id), detail, StringComparison.Ordinal);
        Assert.DoesNotContain(id, detail, StringComparison.Ordinal);
        Assert.Contains("查看完整证件号和电话", detail, StringComparison.Ordinal);

        var response = await Pages.PostFormAsync(client, $"/students/{created.Id}", "reveal", new Dictionary<string, string>());
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"id=\"id-number\">{id}<", html, StringComparison.Ordinal);
        Assert.Contains($"G{id}", html, StringComparison.Ordinal);
        Assert.Contains("13705917777", html, StringComparison.Ordinal);
        Assert.Contains("已显示完整身份证号和监护人电话", html, StringComparison.Ordinal);
        await using var db = app.Db();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.Reveal && a.EntityId == created.Id.ToString()));
    }

    [Fact]
    public async Task Moving_a_student_to_another_schools_class_is_a_transfer_not_an_edit()
    {
        var created = await CreateAsync("何俊杰", Gender.Male);
        var id = await IdOfAsync(created.Id);
        Guid elsewhere;
        await using (var db = app.Db())
        {
            elsewhere = (await db.Classes.Include(c => c.School).Where(c => c.SchoolId != created.SchoolId && c.Grade == 4).OrderBy(c => c.Path).FirstAsync()).Id;
        }
        using var client = await app.ClientAsync(CountyAdmin);

        await (await client.PutJsonAsync($"/api/v1/students/{created.Id}", Body(id, created.Name, Gender.Male, BirthOf(id), elsewhere)))
            .AssertRefusedAsync("ClassId", "转到其他学校须办理转学，不能直接修改班级。");
        await using var check = app.Db();
        Assert.Equal(created.ClassId, (await check.Students.SingleAsync(s => s.Id == created.Id)).ClassId);
    }

    [Fact]
    public async Task A_disabled_tag_needs_a_type_and_a_grade()
    {
        var (_, cls, _) = await PlacesAsync();
        var id = await FreshIdAsync(Gender.Female);
        using var client = await app.ClientAsync(SchoolAdmin);

        await (await client.PostJsonAsync("/api/v1/students", Body(id, "杨可欣", Gender.Female, BirthOf(id), cls, tags: [new { kind = "Disabled" }])))
            .AssertRefusedAsync("Tags", "残疾学生须填写残疾类别和等级（1-4级）。");
        await (await client.PostJsonAsync("/api/v1/students", Body(id, "杨可欣", Gender.Female, BirthOf(id), cls, tags: [new { kind = "Disabled", disabilityType = "Hearing", disabilityGrade = 5 }])))
            .AssertRefusedAsync("Tags", "残疾学生须填写残疾类别和等级（1-4级）。");
        var created = await (await client.PostJsonAsync("/api/v1/students", Body(id, "杨可欣", Gender.Female, BirthOf(id), cls, tags: [new { kind = "Disabled", disabilityType = "Hearing", disabilityGrade = 3, source = "县残联" }])))
            .OkAsync<RegistryApi.StudentDto>();
        var tag = Assert.Single(created.Tags);
        Assert.Equal((GroupKind.Disabled, "Hearing", (int?)3), (tag.Kind, tag.DisabilityType, tag.DisabilityGrade));
    }

    /// <summary>Every string in the workbook: shared strings and inline cells.</summary>
    private static string XlsxText(byte[] file)
    {
        using var zip = new ZipArchive(new MemoryStream(file));
        var text = new StringBuilder();
        foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(entry.Open());
            text.Append(reader.ReadToEnd()).Append('\n');
        }
        return text.ToString();
    }
}

public sealed class StudentRecordTests_Sqlite(SqliteApp app) : StudentRecordTests<SqliteApp>(app);

public sealed class StudentRecordTests_Postgres(PostgresApp app) : StudentRecordTests<PostgresApp>(app);
