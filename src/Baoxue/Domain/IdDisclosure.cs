namespace Baoxue.Domain;

/// <summary>
/// How much of a child's identity a user sees (decision 0014). An 18-character resident ID is
/// region (6) + birth date (8) + sequence (3, odd for boys) + check (1). The region is as good as known
/// (the county, the household-registration code) and the gender is shown, so what keeps an ID secret
/// is the sequence and the day of birth together: shown both, the ID is one of one; shown neither,
/// one of about 15,000.
/// <para>
/// A user whose role has <c>registry.reveal</c> sees the stored mask (first 6 and last 4) and the full
/// birth date: they may reveal the whole ID anyway, and their exports are audited. Everyone else sees
/// only the region (<c>350123************</c>, and <c>G350123************</c> for a "G" registry number)
/// and the year and month of birth. "J"/"L" registry numbers do not derive from the ID and are shown as
/// stored.
/// </para>
/// </summary>
public sealed class IdDisclosure
{
    private IdDisclosure(bool full) => Full = full;

    /// <summary>Shows what is stored: the first 6 and last 4 of the ID, the full birth date.</summary>
    public static readonly IdDisclosure Stored = new(true);

    /// <summary>Shows the region only, and the birth year and month.</summary>
    public static readonly IdDisclosure Concealed = new(false);

    /// <summary>For a role (null: the system itself, which sees what is stored; no role at all is <see cref="For(Role?, bool)"/>'s job).</summary>
    public static IdDisclosure For(Role role) => role.Allows(Permission.RegistryReveal) ? Stored : Concealed;

    /// <summary>For whoever acts: a role by its permission; the system (no role, unrestricted) sees what is stored; anyone else is concealed.</summary>
    public static IdDisclosure For(Role? role, bool isSystem) => role is { } r ? For(r) : isSystem ? Stored : Concealed;

    /// <summary>True when the stored mask and the full birth date are shown.</summary>
    public bool Full { get; }

    /// <summary>The number of leading characters (the region) a concealed ID keeps.</summary>
    public const int RegionLength = 6;

    /// <summary>The ID as this user sees it, from its stored mask; null stays null.</summary>
    public string? IdNumber(string? storedMask) =>
        storedMask is null || Full ? storedMask : Conceal(storedMask);

    /// <summary>The registry number as this user sees it: a "G" number carries the ID and is concealed like it.</summary>
    public string RegistryNumber(string stored) =>
        Full || !stored.StartsWith('G') ? stored : "G" + Conceal(stored[1..]);

    /// <summary>The birth date when this user may see the day, else null (see <see cref="BirthMonth"/>).</summary>
    public DateOnly? BirthDate(DateOnly date) => Full ? date : null;

    /// <summary>The year and month of birth, which every user may see ("2015-03").</summary>
    public static string BirthMonth(DateOnly date) => $"{date.Year:0000}-{date.Month:00}";

    /// <summary>Keeps the region; every later character becomes '*', so neither the birth date nor the sequence nor the check shows.</summary>
    public static string Conceal(string id)
    {
        var s = id.Trim();
        return s.Length <= RegionLength ? new string('*', s.Length) : string.Concat(s.AsSpan(0, RegionLength), new string('*', s.Length - RegionLength));
    }
}
