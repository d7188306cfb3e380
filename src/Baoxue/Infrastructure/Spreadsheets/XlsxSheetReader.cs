using System.Globalization;
using System.IO.Compression;
using System.Xml;

namespace Baoxue.Infrastructure.Spreadsheets;

/// <summary>
/// Reads the first visible sheet of an xlsx package forward-only with an <see cref="XmlReader"/> over its zip entry
/// (decision 0008: about four times faster than ExcelDataReader, which a million-row import could not afford).
/// </summary>
/// <remarks>
/// Only what an import needs: shared strings (loaded once, as every reader must), the cell formats that make a number
/// a date, cell types, inline strings and row numbers (gaps become blank rows so that numbers match Excel's).
/// Formulas are read as their cached value. Legacy xls stays with <see cref="ExcelSheetReader"/>.
/// </remarks>
internal sealed class XlsxSheetReader : SheetReaderBase
{
    private static readonly XmlReaderSettings Settings = new()
    {
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        CloseInput = true,
    };

    private readonly ZipArchive _zip;
    private readonly Stream? _ownedStream;
    private readonly string[] _sharedStrings;
    private readonly bool[] _dateStyles;
    private readonly XmlReader _sheet;
    private readonly List<SheetCell> _pending = [];
    private int _nextRow = 1;
    private int _pendingRow;
    private bool _inSheetData;
    private bool _finished;

    private XlsxSheetReader(ZipArchive zip, Stream? ownedStream, string[] sharedStrings, bool[] dateStyles, XmlReader sheet)
    {
        _zip = zip;
        _ownedStream = ownedStream;
        _sharedStrings = sharedStrings;
        _dateStyles = dateStyles;
        _sheet = sheet;
    }

    /// <param name="stream">Seekable, positioned at the start of the package.</param>
    /// <param name="ownsStream">Whether the reader disposes <paramref name="stream"/> (a temporary copy).</param>
    public static XlsxSheetReader Open(Stream stream, bool ownsStream)
    {
        ZipArchive? zip = null;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var sheetPath = FirstVisibleSheet(zip);
            var shared = SharedStrings(zip);
            var dates = DateStyles(zip);
            var entry = Entry(zip, sheetPath) ?? throw new InvalidDataException("The workbook names a sheet the package lacks.");
            var sheet = XmlReader.Create(entry.Open(), Settings);
            return new XlsxSheetReader(zip, ownsStream ? stream : null, shared, dates, sheet);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            zip?.Dispose();
            if (ownsStream)
            {
                stream.Dispose();
            }

            throw ex as SpreadsheetFormatException ?? new SpreadsheetFormatException(SpreadsheetError.Corrupt, innerException: ex);
        }
    }

    private static ZipArchiveEntry? Entry(ZipArchive zip, string path)
    {
        path = path.TrimStart('/');
        return zip.GetEntry(path) ?? zip.Entries.FirstOrDefault(e => e.FullName.Equals(path, StringComparison.OrdinalIgnoreCase));
    }

    // Users import what they see when the workbook opens, not a hidden helper sheet in front of it.
    private static string FirstVisibleSheet(ZipArchive zip)
    {
        var sheets = new List<(string RelationId, bool Visible)>();
        using (var xml = XmlReader.Create((Entry(zip, "xl/workbook.xml") ?? throw new SpreadsheetFormatException(SpreadsheetError.Unsupported)).Open(), Settings))
        {
            while (xml.Read())
            {
                if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "sheet")
                {
                    string? id = null, state = null;
                    while (xml.MoveToNextAttribute())
                    {
                        if (xml.LocalName == "id")
                        {
                            id = xml.Value;
                        }
                        else if (xml.LocalName == "state")
                        {
                            state = xml.Value;
                        }
                    }

                    if (id is not null)
                    {
                        sheets.Add((id, state is null || state.Equals("visible", StringComparison.OrdinalIgnoreCase)));
                    }
                }
            }
        }

        if (sheets.Count == 0)
        {
            throw new InvalidDataException("The workbook has no sheet.");
        }

        var chosen = sheets.FirstOrDefault(s => s.Visible).RelationId ?? sheets[0].RelationId;
        using var rels = XmlReader.Create((Entry(zip, "xl/_rels/workbook.xml.rels") ?? throw new InvalidDataException("No workbook relationships.")).Open(), Settings);
        while (rels.Read())
        {
            if (rels.NodeType == XmlNodeType.Element && rels.LocalName == "Relationship" && rels.GetAttribute("Id") == chosen)
            {
                var target = rels.GetAttribute("Target") ?? throw new InvalidDataException("A relationship without a target.");
                return target.StartsWith('/') ? target : "xl/" + target;
            }
        }

        throw new InvalidDataException("The workbook's sheet has no relationship.");
    }

    private static string[] SharedStrings(ZipArchive zip)
    {
        if (Entry(zip, "xl/sharedStrings.xml") is not { } entry)
        {
            return [];
        }

        var strings = new List<string>();
        using var xml = XmlReader.Create(entry.Open(), Settings);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "si")
            {
                strings.Add(xml.IsEmptyElement ? string.Empty : StringItem(xml));
            }
        }

        return [.. strings];
    }

    /// <summary>
    /// The text of an <c>si</c> or <c>is</c> element: its <c>t</c>, or its runs' <c>t</c>, never the phonetic guide
    /// (<c>rPh</c>). Leaves the reader on the element's end tag.
    /// </summary>
    private static string StringItem(XmlReader xml)
    {
        var depth = xml.Depth;
        string? single = null;
        System.Text.StringBuilder? many = null;
        xml.Read();
        while (xml.Depth > depth && !xml.EOF)
        {
            if (xml.NodeType == XmlNodeType.Element)
            {
                if (xml.LocalName == "rPh")
                {
                    xml.Skip();
                    continue;
                }

                if (xml.LocalName == "t")
                {
                    var text = xml.ReadElementContentAsString();
                    if (single is null)
                    {
                        single = text;
                    }
                    else
                    {
                        (many ??= new System.Text.StringBuilder(single)).Append(text);
                    }

                    continue;
                }
            }

            xml.Read();
        }

        return many?.ToString() ?? single ?? string.Empty;
    }

    /// <summary>For each cell format (<c>cellXfs</c> index), whether its number format shows a date or time.</summary>
    private static bool[] DateStyles(ZipArchive zip)
    {
        if (Entry(zip, "xl/styles.xml") is not { } entry)
        {
            return [];
        }

        var custom = new Dictionary<int, bool>();
        var styles = new List<bool>();
        using var xml = XmlReader.Create(entry.Open(), Settings);
        var inCellXfs = false;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "cellXfs")
            {
                inCellXfs = false;
            }

            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            switch (xml.LocalName)
            {
                case "numFmt":
                    if (int.TryParse(xml.GetAttribute("numFmtId"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
                    {
                        custom[id] = IsDateFormat(xml.GetAttribute("formatCode") ?? "");
                    }

                    break;
                case "cellXfs":
                    inCellXfs = !xml.IsEmptyElement;
                    break;
                case "xf" when inCellXfs:
                    _ = int.TryParse(xml.GetAttribute("numFmtId"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var format);
                    styles.Add(custom.TryGetValue(format, out var isDate) ? isDate : IsBuiltInDate(format));
                    break;
            }
        }

        return [.. styles];
    }

    // Built-in date and time formats, including those of the Chinese locale (27–36, 50–58).
    private static bool IsBuiltInDate(int id) => id is (>= 14 and <= 22) or (>= 27 and <= 36) or (>= 45 and <= 47) or (>= 50 and <= 58);

    // A format shows a date when it has date or time letters outside quoted text, escapes and [colour]/[$-locale] brackets.
    private static bool IsDateFormat(string code)
    {
        var quoted = false;
        var bracket = false;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (quoted)
            {
                quoted = c != '"';
                continue;
            }

            if (bracket)
            {
                // [h], [mm], [ss]: elapsed time.
                if (c is 'h' or 'H' or 'm' or 'M' or 's' or 'S' && i > 0 && code[i - 1] == '[')
                {
                    return true;
                }

                bracket = c != ']';
                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case '[':
                    bracket = true;
                    break;
                case '\\' or '_' or '*':
                    i++;
                    break;
                case ';':
                    return false; // the first section decides
                case 'y' or 'Y' or 'd' or 'D' or 'm' or 'M' or 'h' or 'H' or 's' or 'S' or 'e' or 'E' or 'g' or 'G' or 'b' or 'B':
                    return c is not ('e' or 'E') || code.Contains('y', StringComparison.OrdinalIgnoreCase) || i == 0;
            }
        }

        return false;
    }

    protected override bool ReadPhysicalRow(List<SheetCell> cells)
    {
        if (_pendingRow > 0)
        {
            // A gap in the row numbers is blank rows, each counted.
            if (_nextRow < _pendingRow)
            {
                _nextRow++;
                return true;
            }

            cells.AddRange(_pending);
            _pending.Clear();
            _pendingRow = 0;
            _nextRow++;
            return true;
        }

        if (_finished || !MoveToNextRow())
        {
            _finished = true;
            return false;
        }

        var number = RowNumberAttribute();
        if (number <= _nextRow)
        {
            ReadCells(cells);
            _nextRow++;
            return true;
        }

        ReadCells(_pending);
        _pendingRow = number;
        return ReadPhysicalRow(cells);
    }

    private bool MoveToNextRow()
    {
        var moved = _sheet.Read();
        while (moved)
        {
            if (_sheet.NodeType == XmlNodeType.Element)
            {
                if (!_inSheetData)
                {
                    _inSheetData = _sheet.LocalName == "sheetData";
                    if (_inSheetData && _sheet.IsEmptyElement)
                    {
                        return false;
                    }
                }
                else if (_sheet.LocalName == "row")
                {
                    return true;
                }
                else
                {
                    _sheet.Skip();
                    moved = !_sheet.EOF;
                    continue;
                }
            }
            else if (_sheet.NodeType == XmlNodeType.EndElement && _inSheetData && _sheet.LocalName == "sheetData")
            {
                return false;
            }

            moved = _sheet.Read();
        }

        return false;
    }

    private int RowNumberAttribute() =>
        int.TryParse(_sheet.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>The cells of the current row; leaves the reader on the row's end tag.</summary>
    private void ReadCells(List<SheetCell> cells)
    {
        if (_sheet.IsEmptyElement)
        {
            return;
        }

        var depth = _sheet.Depth;
        _sheet.Read();
        while (_sheet.Depth > depth && !_sheet.EOF)
        {
            if (_sheet.NodeType != XmlNodeType.Element)
            {
                _sheet.Read();
                continue;
            }

            if (_sheet.LocalName != "c")
            {
                _sheet.Skip();
                continue;
            }

            string? reference = null, type = null, style = null;
            while (_sheet.MoveToNextAttribute())
            {
                switch (_sheet.LocalName)
                {
                    case "r":
                        reference = _sheet.Value;
                        break;
                    case "t":
                        type = _sheet.Value;
                        break;
                    case "s":
                        style = _sheet.Value;
                        break;
                }
            }

            _sheet.MoveToElement();
            var column = reference is null ? cells.Count : ColumnIndex(reference);
            while (cells.Count < column)
            {
                cells.Add(SheetCell.Empty);
            }

            var cell = ReadCell(type, style);
            if (column < cells.Count)
            {
                cells[column] = cell; // a repeated reference: the later one wins, as in Excel
            }
            else
            {
                cells.Add(cell);
            }
        }
    }

    /// <summary>One <c>c</c> element; leaves the reader on the node after it.</summary>
    private SheetCell ReadCell(string? type, string? style)
    {
        string? value = null, inline = null;
        if (_sheet.IsEmptyElement)
        {
            _sheet.Read();
            return SheetCell.Empty;
        }

        var depth = _sheet.Depth;
        _sheet.Read();
        while (_sheet.Depth > depth && !_sheet.EOF)
        {
            if (_sheet.NodeType == XmlNodeType.Element)
            {
                switch (_sheet.LocalName)
                {
                    case "v":
                        value = _sheet.ReadElementContentAsString();
                        continue;
                    case "is":
                        inline = _sheet.IsEmptyElement ? string.Empty : StringItem(_sheet);
                        _sheet.Read();
                        continue;
                    default:
                        _sheet.Skip();
                        continue;
                }
            }

            _sheet.Read();
        }

        _sheet.Read(); // past </c>
        switch (type)
        {
            case "s" when value is null:
                return SheetCell.Empty;
            case "s":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && (uint)index < (uint)_sharedStrings.Length
                    ? new SheetCell(CellText.Clean(_sharedStrings[index]), false)
                    : throw new InvalidDataException("A shared string index out of range.");
            case "inlineStr":
                return new SheetCell(CellText.Clean(inline ?? value), false);
            case "str" or "e":
                return new SheetCell(CellText.Clean(value), false);
            case "b":
                return value is null ? SheetCell.Empty : CellText.FromValue(value is "1" or "true");
            case "d":
                return value is not null && DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var iso)
                    ? new SheetCell(CellText.FormatDate(iso), false)
                    : new SheetCell(CellText.Clean(value), false);
            default:
                if (string.IsNullOrEmpty(value))
                {
                    return inline is null ? SheetCell.Empty : new SheetCell(CellText.Clean(inline), false);
                }

                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return new SheetCell(CellText.Clean(value), false);
                }

                if (style is not null && int.TryParse(style, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                    && (uint)s < (uint)_dateStyles.Length && _dateStyles[s] && number is > -657435.0 and < 2958466.0)
                {
                    return CellText.FromValue(DateTime.FromOADate(number));
                }

                return CellText.FromValue(number);
        }
    }

    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var c in reference)
        {
            if (c is >= 'A' and <= 'Z')
            {
                index = (index * 26) + (c - 'A' + 1);
            }
            else if (c is >= 'a' and <= 'z')
            {
                index = (index * 26) + (c - 'a' + 1);
            }
            else
            {
                break;
            }
        }

        return index - 1;
    }

    protected override void DisposeCore()
    {
        _sheet.Dispose();
        _zip.Dispose();
        _ownedStream?.Dispose();
    }
}
