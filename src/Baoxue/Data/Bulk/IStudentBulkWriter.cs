using System.Data.Common;
using Baoxue.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Baoxue.Data.Bulk;

/// <summary>Which optional parts of an existing student an import overwrites (the sheet had those columns).</summary>
[Flags]
public enum StudentUpdateParts
{
    None = 0,
    Household = 1,
    HouseholdType = 2,
    Residence = 4,
    Guardians = 8,
    Tags = 16,
}

/// <summary>
/// Writes many students below EF (DESIGN.md: bulk paths), inside the context's current transaction: the caller
/// begins it, appends its audit line through EF and commits, or disposes it to leave nothing behind. Jurisdiction
/// and validation are the caller's job: nothing here checks them.
/// </summary>
public interface IStudentBulkWriter : IAsyncDisposable
{
    /// <summary>Inserts the students with their guardians and priority-group tags.</summary>
    Task InsertAsync(IReadOnlyList<Student> students, CancellationToken ct = default);

    /// <summary>
    /// Overwrites existing students (matched by their key): identity fields, class, grade and path always,
    /// the optional <paramref name="parts"/> when given. Guardians are replaced; tags keep their start date when their kind stays.
    /// </summary>
    Task UpdateAsync(IReadOnlyList<Student> students, StudentUpdateParts parts, CancellationToken ct = default);
}

public static class StudentBulk
{
    /// <summary>The writer for the context's provider: binary COPY on PostgreSQL, prepared inserts on SQLite.</summary>
    public static IStudentBulkWriter Create(BaoxueDb db)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk writes run inside a transaction: call Database.BeginTransactionAsync first.");
        return db.Database.IsNpgsql()
            ? new PostgresStudentBulkWriter(transaction)
            : new SqliteStudentBulkWriter(transaction);
    }
}

/// <summary>Prepared ADO.NET commands shared by both providers; the providers differ in how values are bound and in inserting.</summary>
internal abstract class StudentBulkWriterBase(DbTransaction transaction) : IStudentBulkWriter
{
    protected const string StudentColumns = "\"Id\", \"RegistryNumber\", \"IdNumberCipher\", \"IdNumberHash\", \"IdNumberMasked\", \"Name\", \"Gender\", \"BirthDate\", \"Ethnicity\", \"HouseholdRegionCode\", \"HouseholdAddress\", \"HouseholdType\", \"Residence\", \"SchoolId\", \"ClassId\", \"Grade\", \"Status\", \"EnrolledOn\", \"Path\", \"NameKey\"";
    protected const string GuardianColumns = "\"Id\", \"StudentId\", \"Relation\", \"Name\", \"Phone\", \"WorksAway\"";
    protected const string TagColumns = "\"Id\", \"StudentId\", \"Kind\", \"DisabilityType\", \"DisabilityGrade\", \"Source\", \"StartedOn\", \"EndedOn\"";

    private readonly Dictionary<string, DbCommand> _commands = [];
    protected DbTransaction Transaction { get; } = transaction;
    protected DbConnection Connection { get; } = transaction.Connection ?? throw new InvalidOperationException("The transaction has no connection.");

    /// <summary>A value as the provider stores it (SQLite keeps GUIDs and dates as text).</summary>
    protected abstract object Bind(object value);

    public abstract Task InsertAsync(IReadOnlyList<Student> students, CancellationToken ct = default);

    public async Task UpdateAsync(IReadOnlyList<Student> students, StudentUpdateParts parts, CancellationToken ct = default)
    {
        var set = new List<string> { "\"RegistryNumber\"", "\"IdNumberCipher\"", "\"IdNumberHash\"", "\"IdNumberMasked\"", "\"Name\"", "\"Gender\"", "\"BirthDate\"", "\"Ethnicity\"", "\"ClassId\"", "\"Grade\"", "\"Path\"", "\"NameKey\"" };
        if (parts.HasFlag(StudentUpdateParts.Household))
        {
            set.AddRange(["\"HouseholdRegionCode\"", "\"HouseholdAddress\""]);
        }
        if (parts.HasFlag(StudentUpdateParts.HouseholdType))
        {
            set.Add("\"HouseholdType\"");
        }
        if (parts.HasFlag(StudentUpdateParts.Residence))
        {
            set.Add("\"Residence\"");
        }
        var update = Command($"UPDATE \"Students\" SET {string.Join(", ", set.Select((c, i) => $"{c} = @p{i + 1}"))} WHERE \"Id\" = @p0", set.Count + 1);
        foreach (var s in students)
        {
            var values = new List<object?> { s.Id, s.RegistryNumber, s.IdNumberCipher, s.IdNumberHash, s.IdNumberMasked, s.Name, (int)s.Gender, s.BirthDate, s.Ethnicity, s.ClassId, s.Grade, s.Path, s.NameKey };
            if (parts.HasFlag(StudentUpdateParts.Household))
            {
                values.AddRange([s.HouseholdRegionCode, s.HouseholdAddress]);
            }
            if (parts.HasFlag(StudentUpdateParts.HouseholdType))
            {
                values.Add((int?)s.HouseholdType);
            }
            if (parts.HasFlag(StudentUpdateParts.Residence))
            {
                values.Add(s.Residence);
            }
            await RunAsync(update, values, ct);
            if (parts.HasFlag(StudentUpdateParts.Guardians))
            {
                await RunAsync(Command("DELETE FROM \"Guardians\" WHERE \"StudentId\" = @p0", 1), [s.Id], ct);
                foreach (var g in s.Guardians)
                {
                    await RunAsync(Command($"INSERT INTO \"Guardians\" ({GuardianColumns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5)", 6), GuardianValues(g), ct);
                }
            }
            if (parts.HasFlag(StudentUpdateParts.Tags))
            {
                // Kinds are enum values, never user text, so they are written into the statement.
                var keep = s.Tags.Count == 0 ? "" : $" AND \"Kind\" NOT IN ({string.Join(", ", s.Tags.Select(t => ((int)t.Kind).ToString(System.Globalization.CultureInfo.InvariantCulture)))})";
                await RunAsync(Command("DELETE FROM \"GroupTags\" WHERE \"StudentId\" = @p0" + keep, 1), [s.Id], ct);
                foreach (var t in s.Tags)
                {
                    await RunAsync(Command("INSERT INTO \"GroupTags\" (\"Id\", \"StudentId\", \"Kind\", \"StartedOn\") SELECT @p0, @p1, @p2, @p3 WHERE NOT EXISTS (SELECT 1 FROM \"GroupTags\" WHERE \"StudentId\" = @p1 AND \"Kind\" = @p2)", 4),
                        [t.Id, t.StudentId, (int)t.Kind, t.StartedOn], ct);
                }
            }
        }
    }

    protected static object?[] StudentValues(Student s) =>
    [
        s.Id, s.RegistryNumber, s.IdNumberCipher, s.IdNumberHash, s.IdNumberMasked, s.Name, (int)s.Gender, s.BirthDate, s.Ethnicity,
        s.HouseholdRegionCode, s.HouseholdAddress, (int?)s.HouseholdType, s.Residence, s.SchoolId, s.ClassId, s.Grade, (int)s.Status, s.EnrolledOn, s.Path, s.NameKey,
    ];

    protected static object?[] GuardianValues(Guardian g) => [g.Id, g.StudentId, (int)g.Relation, g.Name, g.Phone, g.WorksAway];

    protected static object?[] TagValues(GroupTag t) => [t.Id, t.StudentId, (int)t.Kind, t.DisabilityType, t.DisabilityGrade, t.Source, t.StartedOn, t.EndedOn];

    /// <summary>A command prepared once per writer and statement, with parameters @p0…@pN-1.</summary>
    protected DbCommand Command(string sql, int parameters)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            return command;
        }
        command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            command.Parameters.Add(p);
        }
        _commands[sql] = command;
        return command;
    }

    /// <summary>SQLite runs in-process: its async calls only wrap the synchronous ones, at a cost per row.</summary>
    protected virtual bool Synchronous => false;

    protected async Task RunAsync(DbCommand command, IReadOnlyList<object?> values, CancellationToken ct)
    {
        for (var i = 0; i < values.Count; i++)
        {
            command.Parameters[i].Value = values[i] is { } v ? Bind(v) : DBNull.Value;
        }
        if (Synchronous)
        {
            ct.ThrowIfCancellationRequested();
            command.ExecuteNonQuery();
        }
        else
        {
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    public virtual ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
        return ValueTask.CompletedTask;
    }
}
