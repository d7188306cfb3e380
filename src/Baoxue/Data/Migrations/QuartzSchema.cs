namespace Baoxue.Data.Migrations;

/// <summary>
/// Quartz.NET's own PostgreSQL schema for its ADO job store, as the Quartz assembly embeds it (the script its
/// <c>SchemaProvisioning.CreateIfMissing</c> would run), with our table prefix: migration M0013 creates the tables with
/// the rest of the database, and the scheduler only validates them, so the app never needs DDL rights at run time.
/// </summary>
public static class QuartzSchema
{
    /// <summary>The scheduler's tables live in a schema of their own, outside the application's model.</summary>
    public const string TablePrefix = "quartz.qrtz_";
    private const string Resource = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";

    public static IEnumerable<string> PostgresStatements()
    {
        var assembly = typeof(Quartz.IJob).Assembly;
        using var stream = assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The Quartz assembly no longer embeds {Resource}.");
        using var reader = new StreamReader(stream);
        var script = reader.ReadToEnd().Replace("{0}", TablePrefix, StringComparison.Ordinal).Replace("{1}", "qrtz_", StringComparison.Ordinal);
        return script.Split("\n--;;", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => string.Join('\n', s.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim())
            .Where(s => s.Length > 0)
            .ToList();
    }
}
