using System.IO.Compression;
using System.Text;

namespace Baoxue.Infrastructure.Spreadsheets;

/// <summary>Opens an uploaded xlsx, xls or csv file for streaming, row-by-row reading.</summary>
public static class SpreadsheetReader
{
    // Enough to decide the encoding of a CSV file and see its header line.
    private const int SniffBytes = 64 * 1024;

    private static readonly byte[] ZipSignature = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0];
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private static readonly byte[] Utf16LeBom = [0xFF, 0xFE];
    private static readonly byte[] Utf16BeBom = [0xFE, 0xFF];

    static SpreadsheetReader()
    {
        // Legacy xls files and GBK csv files need the Windows code pages, which .NET Core leaves out.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Gbk = Encoding.GetEncoding(936);
        // GB18030 decodes every GBK file identically and also the four-byte sequences that rare
        // characters in names need; strict, so undecodable bytes fail the import instead of
        // turning into question marks in the database.
        ChineseCsv = Encoding.GetEncoding(54936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    /// <summary>The legacy Chinese Windows code page, for xls files that do not name theirs.</summary>
    internal static Encoding Gbk { get; }

    private static Encoding ChineseCsv { get; }

    private static Encoding StrictUtf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true);

    private enum Format
    {
        Xlsx,
        Xls,
        Csv,
    }

    /// <inheritdoc cref="Open(Stream, string, long)"/>
    public static ISheetReader Open(Stream stream, string fileName) => Open(stream, fileName, long.MaxValue);

    /// <summary>Opens a spreadsheet and reads its header row.</summary>
    /// <param name="stream">
    /// The file, read from its current position. It is not disposed; keep it open until the reader is disposed.
    /// Excel files are read in place when the stream is seekable and at position 0, otherwise copied to a temporary file.
    /// </param>
    /// <param name="fileName">The uploaded name; the content decides the format, the extension only breaks ties.</param>
    /// <param name="maxBytes">The largest file accepted.</param>
    /// <exception cref="SpreadsheetFormatException">The file cannot be imported; the message is for the user.</exception>
    public static ISheetReader Open(Stream stream, string fileName, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream must be readable.", nameof(stream));
        }

        var start = stream.CanSeek ? stream.Position : -1;
        if (start >= 0 && stream.Length - start > maxBytes)
        {
            throw SpreadsheetFormatException.TooLarge(maxBytes);
        }

        // One byte past a small limit is enough to know it was exceeded.
        var prefix = new byte[maxBytes < SniffBytes ? (int)maxBytes + 1 : SniffBytes];
        var length = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (length > maxBytes)
        {
            throw SpreadsheetFormatException.TooLarge(maxBytes);
        }

        var head = prefix.AsSpan(0, length);
        if (head.IsEmpty || (head.SequenceEqual(Utf8Bom) && length < prefix.Length))
        {
            throw new SpreadsheetFormatException(SpreadsheetError.Empty);
        }

        SheetReaderBase reader = Sniff(head, fileName) switch
        {
            Format.Xlsx => OpenExcel(stream, start, prefix, length, maxBytes, isZip: true),
            Format.Xls => OpenExcel(stream, start, prefix, length, maxBytes, isZip: false),
            _ => OpenCsv(stream, prefix, length, endOfFile: length < prefix.Length, maxBytes),
        };

        try
        {
            reader.ReadHeader();
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    private static Format Sniff(ReadOnlySpan<byte> head, string fileName)
    {
        if (head.StartsWith(ZipSignature))
        {
            return Format.Xlsx;
        }

        if (head.StartsWith(OleSignature))
        {
            return Format.Xls;
        }

        if (head.StartsWith(Utf16LeBom) || head.StartsWith(Utf16BeBom))
        {
            return Format.Csv; // Excel's "Unicode text" export
        }

        if (LooksBinary(head))
        {
            // A file named like a workbook that is not one was damaged (or half uploaded);
            // anything else is simply a file type we do not take.
            throw IsExcelName(fileName)
                ? new SpreadsheetFormatException(SpreadsheetError.Corrupt)
                : new SpreadsheetFormatException(SpreadsheetError.Unsupported);
        }

        var text = head.StartsWith(Utf8Bom) ? head[Utf8Bom.Length..] : head;
        var firstNonSpace = text.IndexOfAnyExcept(" \t\r\n"u8);
        if (firstNonSpace >= 0 && text[firstNonSpace] == (byte)'<')
        {
            // Many web systems export an HTML table or SpreadsheetML 2003 XML and name it .xls.
            throw new SpreadsheetFormatException(
                SpreadsheetError.Unsupported,
                "The file is HTML or XML, not a spreadsheet.");
        }

        // An .xlsx is always a zip package: text under that name was renamed, and reading it as CSV would only
        // report its "missing" columns. A text .xls is left alone: many systems export tab-separated text under it.
        if (IsZipExcelName(fileName))
        {
            throw new SpreadsheetFormatException(SpreadsheetError.NotExcel, "The file is named .xlsx but is text.");
        }

        return Format.Csv;
    }

    private static bool IsZipExcelName(string fileName)
    {
        var extension = Path.GetExtension(fileName);
        return extension.Equals(".xlsx", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".xlsm", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsExcelName(string fileName)
    {
        var extension = Path.GetExtension(fileName);
        return extension.Equals(".xlsx", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".xlsm", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".xls", StringComparison.OrdinalIgnoreCase);
    }

    // Text files, whatever their encoding (UTF-16 aside), have no NULs and next to no control characters.
    private static bool LooksBinary(ReadOnlySpan<byte> head)
    {
        var controls = 0;
        foreach (var b in head)
        {
            if (b == 0)
            {
                return true;
            }

            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x1A))
            {
                controls++;
            }
        }

        return controls > head.Length / 100;
    }

    private static SheetReaderBase OpenExcel(Stream stream, long start, byte[] prefix, int length, long maxBytes, bool isZip)
    {
        // ExcelDataReader seeks, and zip offsets count from the start of the stream.
        var ownsSource = start != 0;
        var source = ownsSource ? CopyToTemporaryFile(stream, prefix, length, maxBytes) : stream;
        try
        {
            if (!ownsSource)
            {
                source.Position = 0;
            }

            if (isZip)
            {
                EnsureWorkbookPackage(source);
                source.Position = 0;
            }
        }
        catch
        {
            if (ownsSource)
            {
                source.Dispose();
            }

            throw;
        }

        return isZip ? XlsxSheetReader.Open(source, ownsSource) : ExcelSheetReader.Open(source, ownsSource);
    }

    // Word documents, OpenDocument and xlsb files are zip packages too; tell them apart from a damaged xlsx.
    private static void EnsureWorkbookPackage(Stream source)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new SpreadsheetFormatException(SpreadsheetError.Corrupt, innerException: ex);
        }

        using (zip)
        {
            if (!zip.Entries.Any(e => e.FullName.Equals("xl/workbook.xml", StringComparison.OrdinalIgnoreCase)))
            {
                throw new SpreadsheetFormatException(SpreadsheetError.Unsupported);
            }
            foreach (var entry in zip.Entries)
            {
                EnsureNoHugeRuns(entry);
            }
        }
    }

    /// <summary>Excel's own limit for one cell; nothing longer is a real registry value.</summary>
    public const int MaxCellCharacters = 32_767;

    // Bytes a cell of 32,767 characters can take in the XML (escaped, multi-byte), and one tag (attributes included).
    private const int MaxTextRunBytes = MaxCellCharacters * 8;
    private const int MaxTagBytes = 256 * 1024;
    // Any one part unpacked: far above a million-row sheet, far below what would exhaust the disk or the day.
    private const long MaxPartBytes = 4L * 1024 * 1024 * 1024;

    /// <summary>
    /// A 300 KB workbook can unpack to one 300 MB string, which the Excel reader would hold in memory (several
    /// times over, in parallel uploads). Before reading, stream each part once and refuse any text run or tag
    /// longer than a cell can be, and any part that unpacks beyond reason. Constant memory, no XML parsing.
    /// </summary>
    private static void EnsureNoHugeRuns(ZipArchiveEntry entry)
    {
        if (entry.Length > MaxPartBytes)
        {
            throw TooLong(entry.FullName);
        }
        using var part = entry.Open();
        var buffer = new byte[64 * 1024];
        long total = 0;
        long run = 0;
        var inTag = false;
        int read;
        while ((read = part.Read(buffer)) > 0)
        {
            total += read;
            if (total > MaxPartBytes)
            {
                throw TooLong(entry.FullName);
            }
            var span = buffer.AsSpan(0, read);
            while (!span.IsEmpty)
            {
                var next = inTag ? span.IndexOf((byte)'>') : span.IndexOf((byte)'<');
                run += next < 0 ? span.Length : next;
                if (run > (inTag ? MaxTagBytes : MaxTextRunBytes))
                {
                    throw TooLong(entry.FullName);
                }
                if (next < 0)
                {
                    break;
                }
                inTag = !inTag;
                run = 0;
                span = span[(next + 1)..];
            }
        }
    }

    private static SpreadsheetFormatException TooLong(string part) =>
        new(SpreadsheetError.CellTooLong, $"Part {part} holds a run longer than a cell can be, or unpacks too large.");

    private static FileStream CopyToTemporaryFile(Stream stream, byte[] prefix, int length, long maxBytes)
    {
        // The app's private folder, not the system one: the copy holds IDs and phones in clear.
        var path = Path.Combine(Security.PrivateTemp.Folder, $"baoxue-import-{Guid.NewGuid():N}.tmp");
        var temp = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        try
        {
            temp.Write(prefix, 0, length);
            var buffer = new byte[81920];
            long total = length;
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw SpreadsheetFormatException.TooLarge(maxBytes);
                }

                temp.Write(buffer, 0, read);
            }

            temp.Position = 0;
            return temp;
        }
        catch
        {
            temp.Dispose();
            throw;
        }
    }

    private static CsvSheetReader OpenCsv(Stream stream, byte[] prefix, int length, bool endOfFile, long maxBytes)
    {
        var head = prefix.AsSpan(0, length);
        var encoding = DetectEncoding(head, endOfFile);
        // Leniently: the sample may end inside a character, and bad bytes are reported by the reader with a row number.
        var sample = Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
        var separator = DetectSeparator(sample.GetString(head));
        return new CsvSheetReader(new SniffedStream(prefix, length, stream, maxBytes), encoding, separator);
    }

    private static Encoding DetectEncoding(ReadOnlySpan<byte> head, bool endOfFile)
    {
        if (head.StartsWith(Utf8Bom))
        {
            return StrictUtf8;
        }

        if (head.StartsWith(Utf16LeBom))
        {
            return new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true);
        }

        if (head.StartsWith(Utf16BeBom))
        {
            return new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true);
        }

        // Chinese text in GBK is almost never valid UTF-8, so valid UTF-8 means UTF-8.
        try
        {
            // Without flushing, a character cut off at the end of the sample is not an error.
            StrictUtf8.GetDecoder().GetCharCount(head, flush: endOfFile);
            return StrictUtf8;
        }
        catch (DecoderFallbackException)
        {
            return ChineseCsv;
        }
    }

    private static char DetectSeparator(string sample)
    {
        foreach (var line in sample.AsSpan().EnumerateLines())
        {
            if (line.IsWhiteSpace())
            {
                continue;
            }

            // Excel's "text (tab delimited)" export; a header with commas is read as CSV.
            return line.Contains('\t') && !line.Contains(',') ? '\t' : ',';
        }

        return ',';
    }
}
