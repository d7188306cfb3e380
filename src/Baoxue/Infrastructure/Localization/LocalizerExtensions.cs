using Microsoft.Extensions.Localization;

namespace Baoxue.Infrastructure.Localization;

public static class LocalizerExtensions
{
    /// <summary>A refusal in the interface language; arguments that are themselves keys ("Field.Name") are translated too.</summary>
    public static string Explain(this IStringLocalizer text, string key, object[] args) =>
        text[key, [.. args.Select(a => a is string s && s.StartsWith("Field.", StringComparison.Ordinal) ? text[s].Value : a)]].Value;
}
