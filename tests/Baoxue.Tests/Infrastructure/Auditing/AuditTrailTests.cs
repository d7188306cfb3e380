using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Features.Audit;
using Baoxue.Infrastructure.Spreadsheets;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Baoxue.Tests.Infrastructure.Auditing.AuditScenario;

namespace Baoxue.Tests.Infrastructure.Auditing;

/// <summary>
/// Every change leaves a line saying who changed what from what to what; the log can be searched, read on
/// the audit page, exported, verified, and is seen only within the reader's jurisdiction.
/// </summary>
public abstract class AuditTrailTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private const string Township = "凤山镇";
    private const string SchoolAdminsSchool = "罗源县凤山中心小学";

    [Fact]
    public async Task Creating_then_renaming_a_school_logs_who_did_it_and_the_old_and_new_name()
    {
        using var admin = await app.ClientAsync("county.admin");
        var township = await TownshipAsync(app, Township);
        var school = await CreateSchoolAsync(admin, NewSchoolCode(), Unique("罗源县审计小学"), township.Id);
        var newName = Unique("罗源县更名小学");

        await RenameSchoolAsync(admin, school, newName);

        var lines = await LinesAsync(admin, $"entityType=School&entityId={school.Id}");
        Assert.Equal([AuditAction.Update, AuditAction.Create], lines.Select(l => l.Action));
        Assert.All(lines, l => Assert.Equal("county.admin", l.UserName));
        Assert.All(lines, l => Assert.Equal("School", l.EntityType));

        var update = lines[0];
        var before = Values(update.Before);
        var after = Values(update.After);
        Assert.Equal(school.Name, before["Name"].GetString());
        Assert.Equal(newName, after["Name"].GetString());
        Assert.Equal(["Name"], after.Keys); // only what changed

        var create = lines[1];
        Assert.Null(create.Before);
        var created = Values(create.After);
        Assert.Equal(school.Name, created["Name"].GetString());
        Assert.Equal(school.Code, created["Code"].GetString());
    }

    [Fact]
    public async Task Account_lines_show_the_password_hash_and_security_stamp_only_as_stars()
    {
        using var admin = await app.ClientAsync("county.admin");
        var township = await TownshipAsync(app, Township);
        var userName = Unique("probe.");
        var id = await CreateTownshipInspectorAsync(admin, userName, township.Id, BaoxueApp.Password);
        var (firstHash, firstStamp) = await SecretsAsync(id);

        // A password change rewrites both secrets; signing in with the new password writes more lines.
        const string NewPassword = "Probe#Pass2026";
        var change = await admin.PutAsJsonAsync($"/api/v1/accounts/{id}", new
        {
            userName,
            displayName = "乡镇督学",
            role = "Inspector",
            placeKind = "Township",
            placeId = township.Id,
            password = NewPassword,
        });
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        await app.TokenAsync(userName, NewPassword);
        var (secondHash, secondStamp) = await SecretsAsync(id);
        Assert.NotEqual(firstHash, secondHash);
        string[] secrets = [firstHash, firstStamp, secondHash, secondStamp, NewPassword];

        await using var db = app.Db();
        var stored = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "AppUser" && a.EntityId == id.ToString()).OrderBy(a => a.Sequence).ToListAsync();
        Assert.Contains(stored, a => a.Action == AuditAction.Update);
        var create = Assert.Single(stored, a => a.Action == AuditAction.Create);
        var created = Values(create.After);
        Assert.Equal("***", created["PasswordHash"].GetString());
        Assert.Equal("***", created["SecurityStamp"].GetString());
        foreach (var secret in secrets)
        {
            Assert.False(await db.AuditEntries.AnyAsync(a => a.Before!.Contains(secret) || a.After!.Contains(secret)), "a secret is in the audit log in clear");
        }

        // What an auditor reads over the API.
        using var inspector = await app.ClientAsync("inspector");
        var shown = await inspector.GetStringAsync($"/api/v1/audit/?entityType=AppUser&entityId={id}");
        Assert.Contains("***", shown, StringComparison.Ordinal);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, shown, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verifying_the_log_after_changes_finds_every_line_intact()
    {
        using var admin = await app.ClientAsync("county.admin");
        var township = await TownshipAsync(app, Township);
        var school = await CreateSchoolAsync(admin, NewSchoolCode(), Unique("罗源县校验小学"), township.Id);
        await RenameSchoolAsync(admin, school, Unique("罗源县校验更名小学"));
        using var inspector = await app.ClientAsync("inspector");
        var lines = await LastSequenceAsync(app);

        var response = await inspector.PostAsync("/api/v1/audit/verify", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var verdict = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Null, verdict.RootElement.GetProperty("firstBrokenSequence").ValueKind);
        var checkedLines = verdict.RootElement.GetProperty("checked").GetInt64();
        Assert.True(checkedLines > 0);
        Assert.Equal(lines, checkedLines); // the whole log, not a sample

        var page = await Pages.PostFormAsync(inspector, "/audit", "verify", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var text = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains($"日志链完整：已校验 {Baoxue.Infrastructure.Localization.ChineseFormat.Number(lines)} 条记录", text, StringComparison.Ordinal);
        Assert.DoesNotContain("断裂", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_log_can_be_searched_by_user_record_action_and_date()
    {
        using var admin = await app.ClientAsync("county.admin");
        using var bureau = await app.ClientAsync("bureau.staff");
        var township = await TownshipAsync(app, Township);
        var school = await CreateSchoolAsync(admin, NewSchoolCode(), Unique("罗源县检索小学"), township.Id);
        await RenameSchoolAsync(bureau, school, Unique("罗源县检索更名小学"));
        var record = $"entityId={school.Id}";

        var all = await LinesAsync(admin, record);
        Assert.Equal(2, all.Count);

        var byBureau = Assert.Single(await LinesAsync(admin, $"{record}&user=bureau.staff"));
        Assert.Equal(AuditAction.Update, byBureau.Action);
        Assert.Equal("bureau.staff", byBureau.UserName);
        Assert.All(await LinesAsync(admin, "user=bureau.staff"), l => Assert.Equal("bureau.staff", l.UserName));

        var created = Assert.Single(await LinesAsync(admin, $"{record}&action=Create"));
        Assert.Equal("county.admin", created.UserName);
        Assert.All(await LinesAsync(admin, "action=Update"), l => Assert.Equal(AuditAction.Update, l.Action));

        Assert.Equal(2, (await LinesAsync(admin, $"{record}&entityType=School")).Count);
        Assert.Empty(await LinesAsync(admin, $"{record}&entityType=Staff"));

        // Days are the county's days (China Standard Time), whatever the server's clock zone.
        var zone = app.Services.GetRequiredService<LocalZone>().Zone;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(all[^1].At, zone));
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(all[0].At, zone));
        Assert.Equal(2, (await LinesAsync(admin, $"{record}&from={Iso(day)}&to={Iso(lastDay)}")).Count);
        Assert.Empty(await LinesAsync(admin, $"{record}&from={Iso(lastDay.AddDays(1))}"));
        Assert.Empty(await LinesAsync(admin, $"{record}&to={Iso(day.AddDays(-1))}"));
    }

    [Fact]
    public async Task The_audit_page_shows_chinese_column_headers_and_the_chosen_entries()
    {
        using var admin = await app.ClientAsync("county.admin");
        var township = await TownshipAsync(app, Township);
        var school = await CreateSchoolAsync(admin, NewSchoolCode(), Unique("罗源县页面小学"), township.Id);
        var newName = Unique("罗源县页面更名小学");
        await RenameSchoolAsync(admin, school, newName);
        var unrelated = await CreateSchoolAsync(admin, NewSchoolCode(), Unique("罗源县无关小学"), township.Id);
        using var inspector = await app.ClientAsync("inspector");

        var (status, html) = await Pages.GetAsync(inspector, $"/audit?entityId={school.Id}");

        Assert.Equal(HttpStatusCode.OK, status);
        var text = WebUtility.HtmlDecode(html);
        Assert.Contains("操作日志", text, StringComparison.Ordinal);
        foreach (var header in new[] { "序号", "时间", "操作人", "操作", "记录类型", "修改前", "修改后" })
        {
            Assert.Contains($"<th>{header}</th>", text, StringComparison.Ordinal);
        }
        // Who: the person's name, their user name beneath (issue 7 item 9).
        Assert.Contains("<td>系统管理员<div class=\"text-muted\">county.admin</div></td>", text, StringComparison.Ordinal);
        Assert.Contains("<td>新增</td>", text, StringComparison.Ordinal);
        Assert.Contains("<td>修改</td>", text, StringComparison.Ordinal);
        Assert.Contains(school.Name, text, StringComparison.Ordinal);
        Assert.Contains(newName, text, StringComparison.Ordinal);
        Assert.DoesNotContain(unrelated.Name, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_export_is_a_workbook_with_chinese_headers_holding_the_chosen_lines_and_is_itself_logged()
    {
        using var admin = await app.ClientAsync("county.admin");
        var township = await TownshipAsync(app, Township);
        var school = await CreateSchoolAsync(admin, NewSchoolCode(), Unique("罗源县导出小学"), township.Id);
        await RenameSchoolAsync(admin, school, Unique("罗源县导出更名小学"));
        var shown = await LinesAsync(admin, $"entityId={school.Id}");
        var before = await LastSequenceAsync(app);

        var response = await admin.GetAsync($"/api/v1/audit/export?entityId={school.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        using var file = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var sheet = SpreadsheetReader.Open(file, "操作日志.xlsx");
        Assert.Equal(["序号", "时间", "操作人", "操作", "记录类型", "记录编号", "修改前", "修改后", "IP地址", "校验值"], sheet.Headers);
        var rows = new List<SheetRow>();
        while (sheet.TryReadRow(out var row))
        {
            rows.Add(row);
        }
        Assert.Equal(shown.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var line = shown[i];
            Assert.Equal(line.Sequence.ToString(CultureInfo.InvariantCulture), rows[i][0].Text);
            Assert.Equal(line.UserName, rows[i][2].Text);
            Assert.Equal(line.Action == AuditAction.Create ? "新增" : "修改", rows[i][3].Text);
            Assert.Equal("School", rows[i][4].Text);
            Assert.Equal(school.Id.ToString(), rows[i][5].Text);
            Assert.Equal(line.Before ?? "", rows[i][6].Text);
            Assert.Equal(line.After ?? "", rows[i][7].Text);
            Assert.Equal(line.Hash, rows[i][9].Text);
        }

        await using var db = app.Db();
        var export = Assert.Single(await db.AuditEntries.AsNoTracking().Where(a => a.Sequence > before && a.Action == AuditAction.Export).ToListAsync());
        Assert.Equal("county.admin", export.UserName);
        Assert.Equal("AuditEntry", export.EntityType);
        Assert.Equal($"{{\"rows\":{rows.Count}}}", export.After);
        Assert.Contains(await LinesAsync(admin, "action=Export&user=county.admin"), l => l.Sequence == export.Sequence);
    }

    [Fact]
    public async Task Readers_see_audit_lines_only_within_their_jurisdiction()
    {
        using var admin = await app.ClientAsync("county.admin");
        var fengshan = await TownshipAsync(app, Township);
        var elsewhere = await OtherTownshipAsync(app, Township);
        var schoolAdminsSchool = await SchoolAsync(app, SchoolAdminsSchool);
        var staff = await CreateStaffAtSchoolAsync(admin, schoolAdminsSchool.Id, Unique("陈老师"));
        var farSchool = await CreateSchoolAsync(admin, NewSchoolCode(), Unique("罗源县远处小学"), elsewhere.Id);

        // The county inspector reads the whole county.
        using var inspector = await app.ClientAsync("inspector");
        Assert.Single(await LinesAsync(inspector, $"entityId={staff.Id}"));
        Assert.Single(await LinesAsync(inspector, $"entityId={farSchool.Id}"));

        // An inspector bound to 凤山镇 reads 凤山镇 only.
        var localInspector = Unique("fs.inspector.");
        await CreateTownshipInspectorAsync(admin, localInspector, fengshan.Id, BaoxueApp.Password);
        using var local = await app.ClientAsync(localInspector);
        Assert.Single(await LinesAsync(local, $"entityId={staff.Id}"));
        Assert.Empty(await LinesAsync(local, $"entityId={farSchool.Id}"));
        Assert.All(await LinesAsync(local, ""), l => Assert.NotEqual(farSchool.Id.ToString(), l.EntityId));

        // The same rule holds for every reader of the table, whatever feature reads it.
        await using (var schoolAdmin = await app.DbAs("school.admin"))
        {
            Assert.True(await schoolAdmin.AuditEntries.AnyAsync(a => a.EntityId == staff.Id.ToString()));
            Assert.False(await schoolAdmin.AuditEntries.AnyAsync(a => a.EntityId == farSchool.Id.ToString()));
            Assert.All(await schoolAdmin.AuditEntries.AsNoTracking().ToListAsync(), a => Assert.StartsWith(schoolAdminsSchool.Path, a.Path, StringComparison.Ordinal));
        }
        await using (var headTeacher = await app.DbAs("head.teacher"))
        {
            // A class sees nothing of what happened at its school's level.
            Assert.False(await headTeacher.AuditEntries.AnyAsync(a => a.EntityId == staff.Id.ToString()));
        }
    }

    private async Task<(string Hash, string Stamp)> SecretsAsync(Guid userId)
    {
        await using var db = app.Db();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId);
        Assert.False(string.IsNullOrEmpty(user.PasswordHash));
        Assert.False(string.IsNullOrEmpty(user.SecurityStamp));
        return (user.PasswordHash, user.SecurityStamp);
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed class AuditTrailTests_Sqlite(SqliteApp app) : AuditTrailTests<SqliteApp>(app);

public sealed class AuditTrailTests_Postgres(PostgresApp app) : AuditTrailTests<PostgresApp>(app);
