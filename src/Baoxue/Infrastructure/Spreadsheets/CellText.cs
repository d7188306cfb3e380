using System.Globalization;

namespace Baoxue.Infrastructure.Spreadsheets;

/// <summary>Turns raw cell values into the text the user saw in Excel.</summary>
internal static class CellText
{
    // Excel shows 15 significant digits; anything past that is binary noise in the stored double.
    private const string SignificantDigits = "G15";

    // Beyond this the digits would mostly be padding zeros, and Excel itself shows an exponent.
    private const int MaxExpandedExponent = 30;

    /// <summary>Trims whitespace and the invisible characters that copying from web pages and chat apps leaves behind.</summary>
    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var span = value.AsSpan();
        int start = 0, end = span.Length;
        while (start < end && IsTrimmable(span[start]))
        {
            start++;
        }

        while (end > start && IsTrimmable(span[end - 1]))
        {
            end--;
        }

        return start == 0 && end == span.Length ? value : value[start..end];
    }

    private static bool IsTrimmable(char c) => char.IsWhiteSpace(c) || c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF';

    public static SheetCell FromValue(object? value) => value switch
    {
        null => SheetCell.Empty,
        string s => new SheetCell(Clean(s), false),
        double d => new SheetCell(FormatNumber(d), true),
        float f => new SheetCell(FormatNumber(f), true),
        int i => new SheetCell(i.ToString(CultureInfo.InvariantCulture), true),
        long l => new SheetCell(l.ToString(CultureInfo.InvariantCulture), true),
        decimal m => new SheetCell(FormatNumber((double)m), true),
        DateTime dt => new SheetCell(FormatDate(dt), true),
        DateTimeOffset dto => new SheetCell(FormatDate(dto.DateTime), false), // an ISO date typed as text (t="d")
        TimeSpan ts => new SheetCell(ts.ToString("c", CultureInfo.InvariantCulture), true),
        bool b => new SheetCell(b ? "TRUE" : "FALSE", false),
        IFormattable other => new SheetCell(Clean(other.ToString(null, CultureInfo.InvariantCulture)), false),
        _ => new SheetCell(Clean(value.ToString()), false),
    };

    /// <summary>
    /// Formats a number the way Excel's General format shows it, but without an exponent where
    /// possible: an ID typed as a number should read as (rounded) digits, not "3.50123201001011E+17".
    /// </summary>
    public static string FormatNumber(double value)
    {
        if (value == 0)
        {
            return "0"; // also turns -0 into 0
        }

        var text = value.ToString(SignificantDigits, CultureInfo.InvariantCulture);
        var e = text.IndexOf('E');
        if (e < 0 || !double.IsFinite(value))
        {
            return text;
        }

        var exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (Math.Abs(exponent) > MaxExpandedExponent)
        {
            return text;
        }

        var mantissa = text.AsSpan(0, e);
        var negative = mantissa[0] == '-';
        if (negative)
        {
            mantissa = mantissa[1..];
        }

        // G15 puts exactly one digit before the point when it uses an exponent.
        var digits = mantissa.Length > 1 ? string.Concat(mantissa[..1], mantissa[2..]) : mantissa.ToString();
        var point = 1 + exponent;
        var expanded = point >= digits.Length
            ? digits + new string('0', point - digits.Length)
            : point <= 0
                ? "0." + new string('0', -point) + digits
                : digits[..point] + "." + digits[point..];
        return negative ? "-" + expanded : expanded;
    }

    /// <summary>Dates as yyyy-MM-dd, which every importer parses; the time only when there is one.</summary>
    public static string FormatDate(DateTime value)
    {
        // Excel stores a time of day without a date as a fraction of day 0 (1899-12-30 in OADate terms).
        if (value.Date <= new DateTime(1899, 12, 31) && value.TimeOfDay != TimeSpan.Zero)
        {
            return value.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        }

        return value.TimeOfDay == TimeSpan.Zero
            ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }
}
