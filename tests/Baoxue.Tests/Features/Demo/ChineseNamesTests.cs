using System.Globalization;
using System.Text;
using Baoxue.Domain;
using Baoxue.Features.Demo;

namespace Baoxue.Tests.Features.Demo;

public class ChineseNamesTests
{
    private static readonly DateOnly EarliestBirth = new(2005, 9, 1);

    private static bool IsHan(Rune r) =>
        (r.Value >= 0x4E00 && r.Value <= 0x9FFF)    // CJK Unified Ideographs
        || (r.Value >= 0x3400 && r.Value <= 0x4DBF) // Extension A
        || (r.Value >= 0x20000 && r.Value <= 0x3134F); // Extensions B-G

    private static int HanLength(string name)
    {
        var runes = name.EnumerateRunes().ToList();
        Assert.All(runes, r => Assert.True(IsHan(r), $"'{name}' contains non-Han U+{r.Value:X4}"));
        return runes.Count;
    }

    private static List<string> Draw(ChineseNames names) =>
    [
        names.Surname(),
        names.GivenName(Gender.Male),
        names.GivenName(Gender.Female),
        names.FullName(Gender.Male),
        names.FullName(Gender.Female),
        names.MinorityName(),
        names.MinorityName(Gender.Female),
        names.AdultName(Gender.Male),
        names.AdultName(Gender.Female),
        names.MobilePhone(),
        names.IdNumberFor("350123", new DateOnly(2012, 3, 4), Gender.Male),
        names.RandomGender().ToString(),
    ];

    [Fact]
    public void Same_seed_gives_same_sequence()
    {
        var a = new ChineseNames(42);
        var b = new ChineseNames(42);

        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(Draw(a), Draw(b));
        }
    }

    [Fact]
    public void Same_seed_and_region_gives_same_sequence_for_national_table()
    {
        var a = new ChineseNames(7, SurnameRegion.National);
        var b = new ChineseNames(7, SurnameRegion.National);

        Assert.Equal(
            Enumerable.Range(0, 1000).Select(_ => a.FullName(Gender.Female)),
            Enumerable.Range(0, 1000).Select(_ => b.FullName(Gender.Female)));
    }

    [Fact]
    public void Different_seeds_give_different_sequences()
    {
        var a = new ChineseNames(1);
        var b = new ChineseNames(2);

        var first = Enumerable.Range(0, 50).SelectMany(_ => Draw(a)).ToList();
        var second = Enumerable.Range(0, 50).SelectMany(_ => Draw(b)).ToList();

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Default_constructor_uses_the_Fujian_table()
    {
        var a = new ChineseNames(99);
        var b = new ChineseNames(99, SurnameRegion.Fujian);

        Assert.Equal(
            Enumerable.Range(0, 200).Select(_ => a.Surname()),
            Enumerable.Range(0, 200).Select(_ => b.Surname()));
        Assert.Equal(a.KnownSurnames, b.KnownSurnames);
    }

    [Theory]
    [InlineData(SurnameRegion.National)]
    [InlineData(SurnameRegion.Fujian)]
    public void Surname_tables_have_no_duplicates_and_only_one_or_two_han_characters(SurnameRegion region)
    {
        var surnames = new ChineseNames(0, region).KnownSurnames;

        Assert.Equal(surnames.Count, surnames.Distinct().Count());
        Assert.All(surnames, s => Assert.InRange(HanLength(s), 1, 2));
        Assert.Contains("欧阳", surnames);
        Assert.Contains("上官", surnames);
    }

    [Fact]
    public void Unknown_region_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChineseNames(0, (SurnameRegion)42));

    [Fact]
    public void National_surnames_follow_national_frequency()
    {
        var names = new ChineseNames(2024, SurnameRegion.National);
        var counts = Enumerable.Range(0, 50_000).Select(_ => names.Surname()).CountBy(s => s).ToDictionary();
        var top3 = counts.OrderByDescending(kv => kv.Value).Take(3).Select(kv => kv.Key).ToHashSet();

        Assert.Equal(new HashSet<string> { "王", "李", "张" }, top3);
        Assert.True(counts["王"] > 5 * counts.GetValueOrDefault("林"));
        Assert.True(counts.Count > 80, $"only {counts.Count} distinct surnames");
    }

    [Fact]
    public void Fujian_surnames_are_led_by_Chen_Lin_Huang_Zheng_with_She_surnames_common()
    {
        var names = new ChineseNames(2024);
        var fujian = Enumerable.Range(0, 50_000).Select(_ => names.Surname()).CountBy(s => s).ToDictionary();
        var national = new ChineseNames(2024, SurnameRegion.National);
        var nationwide = Enumerable.Range(0, 50_000).Select(_ => national.Surname()).CountBy(s => s).ToDictionary();

        var ranking = fujian.OrderByDescending(kv => kv.Value).Select(kv => kv.Key).ToList();
        Assert.Equal("陈", ranking[0]);
        Assert.Equal("林", ranking[1]);
        Assert.Equal("黄", ranking[2]);
        Assert.Equal("郑", ranking[3]);

        foreach (var she in new[] { "雷", "蓝", "钟" })
        {
            Assert.True(
                fujian[she] > 3 * nationwide.GetValueOrDefault(she),
                $"{she}: Fujian {fujian[she]}, national {nationwide.GetValueOrDefault(she)}");
        }
    }

    [Fact]
    public void Compound_surnames_occur_but_rarely()
    {
        var names = new ChineseNames(5);
        var compound = Enumerable.Range(0, 20_000).Select(_ => names.Surname()).Count(s => s.Length == 2);

        Assert.InRange(compound, 1, 100);
    }

    [Fact]
    public void Full_names_are_two_to_four_han_characters()
    {
        var names = new ChineseNames(11);
        var lengths = new HashSet<int>();

        for (var i = 0; i < 20_000; i++)
        {
            var gender = i % 2 == 0 ? Gender.Male : Gender.Female;
            var name = names.FullName(gender);
            var length = HanLength(name);

            Assert.InRange(length, 2, 4);
            lengths.Add(length);
        }

        Assert.Contains(2, lengths);
        Assert.Contains(3, lengths);
        Assert.Contains(4, lengths);
    }

    [Fact]
    public void Given_names_are_one_or_two_characters_and_mostly_two()
    {
        var names = new ChineseNames(12);
        var given = Enumerable.Range(0, 10_000)
            .Select(i => names.GivenName(i % 2 == 0 ? Gender.Male : Gender.Female))
            .ToList();

        Assert.All(given, g => Assert.InRange(HanLength(g), 1, 2));
        var single = given.Count(g => g.Length == 1);
        Assert.InRange(single, 500, 1500);
        Assert.True(given.Distinct().Count() > 300, "given names should be varied");
    }

    [Fact]
    public void Given_names_are_gendered()
    {
        var names = new ChineseNames(13);
        var boys = Enumerable.Range(0, 5000).Select(_ => names.GivenName(Gender.Male)).ToHashSet();
        var girls = Enumerable.Range(0, 5000).Select(_ => names.GivenName(Gender.Female)).ToHashSet();

        Assert.Contains("浩然", boys);
        Assert.Contains("欣怡", girls);
        Assert.DoesNotContain("欣怡", boys);
        Assert.DoesNotContain("浩然", girls);
        Assert.True(boys.Intersect(girls).Count() < boys.Count / 10, "few unisex names expected");
    }

    [Fact]
    public void Adult_names_are_two_to_four_han_characters_and_older_style()
    {
        var names = new ChineseNames(14);
        var men = Enumerable.Range(0, 5000).Select(_ => names.AdultName(Gender.Male)).ToList();
        var women = Enumerable.Range(0, 5000).Select(_ => names.AdultName(Gender.Female)).ToList();

        Assert.All(men.Concat(women), n => Assert.InRange(HanLength(n), 2, 4));
        Assert.Contains(men, n => n.EndsWith("建国", StringComparison.Ordinal));
        Assert.Contains(women, n => n.EndsWith("秀英", StringComparison.Ordinal));
    }

    [Fact]
    public void Minority_names_have_exactly_one_middle_dot_between_han_parts()
    {
        Assert.Equal('\u00B7', ChineseNames.MiddleDot);
        var names = new ChineseNames(15);
        var all = new List<string>();

        for (var i = 0; i < 5000; i++)
        {
            var name = i % 3 == 0 ? names.MinorityName() : names.MinorityName(i % 3 == 1 ? Gender.Male : Gender.Female);
            all.Add(name);

            Assert.Contains("·", name);
            var parts = name.Split(ChineseNames.MiddleDot);
            Assert.Equal(2, parts.Length);
            Assert.All(parts, p => Assert.InRange(HanLength(p), 2, 5));
            Assert.NotEqual(parts[0], parts[1]);
        }

        Assert.Contains(all, n => n.StartsWith("阿依古丽·", StringComparison.Ordinal));
        Assert.Contains(all, n => n.StartsWith("扎西·", StringComparison.Ordinal));
        Assert.Contains(all, n => n.EndsWith("·买买提", StringComparison.Ordinal));
    }

    [Fact]
    public void Minority_given_name_follows_gender()
    {
        var names = new ChineseNames(16);

        for (var i = 0; i < 2000; i++)
        {
            var woman = names.MinorityName(Gender.Female).Split(ChineseNames.MiddleDot)[0];
            Assert.DoesNotContain(woman, new[] { "买买提", "艾力", "扎西", "多吉" });
        }
    }

    [Fact]
    public void Random_gender_is_roughly_balanced_with_more_boys()
    {
        var names = new ChineseNames(17);
        var boys = Enumerable.Range(0, 10_000).Count(_ => names.RandomGender() == Gender.Male);

        Assert.InRange(boys, 5000, 5700);
    }

    [Fact]
    public void Mobile_phones_are_valid_and_varied()
    {
        var names = new ChineseNames(18);
        var phones = Enumerable.Range(0, 5000).Select(_ => names.MobilePhone()).ToList();

        Assert.All(phones, p => Assert.True(PhoneNumber.IsValidMobile(p), p));
        Assert.True(phones.Distinct().Count() > 4990);
        Assert.True(phones.Select(p => p[..3]).Distinct().Count() > 25);
        Assert.Contains(phones, p => p.StartsWith("138", StringComparison.Ordinal));
    }

    [Fact]
    public void Generated_ids_are_valid_and_agree_with_region_birth_date_and_gender()
    {
        var names = new ChineseNames(19);
        string[] regions = ["350123", "350121", "350181", "110105", "440524", "650102", "540102", "810000", "830000"];

        for (var i = 0; i < 10_000; i++)
        {
            var region = regions[i % regions.Length];
            var birth = EarliestBirth.AddDays(i * 7 % 5500);
            var gender = names.RandomGender();

            var id = names.IdNumberFor(region, birth, gender);
            var parsed = IdNumber.Parse(id);

            Assert.True(parsed.IsValid, $"{id}: {parsed.Error}");
            Assert.Equal(id, parsed.Normalized);
            Assert.Equal(region, parsed.RegionCode);
            Assert.Equal(birth, parsed.BirthDate);
            Assert.Equal(gender, parsed.Gender);
            Assert.NotEqual("000", id[14..17]);
        }
    }

    [Fact]
    public void Generated_ids_cover_all_check_characters()
    {
        var names = new ChineseNames(20);
        var checks = Enumerable.Range(0, 2000)
            .Select(i => names.IdNumberFor("350123", new DateOnly(2010, 1, 1), i % 2 == 0 ? Gender.Male : Gender.Female)[17])
            .ToHashSet();

        Assert.Equal(11, checks.Count);
    }

    [Fact]
    public void Generated_ids_include_leap_days()
    {
        var names = new ChineseNames(21);
        var id = names.IdNumberFor("350123", new DateOnly(2012, 2, 29), Gender.Female);

        Assert.Equal("20120229", id[6..14]);
        Assert.True(IdNumber.IsValid(id));
    }

    [Theory]
    [InlineData("35012")]
    [InlineData("3501234")]
    [InlineData("35O123")]
    [InlineData("990123")]
    [InlineData("")]
    public void IdNumberFor_rejects_bad_region_codes(string region)
    {
        var names = new ChineseNames(22);

        Assert.Throws<ArgumentException>(() => names.IdNumberFor(region, new DateOnly(2012, 1, 1), Gender.Male));
    }

    [Fact]
    public void IdNumberFor_rejects_null_region_and_ancient_birth_dates()
    {
        var names = new ChineseNames(23);

        Assert.Throws<ArgumentNullException>(() => names.IdNumberFor(null!, new DateOnly(2012, 1, 1), Gender.Male));
        Assert.Throws<ArgumentOutOfRangeException>(() => names.IdNumberFor("350123", new DateOnly(1799, 12, 31), Gender.Male));
    }

    [Fact]
    public void Undefined_gender_values_are_rejected()
    {
        var names = new ChineseNames(24);
        var undefined = (Gender)0;

        Assert.Throws<ArgumentOutOfRangeException>(() => names.GivenName(undefined));
        Assert.Throws<ArgumentOutOfRangeException>(() => names.FullName((Gender)3));
        Assert.Throws<ArgumentOutOfRangeException>(() => names.AdultName(undefined));
        Assert.Throws<ArgumentOutOfRangeException>(() => names.MinorityName(undefined));
        Assert.Throws<ArgumentOutOfRangeException>(() => names.IdNumberFor("350123", new DateOnly(2012, 1, 1), undefined));
    }

    [Fact]
    public void Gender_codes_follow_GB_T_2261_1()
    {
        Assert.Equal(1, (int)Gender.Male);
        Assert.Equal(2, (int)Gender.Female);
    }

    [Fact]
    public void Rare_character_example_lies_outside_the_BMP()
    {
        var name = ChineseNames.RareCharacterExample;

        Assert.Contains(name.EnumerateRunes(), r => r.Value > 0xFFFF);
        Assert.Contains(new Rune(0x20BB7), name.EnumerateRunes());
        Assert.Contains(name, c => char.IsSurrogate(c));
        Assert.Equal(2, HanLength(name));
        Assert.Equal(3, name.Length); // UTF-16 code units: one surrogate pair
        Assert.Equal(2, new StringInfo(name).LengthInTextElements);
        Assert.Equal(7, Encoding.UTF8.GetByteCount(name)); // 3 + 4 bytes
    }
}
