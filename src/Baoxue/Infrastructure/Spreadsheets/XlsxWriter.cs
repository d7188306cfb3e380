using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Baoxue.Infrastructure.Spreadsheets;

/// <summary>
/// Writes an xlsx workbook row by row with constant memory, one sheet after another. Every cell is
/// written as text in a text-formatted column, so ID numbers keep all 18 characters (and the X) and
/// stay text when the user edits the file and imports it again.
/// </summary>
/// <remarks>
/// The zip package is written directly instead of through <c>SpreadsheetDocument</c>: System.IO.Packaging
/// can only create a package in read/write mode, which buffers every part uncompressed in memory
/// (about 2 GB for a million rows). Writes are synchronous; give it a file or memory stream rather than
/// an HTTP response body.
/// </remarks>
public sealed class XlsxWriter : IDisposable
{
    /// <summary>The most rows a sheet can have in Excel, the header included.</summary>
    public const int MaxRows = 1_048_576;

    /// <summary>The most columns a sheet can have in Excel.</summary>
    public const int MaxColumns = 16_384;

    /// <summary>The most characters Excel accepts in a cell; longer text makes Excel "repair" the file.</summary>
    public const int MaxCellLength = 32_767;

    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    // Style indexes into the cellXfs written by WriteStyles.
    private const uint HeaderStyle = 1;
    private const uint TextStyle = 2;

    // Excel's built-in "@" (Text) number format.
    private const uint TextNumberFormat = 49;

    private readonly ZipArchive _zip;
    private readonly List<string> _sheetNames = [];
    private readonly List<string> _columnNames = [];
    private readonly List<OpenXmlAttribute> _attributes = [];
    private readonly OpenXmlAttribute _inlineString = new("t", string.Empty, "inlineStr");
    private readonly OpenXmlAttribute _preserveSpace = new("xml", "space", XmlNamespace, "preserve");
    private readonly OpenXmlAttribute _headerStyle = new("s", string.Empty, HeaderStyle.ToString(CultureInfo.InvariantCulture));
    private readonly OpenXmlAttribute _textStyle = new("s", string.Empty, TextStyle.ToString(CultureInfo.InvariantCulture));

    // Element instances are only templates for their names; attributes are passed per write.
    private readonly Row _row = new();
    private readonly Cell _cell = new();
    private readonly InlineString _inline = new();
    private readonly Text _text = new();

    private Stream? _sheetStream;
    private OpenXmlWriter? _sheetWriter;
    private int _rowCount;
    private bool _disposed;

    private XlsxWriter(Stream output)
    {
        _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
    }

    /// <summary>Starts a workbook on <paramref name="output"/>, which may be non-seekable and is left open.</summary>
    public static XlsxWriter Create(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new XlsxWriter(output);
    }

    /// <summary>Writes a whole single-sheet workbook in memory, for small exports and import templates.</summary>
    public static byte[] Build(string sheetName, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var output = new MemoryStream();
        using (var writer = Create(output))
        {
            writer.StartSheet(sheetName, headers);
            foreach (var row in rows)
            {
                writer.WriteRow(row);
            }
        }

        return output.ToArray();
    }

    /// <summary>
    /// Finishes the current sheet, if any, and starts a new one with a bold, frozen header row.
    /// The name is made valid for Excel (forbidden characters replaced, at most 31 characters, unique).
    /// </summary>
    /// <param name="columnWidths">Widths in Excel character units; by default each column fits its header.</param>
    public void StartSheet(string name, IReadOnlyList<string> headers, IReadOnlyList<double>? columnWidths = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.Count > MaxColumns)
        {
            throw new ArgumentException($"Excel sheets have at most {MaxColumns} columns.", nameof(headers));
        }

        FinishSheet();
        _sheetNames.Add(UniqueSheetName(name));
        _rowCount = 0;

        // Only one zip entry can be open at a time, which is why sheets are written one after another.
        _sheetStream = _zip.CreateEntry($"xl/worksheets/sheet{_sheetNames.Count}.xml", CompressionLevel.Optimal).Open();
        var writer = _sheetWriter = OpenXmlWriter.Create(_sheetStream);
        writer.WriteStartDocument();
        writer.WriteStartElement(new Worksheet());

        if (headers.Count > 0)
        {
            writer.WriteElement(new SheetViews(new SheetView(
                new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
                new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
            {
                TabSelected = _sheetNames.Count == 1,
                WorkbookViewId = 0,
            }));

            // The column style makes cells the user types into later text as well, so a pasted ID keeps its digits.
            var columns = new Columns();
            for (var i = 0; i < headers.Count; i++)
            {
                var width = columnWidths is not null && i < columnWidths.Count ? columnWidths[i] : FitWidth(headers[i]);
                columns.Append(new Column
                {
                    Min = (uint)(i + 1),
                    Max = (uint)(i + 1),
                    Width = width,
                    CustomWidth = true,
                    Style = TextStyle,
                });
            }

            writer.WriteElement(columns);
        }

        writer.WriteStartElement(new SheetData());
        if (headers.Count > 0)
        {
            WriteCells(headers, _headerStyle);
        }
    }

    /// <summary>Appends a row to the current sheet; null and empty cells are left blank.</summary>
    public void WriteRow(IReadOnlyList<string?> cells)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(cells);
        if (_sheetWriter is null)
        {
            throw new InvalidOperationException("Call StartSheet before writing rows.");
        }

        if (cells.Count > MaxColumns)
        {
            throw new ArgumentException($"Excel sheets have at most {MaxColumns} columns.", nameof(cells));
        }

        WriteCells(cells, _textStyle);
    }

    private void WriteCells(IReadOnlyList<string?> cells, OpenXmlAttribute styleAttribute)
    {
        var writer = _sheetWriter!;
        if (_rowCount == MaxRows)
        {
            throw new InvalidOperationException($"Excel sheets have at most {MaxRows} rows; start another sheet.");
        }

        var rowNumber = (++_rowCount).ToString(CultureInfo.InvariantCulture);

        _attributes.Clear();
        _attributes.Add(new OpenXmlAttribute("r", string.Empty, rowNumber));
        writer.WriteStartElement(_row, _attributes);

        for (var i = 0; i < cells.Count; i++)
        {
            var value = cells[i];
            if (string.IsNullOrEmpty(value))
            {
                continue; // cells carry their reference, so gaps need no placeholder
            }

            value = ToCellText(value);
            _attributes.Clear();
            _attributes.Add(new OpenXmlAttribute("r", string.Empty, ColumnName(i) + rowNumber));
            _attributes.Add(styleAttribute);
            _attributes.Add(_inlineString);
            writer.WriteStartElement(_cell, _attributes);

            // Inline strings rather than a shared string table: the table would have to be held in memory until the end.
            writer.WriteStartElement(_inline);
            _attributes.Clear();
            if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
            {
                _attributes.Add(_preserveSpace);
            }

            writer.WriteStartElement(_text, _attributes);
            writer.WriteString(value);
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
    }

    private string ColumnName(int index)
    {
        while (_columnNames.Count <= index)
        {
            var n = _columnNames.Count + 1;
            var name = string.Empty;
            while (n > 0)
            {
                n--;
                name = (char)('A' + (n % 26)) + name;
                n /= 26;
            }

            _columnNames.Add(name);
        }

        return _columnNames[index];
    }

    // Control characters are not allowed in XML at all; overlong text would make Excel refuse the cell.
    private static string ToCellText(string value)
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
    private static double FitWidth(string header)
    {
        var width = 0;
        foreach (var c in header ?? string.Empty)
        {
            width += c > 0x2E80 ? 2 : 1;
        }

        return Math.Clamp(width + 4, 10, 60);
    }

    private string UniqueSheetName(string? name)
    {
        var builder = new StringBuilder();
        foreach (var c in name ?? string.Empty)
        {
            builder.Append(c is ':' or '\\' or '/' or '?' or '*' or '[' or ']' || char.IsControl(c) ? '_' : c);
        }

        var baseName = builder.ToString().Trim().Trim('\'');
        if (baseName.Length == 0)
        {
            baseName = $"Sheet{_sheetNames.Count + 1}";
        }

        var candidate = Truncate(baseName, 31);
        for (var n = 2; _sheetNames.Contains(candidate, StringComparer.OrdinalIgnoreCase); n++)
        {
            var suffix = $"({n})";
            candidate = Truncate(baseName, 31 - suffix.Length) + suffix;
        }

        return candidate;

        static string Truncate(string s, int length) => s.Length <= length ? s : s[..length];
    }

    private void FinishSheet()
    {
        if (_sheetWriter is null)
        {
            return;
        }

        _sheetWriter.WriteEndElement(); // sheetData
        _sheetWriter.WriteEndElement(); // worksheet
        _sheetWriter.Close();
        _sheetWriter.Dispose();
        _sheetStream!.Dispose();
        _sheetWriter = null;
        _sheetStream = null;
    }

    /// <summary>Finishes the last sheet and writes the workbook parts; the output is a complete xlsx afterwards.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            if (_sheetNames.Count == 0)
            {
                StartSheet("Sheet1", []); // a workbook without sheets does not open
            }

            FinishSheet();
            WritePart("xl/styles.xml", Styles());
            WritePart("xl/workbook.xml", Workbook());
            WriteWorkbookRelationships();
            WriteRootRelationships();
            WriteContentTypes();
        }
        finally
        {
            _disposed = true;
            _sheetWriter?.Dispose();
            _sheetStream?.Dispose();
            _zip.Dispose();
        }
    }

    private void WritePart(string path, OpenXmlElement root)
    {
        using var stream = _zip.CreateEntry(path, CompressionLevel.Optimal).Open();
        using var writer = OpenXmlWriter.Create(stream);
        writer.WriteStartDocument();
        writer.WriteElement(root);
        writer.Close();
    }

    private Workbook Workbook()
    {
        var sheets = new Sheets();
        for (var i = 0; i < _sheetNames.Count; i++)
        {
            sheets.Append(new Sheet { Name = _sheetNames[i], SheetId = (uint)(i + 1), Id = $"rId{i + 1}" });
        }

        var workbook = new Workbook(new BookViews(new WorkbookView()), sheets);
        workbook.AddNamespaceDeclaration("r", RelationshipsNamespace);
        return workbook;
    }

    private static Stylesheet Styles()
    {
        // 等线 is the default font of Chinese Excel; charset 134 is GB2312.
        Font Font(bool bold)
        {
            var font = new Font();
            if (bold)
            {
                font.Append(new Bold());
            }

            font.Append(new FontSize { Val = 11 }, new FontName { Val = "等线" }, new FontFamilyNumbering { Val = 2 }, new FontCharSet { Val = 134 });
            return font;
        }

        return new Stylesheet(
            new Fonts(Font(bold: false), Font(bold: true)) { Count = 2 },
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
            new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
            new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
            new CellFormats(
                new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
                new CellFormat { NumberFormatId = TextNumberFormat, FontId = 1, FillId = 0, BorderId = 0, FormatId = 0, ApplyFont = true, ApplyNumberFormat = true },
                new CellFormat { NumberFormatId = TextNumberFormat, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true }) { Count = 3 },
            new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
    }

    private void WriteWorkbookRelationships()
    {
        WriteXml("xl/_rels/workbook.xml.rels", xml =>
        {
            xml.WriteStartElement("Relationships", PackageRelationshipsNamespace);
            for (var i = 0; i < _sheetNames.Count; i++)
            {
                WriteRelationship(xml, $"rId{i + 1}", $"{RelationshipsNamespace}/worksheet", $"worksheets/sheet{i + 1}.xml");
            }

            WriteRelationship(xml, $"rId{_sheetNames.Count + 1}", $"{RelationshipsNamespace}/styles", "styles.xml");
            xml.WriteEndElement();
        });
    }

    private void WriteRootRelationships()
    {
        WriteXml("_rels/.rels", xml =>
        {
            xml.WriteStartElement("Relationships", PackageRelationshipsNamespace);
            WriteRelationship(xml, "rId1", $"{RelationshipsNamespace}/officeDocument", "xl/workbook.xml");
            xml.WriteEndElement();
        });
    }

    private static void WriteRelationship(XmlWriter xml, string id, string type, string target)
    {
        xml.WriteStartElement("Relationship", PackageRelationshipsNamespace);
        xml.WriteAttributeString("Id", id);
        xml.WriteAttributeString("Type", type);
        xml.WriteAttributeString("Target", target);
        xml.WriteEndElement();
    }

    private void WriteContentTypes()
    {
        const string ns = "http://schemas.openxmlformats.org/package/2006/content-types";
        const string spreadsheetMl = "application/vnd.openxmlformats-officedocument.spreadsheetml";
        WriteXml("[Content_Types].xml", xml =>
        {
            xml.WriteStartElement("Types", ns);
            WriteDefault("rels", "application/vnd.openxmlformats-package.relationships+xml");
            WriteDefault("xml", "application/xml");
            WriteOverride("/xl/workbook.xml", $"{spreadsheetMl}.sheet.main+xml");
            WriteOverride("/xl/styles.xml", $"{spreadsheetMl}.styles+xml");
            for (var i = 0; i < _sheetNames.Count; i++)
            {
                WriteOverride($"/xl/worksheets/sheet{i + 1}.xml", $"{spreadsheetMl}.worksheet+xml");
            }

            xml.WriteEndElement();

            void WriteDefault(string extension, string contentType)
            {
                xml.WriteStartElement("Default", ns);
                xml.WriteAttributeString("Extension", extension);
                xml.WriteAttributeString("ContentType", contentType);
                xml.WriteEndElement();
            }

            void WriteOverride(string partName, string contentType)
            {
                xml.WriteStartElement("Override", ns);
                xml.WriteAttributeString("PartName", partName);
                xml.WriteAttributeString("ContentType", contentType);
                xml.WriteEndElement();
            }
        });
    }

    private void WriteXml(string path, Action<XmlWriter> write)
    {
        using var stream = _zip.CreateEntry(path, CompressionLevel.Optimal).Open();
        using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        xml.WriteStartDocument(standalone: true);
        write(xml);
        xml.WriteEndDocument();
    }
}
