using System.Data.Common;
using System.Net;
using System.Text.Json;
using Baoxue.Domain;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Baoxue.Tests.Infrastructure.Auditing.AuditScenario;

namespace Baoxue.Tests.Infrastructure.Auditing;

/// <summary>
/// Someone with database access tries to rewrite history: the database itself refuses edits and deletions,
/// and a line slipped in behind the application's back is found by verification. Own fixture, because a
/// forged line stays in the log for good.
/// </summary>
public abstract class AuditTamperingTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : BaoxueApp
{
    private bool IsPostgres => app.Provider == "Postgres";

    [Fact]
    public async Task The_database_refuses_to_edit_or_delete_audit_lines()
    {
        await using var db = app.Db();
        var line = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Sequence).FirstAsync();
        var count = await db.AuditEntries.CountAsync();

        var edit = await Assert.ThrowsAnyAsync<DbException>(() =>
            db.Database.ExecuteSqlRawAsync("""UPDATE "AuditEntries" SET "UserName" = 'intruder', "After" = NULL WHERE "Sequence" = {0}""", line.Sequence));
        Assert.Contains("append-only", edit.Message, StringComparison.Ordinal);
        var delete = await Assert.ThrowsAnyAsync<DbException>(() =>
            db.Database.ExecuteSqlRawAsync("""DELETE FROM "AuditEntries" WHERE "Sequence" = {0}""", line.Sequence));
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("""DELETE FROM "AuditEntries" """));

        await using var after = app.Db();
        var kept = await after.AuditEntries.AsNoTracking().SingleAsync(a => a.Sequence == line.Sequence);
        Assert.Equal(line.UserName, kept.UserName);
        Assert.Equal(line.After, kept.After);
        Assert.Equal(line.Hash, kept.Hash);
        Assert.Equal(count, await after.AuditEntries.CountAsync());
    }

    [Fact]
    public async Task The_database_refuses_to_empty_the_audit_log_at_once()
    {
        await using var db = app.Db();
        var count = await db.AuditEntries.CountAsync();
        Assert.True(count > 0);
        // PostgreSQL empties a table with TRUNCATE, which row triggers do not see; SQLite has only DELETE.
        var empty = IsPostgres ? """TRUNCATE "AuditEntries" """ : """DELETE FROM "AuditEntries" """;

        // In a transaction rolled back afterwards, so that a failure here does not wipe the fixture's log.
        await using var transaction = await db.Database.BeginTransactionAsync();
        var refused = await Record.ExceptionAsync(() => db.Database.ExecuteSqlRawAsync(empty));
        var left = refused is null ? await db.AuditEntries.CountAsync() : count;
        await transaction.RollbackAsync();

        Assert.True(refused is DbException, $"{empty} was accepted and left {left} of {count} audit lines");
        Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_forged_behind_the_applications_back_is_reported_at_its_sequence()
    {
        using var inspector = await app.ClientAsync("inspector");
        Assert.Null(await FirstBrokenAsync(inspector));
        await using var db = app.Db();
        var last = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Sequence).FirstAsync();
        var forged = last.Sequence + 1;

        // Right place in the chain, plausible content, but a hash that was not computed from it.
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO "AuditEntries" ("Sequence", "At", "UserId", "UserName", "Action", "EntityType", "EntityId", "Path", "Before", "After", "IpAddress", "PreviousHash", "Hash")
            VALUES ({0}, {1}, NULL, {2}, {3}, {4}, NULL, {5}, NULL, {6}, NULL, {7}, {8})
            """,
            forged, DateTime.UtcNow, "county.admin", (int)AuditAction.Update, "School", last.Path, """{"Name":"罗源县伪造小学"}""", last.Hash, new string('a', 64));

        Assert.Equal(forged, await FirstBrokenAsync(inspector));

        // Later lines chain on, but the break stays found where it is.
        using var admin = await app.ClientAsync("county.admin");
        var township = await TownshipAsync(app, "凤山镇");
        await CreateSchoolAsync(admin, NewSchoolCode(), Unique("罗源县篡改后小学"), township.Id);
        Assert.True(await LastSequenceAsync(app) > forged);
        Assert.Equal(forged, await FirstBrokenAsync(inspector));

        var page = await Pages.PostFormAsync(inspector, "/audit", "verify", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var text = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains($"日志链在第 {forged} 条处断裂", text, StringComparison.Ordinal);
    }

    private static async Task<long?> FirstBrokenAsync(HttpClient client)
    {
        var response = await client.PostAsync("/api/v1/audit/verify", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var verdict = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(verdict.RootElement.GetProperty("checked").GetInt64() > 0);
        var broken = verdict.RootElement.GetProperty("firstBrokenSequence");
        return broken.ValueKind == JsonValueKind.Null ? null : broken.GetInt64();
    }
}

public sealed class AuditTamperingTests_Sqlite(SqliteApp app) : AuditTamperingTests<SqliteApp>(app);

public sealed class AuditTamperingTests_Postgres(PostgresApp app) : AuditTamperingTests<PostgresApp>(app);
