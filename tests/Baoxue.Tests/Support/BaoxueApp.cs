using System.Net.Http.Headers;
using System.Net.Http.Json;
using Baoxue.Data;
using Baoxue.Infrastructure.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Baoxue.Tests.Support;

/// <summary>
/// The real application over a real database, seeded with the demo county. One per provider per test
/// class fixture; tests that change data use codes and names of their own so they do not disturb others.
/// </summary>
public abstract class BaoxueApp(TestDatabase database) : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "Baoxue@2026";
    private readonly Dictionary<string, string> _tokens = [];
    private readonly Dictionary<string, string> _settings = new()
    {
        ["Demo:Enabled"] = "true",
        ["Demo:Password"] = Password,
        // Tests make the students they need; DemoStudentsTests asks for the full county.
        ["Demo:Students"] = "0",
        // Tests sign in and import far faster than people; the limits have their own test.
        ["Security:SignInsPerMinute"] = "100000",
        ["Security:ImportsPerMinute"] = "100000",
        ["Security:LookupsPerMinute"] = "100000",
        // Figures are recomputed when a test asks: a recompute at start-up would write beside tests that count audit lines.
        ["Rates:RecomputeMinutes"] = "0",
        // Each app signs its own audit head: apps share the content root, not the database.
        ["Security:AuditCheckpointFile"] = Path.Combine(Path.GetTempPath(), $"baoxue-checkpoint-{Guid.NewGuid():N}.json"),
    };

    public string Provider => database.Provider;
    public string ConnectionString => database.ConnectionString;

    /// <summary>Settings a fixture changes before the app starts.</summary>
    public BaoxueApp With(string key, string value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider);
        builder.UseSetting("ConnectionStrings:Baoxue", database.ConnectionString);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public virtual async Task InitializeAsync()
    {
        await database.CreateAsync();
        Start();
    }

    /// <summary>Starts the app: migrations and demo seeding run here.</summary>
    protected virtual void Start() => _ = Server;

    public string Setting(string key) => _settings[key];

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await database.DropAsync();
        File.Delete(_settings["Security:AuditCheckpointFile"]);
    }

    /// <summary>A database context that sees everything (no jurisdiction), for arranging and asserting.</summary>
    public BaoxueDb Db() => Services.GetRequiredService<SystemDb>().Open("test");

    /// <summary>A database context acting as the given demo account, scoped to its jurisdiction.</summary>
    public async Task<BaoxueDb> DbAs(string userName)
    {
        await using var db = Db();
        var user = await db.Users.SingleAsync(u => u.UserName == userName);
        var options = Services.GetRequiredService<DbContextOptions<BaoxueDb>>();
        return new BaoxueDb(options, new TestUser(user.Id, userName, user.Role, user.Path), TimeProvider.System);
    }

    public async Task<string> TokenAsync(string userName, string password = Password)
    {
        if (_tokens.TryGetValue(userName, out var cached))
        {
            return cached;
        }
        using var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { userName, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenBody>();
        return _tokens[userName] = body!.AccessToken;
    }

    /// <summary>An API client signed in (bearer token) as a demo account.</summary>
    public async Task<HttpClient> ClientAsync(string userName)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(userName));
        return client;
    }

    public HttpClient AnonymousClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private sealed record TokenBody(string AccessToken, long ExpiresIn);

    private sealed record TestUser(Guid? Id, string UserName, Baoxue.Domain.Role? Role, string? ScopePath) : ICurrentUser
    {
        public string? IpAddress => "127.0.0.1";
    }
}

public sealed class SqliteApp() : BaoxueApp(TestDatabase.Sqlite());

public sealed class PostgresApp() : BaoxueApp(TestDatabase.Postgres());

/// <summary>One test app's own database: created before the app starts, dropped after it stops.</summary>
public abstract class TestDatabase
{
    public abstract string Provider { get; }
    public abstract string ConnectionString { get; }
    public virtual Task CreateAsync() => Task.CompletedTask;
    public abstract Task DropAsync();

    public static TestDatabase Sqlite() => new SqliteFile();
    public static TestDatabase Postgres() => new PostgresDatabase();

    /// <summary>Another app server's view of a database some other fixture created and will drop.</summary>
    public static TestDatabase SharedWith(BaoxueApp owner, string connectionString) => new Shared(owner.Provider, connectionString);

    private sealed class Shared(string provider, string connectionString) : TestDatabase
    {
        public override string Provider => provider;
        public override string ConnectionString => connectionString;
        public override Task DropAsync() => Task.CompletedTask;
    }

    private sealed class SqliteFile : TestDatabase
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("baoxue-test-").FullName;
        public override string Provider => "Sqlite";
        public override string ConnectionString => $"Data Source={Path.Combine(_folder, "baoxue.db")};Default Timeout=30";

        public override Task DropAsync()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
            return Task.CompletedTask;
        }
    }

    private sealed class PostgresDatabase : TestDatabase
    {
        private readonly string _database = "baoxue_" + Guid.NewGuid().ToString("N")[..12];
        public override string Provider => "Postgres";
        public override string ConnectionString => TestDatabases.Postgres(_database);
        public override Task CreateAsync() => TestDatabases.CreatePostgresAsync(_database);
        public override Task DropAsync() => TestDatabases.DropPostgresAsync(_database);
    }
}

/// <summary>Where the test databases live: SQLite files in temp folders, PostgreSQL from test.sh's throwaway cluster.</summary>
public static class TestDatabases
{
    /// <summary>Set by test.sh. Without it the PostgreSQL tests fail rather than skip: nothing is skipped.</summary>
    public static string ServerConnection =>
        Environment.GetEnvironmentVariable("BAOXUE_TEST_POSTGRES")
        ?? throw new InvalidOperationException("BAOXUE_TEST_POSTGRES is not set: run the tests with ./test.sh, which starts a PostgreSQL cluster.");

    public static string Postgres(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnection) { Database = database, Pooling = true }.ToString();

    public static async Task CreatePostgresAsync(string database)
    {
        await using var connection = new NpgsqlConnection(ServerConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\" ENCODING 'UTF8' TEMPLATE template0", connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task DropPostgresAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ServerConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
