using System.Diagnostics.CodeAnalysis;

namespace Baoxue.Infrastructure.Spreadsheets;

/// <summary>Forward-only reader over the first visible sheet of a spreadsheet file.</summary>
/// <remarks>
/// Reading errors after opening surface as <see cref="SpreadsheetFormatException"/> from
/// <see cref="TryReadRow"/>, so an all-or-nothing import must read to the end before it commits.
/// </remarks>
public interface ISheetReader : IDisposable
{
    /// <summary>The first non-blank row, trimmed, without trailing blank columns.</summary>
    IReadOnlyList<string> Headers { get; }

    /// <summary>Reads the next row that is not entirely blank.</summary>
    bool TryReadRow([MaybeNullWhen(false)] out SheetRow row);
}
