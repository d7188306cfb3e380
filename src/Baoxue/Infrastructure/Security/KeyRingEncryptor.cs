using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Baoxue.Infrastructure.Security;

/// <summary>
/// Encrypts each data-protection key (AES-256-GCM) before it is stored in the database, with a key derived from the
/// personal-data keys (settings or key file). A copy of the database alone yields no key to forge sign-ins with.
/// </summary>
public sealed class KeyRingEncryptor(byte[] key) : IXmlEncryptor
{
    public const string Purpose = "data-protection-key-ring";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, NonceSize));
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(sealedBytes.AsSpan(0, NonceSize), plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length));
        var element = new XElement("encryptedKey",
            new XComment(" AES-256-GCM with a key derived from PersonalData keys; see docs/security.md "),
            new XElement("value", Convert.ToBase64String(sealedBytes)));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }

    internal static XElement Decrypt(byte[] key, XElement encryptedElement)
    {
        var sealedBytes = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? "");
        var length = sealedBytes.Length - NonceSize - TagSize;
        if (length < 0)
        {
            throw new CryptographicException("The stored data-protection key is damaged.");
        }
        var plain = new byte[length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, length), sealedBytes.AsSpan(NonceSize + length), plain);
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}

/// <summary>Made by the data-protection system (by type name, with the service provider) to read keys back.</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        KeyRingEncryptor.Decrypt(services.GetRequiredService<PersonalData>().DeriveKey(KeyRingEncryptor.Purpose), encryptedElement);
}
