namespace Baoxue.Infrastructure.Localization;

/// <summary>The marker type for <c>IStringLocalizer&lt;Strings&gt;</c>; the strings themselves are in Resources/Strings.tsv.</summary>
public sealed class Strings;
