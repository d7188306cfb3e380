using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Baoxue.Infrastructure.Localization;

/// <summary>
/// Every user-facing string, from the embedded tables Resources/Strings*.tsv (key, zh-CN, en-US).
/// One table rather than a .resx per language so translators see both languages side by side, and a
/// missing translation is an empty cell a test can find (see docs/decisions/0003-one-string-table.md).
/// </summary>
public sealed class TextTable
{
    public const string Chinese = "zh-CN";
    public const string English = "en-US";
    public static readonly string[] Cultures = [Chinese, English];

    private readonly FrozenDictionary<string, string> _zh;
    private readonly FrozenDictionary<string, string> _en;

    public TextTable(IEnumerable<(string Key, string Zh, string En)> rows)
    {
        var list = rows.ToList();
        _zh = list.ToFrozenDictionary(r => r.Key, r => r.Zh, StringComparer.Ordinal);
        _en = list.ToFrozenDictionary(r => r.Key, r => r.En, StringComparer.Ordinal);
    }

    public IEnumerable<string> Keys => _zh.Keys;

    /// <summary>Every embedded <c>Resources/Strings*.tsv</c>: one shared table and one per feature area. A key defined twice is an error.</summary>
    public static TextTable Load()
    {
        var assembly = typeof(TextTable).Assembly;
        var rows = new List<(string Key, string Zh, string En)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Baoxue.Resources.Strings", StringComparison.Ordinal) && n.EndsWith(".tsv", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            rows.AddRange(Parse(reader.ReadToEnd()));
        }
        var twice = rows.GroupBy(r => r.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
        {
            throw new InvalidOperationException("String keys defined twice: " + string.Join(", ", twice));
        }
        return new TextTable(rows);
    }

    public static IEnumerable<(string Key, string Zh, string En)> Parse(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }
            var cells = trimmed.Split('\t');
            yield return (cells[0], cells.Length > 1 ? Unescape(cells[1]) : "", cells.Length > 2 ? Unescape(cells[2]) : "");
        }
    }

    private static string Unescape(string cell) => cell.Replace("\\n", "\n", StringComparison.Ordinal);

    public string? Find(string key, CultureInfo culture)
    {
        var table = culture.Name.StartsWith("en", StringComparison.Ordinal) ? _en : _zh;
        return table.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
    }
}

public sealed class TextTableLocalizer(TextTable table) : IStringLocalizer
{
    public LocalizedString this[string name]
    {
        get
        {
            var value = table.Find(name, CultureInfo.CurrentUICulture);
            return new LocalizedString(name, value ?? name, resourceNotFound: value is null);
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var format = this[name];
            return new LocalizedString(name, string.Format(new PluralFormat(CultureInfo.CurrentCulture), format.Value, arguments), format.ResourceNotFound);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        table.Keys.Select(k => this[k]);
}

public sealed class TextTableLocalizerFactory(TextTable table) : IStringLocalizerFactory
{
    private readonly TextTableLocalizer _localizer = new(table);
    public IStringLocalizer Create(Type resourceSource) => _localizer;
    public IStringLocalizer Create(string baseName, string location) => _localizer;
}

/// <summary>
/// English needs "1 anomaly" but "2 anomalies"; Chinese has no plural. A table entry writes the number as <c>{0}</c> and the
/// word as <c>{0:anomaly|anomalies}</c>: singular when the argument is 1, plural otherwise. Any other format is the culture's.
/// </summary>
public sealed class PluralFormat(CultureInfo culture) : IFormatProvider, ICustomFormatter
{
    public object? GetFormat(Type? formatType) => formatType == typeof(ICustomFormatter) ? this : culture.GetFormat(formatType);

    public string Format(string? format, object? arg, IFormatProvider? formatProvider)
    {
        if (format is not null && format.IndexOf('|', StringComparison.Ordinal) is var bar and >= 0 && arg is IConvertible number && arg is not string)
        {
            return Convert.ToDecimal(number, CultureInfo.InvariantCulture) == 1 ? format[..bar] : format[(bar + 1)..];
        }
        return arg is IFormattable formattable ? formattable.ToString(format, culture) : arg?.ToString() ?? "";
    }
}
