namespace Baoxue.Infrastructure.Security;

/// <summary>A write reached a record outside the user's jurisdiction. Answered with 403.</summary>
public sealed class ScopeViolationException(string entityType, string path)
    : Exception($"{entityType} at '{path}' is outside the current jurisdiction.");
