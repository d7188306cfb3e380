using System.Security.Cryptography;

namespace Baoxue.Features.Accounts;

/// <summary>
/// Initial passwords an administrator hands out on a slip: random, twelve characters of four classes (so the policy
/// accepts them), without characters that are confused when read off paper (0/O, 1/l/I).
/// </summary>
public static class InitialPassword
{
    private const string Upper = "ABCDEFGHJKMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnpqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Symbols = "#%+=@";

    public static string New()
    {
        var chars = new List<char> { Pick(Upper), Pick(Lower), Pick(Digits), Pick(Symbols) };
        const string all = Upper + Lower + Digits;
        while (chars.Count < 12)
        {
            chars.Add(Pick(all));
        }
        // Shuffle so the classes are not always in the same positions.
        for (var i = chars.Count - 1; i > 0; i--)
        {
            var j = RandomNumberGenerator.GetInt32(i + 1);
            (chars[i], chars[j]) = (chars[j], chars[i]);
        }
        return new string([.. chars]);
    }

    private static char Pick(string from) => from[RandomNumberGenerator.GetInt32(from.Length)];
}
