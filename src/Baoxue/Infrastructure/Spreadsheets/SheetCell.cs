namespace Baoxue.Infrastructure.Spreadsheets;

/// <summary>One cell as the importer sees it.</summary>
/// <param name="Text">The value as the user saw it in Excel, trimmed; empty for a blank cell.</param>
/// <param name="WasNumeric">
/// The cell held a number (or a date, which Excel stores as a number) rather than text. An ID
/// number typed without a leading apostrophe arrives this way with its last digits already
/// rounded away, so importers use this to reject such cells instead of storing a wrong ID.
/// Always false for CSV, which has no cell types.
/// </param>
public readonly record struct SheetCell(string Text, bool WasNumeric)
{
    public static readonly SheetCell Empty = new(string.Empty, false);

    // default(SheetCell) must not hand out a null Text, and must equal Empty.
    public string Text { get => field ?? string.Empty; init => field = value ?? string.Empty; } = Text;

    public bool IsBlank => Text.Length == 0;

    public bool Equals(SheetCell other) => WasNumeric == other.WasNumeric && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Text, WasNumeric);

    public override string ToString() => Text;
}
