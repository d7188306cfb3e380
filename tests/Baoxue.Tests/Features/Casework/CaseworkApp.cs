using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Features.Demo;
using Baoxue.Tests.Features.Organisation;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Baoxue.Tests.Features.Casework;

/// <summary>
/// The app with casework's arrangements: a village cadre of another township (<see cref="OtherVillageCadre"/>), a
/// 1 MB attachment limit (so the limit is testable with small files), and ledger cases made directly in the database
/// (the ledger's own steps have their own tests).
/// </summary>
public abstract class CaseworkApp : BaoxueApp
{
    public const string OtherVillageCadre = "other.village";
    private int _students;

    protected CaseworkApp(TestDatabase database) : base(database)
    {
        With("Security:RequireTwoFactorForAdministrators", "false");
        With("Attachments:MaxMegabytes", "1");
    }

    public Guid SchoolId { get; private set; }
    public string VillagePath { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Db();
        var registrar = await db.Users.SingleAsync(u => u.UserName == "school.admin");
        SchoolId = registrar.PlaceId;
        var village = await db.Users.SingleAsync(u => u.UserName == "village.cadre");
        VillagePath = village.Path;
        var township = PlacePath.Ancestors(VillagePath)[^1];
        var other = await db.Divisions.Where(d => d.Level == DivisionLevel.Village && !d.Path.StartsWith(township)).OrderBy(d => d.Path).FirstAsync();
        using var admin = await ClientAsync("county.admin");
        using var created = await admin.PostAsJsonAsync("/api/v1/accounts", new
        {
            userName = OtherVillageCadre, displayName = "他乡村干部", role = "VillageCadre", placeKind = "Village", placeId = other.Id, password = Password,
        }, OrganisationKit.Json);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
    }

    /// <summary>A registry student of the demo school with a confirmed ledger entry and a case with both lines named.</summary>
    public Task<(Guid CaseId, Guid StudentId, Guid EntryId)> CaseAsync(StudentStatus status = StudentStatus.InSchool, LedgerCaseState state = LedgerCaseState.Assigned, int daysOut = 100) =>
        CaseworkKit.CaseAsync(this, Interlocked.Increment(ref _students), status, state, daysOut);

    /// <summary>A child never enrolled (no registry record) living in the village cadre's village, with a case being persuaded.</summary>
    public Task<(Guid CaseId, Guid EntryId, string Name)> NeverEnrolledCaseAsync(bool withId) =>
        CaseworkKit.NeverEnrolledCaseAsync(this, Interlocked.Increment(ref _students), withId);

    /// <summary>A real JPEG drawn here (a phone photo stands in), optionally with EXIF-less content of a given size.</summary>
    public static byte[] Jpeg(int width = 640, int height = 480)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(90, 140, 200));
            using var paint = new SKPaint { Color = new SKColor(240, 200, 80) };
            canvas.DrawCircle(width / 2f, height / 2f, Math.Min(width, height) / 4f, paint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 85);
        return data.ToArray();
    }

    public static MultipartFormDataContent Upload(string ownerKind, Guid ownerId, params (byte[] Bytes, string Name)[] files)
    {
        var form = new MultipartFormDataContent { { new StringContent(ownerKind), "ownerKind" }, { new StringContent(ownerId.ToString()), "ownerId" } };
        foreach (var (bytes, name) in files)
        {
            form.Add(new ByteArrayContent(bytes), "file", name);
        }
        return form;
    }

    public static async Task<HttpStatusCode> StatusAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return response.StatusCode;
    }
}

public sealed class CaseworkSqliteApp() : CaseworkApp(TestDatabase.Sqlite());

public sealed class CaseworkPostgresApp() : CaseworkApp(TestDatabase.Postgres());

/// <summary>Arrangements shared by the API tests and the browser test.</summary>
public static class CaseworkKit
{
    /// <summary>A registry student of the demo school with a confirmed ledger entry and a case with both lines named.</summary>
    public static async Task<(Guid CaseId, Guid StudentId, Guid EntryId)> CaseAsync(BaoxueApp app, int n, StudentStatus status, LedgerCaseState state, int daysOut)
    {
        await using var db = app.Db();
        var schoolId = (await db.Users.SingleAsync(u => u.UserName == "school.admin")).PlaceId;
        var villagePath = (await db.Users.SingleAsync(u => u.UserName == "village.cadre")).Path;
        var cls = await db.Classes.Where(c => c.SchoolId == schoolId && c.Grade == 5 && c.SchoolYear!.IsCurrent).OrderBy(c => c.Number).FirstAsync();
        var birth = new DateOnly(2015, 1, 1).AddDays(n * 5 + (app.Provider == "Postgres" ? 2 : 0));
        var gender = n % 2 == 0 ? Gender.Female : Gender.Male;
        var names = new ChineseNames(7000 + n);
        using var school = app is Baoxue.Tests.Browser.BrowserApp browser ? await OnSocketAsync(browser, "school.admin") : await app.ClientAsync("school.admin");
        var body = await (await school.PostJsonAsync("/api/v1/students", new
        {
            IdNumber = names.IdNumberFor("350123", birth, gender),
            Name = names.FullName(gender),
            Gender = gender,
            BirthDate = birth,
            Ethnicity = "01",
            HouseholdAddress = "罗源县凤山镇东门路8号",
            ClassId = cls.Id,
            Guardians = new[] { new { Relation = GuardianRelation.Father, Name = "林建国", Phone = $"1385913{n:0000}", WorksAway = true } },
        })).OkAsync<JsonElement>();
        var studentId = body.GetProperty("id").GetGuid();
        var student = await db.Students.SingleAsync(s => s.Id == studentId);
        if (status != StudentStatus.InSchool)
        {
            student.Status = status; // arranging the registry's state, as an earlier approved change would have left it
            await db.SaveChangesAsync();
        }
        var today = db.County.Today;
        var education = await db.Staff.Where(s => s.SchoolId == schoolId).OrderBy(s => s.Name).Select(s => s.Id).FirstAsync();
        var government = await db.Staff.Where(s => s.Path == villagePath).Select(s => s.Id).FirstAsync();
        var entry = new LedgerEntry
        {
            ChildKey = LedgerEntry.KeyOfStudent(studentId),
            StudentId = studentId,
            Name = student.Name,
            IdNumberMasked = student.IdNumberMasked,
            BirthDate = birth,
            Gender = gender,
            SchoolId = schoolId,
            Grade = cls.Grade,
            List = Baoxue.Features.Ledger.LedgerList.Dropout,
            State = LedgerEntryState.Confirmed,
            Source = Baoxue.Features.Ledger.LedgerSource.Tip,
            SourceKey = "test-" + Guid.NewGuid().ToString("N"),
            Reason = "连续旷课",
            ReportedOn = today.AddDays(-daysOut),
            ReportedAt = DateTime.UtcNow.AddDays(-daysOut),
            ReportedBy = "head.teacher",
            IsNew = true,
            Path = student.Path,
            ResidencePath = villagePath,
        };
        var @case = new LedgerCase
        {
            EntryId = entry.Id,
            State = state,
            OpenedAt = DateTime.UtcNow.AddDays(-daysOut + 5),
            EducationStaffId = education,
            GovernmentStaffId = government,
            Path = entry.Path,
            ResidencePath = villagePath,
        };
        db.LedgerEntries.Add(entry);
        db.LedgerCases.Add(@case);
        await db.SaveChangesAsync();
        return (@case.Id, studentId, entry.Id);
    }


    /// <summary>
    /// A child on the ledger without a registry record (as a tip, a department list or the household reconciliation leaves
    /// them), living in the village cadre's village, confirmed, with a case being persuaded by both lines.
    /// </summary>
    public static async Task<(Guid CaseId, Guid EntryId, string Name)> NeverEnrolledCaseAsync(BaoxueApp app, int n, bool withId)
    {
        await using var db = app.Db();
        var personal = app.Services.GetRequiredService<Baoxue.Infrastructure.Security.PersonalData>();
        var schoolId = (await db.Users.SingleAsync(u => u.UserName == "school.admin")).PlaceId;
        var villagePath = (await db.Users.SingleAsync(u => u.UserName == "village.cadre")).Path;
        var village = await db.Divisions.SingleAsync(d => d.Path == villagePath);
        var birth = new DateOnly(2017, 2, 1).AddDays(n * 3 + (app.Provider == "Postgres" ? 1 : 0));
        var gender = n % 2 == 0 ? Gender.Female : Gender.Male;
        var names = new ChineseNames(9100 + n + (app.Provider == "Postgres" ? 500 : 0));
        var name = names.FullName(gender);
        var id = withId ? names.IdNumberFor("350123", birth, gender) : null;
        var hash = id is null ? null : personal.Hash(id);
        var today = db.County.Today;
        var entry = new LedgerEntry
        {
            ChildKey = hash is null ? LedgerEntry.KeyOfPerson(name, birth, village.Code) : LedgerEntry.KeyOfId(hash),
            Name = name,
            IdNumberCipher = id is null ? null : personal.Encrypt(id),
            IdNumberHash = hash,
            IdNumberMasked = id is null ? null : IdNumber.Mask(id),
            BirthDate = birth,
            Gender = gender,
            HouseholdDivisionCode = village.Code,
            HouseholdAddress = village.Name + "二组",
            List = Baoxue.Features.Ledger.LedgerList.NotEnrolled,
            State = LedgerEntryState.Confirmed,
            Source = Baoxue.Features.Ledger.LedgerSource.Reconciliation,
            SourceKey = "test-" + Guid.NewGuid().ToString("N"),
            Reason = "户籍比对：适龄未入学",
            ReportedOn = today.AddDays(-60),
            ReportedAt = DateTime.UtcNow.AddDays(-60),
            ReportedBy = "county.admin",
            IsNew = true,
            Path = village.Path,
            ResidencePath = village.Path,
        };
        var @case = new LedgerCase
        {
            EntryId = entry.Id,
            State = LedgerCaseState.Persuading,
            OpenedAt = DateTime.UtcNow.AddDays(-55),
            EducationStaffId = await db.Staff.Where(s => s.SchoolId == schoolId).OrderBy(s => s.Name).Select(s => s.Id).FirstAsync(),
            GovernmentStaffId = await db.Staff.Where(s => s.Path == villagePath).Select(s => s.Id).FirstAsync(),
            Path = entry.Path,
            ResidencePath = village.Path,
        };
        db.LedgerEntries.Add(entry);
        db.LedgerCases.Add(@case);
        await db.SaveChangesAsync();
        return (@case.Id, entry.Id, name);
    }

    // A browser fixture serves on a real socket, where the in-memory test client does not reach.
    private static async Task<HttpClient> OnSocketAsync(Baoxue.Tests.Browser.BrowserApp app, string userName)
    {
        var client = new HttpClient { BaseAddress = app.Address };
        using var token = await client.PostAsJsonAsync("/api/v1/auth/token", new { userName, password = BaoxueApp.Password });
        token.EnsureSuccessStatusCode();
        var body = await token.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", body.GetProperty("accessToken").GetString());
        return client;
    }
}
