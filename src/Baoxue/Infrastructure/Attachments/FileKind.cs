namespace Baoxue.Infrastructure.Attachments;

/// <summary>What a file is, read from its first bytes (a renamed file is what its bytes say).</summary>
public static class FileKind
{
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";
    public const string Pdf = "application/pdf";
    /// <summary>HEIF/HEIC (an iPhone's default photo format): recognised so it can be refused with advice.</summary>
    public const string Heic = "image/heic";

    private static readonly string[] HeifBrands = ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"];

    /// <summary>The content type of the bytes, or null when they are none of the kinds this system knows.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return Jpeg;
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png;
        }
        if (head.StartsWith("%PDF-"u8))
        {
            return Pdf;
        }
        // ISO base media: size (4), "ftyp", major brand (4).
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = System.Text.Encoding.ASCII.GetString(head[8..12]);
            if (HeifBrands.Contains(brand))
            {
                return Heic;
            }
        }
        return null;
    }

    public static bool IsImage(string contentType) => contentType is Jpeg or Png;

    /// <summary>The extension a download is given, from the sniffed type.</summary>
    public static string Extension(string contentType) => contentType switch
    {
        Jpeg => ".jpg",
        Png => ".png",
        Pdf => ".pdf",
        _ => "",
    };
}
