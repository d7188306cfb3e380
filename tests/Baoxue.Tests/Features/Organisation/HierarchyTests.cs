using System.Net;
using Baoxue.Domain;
using Baoxue.Features.Organisation.Schools;
using Baoxue.Infrastructure.Paging;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Baoxue.Features.Organisation.OrganisationApi;

namespace Baoxue.Tests.Features.Organisation;

/// <summary>
/// The county's hierarchy edited over the API and read back through the API and the pages: divisions,
/// schools, classes, school years, staff and member departments. Codes used here: villages 3501231009xx,
/// schools 21359990xx, department T9x, so facts sharing the app do not meet.
/// </summary>
public abstract class HierarchyTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private async Task<Division> DivisionAsync(string name)
    {
        await using var db = app.Db();
        return await db.Divisions.AsNoTracking().SingleAsync(d => d.Name == name);
    }

    private async Task<Division> VillageOfAsync(string townshipName)
    {
        var township = await DivisionAsync(townshipName);
        await using var db = app.Db();
        return await db.Divisions.AsNoTracking().Where(d => d.ParentId == township.Id).OrderBy(d => d.Code).FirstAsync();
    }

    private async Task<School> SchoolAsync(string code)
    {
        await using var db = app.Db();
        return await db.Schools.AsNoTracking().SingleAsync(s => s.Code == code);
    }

    private async Task<SchoolDto> CreatePrimarySchoolAsync(HttpClient client, string code, string name)
    {
        var township = await DivisionAsync("凤山镇");
        return await (await client.PostJsonAsync("/api/v1/schools", new
        {
            code, name, kind = "Primary", townshipId = township.Id, isActive = true,
        })).OkAsync<SchoolDto>();
    }

    // ---------- divisions ----------

    [Fact]
    public async Task Adding_a_village_under_a_township_lists_it_with_the_townships_villages()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);
        var township = await DivisionAsync("凤山镇");

        var added = await (await client.PostJsonAsync("/api/v1/divisions", new
        {
            parentId = township.Id, code = "350123100901", name = "测试甲村", kind = "Village",
        })).OkAsync<DivisionDto>();

        Assert.Equal("350123100901", added.Code);
        Assert.Equal(DivisionLevel.Village, added.Level);
        Assert.Equal(township.Id, added.ParentId);
        var villages = (await client.GetOkAsync<PagedResult<DivisionDto>>($"/api/v1/divisions?parentId={township.Id}&pageSize=200")).Items;
        Assert.Contains(villages, v => v.Id == added.Id && v.Name == "测试甲村" && v.Kind == "Village");
        Assert.Contains("测试甲村", await client.PageTextAsync($"/divisions/{township.Id}"));
    }

    [Fact]
    public async Task A_village_code_of_the_wrong_length_or_outside_the_townships_code_is_refused_in_Chinese()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);
        var township = await DivisionAsync("凤山镇");
        const string rule = "区划代码应为12位数字，并以上级代码350123100开头。";

        await (await client.PostJsonAsync("/api/v1/divisions", new { parentId = township.Id, code = "35012310090", name = "短码村" }))
            .AssertRefusedAsync("Code", rule);
        await (await client.PostJsonAsync("/api/v1/divisions", new { parentId = township.Id, code = "350123101902", name = "别乡村" }))
            .AssertRefusedAsync("Code", rule);
        await (await client.PostJsonAsync("/api/v1/divisions", new { parentId = township.Id, code = "35012310090A", name = "字母村" }))
            .AssertRefusedAsync("Code", rule);

        await using var db = app.Db();
        Assert.False(await db.Divisions.AnyAsync(d => d.Name == "短码村" || d.Name == "别乡村" || d.Name == "字母村"));
    }

    [Fact]
    public async Task A_division_code_already_in_use_is_refused()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);
        var township = await DivisionAsync("凤山镇");
        await (await client.PostJsonAsync("/api/v1/divisions", new { parentId = township.Id, code = "350123100903", name = "原有村" })).OkAsync<DivisionDto>();

        await (await client.PostJsonAsync("/api/v1/divisions", new { parentId = township.Id, code = "350123100903", name = "重复村" }))
            .AssertRefusedAsync("Code", "“350123100903”已存在。");

        await using var db = app.Db();
        Assert.Equal("原有村", (await db.Divisions.SingleAsync(d => d.Code == "350123100903")).Name);
    }

    [Fact]
    public async Task A_division_can_be_renamed_but_its_code_cannot_change()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);
        var township = await DivisionAsync("凤山镇");
        var village = await (await client.PostJsonAsync("/api/v1/divisions", new { parentId = township.Id, code = "350123100904", name = "旧名村" })).OkAsync<DivisionDto>();

        await (await client.PutJsonAsync($"/api/v1/divisions/{village.Id}", new { code = "350123100905", name = "旧名村" }))
            .AssertRefusedAsync("Code", "区划代码创建后不能修改。");
        var renamed = await (await client.PutJsonAsync($"/api/v1/divisions/{village.Id}", new { code = "350123100904", name = "新名村" })).OkAsync<DivisionDto>();

        Assert.Equal("新名村", renamed.Name);
        var stored = await client.GetOkAsync<DivisionDto>($"/api/v1/divisions/{village.Id}");
        Assert.Equal(("350123100904", "新名村"), (stored.Code, stored.Name));
    }

    // ---------- schools ----------

    [Fact]
    public async Task A_new_school_appears_in_the_school_list_and_on_the_schools_page()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);
        var township = await DivisionAsync("松山镇");
        var village = await VillageOfAsync("松山镇");

        var created = await (await client.PostJsonAsync("/api/v1/schools", new
        {
            code = "2135999001", name = "罗源县松山测试小学", kind = "Primary", townshipId = township.Id, villageId = village.Id,
            address = "罗源县松山镇测试路1号", headName = "林晓东", phone = "0591-26812345", isActive = true,
        })).OkAsync<SchoolDto>();

        Assert.Equal(("2135999001", SchoolKind.Primary, township.Id, village.Id), (created.Code, created.Kind, created.TownshipId, created.VillageId));
        var listed = (await client.GetOkAsync<PagedResult<SchoolQueries.SchoolRow>>("/api/v1/schools?q=2135999001")).Items;
        var row = Assert.Single(listed);
        Assert.Equal(("罗源县松山测试小学", "松山镇", "林晓东"), (row.Name, row.Township, row.HeadName));
        var page = await client.PageTextAsync("/schools?q=2135999001");
        Assert.Contains("2135999001 罗源县松山测试小学 小学 松山镇 林晓东", page);
        var detail = await client.PageTextAsync($"/schools/{created.Id}");
        Assert.Contains("罗源县松山测试小学", detail);
        Assert.Contains(village.Name, detail);
    }

    [Fact]
    public async Task A_school_with_bad_fields_is_refused_naming_each_field()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);
        var fengshan = await DivisionAsync("凤山镇");
        var songshanVillage = await VillageOfAsync("松山镇");
        object School(string code = "2135999002", Guid? townshipId = null, Guid? villageId = null, string? phone = null) => new
        {
            code, name = "罗源县错误测试小学", kind = "Primary", townshipId = townshipId ?? fengshan.Id, villageId, phone, isActive = true,
        };

        await (await client.PostJsonAsync("/api/v1/schools", School(code: "213599900"))).AssertRefusedAsync("Code", "学校标识码应为10位数字。");
        await (await client.PostJsonAsync("/api/v1/schools", School(code: "213599900X"))).AssertRefusedAsync("Code", "学校标识码应为10位数字。");
        await (await client.PostJsonAsync("/api/v1/schools", School(code: "2135012301"))).AssertRefusedAsync("Code", "“2135012301”已存在。");
        await (await client.PostJsonAsync("/api/v1/schools", School(townshipId: Guid.NewGuid()))).AssertRefusedAsync("TownshipId", "请选择所属乡镇。");
        await (await client.PostJsonAsync("/api/v1/schools", School(townshipId: songshanVillage.Id))).AssertRefusedAsync("TownshipId", "请选择所属乡镇。");
        await (await client.PostJsonAsync("/api/v1/schools", School(villageId: songshanVillage.Id))).AssertRefusedAsync("VillageId", "所选村（社区）不属于该乡镇。");
        await (await client.PostJsonAsync("/api/v1/schools", School(phone: "12345"))).AssertRefusedAsync("Phone", "电话号码“12345”格式不正确。");

        var all = await (await client.PostJsonAsync("/api/v1/schools", School(code: "21359990", townshipId: Guid.NewGuid(), phone: "abc"))).RefusedAsync();
        Assert.Equal(["Code", "Phone", "TownshipId"], all.Keys.Order(StringComparer.Ordinal));

        await using var db = app.Db();
        Assert.False(await db.Schools.AnyAsync(s => s.Name == "罗源县错误测试小学"));
    }

    [Fact]
    public async Task A_school_can_be_renamed_but_not_moved_to_another_township()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);
        var school = await CreatePrimarySchoolAsync(client, "2135999003", "罗源县改名前小学");
        var songshan = await DivisionAsync("松山镇");

        var renamed = await (await client.PutJsonAsync($"/api/v1/schools/{school.Id}", new
        {
            code = school.Code, name = "罗源县改名后小学", kind = "Primary", townshipId = school.TownshipId, headName = "陈明", isActive = true,
        })).OkAsync<SchoolDto>();
        Assert.Equal(("罗源县改名后小学", "陈明"), (renamed.Name, renamed.HeadName));
        Assert.Equal("罗源县改名后小学", (await client.GetOkAsync<SchoolDto>($"/api/v1/schools/{school.Id}")).Name);

        await (await client.PutJsonAsync($"/api/v1/schools/{school.Id}", new
        {
            code = school.Code, name = "罗源县改名后小学", kind = "Primary", townshipId = songshan.Id, isActive = true,
        })).AssertRefusedAsync("TownshipId", "学校所属乡镇创建后不能修改。");
        await (await client.PutJsonAsync($"/api/v1/schools/{school.Id}", new
        {
            code = "2135999004", name = "罗源县改名后小学", kind = "Primary", townshipId = school.TownshipId, isActive = true,
        })).AssertRefusedAsync("Code", "学校标识码创建后不能修改。");

        var stored = await SchoolAsync("2135999003");
        Assert.Equal(school.TownshipId, stored.TownshipId);
        Assert.Equal("罗源县改名后小学", stored.Name);
    }

    // ---------- classes ----------

    [Fact]
    public async Task A_class_opened_for_the_current_year_shows_on_the_school_page_by_its_Chinese_name()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);
        var school = await CreatePrimarySchoolAsync(client, "2135999005", "罗源县开班测试小学");
        var teacher = await (await client.PostJsonAsync("/api/v1/staff", new
        {
            name = "郑老师", post = "班主任", phone = "13912345678", placeKind = "School", placeId = school.Id,
        })).OkAsync<StaffDto>();
        var year = ((await client.GetOkAsync<PagedResult<SchoolYearDto>>("/api/v1/school-years")).Items).Single(y => y.IsCurrent);

        var opened = await (await client.PostJsonAsync("/api/v1/classes", new
        {
            schoolId = school.Id, schoolYearId = year.Id, grade = 3, number = 9, headTeacherId = teacher.Id, capacity = 45,
        })).OkAsync<ClassDto>();

        Assert.Equal("三年级（9）班", opened.Name);
        var listed = (await client.GetOkAsync<PagedResult<ClassDto>>($"/api/v1/classes?schoolId={school.Id}&pageSize=200")).Items;
        Assert.Equal(opened.Id, Assert.Single(listed).Id);
        var page = await client.PageTextAsync($"/schools/{school.Id}");
        Assert.Contains("三年级（9）班 郑老师 45", page);
        Assert.Contains(year.Name, page);
    }

    [Fact]
    public async Task A_class_in_a_grade_the_school_does_not_teach_or_already_open_is_refused()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);
        var school = await CreatePrimarySchoolAsync(client, "2135999006", "罗源县班级规则小学");
        var otherSchoolTeacher = await (await client.PostJsonAsync("/api/v1/staff", new
        {
            name = "外校老师", post = "教师", placeKind = "School", placeId = (await SchoolAsync("2135012301")).Id,
        })).OkAsync<StaffDto>();
        var year = ((await client.GetOkAsync<PagedResult<SchoolYearDto>>("/api/v1/school-years")).Items).Single(y => y.IsCurrent);
        object Class(int grade, int number, Guid? headTeacherId = null) => new { schoolId = school.Id, schoolYearId = year.Id, grade, number, headTeacherId };

        await (await client.PostJsonAsync("/api/v1/classes", Class(8, 1))).AssertRefusedAsync("Grade", "该学校不设8年级。");
        await (await client.PostJsonAsync("/api/v1/classes", Class(2, 1, otherSchoolTeacher.Id))).AssertRefusedAsync("HeadTeacherId", "班主任必须是本校人员。");
        await (await client.PostJsonAsync("/api/v1/classes", Class(2, 1))).OkAsync<ClassDto>();
        await (await client.PostJsonAsync("/api/v1/classes", Class(2, 1))).AssertRefusedAsync("Number", "该学年已有相同年级和班号的班级。");

        await using var db = app.Db();
        var classes = await db.Classes.Where(c => c.SchoolId == school.Id).ToListAsync();
        Assert.Equal((2, 1), (Assert.Single(classes).Grade, classes[0].Number));
    }

    // ---------- school years ----------

    [Fact]
    public async Task A_new_school_year_has_two_terms_refuses_a_second_copy_and_can_be_made_current()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);
        var current = ((await client.GetOkAsync<PagedResult<SchoolYearDto>>("/api/v1/school-years")).Items).Single(y => y.IsCurrent);
        var start = current.StartYear + 1;

        var created = await (await client.PostJsonAsync("/api/v1/school-years", new { startYear = start })).OkAsync<SchoolYearDto>();

        Assert.Equal($"{start}—{start + 1}学年", created.Name);
        Assert.False(created.IsCurrent);
        Assert.Equal(
            [(1, new DateOnly(start, 9, 1), new DateOnly(start + 1, 1, 31)), (2, new DateOnly(start + 1, 2, 1), new DateOnly(start + 1, 8, 31))],
            created.Terms.Select(t => (t.Number, t.StartDate, t.EndDate)));
        var page = await client.PageTextAsync("/school-years");
        Assert.Contains($"{start}—{start + 1}学年 第一学期：{start}年9月1日 — {start + 1}年1月31日 第二学期：{start + 1}年2月1日 — {start + 1}年8月31日", page);

        await (await client.PostJsonAsync("/api/v1/school-years", new { startYear = start })).AssertRefusedAsync("StartYear", $"“{start}”已存在。");
        await (await client.PostJsonAsync("/api/v1/school-years", new { startYear = 1999 })).AssertRefusedAsync("StartYear", "起始年份应在2000至2099之间。");

        try
        {
            var made = await (await client.PostAsync($"/api/v1/school-years/{created.Id}/current", null)).OkAsync<SchoolYearDto>();
            Assert.True(made.IsCurrent);
            var years = (await client.GetOkAsync<PagedResult<SchoolYearDto>>("/api/v1/school-years")).Items;
            Assert.Equal(created.Id, Assert.Single(years, y => y.IsCurrent).Id);
            Assert.False(years.Single(y => y.Id == current.Id).IsCurrent);
        }
        finally
        {
            // Other facts open classes in the current year: give it back.
            (await client.PostAsync($"/api/v1/school-years/{current.Id}/current", null)).EnsureSuccessStatusCode();
        }
        Assert.Equal(current.Id, ((await client.GetOkAsync<PagedResult<SchoolYearDto>>("/api/v1/school-years")).Items).Single(y => y.IsCurrent).Id);
    }

    [Fact]
    public async Task A_school_year_added_on_the_page_is_listed_with_its_terms()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);
        var current = ((await client.GetOkAsync<PagedResult<SchoolYearDto>>("/api/v1/school-years")).Items).Single(y => y.IsCurrent);
        var start = current.StartYear + 3;

        var response = await Pages.PostFormAsync(client, "/school-years", "new-year", new Dictionary<string, string> { ["Input.StartYear"] = start.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.SeeOther, $"{(int)response.StatusCode}");
        var year = Assert.Single((await client.GetOkAsync<PagedResult<SchoolYearDto>>("/api/v1/school-years")).Items, y => y.StartYear == start);
        Assert.Equal(2, year.Terms.Count);
        Assert.Contains($"{start}—{start + 1}学年 第一学期：{start}年9月1日", await client.PageTextAsync("/school-years"));
    }

    // ---------- staff and departments ----------

    [Fact]
    public async Task Staff_phone_numbers_are_masked_in_what_the_API_returns_but_kept_whole()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);
        var school = await SchoolAsync("2135012302");

        var added = await (await client.PostJsonAsync("/api/v1/staff", new
        {
            name = "黄丽华", post = "副校长", phone = "138 1234 5678", placeKind = "School", placeId = school.Id,
        })).OkAsync<StaffDto>();
        Assert.Equal(("黄丽华", "副校长", "138****5678", school.Id), (added.Name, added.Post, added.Phone, added.SchoolId));
        Assert.Equal("138****5678", (await client.GetOkAsync<StaffDto>($"/api/v1/staff/{added.Id}")).Phone);
        Assert.Contains((await client.GetOkAsync<PagedResult<StaffDto>>($"/api/v1/staff?unitId={school.Id}&pageSize=200")).Items, s => s.Id == added.Id && s.Phone == "138****5678");

        var changed = await (await client.PutJsonAsync($"/api/v1/staff/{added.Id}", new
        {
            name = "黄丽华", post = "校长", phone = "0591-26887766", placeKind = "School", placeId = school.Id,
        })).OkAsync<StaffDto>();
        Assert.Equal(("校长", "0591-****7766"), (changed.Post, changed.Phone));

        await using var db = app.Db();
        var stored = await db.Staff.SingleAsync(s => s.Id == added.Id);
        Assert.Equal(("校长", "0591-26887766"), (stored.Post, stored.Phone));
        var page = await client.PageTextAsync($"/schools/{school.Id}");
        Assert.Contains("黄丽华 校长 0591-****7766", page);
        Assert.DoesNotContain("26887766", page);
    }

    [Fact]
    public async Task Staff_without_a_valid_place_or_phone_is_refused()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);
        var school = await SchoolAsync("2135012302");

        await (await client.PostJsonAsync("/api/v1/staff", new { name = "无单位", post = "教师", placeKind = "School", placeId = Guid.NewGuid() }))
            .AssertRefusedAsync("PlaceId", "请选择所在单位（学校、成员单位或乡镇、村）。");
        await (await client.PostJsonAsync("/api/v1/staff", new { name = "错号码", post = "教师", phone = "1381234", placeKind = "School", placeId = school.Id }))
            .AssertRefusedAsync("Phone", "电话号码“1381234”格式不正确。");
        await (await client.PostJsonAsync("/api/v1/staff", new { name = "", post = "教师", placeKind = "School", placeId = school.Id }))
            .AssertRefusedAsync("Name", "“名称”不能为空。");

        await using var db = app.Db();
        Assert.False(await db.Staff.AnyAsync(s => s.Name == "无单位" || s.Name == "错号码"));
    }

    [Fact]
    public async Task A_member_department_is_added_and_changed_but_keeps_its_code()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);

        var added = await (await client.PostJsonAsync("/api/v1/departments", new
        {
            code = "T91", name = "罗源县应急管理局", kind = "Other", duties = "配合做好学生安全工作。",
        })).OkAsync<DepartmentDto>();
        Assert.Equal(("T91", "罗源县应急管理局", DepartmentKind.Other), (added.Code, added.Name, added.Kind));

        var changed = await (await client.PutJsonAsync($"/api/v1/departments/{added.Id}", new
        {
            code = "T91", name = "罗源县应急管理局（改）", kind = "Other", duties = "协助查找失学儿童。",
        })).OkAsync<DepartmentDto>();
        Assert.Equal(("罗源县应急管理局（改）", "协助查找失学儿童。"), (changed.Name, changed.Duties));
        Assert.Contains((await client.GetOkAsync<PagedResult<DepartmentDto>>("/api/v1/departments?pageSize=200")).Items, d => d.Id == added.Id && d.Name == "罗源县应急管理局（改）");

        await (await client.PutJsonAsync($"/api/v1/departments/{added.Id}", new { code = "T92", name = "罗源县应急管理局", kind = "Other" }))
            .AssertRefusedAsync("Code", "单位编号创建后不能修改。");
        await (await client.PostJsonAsync("/api/v1/departments", new { code = "T91", name = "另一个局", kind = "Other" }))
            .AssertRefusedAsync("Code", "“T91”已存在。");
        await (await client.PostJsonAsync("/api/v1/departments", new { code = "T-9", name = "坏编号局", kind = "Other" }))
            .AssertRefusedAsync("Code", "单位编号为1至16位字母或数字。");

        var page = await client.PageTextAsync("/departments");
        Assert.Contains("罗源县应急管理局（改）", page);
    }

    // ---------- pages ----------

    [Fact]
    public async Task The_divisions_page_shows_the_county_and_its_real_townships()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);

        var page = await client.PageTextAsync("/divisions");

        Assert.Contains("罗源县", page);
        foreach (var (code, name) in new[] { ("350123100", "凤山镇"), ("350123101", "松山镇"), ("350123203", "霍口畲族乡"), ("350123500", "罗源湾") })
        {
            Assert.Contains($"{code} {name}", page);
        }
    }

    [Fact]
    public async Task Division_pages_name_each_places_kind_in_Chinese()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);

        var page = await client.PageTextAsync("/divisions");

        string KindShownFor(string township) => System.Text.RegularExpressions.Regex.Match(page, township + @" (\S+)").Groups[1].Value;
        Assert.Equal(
            [("凤山镇", "镇"), ("松山镇", "镇"), ("霍口畲族乡", "乡"), ("罗源湾", "开发区")],
            new[] { "350123100 凤山镇", "350123101 松山镇", "350123203 霍口畲族乡", "350123500 罗源湾" }.Select(t => (t[10..], KindShownFor(t))));

        var township = await DivisionAsync("凤山镇");
        await using var db = app.Db();
        var community = await db.Divisions.SingleAsync(d => d.Code == "350123100001");
        var villagePage = await client.PageTextAsync($"/divisions/{township.Id}");
        Assert.Equal("社区", System.Text.RegularExpressions.Regex.Match(villagePage, $"350123100001 {community.Name} (\\S+)").Groups[1].Value);
    }

    [Fact]
    public async Task A_township_page_lists_its_villages_and_schools()
    {
        using var client = await app.ClientAsync(OrganisationKit.CountyAdmin);
        var township = await DivisionAsync("霍口畲族乡");
        await using var db = app.Db();
        var villages = await db.Divisions.Where(d => d.ParentId == township.Id).OrderBy(d => d.Code).ToListAsync();
        var schools = await db.Schools.Where(s => s.TownshipId == township.Id).ToListAsync();

        var page = await client.PageTextAsync($"/divisions/{township.Id}");

        Assert.Contains("罗源县", page);
        Assert.Contains("霍口畲族乡 (350123203)", page);
        Assert.NotEmpty(villages);
        Assert.All(villages, v => Assert.Contains($"{v.Code} {v.Name}", page));
        Assert.NotEmpty(schools);
        Assert.All(schools, s => Assert.Contains(s.Name, page));
    }
}

public sealed class HierarchyTests_Sqlite(SqliteApp app) : HierarchyTests<SqliteApp>(app);

public sealed class HierarchyTests_Postgres(PostgresApp app) : HierarchyTests<PostgresApp>(app);
