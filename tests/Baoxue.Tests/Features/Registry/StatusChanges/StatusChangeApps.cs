using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Features.Registry;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Baoxue.Tests.Features.Registry.StatusChanges;

/// <summary>
/// The app with a second school's registrar (<see cref="OtherRegistrar"/>), created through the accounts API. New
/// administrator accounts would first have to enrol a second factor, which these tests are not about, so the
/// fixture turns that rule off.
/// </summary>
public abstract class StatusChangeApp : BaoxueApp
{
    public const string OwnSchool = "罗源县凤山中心小学";
    public const string OtherSchool = "罗源县实验小学";
    public const string OtherRegistrar = "shiyan.registrar";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private int _students;

    protected StatusChangeApp(TestDatabase database) : base(database) => With("Security:RequireTwoFactorForAdministrators", "false");

    public Guid OwnSchoolId { get; private set; }
    public Guid OtherSchoolId { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Db();
        OwnSchoolId = await db.Schools.Where(s => s.Name == OwnSchool).Select(s => s.Id).SingleAsync();
        OtherSchoolId = await db.Schools.Where(s => s.Name == OtherSchool).Select(s => s.Id).SingleAsync();
        using var admin = await ClientAsync("county.admin");
        using var created = await admin.PostAsJsonAsync("/api/v1/accounts", new
        {
            userName = OtherRegistrar, displayName = "实验小学学籍管理员", role = "SchoolAdmin", placeKind = "School", placeId = OtherSchoolId, password = Password,
        }, Json);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
    }

    /// <summary>A class of the current school year at a school.</summary>
    public async Task<SchoolClass> ClassAsync(Guid schoolId, int grade)
    {
        await using var db = Db();
        return await db.Classes.Where(c => c.SchoolId == schoolId && c.Grade == grade && c.SchoolYear!.IsCurrent).OrderBy(c => c.Number).FirstAsync();
    }

    /// <summary>Enrols a new student through the API (as the school's registrar or the county admin) and returns its id and ID number.</summary>
    public async Task<(Guid Id, string IdNumber)> EnrolAsync(string userName, Guid classId, int grade)
    {
        var n = Interlocked.Increment(ref _students);
        var birth = new DateOnly(2026 - 6 - grade, 1, 1).AddDays(n * 3 + (Provider == "Postgres" ? 1 : 0));
        var gender = n % 2 == 0 ? Gender.Female : Gender.Male;
        var names = new ChineseNames(n);
        var id = names.IdNumberFor("350123", birth, gender);
        var name = names.FullName(gender);
        using var client = await ClientAsync(userName);
        using var response = await client.PostAsJsonAsync("/api/v1/students", new SaveStudent.Command(null, id, null, name, gender, birth, "01", null, null, null, null, classId, null), Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return (JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid(), id);
    }

    public async Task<Student> StudentAsync(Guid id)
    {
        await using var db = Db();
        return await db.Students.AsNoTracking().SingleAsync(s => s.Id == id);
    }
}

public sealed class StatusChangeSqliteApp() : StatusChangeApp(TestDatabase.Sqlite());

public sealed class StatusChangePostgresApp() : StatusChangeApp(TestDatabase.Postgres());
