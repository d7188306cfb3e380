using System.Text;
using CsvHelper;

namespace Baoxue.Infrastructure.Spreadsheets;

/// <summary>Reads comma- or tab-separated text in a known encoding with CsvHelper's RFC 4180 quoting.</summary>
internal sealed class CsvSheetReader : SheetReaderBase
{
    // A real row is a few KB at most; an unclosed quote must not make the parser buffer the whole file.
    private const int MaxRecordBytes = 8 * 1024 * 1024;

    private readonly StreamReader _text;
    private readonly CsvReader _csv;

    public CsvSheetReader(Stream stream, Encoding encoding, char separator)
    {
        // The encoding was chosen by sniffing; a BOM matching it is skipped by StreamReader.
        // The stream is a wrapper owned by this reader; it leaves the caller's stream open.
        _text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: false);
        _csv = CsvReader.Create(_text, CsvReaderOptions.Default with
        {
            Separator = separator,
            HasHeader = false, // the header is the first non-blank row, found by the base class
            SkipEmptyLines = false, // blank lines still count towards row numbers
            TrimWhitespace = false, // trimming is done with the same rules as for Excel cells
            DetectSeparatorHint = false,
            AllowLineBreaksInQuotes = true,
            MalformedData = CsvMalformedDataHandling.Recover, // Excel is lenient with stray quotes too
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MissingField = CsvMissingFieldHandling.ReturnEmpty,
            MaxRecordSize = MaxRecordBytes,
        }, leaveOpen: false);
    }

    protected override bool ReadPhysicalRow(List<SheetCell> cells)
    {
        if (!_csv.Read())
        {
            return false;
        }

        var count = _csv.FieldCount;
        for (var i = 0; i < count; i++)
        {
            cells.Add(new SheetCell(CellText.Clean(_csv.GetString(i)), false));
        }

        return true;
    }

    protected override SpreadsheetFormatException Translate(Exception exception, int rowNumber)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is DecoderFallbackException)
            {
                return new SpreadsheetFormatException(
                    SpreadsheetError.Corrupt,
                    $"Undecodable characters near row {rowNumber}: mixed encodings.",
                    exception,
                    rowNumber);
            }
        }

        return base.Translate(exception, rowNumber);
    }

    protected override void DisposeCore() => _csv.Dispose(); // disposes _text and the wrapper stream with it
}
