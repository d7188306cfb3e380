using Baoxue.Infrastructure.Localization;
using Baoxue.Infrastructure.Spreadsheets;
using Microsoft.Extensions.Localization;

namespace Baoxue.Infrastructure.Imports;

/// <summary>One refused cell: where it is, what it held and why (a string-table key with arguments).</summary>
public sealed record ImportProblem(int Row, string Column, string Value, string ReasonKey, params object[] Args);

/// <summary>
/// The result of an import. Imports are all-or-nothing: when <see cref="Problems"/> is not empty nothing was
/// written, and the report lists every problem found, row by row, for the user to fix and try again.
/// </summary>
public sealed class ImportReport
{
    public List<ImportProblem> Problems { get; } = [];
    public int RowsRead { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public bool Succeeded => Problems.Count == 0;

    /// <summary>Longest value echoed back in a report: enough to find the cell, not a copy of a hostile one.</summary>
    public const int MaxEchoedCharacters = 100;

    public void Add(int row, string column, string? value, string reasonKey, params object[] args) =>
        Problems.Add(new ImportProblem(row, column, Shorten(value ?? ""), reasonKey, args));

    private static string Shorten(string value) =>
        value.Length <= MaxEchoedCharacters ? value : string.Concat(value.AsSpan(0, MaxEchoedCharacters), "…");

    /// <summary>Opens the upload, turning an unreadable file into the report's first line instead of an exception.</summary>
    public static ISheetReader? Open(Stream file, string fileName, long maxBytes, ImportReport report)
    {
        try
        {
            return SpreadsheetReader.Open(file, fileName, maxBytes);
        }
        catch (SpreadsheetFormatException e)
        {
            report.Add(e.RowNumber ?? 0, "", Path.GetFileName(fileName), "Import.File." + e.Error);
            return null;
        }
    }

    /// <summary>The sheet's rows; a file that turns out unreadable part-way becomes a problem in the report, not an exception.</summary>
    public IEnumerable<SheetRow> Rows(ISheetReader reader)
    {
        while (true)
        {
            SheetRow? row;
            bool more;
            try
            {
                more = reader.TryReadRow(out row);
            }
            catch (SpreadsheetFormatException e)
            {
                Add(e.RowNumber ?? 0, "", "", "Import.File." + e.Error);
                yield break;
            }
            if (!more)
            {
                yield break;
            }
            yield return row!;
        }
    }

    /// <summary>The report as a spreadsheet: 行号, 列, 内容, 原因.</summary>
    public byte[] ToXlsx(IStringLocalizer<Strings> text) => XlsxWriter.Build(
        text["Import.ReportSheet"],
        [text["Import.Row"], text["Import.Column"], text["Import.Value"], text["Import.Reason"]],
        Problems.OrderBy(p => p.Row).Select(p => (IReadOnlyList<string?>)[p.Row.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Column, p.Value, text[p.ReasonKey, p.Args]]));
}

/// <summary>A column an import understands: matched by its header in either interface language.</summary>
public sealed record ImportColumn(string Key, bool Required);

/// <summary>Matches a sheet's header row to the columns an import expects, by their Chinese (or English) names.</summary>
public sealed class HeaderMap
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public static HeaderMap Match(IReadOnlyList<string> headers, IReadOnlyList<ImportColumn> columns, TextTable table, ImportReport report)
    {
        var map = new HeaderMap();
        var names = headers.Select(h => Normalize(h)).ToList();
        foreach (var column in columns)
        {
            var zh = Normalize(table.Find(column.Key, new System.Globalization.CultureInfo(TextTable.Chinese)) ?? column.Key);
            var en = Normalize(table.Find(column.Key, new System.Globalization.CultureInfo(TextTable.English)) ?? column.Key);
            var at = names.FindIndex(n => n == zh || string.Equals(n, en, StringComparison.OrdinalIgnoreCase));
            if (at >= 0)
            {
                map._index[column.Key] = at;
            }
            else if (column.Required)
            {
                report.Add(1, table.Find(column.Key, new System.Globalization.CultureInfo(TextTable.Chinese)) ?? column.Key, "", "Import.MissingColumn");
            }
        }
        return map;
    }

    // Officials' sheets carry stray spaces, full-width brackets and required-field stars in headers.
    private static string Normalize(string header) =>
        header.Replace(" ", "", StringComparison.Ordinal).Replace("\u3000", "", StringComparison.Ordinal)
            .Replace("*", "", StringComparison.Ordinal).Replace("（", "(", StringComparison.Ordinal).Replace("）", ")", StringComparison.Ordinal).Trim();

    public bool Has(string key) => _index.ContainsKey(key);

    public SheetCell Cell(SheetRow row, string key) =>
        _index.TryGetValue(key, out var at) && at < row.Count ? row[at] : default;

    public string Text(SheetRow row, string key) => Cell(row, key).Text ?? "";
}
