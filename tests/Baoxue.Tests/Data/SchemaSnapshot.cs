using System.Data.Common;

namespace Baoxue.Tests.Data;

/// <summary>A database's schema as sorted lines of text: tables, columns, keys, indexes and foreign keys.</summary>
public static class SchemaSnapshot
{
    public static async Task<string> ReadAsync(DbConnection connection, string provider)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }
        var lines = provider == "Sqlite" ? await SqliteAsync(connection) : await PostgresAsync(connection);
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private static async Task<List<string>> SqliteAsync(DbConnection c)
    {
        var lines = new List<string>();
        var tables = await ColumnAsync(c, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' AND name NOT LIKE '!_!_EFMigrations%' ESCAPE '!'");
        foreach (var t in tables)
        {
            foreach (var r in await RowsAsync(c, $"PRAGMA table_info(\"{t}\")"))
            {
                lines.Add($"column {t}.{r[1]} {r[2]} notnull={r[3]} pk={r[5]}");
            }
            foreach (var r in await RowsAsync(c, $"PRAGMA index_list(\"{t}\")"))
            {
                var columns = (await RowsAsync(c, $"PRAGMA index_info(\"{r[1]}\")")).Select(x => x[2]);
                lines.Add($"index {t}.{r[1]} unique={r[2]} origin={r[3]} partial={r[4]} ({string.Join(",", columns)})");
            }
            foreach (var r in await RowsAsync(c, $"PRAGMA foreign_key_list(\"{t}\")"))
            {
                lines.Add($"fk {t}.{r[3]} -> {r[2]}.{r[4]} on delete {r[6]}");
            }
        }
        return lines;
    }

    private static async Task<List<string>> PostgresAsync(DbConnection c)
    {
        var lines = new List<string>();
        foreach (var r in await RowsAsync(c, """
            SELECT table_name, column_name, data_type, coalesce(character_maximum_length::text, ''), is_nullable, coalesce(column_default, ''), is_identity
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
            """))
        {
            lines.Add($"column {r[0]}.{r[1]} {r[2]}({r[3]}) nullable={r[4]} default={r[5]} identity={r[6]}");
        }
        foreach (var r in await RowsAsync(c, "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'"))
        {
            lines.Add($"index {r[0]}.{r[1]} {r[2]}");
        }
        foreach (var r in await RowsAsync(c, """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '"__EFMigrationsHistory"'
            """))
        {
            lines.Add($"constraint {r[0]}.{r[1]} {r[2]}");
        }
        return lines;
    }

    private static async Task<List<string>> ColumnAsync(DbConnection c, string sql) => [.. (await RowsAsync(c, sql)).Select(r => r[0])];

    private static async Task<List<string[]>> RowsAsync(DbConnection c, string sql)
    {
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            }
            rows.Add(row);
        }
        return rows;
    }
}
