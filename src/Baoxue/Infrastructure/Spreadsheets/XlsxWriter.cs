using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Baoxue.Infrastructure.Spreadsheets;

/// <summary>A column of an exported sheet: its header and, optionally, its width in Excel character units.</summary>
public sealed record ExportColumn(string Header, double? Width = null)
{
    public static implicit operator ExportColumn(string header) => new(header);

    public static implicit operator ExportColumn(Microsoft.Extensions.Localization.LocalizedString header) => new(header.Value);
}

/// <summary>One sheet to write: its tab name, an optional title line above the header (jurisdiction, as-of date) and its columns.</summary>
public sealed record XlsxSheet(string Name, string? Title, IReadOnlyList<ExportColumn> Columns);

/// <summary>
/// Writes xlsx with SpreadCheetah, streaming: rows go to the output as they come, so any list exports with flat memory
/// (decision 0008). Every cell is text in a text-formatted column, so ID numbers and phones keep every digit (no
/// scientific notation) and stay text when the user edits the file and imports it again. The header row is bold,
/// frozen and filtered; a title line, when given, sits above it and is merged across the columns.
/// </summary>
public static class XlsxWriter
{
    /// <summary>The most rows a sheet can have in Excel, the header included.</summary>
    public const int MaxRows = 1_048_576;

    /// <summary>The most columns a sheet can have in Excel.</summary>
    public const int MaxColumns = 16_384;

    /// <summary>The most characters Excel accepts in a cell; longer text makes Excel "repair" the file.</summary>
    public const int MaxCellLength = 32_767;

    /// <summary>Writes one sheet to <paramref name="output"/> (which may be an HTTP response body) and returns the number of data rows written.</summary>
    public static async Task<int> WriteAsync(Stream output, XlsxSheet sheet, IAsyncEnumerable<IReadOnlyList<string?>> rows, CancellationToken ct = default)
    {
        var counts = await WriteAsync(output, [(sheet, rows)], ct);
        return counts[0];
    }

    /// <summary>Writes a workbook of several sheets, one after the other, and returns the number of data rows of each.</summary>
    public static async Task<int[]> WriteAsync(Stream output, IReadOnlyList<(XlsxSheet Sheet, IAsyncEnumerable<IReadOnlyList<string?>> Rows)> sheets, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sheets);
        await using var book = await Spreadsheet.CreateNewAsync(output, new SpreadCheetahOptions
        {
            // Fastest: the export of a million rows is bound by compression otherwise; the file is ~15 % larger.
            CompressionLevel = SpreadCheetahCompressionLevel.Fastest,
            // 等线, the default font of Chinese Excel, by its English family name (SpreadCheetah wants three characters or more).
            DefaultFont = new DefaultFont { Name = "DengXian", Size = 11 },
            // Cell references (r="B3") as Excel writes them: some readers of the registry's world need them.
            WriteCellReferenceAttributes = true,
        }, ct);
        var textStyle = new Style { Format = NumberFormat.Standard(StandardNumberFormat.Text) };
        var text = book.AddStyle(textStyle);
        var header = book.AddStyle(new Style { Format = NumberFormat.Standard(StandardNumberFormat.Text), Font = new Font { Bold = true } });
        var title = book.AddStyle(new Style { Font = new Font { Bold = true, Size = 14 } });

        var counts = new int[sheets.Count];
        for (var n = 0; n < sheets.Count; n++)
        {
            counts[n] = await WriteSheetAsync(book, sheets[n].Sheet, sheets[n].Rows, textStyle, text, header, title, ct);
        }

        await book.FinishAsync(ct);
        return counts;
    }

    private static async Task<int> WriteSheetAsync(Spreadsheet book, XlsxSheet sheet, IAsyncEnumerable<IReadOnlyList<string?>> rows,
        Style textStyle, StyleId text, StyleId header, StyleId title, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(rows);
        var columns = sheet.Columns;
        if (columns.Count > MaxColumns)
        {
            throw new ArgumentException($"Excel sheets have at most {MaxColumns} columns.", nameof(sheet));
        }

        var titleRows = string.IsNullOrEmpty(sheet.Title) || columns.Count == 0 ? 0 : 1;
        var options = new WorksheetOptions();
        if (columns.Count > 0)
        {
            var last = ColumnName(columns.Count - 1);
            options.FrozenRows = titleRows + 1;
            // The whole height below the header: the row count is not known while streaming.
            options.AutoFilter = new AutoFilterOptions($"A{titleRows + 1}:{last}{MaxRows}");
            for (var i = 0; i < columns.Count; i++)
            {
                var column = options.Column(i + 1);
                column.Width = Math.Clamp(columns[i].Width ?? FitWidth(columns[i].Header), 1, 255);
                // Cells the user types into later are text as well, so a pasted ID keeps its digits.
                column.DefaultStyle = textStyle;
            }
        }

        await book.StartWorksheetAsync(SheetName(sheet.Name), options, ct);
        if (titleRows == 1)
        {
            await book.AddRowAsync([new StyledCell(Clean(sheet.Title!), title)], new RowOptions { Height = 24 }, ct);
            if (columns.Count > 1)
            {
                book.MergeCells($"A1:{ColumnName(columns.Count - 1)}1");
            }
        }

        var cells = new StyledCell[Math.Max(columns.Count, 1)];
        if (columns.Count > 0)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                cells[i] = new StyledCell(Clean(columns[i].Header), header);
            }

            await book.AddRowAsync(cells.AsMemory(0, columns.Count), ct);
        }

        var written = 0;
        var limit = MaxRows - titleRows - (columns.Count > 0 ? 1 : 0);
        await foreach (var row in rows.WithCancellation(ct))
        {
            if (written == limit)
            {
                throw new InvalidOperationException($"Excel sheets have at most {MaxRows} rows.");
            }

            if (row.Count > cells.Length)
            {
                if (row.Count > MaxColumns)
                {
                    throw new ArgumentException($"Excel sheets have at most {MaxColumns} columns.", nameof(rows));
                }

                cells = new StyledCell[row.Count];
            }

            for (var i = 0; i < row.Count; i++)
            {
                // A blank cell is written as no value: nothing for the user to see or filter on.
                cells[i] = string.IsNullOrEmpty(row[i]) ? new StyledCell((string?)null, text) : new StyledCell(Clean(row[i]!), text);
            }

            await book.AddRowAsync(cells.AsMemory(0, row.Count), ct);
            written++;
        }

        return written;
    }

    /// <summary>Writes a whole single-sheet workbook in memory, without a title line: for small files such as import reports and templates.</summary>
    public static byte[] Build(string sheetName, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var output = new MemoryStream();
        // A MemoryStream completes every write synchronously, so nothing here blocks on I/O.
        WriteAsync(output, new XlsxSheet(sheetName, null, [.. headers.Select(h => new ExportColumn(h))]), ToAsync(rows)).GetAwaiter().GetResult();
        return output.ToArray();
    }

    /// <summary>Writes a whole workbook of several sheets in memory (a template with its notes sheet, say).</summary>
    public static byte[] Build(IReadOnlyList<(XlsxSheet Sheet, IEnumerable<IReadOnlyList<string?>> Rows)> sheets)
    {
        using var output = new MemoryStream();
        WriteAsync(output, [.. sheets.Select(s => (s.Sheet, ToAsync(s.Rows)))]).GetAwaiter().GetResult();
        return output.ToArray();
    }

    /// <summary>Rows already in memory as the asynchronous sequence <see cref="WriteAsync"/> takes.</summary>
    public static async IAsyncEnumerable<IReadOnlyList<string?>> ToAsync(IEnumerable<IReadOnlyList<string?>> rows, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            yield return row;
        }

        await Task.CompletedTask;
    }

    internal static string ColumnName(int index)
    {
        var name = string.Empty;
        var n = index + 1;
        while (n > 0)
        {
            n--;
            name = (char)('A' + (n % 26)) + name;
            n /= 26;
        }

        return name;
    }

    // Control characters are not allowed in XML at all; overlong text would make Excel refuse the cell.
    private static string Clean(string value)
    {
        var valid = true;
        for (var i = 0; i < value.Length && valid; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            valid = XmlConvert.IsXmlChar(c);
        }

        if (!valid)
        {
            var builder = new StringBuilder(value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    builder.Append(c).Append(value[++i]);
                }
                else if (XmlConvert.IsXmlChar(c))
                {
                    builder.Append(c);
                }
            }

            value = builder.ToString();
        }

        if (value.Length > MaxCellLength)
        {
            value = value[..(char.IsHighSurrogate(value[MaxCellLength - 1]) ? MaxCellLength - 1 : MaxCellLength)];
        }

        return value;
    }

    // Chinese characters take about two character widths in Excel's units.
    internal static double FitWidth(string header)
    {
        var width = 0;
        foreach (var c in header ?? string.Empty)
        {
            width += c > 0x2E80 ? 2 : 1;
        }

        return Math.Clamp(width + 4, 10, 60);
    }

    private static string SheetName(string? name)
    {
        var builder = new StringBuilder();
        foreach (var c in name ?? string.Empty)
        {
            builder.Append(c is ':' or '\\' or '/' or '?' or '*' or '[' or ']' || char.IsControl(c) ? '_' : c);
        }

        var result = builder.ToString().Trim().Trim('\'');
        if (result.Length == 0)
        {
            result = "Sheet1";
        }

        return result.Length <= 31 ? result : result[..31];
    }
}
