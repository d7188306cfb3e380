using Baoxue.Domain;
using Baoxue.Features.Demo;

namespace Baoxue.Tests.Domain;

public class IdNumberTests
{
    private const string Female1949 = "11010519491231002X";
    private const string Male1880 = "440524188001010014";
    private const string Luoyuan1990 = "35012319900101123X";

    // Independent reference implementation of ISO 7064 MOD 11-2 for cross-checking.
    private static char ReferenceCheck(string first17)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = first17.Select((c, i) => (c - '0') * weights[i]).Sum();
        return "10X98765432"[sum % 11];
    }

    private static string WithCheck(string first17) => first17 + ReferenceCheck(first17);

    [Fact]
    public void Known_valid_id_with_X_check_character()
    {
        var result = IdNumber.Parse(Female1949);

        Assert.True(result.IsValid);
        Assert.Null(result.Error);
        Assert.Equal(Female1949, result.Normalized);
        Assert.Equal(new DateOnly(1949, 12, 31), result.BirthDate);
        Assert.Equal(Gender.Female, result.Gender);
        Assert.Equal("110105", result.RegionCode);
        Assert.False(result.WasUpgraded);
    }

    [Fact]
    public void Known_valid_id_born_in_the_nineteenth_century()
    {
        var result = IdNumber.Parse(Male1880);

        Assert.True(result.IsValid);
        Assert.Equal(Male1880, result.Normalized);
        Assert.Equal(new DateOnly(1880, 1, 1), result.BirthDate);
        Assert.Equal(Gender.Male, result.Gender);
        Assert.Equal("440524", result.RegionCode);
    }

    [Theory]
    [InlineData("11010519491231002x")]
    [InlineData("  11010519491231002X  ")]
    [InlineData("\t11010519491231002x\r\n")]
    [InlineData("\u300011010519491231002X\u3000")] // ideographic spaces around the value
    public void Whitespace_is_trimmed_and_lower_case_x_is_upper_cased(string input)
    {
        var result = IdNumber.Parse(input);

        Assert.True(result.IsValid);
        Assert.Equal(Female1949, result.Normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Blank_input_is_Empty(string? input)
    {
        var result = IdNumber.Parse(input);

        Assert.False(result.IsValid);
        Assert.Equal(IdNumberError.Empty, result.Error);
        Assert.Null(result.Normalized);
        Assert.Equal(string.Empty, result.RegionCode);
        Assert.Equal(default, result.BirthDate);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("3501231990")]
    [InlineData("35012319900101")]
    [InlineData("3501239001011")]       // 13
    [InlineData("35012390010112")]      // 14
    [InlineData("3501239001011234")]    // 16
    [InlineData("35012319900101123")]   // 17: check character missing
    [InlineData("35012319900101123X0")] // 19
    [InlineData("350123199001011230000")]
    public void Lengths_other_than_15_and_18_are_WrongLength(string input) =>
        Assert.Equal(IdNumberError.WrongLength, IdNumber.Parse(input).Error);

    [Theory]
    [InlineData("１１０１０５１９４９１２３１００２Ｘ")] // full-width digits and X
    [InlineData("11010519491231002Ｘ")]                 // only the X is full-width
    [InlineData("11010519491231002\u00D7")]            // multiplication sign instead of X
    [InlineData("110105 19491231 002X")]
    [InlineData("110105-19491231-002X")]
    [InlineData("1101051949123100２X")]
    [InlineData("11010519491231002Y")]
    [InlineData("X10105194912310021")]                 // X in the wrong position
    [InlineData("1101051949123100X2")]
    [InlineData("35012390010112X")]                    // 15-digit IDs have no check character
    [InlineData("ABCDEFGHIJKLMNOPQR")]
    [InlineData("110105194912310\u200B02X")]           // zero-width space
    public void Anything_but_ascii_digits_and_final_X_is_BadCharacters(string input) =>
        Assert.Equal(IdNumberError.BadCharacters, IdNumber.Parse(input).Error);

    [Theory]
    [InlineData("3.50123E+17")]
    [InlineData("3.50123e+17")]
    [InlineData("3.50123199001011E+17")]
    [InlineData("3E+17")]
    [InlineData("350123199001011000.0")]
    [InlineData(" 3.50123E+17 ")]
    public void Excel_scientific_notation_is_LooksNumeric(string input) =>
        Assert.Equal(IdNumberError.LooksNumeric, IdNumber.Parse(input).Error);

    [Fact]
    public void Every_single_character_substitution_of_a_valid_id_is_rejected()
    {
        foreach (var valid in new[] { Female1949, Male1880, Luoyuan1990 })
        {
            var checkFailures = 0;
            for (var position = 0; position < 18; position++)
            {
                foreach (var replacement in "0123456789X")
                {
                    if (replacement == valid[position])
                    {
                        continue;
                    }

                    var mutated = valid[..position] + replacement + valid[(position + 1)..];
                    var result = IdNumber.Parse(mutated);

                    Assert.False(result.IsValid, $"{mutated} should be rejected");
                    if (result.Error == IdNumberError.BadCheckCharacter)
                    {
                        checkFailures++;
                    }
                }
            }

            // Most substitutions keep region and date plausible and are caught by the check character alone.
            Assert.True(checkFailures > 100, $"only {checkFailures} substitutions of {valid} were caught by the check character");
        }
    }

    [Fact]
    public void Substitutions_that_keep_region_and_date_valid_are_BadCheckCharacter()
    {
        // Positions 2-5 (county part of the region) and 14-16 (sequence) never affect region or date validity.
        int[] positions = [2, 3, 4, 5, 14, 15, 16, 17];
        foreach (var position in positions)
        {
            foreach (var replacement in "0123456789")
            {
                if (replacement == Luoyuan1990[position])
                {
                    continue;
                }

                var mutated = Luoyuan1990[..position] + replacement + Luoyuan1990[(position + 1)..];
                Assert.Equal(IdNumberError.BadCheckCharacter, IdNumber.Parse(mutated).Error);
            }
        }
    }

    [Fact]
    public void Every_adjacent_transposition_of_a_valid_id_is_rejected()
    {
        foreach (var valid in new[] { Female1949, Male1880, Luoyuan1990 })
        {
            for (var i = 0; i < 17; i++)
            {
                if (valid[i] == valid[i + 1])
                {
                    continue;
                }

                var chars = valid.ToCharArray();
                (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
                var swapped = new string(chars);

                Assert.False(IdNumber.Parse(swapped).IsValid, $"{swapped} should be rejected");
            }
        }
    }

    [Fact]
    public void Legacy_15_digit_id_is_upgraded_with_19_and_check_character()
    {
        var result = IdNumber.Parse("350123900101123");

        Assert.True(result.IsValid);
        Assert.True(result.WasUpgraded);
        Assert.Equal("35012319900101123X", result.Normalized);
        Assert.Equal(WithCheck("35012319900101123"), result.Normalized);
        Assert.Equal(new DateOnly(1990, 1, 1), result.BirthDate);
        Assert.Equal(Gender.Male, result.Gender);
        Assert.Equal("350123", result.RegionCode);
    }

    [Fact]
    public void Legacy_id_with_even_sequence_is_female()
    {
        var result = IdNumber.Parse(" 110105491231002 ");

        Assert.True(result.IsValid);
        Assert.Equal(Female1949, result.Normalized);
        Assert.Equal(Gender.Female, result.Gender);
        Assert.Equal(new DateOnly(1949, 12, 31), result.BirthDate);
    }

    [Theory]
    [InlineData("350123900230123")] // 30 February 1990
    [InlineData("350123901301123")] // month 13
    [InlineData("350123900100123")] // day 00
    public void Legacy_id_with_impossible_date_is_BadBirthDate(string input) =>
        Assert.Equal(IdNumberError.BadBirthDate, IdNumber.Parse(input).Error);

    [Fact]
    public void Legacy_id_with_bad_region_is_BadRegion() =>
        Assert.Equal(IdNumberError.BadRegion, IdNumber.Parse("990123900101123").Error);

    [Theory]
    [InlineData("3501232010023012")] // 30 February
    [InlineData("3501232011022912")] // 29 February in a common year
    [InlineData("3501231900022912")] // 1900 was not a leap year
    [InlineData("3501232010043112")] // 31 April
    [InlineData("3501232010130112")] // month 13
    [InlineData("3501232010000112")] // month 00
    [InlineData("3501232010010012")] // day 00
    [InlineData("3501232010013212")] // day 32
    [InlineData("3501231799123112")] // before 1800
    [InlineData("3501230000010112")] // year 0
    public void Impossible_birth_date_is_BadBirthDate(string first16)
    {
        var id = WithCheck(first16 + "3");

        Assert.Equal(IdNumberError.BadBirthDate, IdNumber.Parse(id).Error);
    }

    [Theory]
    [InlineData("35012320120229123", 2012, 2, 29)]
    [InlineData("35012320000229123", 2000, 2, 29)]
    [InlineData("35012318000101123", 1800, 1, 1)]
    [InlineData("35012320991231123", 2099, 12, 31)] // future dates are left to callers
    public void Real_calendar_dates_are_accepted(string first17, int year, int month, int day)
    {
        var result = IdNumber.Parse(WithCheck(first17));

        Assert.True(result.IsValid);
        Assert.Equal(new DateOnly(year, month, day), result.BirthDate);
    }

    [Theory]
    [InlineData("00")]
    [InlineData("10")]
    [InlineData("16")]
    [InlineData("20")]
    [InlineData("24")]
    [InlineData("30")]
    [InlineData("38")]
    [InlineData("40")]
    [InlineData("47")]
    [InlineData("55")]
    [InlineData("60")]
    [InlineData("66")]
    [InlineData("70")]
    [InlineData("72")]
    [InlineData("80")]
    [InlineData("84")]
    [InlineData("91")]
    [InlineData("99")]
    public void Unknown_province_is_BadRegion(string province)
    {
        var id = WithCheck(province + "012319900101123");

        Assert.Equal(IdNumberError.BadRegion, IdNumber.Parse(id).Error);
    }

    [Theory]
    [InlineData("11")]
    [InlineData("15")]
    [InlineData("21")]
    [InlineData("23")]
    [InlineData("31")]
    [InlineData("35")]
    [InlineData("37")]
    [InlineData("41")]
    [InlineData("46")]
    [InlineData("50")]
    [InlineData("54")]
    [InlineData("61")]
    [InlineData("65")]
    [InlineData("71")]
    [InlineData("81")]
    [InlineData("82")]
    [InlineData("83")] // residence permits for Taiwan residents
    public void Known_provinces_are_accepted(string province) =>
        Assert.True(IdNumber.Parse(WithCheck(province + "012319900101123")).IsValid);

    [Fact]
    public void Checks_run_in_documented_order()
    {
        // Bad region wins over bad date and bad check character.
        Assert.Equal(IdNumberError.BadRegion, IdNumber.Parse("990123201002301230").Error);
        // Bad date wins over bad check character.
        Assert.Equal(IdNumberError.BadBirthDate, IdNumber.Parse("350123201002301230").Error);
        // Bad characters win over wrong length.
        Assert.Equal(IdNumberError.BadCharacters, IdNumber.Parse("１２３").Error);
        // Numeric look wins over bad characters.
        Assert.Equal(IdNumberError.LooksNumeric, IdNumber.Parse("1.5 E+17").Error);
    }

    [Fact]
    public void Gender_follows_the_parity_of_the_17th_digit()
    {
        for (var digit = 0; digit <= 9; digit++)
        {
            var result = IdNumber.Parse(WithCheck("3501232010010112" + digit));

            Assert.True(result.IsValid);
            Assert.Equal(digit % 2 == 1 ? Gender.Male : Gender.Female, result.Gender);
        }
    }

    [Fact]
    public void IsValid_shorthand_matches_Parse()
    {
        Assert.True(IdNumber.IsValid(Female1949));
        Assert.True(IdNumber.IsValid("350123900101123"));
        Assert.False(IdNumber.IsValid("350123199001011230"));
        Assert.False(IdNumber.IsValid(null));
    }

    [Fact]
    public void Failed_results_of_the_same_error_are_equal()
    {
        Assert.Equal(IdNumber.Parse("1"), IdNumber.Parse("22"));
        Assert.NotEqual(IdNumber.Parse("1"), IdNumber.Parse(""));
        Assert.Equal(IdNumber.Parse(Female1949), IdNumber.Parse("11010519491231002x"));
    }

    [Theory]
    [InlineData("11010519491231002", "X")]
    [InlineData("44052418800101001", "4")]
    [InlineData("35012319900101123", "X")]
    [InlineData("35012320120229123", "1")]
    [InlineData("83000019900101123", "4")]
    public void ComputeCheckCharacter_matches_known_values(string first17, string expected)
    {
        Assert.Equal(expected, IdNumber.ComputeCheckCharacter(first17));
        Assert.Equal(ReferenceCheck(first17).ToString(), IdNumber.ComputeCheckCharacter(first17));
    }

    [Fact]
    public void ComputeCheckCharacter_can_produce_every_character()
    {
        var seen = new HashSet<string>();
        for (var sequence = 0; sequence < 1000 && seen.Count < 11; sequence++)
        {
            seen.Add(IdNumber.ComputeCheckCharacter("35012320100101" + sequence.ToString("D3")));
        }

        Assert.Equal(11, seen.Count);
        Assert.Contains("X", seen);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1101051949123100")]
    [InlineData("110105194912310021")]
    [InlineData("1101051949123100X")]
    [InlineData("１１０１０５１９４９１２３１００２")]
    public void ComputeCheckCharacter_rejects_anything_but_17_digits(string input) =>
        Assert.Throws<ArgumentException>(() => IdNumber.ComputeCheckCharacter(input));

    [Theory]
    [InlineData("35012319900101123X", "350123********123X")]
    [InlineData("11010519491231002x", "110105********002X")]
    [InlineData("  440524188001010014 ", "440524********0014")]
    [InlineData("350123900101123", "350123*****1123")]
    [InlineData("12345678901", "123456*8901")]
    [InlineData("1234567890", "**********")]
    [InlineData("123", "***")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    [InlineData(null, "")]
    public void Mask_keeps_first_six_and_last_four(string? input, string expected) =>
        Assert.Equal(expected, IdNumber.Mask(input));

    [Fact]
    public void Masked_18_character_id_has_eight_stars_and_same_length()
    {
        var masked = IdNumber.Mask(Luoyuan1990);

        Assert.Equal(18, masked.Length);
        Assert.Equal(8, masked.Count(c => c == '*'));
        Assert.DoesNotContain("19900101", masked);
    }

    [Theory]
    [InlineData("000000000000000000", 0L)]
    [InlineData("000000000000000001", 1L)]
    [InlineData("00000000000000000X", 10L)]
    [InlineData("000000000000000010", 11L)]
    [InlineData("99999999999999999X", IdNumber.MaxPacked)]
    public void Pack_is_first17_times_11_plus_check(string id, long expected)
    {
        Assert.Equal(expected, IdNumber.Pack(id));
        Assert.Equal(id, IdNumber.Unpack(expected));
    }

    [Fact]
    public void Pack_of_known_id_matches_formula()
    {
        Assert.Equal(11010519491231002L * 11 + 10, IdNumber.Pack(Female1949));
        Assert.Equal(44052418800101001L * 11 + 4, IdNumber.Pack(Male1880));
    }

    [Theory]
    [InlineData("")]
    [InlineData("11010519491231002")]
    [InlineData("11010519491231002x")]
    [InlineData("11010519491231002XX")]
    [InlineData("1101051949123100X2")]
    [InlineData("１１０１０５１９４９１２３１００２Ｘ")]
    [InlineData(" 1010519491231002X")]
    public void Pack_rejects_non_normalized_input(string input) =>
        Assert.Throws<ArgumentException>(() => IdNumber.Pack(input));

    [Fact]
    public void Pack_rejects_null() =>
        Assert.Throws<ArgumentNullException>(() => IdNumber.Pack(null!));

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(IdNumber.MaxPacked + 1)]
    [InlineData(long.MaxValue)]
    public void Unpack_rejects_out_of_range_values(long packed) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => IdNumber.Unpack(packed));

    [Fact]
    public void Pack_round_trips_10000_generated_ids_and_packed_values_are_unique()
    {
        var names = new ChineseNames(20240901);
        string[] regions = ["350123", "350121", "350102", "110105", "440524", "650102", "540102"];
        var start = new DateOnly(2005, 1, 1);

        var ids = new HashSet<string>();
        var packedValues = new HashSet<long>();
        var pairs = new List<(string Id, long Packed)>();
        for (var i = 0; i < 10_000; i++)
        {
            var birth = start.AddDays(i % 5000);
            var gender = i % 2 == 0 ? Gender.Male : Gender.Female;
            var id = names.IdNumberFor(regions[i % regions.Length], birth, gender);
            var packed = IdNumber.Pack(id);

            Assert.InRange(packed, 0L, IdNumber.MaxPacked);
            Assert.Equal(id, IdNumber.Unpack(packed));
            ids.Add(id);
            packedValues.Add(packed);
            pairs.Add((id, packed));
        }

        // (region, birth date) pairs are all distinct by construction, so all IDs are distinct,
        // and packing is injective: distinct IDs never collide.
        Assert.Equal(10_000, ids.Count);
        Assert.Equal(ids.Count, packedValues.Count);

        // Packing preserves ordinal order, so sorted packed values can drive merge joins.
        var byId = pairs.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => p.Packed);
        var byPacked = pairs.OrderBy(p => p.Packed).Select(p => p.Packed);
        Assert.Equal(byPacked, byId);
    }

    [Fact]
    public void Packed_values_of_ids_differing_only_in_check_character_differ()
    {
        var packed = "0123456789X".Select(c => IdNumber.Pack("35012319900101123" + c)).ToList();

        Assert.Equal(11, packed.Distinct().Count());
        Assert.Equal(packed.Order(), packed);
    }
}
