using System.Security.Cryptography;
using Baoxue.Infrastructure.Security;

namespace Baoxue.Tests.Infrastructure.Security;

public class PersonalDataTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] HashKey = RandomNumberGenerator.GetBytes(32);
    private const string Id = "11010519491231002X";

    [Theory]
    [InlineData(false, "a1:")]
    [InlineData(true, "s1:")]
    public void An_ID_encrypts_to_a_ciphertext_that_names_its_algorithm_and_decrypts_back(bool sm4, string prefix)
    {
        var data = new PersonalData(Key, HashKey, sm4);
        var cipher = data.Encrypt(Id);
        Assert.StartsWith(prefix, cipher);
        Assert.DoesNotContain(Id, cipher, StringComparison.Ordinal);
        Assert.Equal(Id, data.Decrypt(cipher));
        Assert.NotEqual(cipher, data.Encrypt(Id)); // a fresh nonce each time
    }

    [Fact]
    public void A_county_that_switches_cipher_still_reads_what_it_wrote_before()
    {
        var before = new PersonalData(Key, HashKey, sm4: false).Encrypt(Id);
        Assert.Equal(Id, new PersonalData(Key, HashKey, sm4: true).Decrypt(before));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_tampered_ciphertext_is_refused(bool sm4)
    {
        var data = new PersonalData(Key, HashKey, sm4);
        var bytes = Convert.FromBase64String(data.Encrypt(Id)[3..]);
        bytes[^1] ^= 0x01;
        var forged = (sm4 ? "s1:" : "a1:") + Convert.ToBase64String(bytes);
        Assert.ThrowsAny<Exception>(() => data.Decrypt(forged));
    }

    [Fact]
    public void The_keyed_hash_is_stable_and_differs_without_the_key()
    {
        var data = new PersonalData(Key, HashKey);
        Assert.Equal(data.Hash(Id), data.Hash(Id));
        Assert.Matches("^[0-9a-f]{64}$", data.Hash(Id));
        Assert.NotEqual(data.Hash(Id), new PersonalData(Key, RandomNumberGenerator.GetBytes(32)).Hash(Id));
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Id))), data.Hash(Id));
    }

    [Fact]
    public void Encryption_is_safe_from_many_threads_at_once()
    {
        var data = new PersonalData(Key, HashKey);
        var ciphers = new string[2000];
        Parallel.For(0, ciphers.Length, i => ciphers[i] = data.Encrypt(Id + i));
        for (var i = 0; i < ciphers.Length; i++)
        {
            Assert.Equal(Id + i, data.Decrypt(ciphers[i]));
        }
    }

    [Fact]
    public void App_servers_starting_together_on_a_fresh_folder_share_one_key()
    {
        // The race is narrow: many rounds, each on a fresh folder, so a check-then-create shows up in one run.
        for (var round = 0; round < 40; round++)
        {
            StartTogetherOnAFreshFolder();
        }
    }

    private static void StartTogetherOnAFreshFolder()
    {
        var root = Directory.CreateTempSubdirectory("baoxue-key-").FullName;
        try
        {
            var hashes = new string[16];
            Parallel.For(0, hashes.Length, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
                hashes[i] = PersonalData.FromOptions(new PersonalDataOptions(), root).Hash("350123201003150012"));
            Assert.Single(hashes.Distinct());
            Assert.Single(Directory.GetFiles(Path.Combine(root, "data")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
