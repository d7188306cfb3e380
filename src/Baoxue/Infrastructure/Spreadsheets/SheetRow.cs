namespace Baoxue.Infrastructure.Spreadsheets;

/// <summary>A data row read from a spreadsheet.</summary>
public sealed class SheetRow
{
    private readonly SheetCell[] _cells;

    internal SheetRow(int rowNumber, SheetCell[] cells)
    {
        RowNumber = rowNumber;
        _cells = cells;
    }

    /// <summary>The row number the user sees in Excel (1-based, blank rows and the header included), for error reports.</summary>
    public int RowNumber { get; }

    /// <summary>The number of cells up to the last non-blank one; rows may be shorter than the header.</summary>
    public int Count => _cells.Length;

    public bool IsBlank => _cells.Length == 0;

    /// <summary>The cell in a 0-based column; columns past <see cref="Count"/> read as blank, so callers can index by header position.</summary>
    public SheetCell this[int column]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(column);
            return column < _cells.Length ? _cells[column] : SheetCell.Empty;
        }
    }
}
