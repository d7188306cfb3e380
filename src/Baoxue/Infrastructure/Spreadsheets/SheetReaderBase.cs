using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Baoxue.Infrastructure.Spreadsheets;

/// <summary>Header detection, blank-row skipping and row numbering shared by the file formats.</summary>
internal abstract class SheetReaderBase : ISheetReader
{
    private readonly List<SheetCell> _buffer = [];
    private int _physicalRow;
    private SheetRow? _pushedBack;
    private bool _disposed;

    public IReadOnlyList<string> Headers { get; private set; } = [];

    /// <summary>Called by <see cref="SpreadsheetReader"/> so that a file without a header fails when it is opened.</summary>
    internal void ReadHeader()
    {
        if (!TryReadRow(out var header))
        {
            throw new SpreadsheetFormatException(SpreadsheetError.NoHeader);
        }

        // Exported lists start with a title line (jurisdiction, as-of date) above the header: one cell, merged across.
        // Skipped when a header of several columns follows, so that an exported file can be imported again.
        if (NonBlank(header) == 1 && TryReadRow(out var next))
        {
            if (NonBlank(next) > 1)
            {
                header = next;
            }
            else
            {
                _pushedBack = next;
            }
        }

        var headers = new string[header.Count];
        for (var i = 0; i < headers.Length; i++)
        {
            headers[i] = header[i].Text;
        }

        Headers = headers;
    }

    private static int NonBlank(SheetRow row)
    {
        var count = 0;
        for (var i = 0; i < row.Count; i++)
        {
            count += row[i].IsBlank ? 0 : 1;
        }

        return count;
    }

    public bool TryReadRow([MaybeNullWhen(false)] out SheetRow row)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_pushedBack is not null)
        {
            row = _pushedBack;
            _pushedBack = null;
            return true;
        }

        while (true)
        {
            _buffer.Clear();
            bool found;
            try
            {
                found = ReadPhysicalRow(_buffer);
            }
            catch (Exception ex) when (ex is not SpreadsheetFormatException and not OperationCanceledException and not OutOfMemoryException)
            {
                throw Translate(ex, _physicalRow + 1);
            }

            if (!found)
            {
                row = null;
                return false;
            }

            // Every physical row counts, blank or not, so that numbers match what the user sees in Excel.
            _physicalRow++;
            var count = _buffer.Count;
            while (count > 0 && _buffer[count - 1].IsBlank)
            {
                count--;
            }

            if (count > 0)
            {
                row = new SheetRow(_physicalRow, CollectionsMarshal.AsSpan(_buffer)[..count].ToArray());
                return true;
            }
        }
    }

    /// <summary>Appends the cells of the next physical row (blank ones included); false at the end of the sheet.</summary>
    protected abstract bool ReadPhysicalRow(List<SheetCell> cells);

    /// <summary>Maps a failure of the underlying parser to the error the user sees.</summary>
    protected virtual SpreadsheetFormatException Translate(Exception exception, int rowNumber)
    {
        // A wrapped limit violation (a parser may wrap what the stream threw) keeps its own meaning.
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SpreadsheetFormatException formatException)
            {
                return formatException;
            }
        }

        return new SpreadsheetFormatException(
            SpreadsheetError.Corrupt,
            $"Unreadable near row {rowNumber}.",
            exception,
            rowNumber);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            DisposeCore();
        }
    }

    protected abstract void DisposeCore();
}
