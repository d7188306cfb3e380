using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Baoxue.Infrastructure.Security;

/// <summary>The <c>PersonalData</c> section: keys for encrypting ID numbers and for their matching hashes.</summary>
public sealed class PersonalDataOptions
{
    /// <summary>Base64 of 32 random bytes. Without it a key file is made under <c>data/</c> (fine for one machine, not for a cluster).</summary>
    public string? EncryptionKey { get; set; }
    /// <summary>Base64 of 32 random bytes, for the keyed hash (HMAC-SHA256) used to find and match IDs.</summary>
    public string? HashKey { get; set; }
    /// <summary><c>AES-GCM</c> (default) or <c>SM4-GCM</c> (the national algorithm, GB/T 32907).</summary>
    public string Cipher { get; set; } = "AES-GCM";
}

/// <summary>
/// Encrypts resident ID numbers at rest and computes their keyed hash for lookup and matching (SYS-3).
/// Ciphertexts name their algorithm ("a1:" AES-GCM, "s1:" SM4-GCM), so a county can switch without re-encrypting.
/// </summary>
public sealed class PersonalData
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;
    private readonly byte[] _hashKey;
    private readonly bool _sm4;
    // One AES-GCM instance per thread: creating one per call (key schedule, native handle) dominated bulk imports.
    private readonly ThreadLocal<AesGcm> _aes;

    public PersonalData(byte[] key, byte[] hashKey, bool sm4 = false)
    {
        if (key.Length != 32 || hashKey.Length != 32)
        {
            throw new ArgumentException("Personal-data keys are 32 bytes.");
        }
        _key = key;
        _hashKey = hashKey;
        _sm4 = sm4;
        _aes = new ThreadLocal<AesGcm>(() => new AesGcm(_key, TagSize));
    }

    public static PersonalData FromOptions(PersonalDataOptions options, string contentRoot)
    {
        byte[] key, hashKey;
        if (!string.IsNullOrWhiteSpace(options.EncryptionKey) && !string.IsNullOrWhiteSpace(options.HashKey))
        {
            key = Convert.FromBase64String(options.EncryptionKey);
            hashKey = Convert.FromBase64String(options.HashKey);
        }
        else
        {
            var file = Path.Combine(contentRoot, "data", "personal-data.key");
            if (!File.Exists(file))
            {
                CreateKeyFile(file);
            }
            var both = ReadKeyFile(file);
            key = both[..32];
            hashKey = both[32..];
        }
        return new PersonalData(key, hashKey, string.Equals(options.Cipher, "SM4-GCM", StringComparison.OrdinalIgnoreCase));
    }

    // Several app servers (or test hosts) starting at once on a fresh folder must all end up with the one key. Only one
    // can create the file (O_EXCL, atomic on every local file system; File.Move without overwrite falls back to a racy
    // check-then-rename where hard links are refused, and two servers then kept two keys); the others read it, waiting
    // the moment it takes the first to write 88 characters.
    private const int KeyFileLength = 88; // 64 bytes in base64

    private static void CreateKeyFile(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        try
        {
            using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(64))));
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another server created it first: its key is the key.
        }
    }

    private static byte[] ReadKeyFile(string file)
    {
        for (var attempt = 0; ; attempt++)
        {
            var text = File.ReadAllText(file).Trim();
            if (text.Length == KeyFileLength)
            {
                return Convert.FromBase64String(text);
            }
            if (attempt >= 200)
            {
                throw new InvalidOperationException($"The personal-data key file {file} is damaged: it must hold 64 bytes in base64.");
            }
            Thread.Sleep(10);
        }
    }

    /// <summary>
    /// A 32-byte key for another purpose (data-protection key ring, audit checkpoints), derived from the personal-data
    /// keys so it lives where they live: in the settings or the key file, never in the database.
    /// </summary>
    public byte[] DeriveKey(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, _hashKey, Encoding.UTF8.GetBytes("baoxue:" + purpose));

    /// <summary>Keyed hash of a normalised value: the same ID always gives the same hash, and no one without the key can test a guess.</summary>
    public string Hash(string value) => Convert.ToHexStringLower(HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(value)));

    public string Encrypt(string plain)
    {
        var data = Encoding.UTF8.GetBytes(plain);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var sealedBytes = new byte[NonceSize + data.Length + TagSize];
        nonce.CopyTo(sealedBytes, 0);
        if (_sm4)
        {
            var gcm = new GcmBlockCipher(new SM4Engine());
            gcm.Init(true, new AeadParameters(new KeyParameter(_key, 0, 16), TagSize * 8, nonce));
            var length = gcm.ProcessBytes(data, 0, data.Length, sealedBytes, NonceSize);
            gcm.DoFinal(sealedBytes, NonceSize + length);
            return "s1:" + Convert.ToBase64String(sealedBytes);
        }
        _aes.Value!.Encrypt(nonce, data, sealedBytes.AsSpan(NonceSize, data.Length), sealedBytes.AsSpan(NonceSize + data.Length, TagSize));
        return "a1:" + Convert.ToBase64String(sealedBytes);
    }

    public string Decrypt(string cipherText)
    {
        var bytes = Convert.FromBase64String(cipherText[3..]);
        var nonce = bytes.AsSpan(0, NonceSize);
        var plain = new byte[bytes.Length - NonceSize - TagSize];
        if (cipherText.StartsWith("s1:", StringComparison.Ordinal))
        {
            var gcm = new GcmBlockCipher(new SM4Engine());
            gcm.Init(false, new AeadParameters(new KeyParameter(_key, 0, 16), TagSize * 8, nonce.ToArray()));
            var output = new byte[plain.Length];
            var length = gcm.ProcessBytes(bytes, NonceSize, bytes.Length - NonceSize, output, 0);
            gcm.DoFinal(output, length);
            return Encoding.UTF8.GetString(output);
        }
        _aes.Value!.Decrypt(nonce, bytes.AsSpan(NonceSize, plain.Length), bytes.AsSpan(NonceSize + plain.Length, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
