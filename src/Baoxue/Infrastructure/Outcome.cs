namespace Baoxue.Infrastructure;

/// <summary>A validation failure: which field, and a resource key (with arguments) saying why.</summary>
public sealed record FieldError(string Field, string Key, params object[] Args);

/// <summary>What a use case returns: its value, or why it refused, or that the record is not in the user's reach.</summary>
public sealed class Outcome<T>
{
    public T? Value { get; private init; }
    public IReadOnlyList<FieldError> Errors { get; private init; } = [];
    public bool NotFound { get; private init; }
    /// <summary>Someone else decided or changed the record first: the API answers 409, the page says so.</summary>
    public bool Conflict { get; private init; }
    /// <summary>The record is in reach but the user may not do this to it (an account above their own role): the API answers 403.</summary>
    public bool Forbidden { get; private init; }
    public bool Succeeded => !NotFound && Errors.Count == 0;

    public static Outcome<T> Ok(T value) => new() { Value = value };
    public static Outcome<T> Invalid(IReadOnlyList<FieldError> errors) => new() { Errors = errors };
    public static Outcome<T> Invalid(string field, string key, params object[] args) => new() { Errors = [new FieldError(field, key, args)] };
    public static Outcome<T> Missing() => new() { NotFound = true };
    public static Outcome<T> Refused(string field, string key, params object[] args) => new() { Forbidden = true, Errors = [new FieldError(field, key, args)] };
    public static Outcome<T> Conflicted() => new() { Conflict = true, Errors = [new FieldError("State", "Integrity.Conflict")] };
}
