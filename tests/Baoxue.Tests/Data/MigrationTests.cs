using Baoxue.Data;
using Baoxue.Domain;
using Baoxue.Infrastructure.Security;
using Baoxue.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Baoxue.Tests.Data;

/// <summary>The hand-written migrations build exactly the schema the EF model describes, and upgrade without losing rows.</summary>
public abstract class MigrationTests : IAsyncLifetime
{
    protected abstract string Provider { get; }
    protected abstract Task<string> NewDatabaseAsync();
    private readonly List<string> _databases = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await DropAsync(database);
        }
    }

    protected abstract Task DropAsync(string connectionString);

    private async Task<BaoxueDb> OpenAsync()
    {
        var connection = await NewDatabaseAsync();
        _databases.Add(connection);
        var options = new DbContextOptionsBuilder<BaoxueDb>();
        DatabaseSetup.Configure(options, Provider, connection, Path.GetTempPath());
        return new BaoxueDb(options.Options, new SystemUser(), TimeProvider.System);
    }

    [Fact]
    public async Task Migrated_schema_equals_the_model()
    {
        await using var migrated = await OpenAsync();
        await DatabaseSetup.MigrateAsync(migrated);
        await using var created = await OpenAsync();
        // EnsureCreated builds the schema straight from the model: the reference the migrations must match.
        await created.Database.EnsureCreatedAsync();

        var expected = await SchemaSnapshot.ReadAsync(created.Database.GetDbConnection(), Provider);
        var actual = await SchemaSnapshot.ReadAsync(migrated.Database.GetDbConnection(), Provider);
        Assert.Equal(expected, actual);
        Assert.Contains("Schools", actual, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrading_from_the_previous_migration_keeps_rows()
    {
        await using var db = await OpenAsync();
        var migrations = db.Database.GetMigrations().ToList();
        Assert.True(migrations.Count >= 2, "There should be at least two migrations to upgrade across.");
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(migrations[^2]);

        // Upper case: the way EF stores Guids as text in SQLite, and still a valid uuid literal for PostgreSQL.
        var countyId = Guid.NewGuid().ToString().ToUpperInvariant();
        var townshipId = Guid.NewGuid().ToString().ToUpperInvariant();
        var schoolGuid = Guid.NewGuid();
        var schoolId = schoolGuid.ToString().ToUpperInvariant();
        var bool1 = Provider == "Sqlite" ? "1" : "TRUE";
#pragma warning disable EF1002 // the values are the test's own Guids
        await db.Database.ExecuteSqlRawAsync($"""
            INSERT INTO "Divisions" ("Id", "Code", "Name", "Level", "ParentId", "Path", "Kind") VALUES ('{countyId}', '350123', '罗源县', 3, NULL, '350123/', NULL);
            INSERT INTO "Divisions" ("Id", "Code", "Name", "Level", "ParentId", "Path", "Kind") VALUES ('{townshipId}', '350123100', '凤山镇', 4, '{countyId}', '350123/350123100/', 'Town');
            INSERT INTO "Schools" ("Id", "Code", "Name", "Kind", "TownshipId", "IsActive", "Path") VALUES ('{schoolId}', '2135012399', '罗源县凤山中心小学', 1, '{townshipId}', {bool1}, '350123/350123100/2135012399/');
            """);
#pragma warning restore EF1002

        await migrator.MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var school = await db.Schools.Include(s => s.Township).SingleAsync(s => s.Id == schoolGuid);
        Assert.Equal("罗源县凤山中心小学", school.Name);
        Assert.Equal("凤山镇", school.Township!.Name);
        Assert.Equal(SchoolKind.Primary, school.Kind);
    }
}

public sealed class MigrationTests_Sqlite : MigrationTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("baoxue-migrate-").FullName;
    protected override string Provider => "Sqlite";

    protected override Task<string> NewDatabaseAsync() =>
        Task.FromResult($"Data Source={Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".db")}");

    protected override Task DropAsync(string connectionString) => Task.CompletedTask;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed class MigrationTests_Postgres : MigrationTests
{
    protected override string Provider => "Postgres";

    protected override async Task<string> NewDatabaseAsync()
    {
        var name = "baoxue_m_" + Guid.NewGuid().ToString("N")[..12];
        await TestDatabases.CreatePostgresAsync(name);
        return TestDatabases.Postgres(name);
    }

    protected override Task DropAsync(string connectionString) =>
        TestDatabases.DropPostgresAsync(new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!);
}
