using System.Data.Common;
using Baoxue.Domain;
using Npgsql;
using NpgsqlTypes;

namespace Baoxue.Data.Bulk;

/// <summary>PostgreSQL: binary COPY of each table, in the caller's transaction on EF's own connection.</summary>
internal sealed class PostgresStudentBulkWriter(DbTransaction transaction) : StudentBulkWriterBase(transaction)
{
    private NpgsqlConnection Npgsql => (NpgsqlConnection)Connection;

    protected override object Bind(object value) => value;

    public override async Task InsertAsync(IReadOnlyList<Student> students, CancellationToken ct = default)
    {
        await using (var copy = await Npgsql.BeginBinaryImportAsync($"COPY \"Students\" ({StudentColumns}) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var s in students)
            {
                copy.StartRow();
                copy.Write(s.Id, NpgsqlDbType.Uuid);
                copy.Write(s.RegistryNumber, NpgsqlDbType.Varchar);
                Text(copy, s.IdNumberCipher);
                Text(copy, s.IdNumberHash);
                Text(copy, s.IdNumberMasked);
                copy.Write(s.Name, NpgsqlDbType.Varchar);
                copy.Write((int)s.Gender, NpgsqlDbType.Integer);
                copy.Write(s.BirthDate, NpgsqlDbType.Date);
                copy.Write(s.Ethnicity, NpgsqlDbType.Varchar);
                Text(copy, s.HouseholdRegionCode);
                Text(copy, s.HouseholdAddress);
                Int(copy, (int?)s.HouseholdType);
                Text(copy, s.Residence);
                copy.Write(s.SchoolId, NpgsqlDbType.Uuid);
                if (s.ClassId is { } classId)
                {
                    copy.Write(classId, NpgsqlDbType.Uuid);
                }
                else
                {
                    copy.WriteNull();
                }
                copy.Write(s.Grade, NpgsqlDbType.Integer);
                copy.Write((int)s.Status, NpgsqlDbType.Integer);
                Date(copy, s.EnrolledOn);
                copy.Write(s.Path, NpgsqlDbType.Varchar);
                copy.Write(s.NameKey, NpgsqlDbType.Varchar);
            }
            await copy.CompleteAsync(ct);
        }
        if (students.Any(s => s.Guardians.Count > 0))
        {
            await using var copy = await Npgsql.BeginBinaryImportAsync($"COPY \"Guardians\" ({GuardianColumns}) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var g in students.SelectMany(s => s.Guardians))
            {
                copy.StartRow();
                copy.Write(g.Id, NpgsqlDbType.Uuid);
                copy.Write(g.StudentId, NpgsqlDbType.Uuid);
                copy.Write((int)g.Relation, NpgsqlDbType.Integer);
                copy.Write(g.Name, NpgsqlDbType.Varchar);
                Text(copy, g.Phone);
                copy.Write(g.WorksAway, NpgsqlDbType.Boolean);
            }
            await copy.CompleteAsync(ct);
        }
        if (students.Any(s => s.Tags.Count > 0))
        {
            await using var copy = await Npgsql.BeginBinaryImportAsync($"COPY \"GroupTags\" ({TagColumns}) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var t in students.SelectMany(s => s.Tags))
            {
                copy.StartRow();
                copy.Write(t.Id, NpgsqlDbType.Uuid);
                copy.Write(t.StudentId, NpgsqlDbType.Uuid);
                copy.Write((int)t.Kind, NpgsqlDbType.Integer);
                Text(copy, t.DisabilityType);
                Int(copy, t.DisabilityGrade);
                Text(copy, t.Source);
                copy.Write(t.StartedOn, NpgsqlDbType.Date);
                Date(copy, t.EndedOn);
            }
            await copy.CompleteAsync(ct);
        }
    }

    private static void Text(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, NpgsqlDbType.Varchar);
        }
    }

    private static void Int(NpgsqlBinaryImporter copy, int? value)
    {
        if (value is { } v)
        {
            copy.Write(v, NpgsqlDbType.Integer);
        }
        else
        {
            copy.WriteNull();
        }
    }

    private static void Date(NpgsqlBinaryImporter copy, DateOnly? value)
    {
        if (value is { } v)
        {
            copy.Write(v, NpgsqlDbType.Date);
        }
        else
        {
            copy.WriteNull();
        }
    }
}
