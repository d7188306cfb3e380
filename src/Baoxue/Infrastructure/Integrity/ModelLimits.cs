using System.Collections;
using Baoxue.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Baoxue.Infrastructure.Integrity;

/// <summary>
/// The model's own limits, checked in one place for everything written: a text no longer than its column
/// (<c>HasMaxLength</c> in <see cref="BaoxueDb"/>), an enum one of its named values, a date within
/// <see cref="EarliestDate"/>–<see cref="LatestDate"/>. <see cref="BaoxueDb"/> runs it on every save, so no form,
/// API or import can store what the model does not allow, whatever the use case forgot; use cases save through
/// <see cref="Saving.SaveAsync{T}"/> to turn a refusal into field errors for the page or a 400 for the API.
/// </summary>
public static class ModelLimits
{
    public static readonly DateOnly EarliestDate = new(1900, 1, 1);
    public static readonly DateOnly LatestDate = new(2100, 12, 31);

    /// <summary>What is wrong with the rows about to be inserted or updated, each named as the API spells the field.</summary>
    public static List<FieldError> Violations(IEnumerable<EntityEntry> entries)
    {
        var errors = new List<FieldError>();
        foreach (var entry in entries)
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }
            string? prefix = null;
            foreach (var property in entry.Properties)
            {
                if (entry.State == EntityState.Modified && !property.IsModified)
                {
                    continue;
                }
                var (key, args) = Check(property.Metadata, property.CurrentValue);
                if (key is not null)
                {
                    prefix ??= FieldPrefix(entry);
                    errors.Add(new FieldError(prefix + property.Metadata.Name, key, args!));
                }
            }
        }
        return errors;
    }

    private static (string? Key, object[]? Args) Check(IProperty property, object? value) => value switch
    {
        string s when property.GetMaxLength() is { } max && s.Length > max => ("Validation.TooLong", [max]),
        Enum e when !e.GetType().IsDefined(typeof(FlagsAttribute), false) && !Enum.IsDefined(e.GetType(), e) => ("Integrity.UnknownValue", [Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture)]),
        DateOnly d when d < EarliestDate || d > LatestDate => ("Integrity.DateOutOfRange", [d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)]),
        _ => (null, null),
    };

    /// <summary>
    /// A row reached through its owner's collection is named as the request names it: <c>Guardians[1].</c> for the
    /// second guardian of the student being saved; a row on its own gets no prefix.
    /// </summary>
    private static string FieldPrefix(EntityEntry entry)
    {
        foreach (var reference in entry.References)
        {
            if (reference.Metadata is INavigation { Inverse: { IsCollection: true } inverse } && reference.TargetEntry is { } owner
                && inverse.GetGetter().GetClrValue(owner.Entity) is IList list)
            {
                return $"{inverse.Name}[{list.IndexOf(entry.Entity)}].";
            }
        }
        return "";
    }
}

/// <summary>Refused by <see cref="ModelLimits"/>: the API answers 400 naming each field; nothing was written.</summary>
public sealed class InvalidInputException(IReadOnlyList<FieldError> errors) : Exception("The input exceeds the model's limits: " + string.Join(", ", errors.Select(e => e.Field)))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>How use cases save: what the database refuses becomes the outcome, not an exception.</summary>
public static class Saving
{
    /// <summary>
    /// Saves, and answers with the value; or with field errors when the model's limits refuse the input; or with a
    /// conflict when someone else changed the same record since it was read (its row version moved on) or claimed the
    /// same unique slot first. After a refusal the context forgets its pending changes, so nothing half-done is saved later.
    /// </summary>
    public static async Task<Outcome<T>> SaveAsync<T>(this BaoxueDb db, T value, CancellationToken ct = default)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return Outcome<T>.Ok(value);
        }
        catch (InvalidInputException e)
        {
            db.ChangeTracker.Clear();
            return Outcome<T>.Invalid(e.Errors);
        }
        catch (DbUpdateException e) when (IsConflict(e))
        {
            db.ChangeTracker.Clear();
            return Outcome<T>.Conflicted();
        }
    }

    /// <summary>A lost race: the row version moved on, or a unique index (such as one pending change per student) was taken first.</summary>
    public static bool IsConflict(Exception e) => e is DbUpdateConcurrencyException || IsUniqueViolation(e);

    public static bool IsUniqueViolation(Exception e) => e.InnerException switch
    {
        Npgsql.PostgresException pg => pg.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        Microsoft.Data.Sqlite.SqliteException lite => lite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };
}
