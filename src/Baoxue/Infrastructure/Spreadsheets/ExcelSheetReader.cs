using ExcelDataReader;

namespace Baoxue.Infrastructure.Spreadsheets;

/// <summary>Reads xlsx and legacy xls row by row through ExcelDataReader, never loading the sheet as a whole.</summary>
internal sealed class ExcelSheetReader : SheetReaderBase
{
    private readonly IExcelDataReader _reader;
    private readonly Stream? _ownedStream;

    private ExcelSheetReader(IExcelDataReader reader, Stream? ownedStream)
    {
        _reader = reader;
        _ownedStream = ownedStream;
    }

    /// <param name="stream">Seekable, positioned at the start of the file.</param>
    /// <param name="ownsStream">Whether the reader disposes <paramref name="stream"/> (a temporary copy).</param>
    public static ExcelSheetReader Open(Stream stream, bool ownsStream)
    {
        IExcelDataReader reader;
        try
        {
            reader = ExcelReaderFactory.CreateReader(stream, new ExcelReaderConfiguration
            {
                LeaveOpen = true,
                // Old BIFF files without a code page record were written by a Chinese Excel.
                FallbackEncoding = SpreadsheetReader.Gbk,
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            if (ownsStream)
            {
                stream.Dispose();
            }

            throw ex is ExcelDataReader.Exceptions.InvalidPasswordException
                ? new SpreadsheetFormatException(SpreadsheetError.Encrypted, innerException: ex)
                : new SpreadsheetFormatException(SpreadsheetError.Corrupt, innerException: ex);
        }

        var sheet = new ExcelSheetReader(reader, ownsStream ? stream : null);
        try
        {
            sheet.MoveToFirstVisibleSheet();
            return sheet;
        }
        catch
        {
            sheet.Dispose();
            throw;
        }
    }

    // Users import what they see when the workbook opens, not a hidden helper sheet in front of it.
    private void MoveToFirstVisibleSheet()
    {
        try
        {
            do
            {
                if (!string.Equals(_reader.VisibleState, "hidden", StringComparison.OrdinalIgnoreCase)
                    && !string.Equals(_reader.VisibleState, "veryhidden", StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }
            }
            while (_reader.NextResult());

            _reader.Reset();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new SpreadsheetFormatException(SpreadsheetError.Corrupt, innerException: ex);
        }
    }

    protected override bool ReadPhysicalRow(List<SheetCell> cells)
    {
        if (!_reader.Read())
        {
            return false;
        }

        var count = _reader.FieldCount;
        for (var i = 0; i < count; i++)
        {
            cells.Add(CellText.FromValue(_reader.GetValue(i)));
        }

        return true;
    }

    protected override void DisposeCore()
    {
        _reader.Dispose();
        _ownedStream?.Dispose();
    }
}
