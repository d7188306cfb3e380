namespace Baoxue.Infrastructure.Spreadsheets;

public enum SpreadsheetError
{
    /// <summary>The file has no content.</summary>
    Empty,

    /// <summary>Not a spreadsheet this reader understands (a Word file, a picture, an HTML page saved as .xls...).</summary>
    Unsupported,

    /// <summary>The sheet has no non-blank row to take headers from.</summary>
    NoHeader,

    /// <summary>The file claims a format but cannot be read as it, or its text encoding cannot be recognised.</summary>
    Corrupt,

    /// <summary>The file is larger than the caller allows.</summary>
    TooLarge,

    /// <summary>The workbook is protected by an open password.</summary>
    Encrypted,

    /// <summary>A cell longer than Excel allows, or a part that unpacks far too large (a decompression bomb).</summary>
    CellTooLong,

    /// <summary>Named .xlsx (always a zip package) but plain text inside: a renamed .txt or .csv.</summary>
    NotExcel,
}

/// <summary>
/// A file that cannot be imported. <see cref="Error"/> (and <see cref="RowNumber"/> where known) is what the
/// user is told, through the string table; <see cref="Exception.Message"/> is for the log.
/// </summary>
public sealed class SpreadsheetFormatException : Exception
{
    public SpreadsheetFormatException(SpreadsheetError error, string? message = null, Exception? innerException = null, int? rowNumber = null)
        : base(message ?? error.ToString(), innerException)
    {
        Error = error;
        RowNumber = rowNumber;
    }

    public SpreadsheetError Error { get; }

    /// <summary>The row near which reading failed, when the file was readable up to there.</summary>
    public int? RowNumber { get; }

    internal static SpreadsheetFormatException TooLarge(long maxBytes) =>
        new(SpreadsheetError.TooLarge, $"The file is larger than {maxBytes} bytes.");
}
