using System.Data.Common;
using System.Globalization;
using Baoxue.Domain;

namespace Baoxue.Data.Bulk;

/// <summary>SQLite: one transaction (the caller's), each INSERT prepared once and reused for every row.</summary>
internal sealed class SqliteStudentBulkWriter : StudentBulkWriterBase
{
    // The default page cache (2 MB) makes every insert into the random-ordered ID-hash index a trip to the file;
    // 32 MB keeps most of a county's indexes in memory while the import runs, and is given back afterwards.
    private const string BigCache = "PRAGMA cache_size = -32768", DefaultCache = "PRAGMA cache_size = -2000";

    public SqliteStudentBulkWriter(DbTransaction transaction) : base(transaction) => Pragma(BigCache);

    protected override bool Synchronous => true;

    public override ValueTask DisposeAsync()
    {
        Pragma(DefaultCache);
        return base.DisposeAsync();
    }

    private void Pragma(string sql)
    {
        using var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    // As EF Core's SQLite provider stores them: GUIDs as upper-case text, dates as yyyy-MM-dd, booleans as 0/1.
    protected override object Bind(object value) => value switch
    {
        Guid g => g.ToString().ToUpperInvariant(),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? 1 : 0,
        _ => value,
    };

    public override async Task InsertAsync(IReadOnlyList<Student> students, CancellationToken ct = default)
    {
        var student = Command($"INSERT INTO \"Students\" ({StudentColumns}) VALUES ({Placeholders(20)})", 20);
        var guardian = Command($"INSERT INTO \"Guardians\" ({GuardianColumns}) VALUES ({Placeholders(6)})", 6);
        var tag = Command($"INSERT INTO \"GroupTags\" ({TagColumns}) VALUES ({Placeholders(8)})", 8);
        foreach (var s in students)
        {
            await RunAsync(student, StudentValues(s), ct);
            foreach (var g in s.Guardians)
            {
                await RunAsync(guardian, GuardianValues(g), ct);
            }
            foreach (var t in s.Tags)
            {
                await RunAsync(tag, TagValues(t), ct);
            }
        }
    }

    private static string Placeholders(int n) => string.Join(", ", Enumerable.Range(0, n).Select(i => "@p" + i.ToString(CultureInfo.InvariantCulture)));
}
