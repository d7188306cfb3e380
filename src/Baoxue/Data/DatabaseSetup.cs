using Baoxue.Infrastructure.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Baoxue.Data;

public static class DatabaseSetup
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    /// <summary><c>Database:Provider</c> (Sqlite, the default, or Postgres) and <c>ConnectionStrings:Baoxue</c>.</summary>
    public static void AddDatabase(this WebApplicationBuilder builder)
    {
        var provider = builder.Configuration["Database:Provider"] ?? Sqlite;
        var connection = builder.Configuration.GetConnectionString("Baoxue");
        var root = builder.Environment.ContentRootPath;
        var strict = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing");
        builder.Services.AddDbContext<BaoxueDb>(o => Configure(o, provider, connection, root, strict), optionsLifetime: ServiceLifetime.Singleton);
        builder.Services.AddScoped<ICurrentUser, HttpCurrentUser>();
        builder.Services.AddSingleton<SystemDb>();
    }

    /// <param name="strict">
    /// In development and tests a page or limit without an order is an error, not a log line: its rows would differ from
    /// one call to the next (and between the two databases), which a test then catches where a warning scrolls by.
    /// </param>
    public static void Configure(DbContextOptionsBuilder options, string provider, string? connection, string contentRoot, bool strict = false)
    {
        if (string.Equals(provider, Postgres, StringComparison.OrdinalIgnoreCase))
        {
            options.UseNpgsql(connection ?? throw new InvalidOperationException("ConnectionStrings:Baoxue is required for PostgreSQL."));
        }
        else if (string.Equals(provider, Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connection))
            {
                var folder = Path.Combine(contentRoot, "data");
                Directory.CreateDirectory(folder);
                connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "baoxue.db"), DefaultTimeout = 30 }.ToString();
            }
            options.UseSqlite(connection);
        }
        else
        {
            throw new InvalidOperationException($"Database:Provider must be {Sqlite} or {Postgres}, not '{provider}'.");
        }
        // Migrations are written by hand without model snapshots; a test proves the migrated schema equals the model.
        options.ConfigureWarnings(w =>
        {
            w.Ignore(RelationalEventId.PendingModelChangesWarning);
            if (strict)
            {
                w.Throw(CoreEventId.RowLimitingOperationWithoutOrderByWarning);
            }
        });
    }

    public static async Task MigrateAsync(BaoxueDb db, CancellationToken ct = default)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await db.Database.CloseConnectionAsync();
        }
        await db.Database.MigrateAsync(ct);
        await NameKeys.FillMissingAsync(db, ct);
    }
}

/// <summary>Opens the database as the system itself (no jurisdiction), for start-up, commands and background work.</summary>
public sealed class SystemDb(IServiceProvider services, TimeProvider clock)
{
    public BaoxueDb Open(string actor = "system")
    {
        var options = services.GetRequiredService<DbContextOptions<BaoxueDb>>();
        return new BaoxueDb(options, new SystemUser(actor), clock);
    }
}
