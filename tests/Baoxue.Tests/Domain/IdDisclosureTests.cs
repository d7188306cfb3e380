using System.Text.RegularExpressions;
using Baoxue.Domain;

namespace Baoxue.Tests.Domain;

/// <summary>
/// The masking rule (decision 0014) and the attacker it is measured against: given everything a user was shown
/// about a child, how many resident IDs are still possible?
/// </summary>
public sealed partial class IdDisclosureTests
{
    // A boy (sequence 123, odd), born 7 March 2015, with his real check character.
    private static readonly string Id = "35012320150307123" + IdNumber.ComputeCheckCharacter("35012320150307123");

    [Fact]
    public void Roles_without_reveal_see_the_region_only_and_the_birth_month()
    {
        var concealed = IdDisclosure.For(Role.HeadTeacher);
        Assert.False(concealed.Full);
        Assert.Equal("350123************", concealed.IdNumber(IdNumber.Mask(Id)));
        Assert.Equal("G350123************", concealed.RegistryNumber(RegistryNumber.Stored("G" + Id, Id)));
        Assert.Equal("J3501232015000001", concealed.RegistryNumber("J3501232015000001"));
        Assert.Null(concealed.BirthDate(new DateOnly(2015, 3, 7)));
        Assert.Equal("2015-03", IdDisclosure.BirthMonth(new DateOnly(2015, 3, 7)));
        Assert.Null(concealed.IdNumber(null));
    }

    [Fact]
    public void Roles_with_reveal_and_the_system_see_what_is_stored()
    {
        foreach (var role in new[] { Role.CountyAdmin, Role.BureauStaff, Role.SchoolAdmin })
        {
            var d = IdDisclosure.For(role);
            Assert.True(d.Full);
            Assert.Equal(IdNumber.Mask(Id), d.IdNumber(IdNumber.Mask(Id)));
            Assert.Equal(new DateOnly(2015, 3, 7), d.BirthDate(new DateOnly(2015, 3, 7)));
        }
        Assert.True(IdDisclosure.For(null, isSystem: true).Full);
        Assert.False(IdDisclosure.For(null, isSystem: false).Full);
    }

    [Fact]
    public void Every_role_without_registry_reveal_is_concealed()
    {
        foreach (var role in Enum.GetValues<Role>())
        {
            Assert.Equal(role.Allows(Permission.RegistryReveal), IdDisclosure.For(role).Full);
        }
    }

    [Fact]
    public void What_a_concealed_user_is_shown_leaves_thousands_of_IDs_possible_and_the_old_mask_left_one()
    {
        var born = new DateOnly(2015, 3, 7);
        var concealed = IdDisclosure.Concealed;
        var shownNow = $"{concealed.IdNumber(IdNumber.Mask(Id))} {concealed.RegistryNumber("G" + IdNumber.Mask(Id))} {IdDisclosure.BirthMonth(born)} 2015年3月";
        var shownBefore = $"{IdNumber.Mask(Id)} 2015年3月7日";

        var now = Attacker.Candidates(Id, Gender.Male, shownNow);
        Assert.True(now >= 10_000, $"{now} candidates");
        Assert.Equal(1, Attacker.Candidates(Id, Gender.Male, shownBefore));
        // Last four and the month but not the day (a tempting alternative): the check digit leaves only a handful.
        Assert.True(Attacker.Candidates(Id, Gender.Male, $"{IdNumber.Mask(Id)} 2015年3月") < 10);
    }
}

/// <summary>
/// Counts the resident IDs consistent with a text a user could read about a child: the region is assumed
/// known (the county), and so is the gender and the year and month of birth; the day is known if the text
/// writes the birth date out in any usual form; the trailing characters are known if the text shows them after
/// a mask. The check character must agree with the rest, as it does on every real ID.
/// </summary>
public static partial class Attacker
{
    public static long Candidates(string id, Gender gender, string text)
    {
        Assert.DoesNotContain(id, text, StringComparison.Ordinal);
        var born = DateOnly.ParseExact(id.Substring(6, 8), "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var dayKnown = new[] { born.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), $"{born.Year}年{born.Month}月{born.Day}日", id.Substring(6, 8), born.ToString("yyyy/M/d", System.Globalization.CultureInfo.InvariantCulture) }
            .Any(f => text.Contains(f, StringComparison.Ordinal));
        var tail = Enumerable.Range(1, 4).Reverse().Select(k => id[^k..]).FirstOrDefault(t => Regex.IsMatch(text, @"\*" + Regex.Escape(t) + "(?![0-9X])")) ?? "";

        long count = 0;
        var days = dayKnown ? [born] : Enumerable.Range(1, DateTime.DaysInMonth(born.Year, born.Month)).Select(d => new DateOnly(born.Year, born.Month, d)).ToList();
        foreach (var day in days)
        {
            for (var sequence = 0; sequence < 1000; sequence++)
            {
                if ((sequence % 2 == 1) != (gender == Gender.Male))
                {
                    continue;
                }
                var first17 = $"{id[..6]}{day:yyyyMMdd}{sequence:000}";
                var candidate = first17 + IdNumber.ComputeCheckCharacter(first17);
                if (candidate.EndsWith(tail, StringComparison.Ordinal))
                {
                    count++;
                }
            }
        }
        return count;
    }
}
