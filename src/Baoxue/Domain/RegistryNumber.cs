namespace Baoxue.Domain;

/// <summary>
/// 全国学籍号: "G" + the 18-character resident ID for children who have one; a "J" (or, for some
/// provinces' historical records, "L") number of 17 to 19 digits or letters for children without.
/// </summary>
public static class RegistryNumber
{
    public static string ForId(string normalizedId) => "G" + normalizedId;

    /// <summary>What is stored and shown: a G number carries the ID, so only its masked form is kept.</summary>
    public static string Stored(string number, string? normalizedId) =>
        number.StartsWith('G') && normalizedId is not null ? "G" + IdNumber.Mask(normalizedId) : number;

    public enum Problem
    {
        None,
        Empty,
        BadForm,
        DoesNotMatchId,
        NeedsId,
    }

    /// <summary>Checks a registry number against the student's normalised ID (null when the child has none).</summary>
    public static Problem Check(string? number, string? normalizedId)
    {
        var n = number?.Trim().ToUpperInvariant() ?? "";
        if (n.Length == 0)
        {
            return Problem.Empty;
        }
        switch (n[0])
        {
            case 'G':
                if (normalizedId is null)
                {
                    return Problem.NeedsId;
                }
                return n == ForId(normalizedId) ? Problem.None : Problem.DoesNotMatchId;
            case 'J' or 'L':
                return n.Length is >= 18 and <= 20 && n[1..].All(char.IsAsciiLetterOrDigit) ? Problem.None : Problem.BadForm;
            default:
                return Problem.BadForm;
        }
    }
}
