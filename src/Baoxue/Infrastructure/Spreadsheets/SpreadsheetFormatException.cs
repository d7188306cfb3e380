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
}

/// <summary>A file that cannot be imported; <see cref="Exception.Message"/> is meant to be shown to the user as is.</summary>
public sealed class SpreadsheetFormatException : Exception
{
    public SpreadsheetFormatException(SpreadsheetError error, string? message = null, Exception? innerException = null)
        : base(message ?? DefaultMessage(error), innerException)
    {
        Error = error;
    }

    public SpreadsheetError Error { get; }

    internal static SpreadsheetFormatException TooLarge(long maxBytes) =>
        new(SpreadsheetError.TooLarge, $"文件过大，不能超过 {FormatSize(maxBytes)}。请拆分成多个文件后分别导入。");

    private static string DefaultMessage(SpreadsheetError error) => error switch
    {
        SpreadsheetError.Empty => "文件是空的，请检查是否选错了文件。",
        SpreadsheetError.Unsupported => "不支持的文件格式，请上传 Excel 文件（.xlsx 或 .xls）或 CSV 文件。",
        SpreadsheetError.NoHeader => "文件中没有数据：找不到表头行（第一个非空行应为各列的标题）。",
        SpreadsheetError.Corrupt => "文件已损坏或无法读取，请用 Excel 打开后另存为 .xlsx 再上传。",
        SpreadsheetError.TooLarge => "文件过大，请拆分成多个文件后分别导入。",
        SpreadsheetError.Encrypted => "文件设置了打开密码，请在 Excel 中取消密码保护后再上传。",
        _ => "文件无法读取。",
    };

    private static string FormatSize(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.#} GB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):0.#} KB",
        _ => $"{bytes} 字节",
    };
}
