using Baoxue.Domain;
using Baoxue.Features.Reconciliation;
using Baoxue.Features.Reconciliation.Matching;

namespace Baoxue.Tests.Features.Reconciliation;

/// <summary>Issue 11, built-so-that: the matching engine in memory — exact join on keyed hashes, blocking, transparent scores.</summary>
public sealed class MatchingTests
{
    [Fact]
    public void Exact_join_matches_equal_keys_and_never_the_empty_key()
    {
        var random = new Random(7);
        var right = Enumerable.Range(0, 50_000).Select(_ => (ulong)random.NextInt64(1, long.MaxValue) * 2).ToArray();
        var left = new ulong[20_000];
        var expected = new int[left.Length];
        for (var i = 0; i < left.Length; i++)
        {
            if (i % 3 == 0)
            {
                left[i] = 0;
                expected[i] = -1;
            }
            else if (i % 3 == 1)
            {
                var at = random.Next(right.Length);
                left[i] = right[at];
                expected[i] = at;
            }
            else
            {
                left[i] = (ulong)random.NextInt64(1, long.MaxValue) * 2 + 1; // odd: not among the right keys
                expected[i] = -1;
            }
        }
        right[5] = 0; // a student without an ID never matches a child without one

        var result = ExactJoin.Match(left, right);

        for (var i = 0; i < left.Length; i++)
        {
            if (expected[i] == 5)
            {
                Assert.Equal(-1, result.LeftToRight[i]);
                continue;
            }
            Assert.Equal(expected[i], result.LeftToRight[i]);
        }
        Assert.Equal(result.LeftToRight.Count(x => x >= 0), result.Matched);
    }

    [Fact]
    public void Exact_join_counts_keys_held_twice_on_the_right()
    {
        ulong[] right = [11, 12, 11, 13, 13, 13];
        var result = ExactJoin.Match([11, 13, 14], right);
        Assert.Equal(3, result.RightDuplicates);
        Assert.Equal(11UL, right[result.LeftToRight[0]]);
        Assert.Equal(13UL, right[result.LeftToRight[1]]);
        Assert.Equal(-1, result.LeftToRight[2]);
    }

    [Fact]
    public void Id_keys_come_from_the_keyed_hash_not_the_id()
    {
        var personal = new Baoxue.Infrastructure.Security.PersonalData(new byte[32], Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var other = new Baoxue.Infrastructure.Security.PersonalData(new byte[32], Enumerable.Range(2, 32).Select(i => (byte)i).ToArray());
        const string id = "35012320150307123X";
        Assert.Equal(IdKey.FromHash(personal.Hash(id)), IdKey.FromHash(personal.Hash(id)));
        Assert.NotEqual(IdKey.FromHash(personal.Hash(id)), IdKey.FromHash(other.Hash(id)));
        Assert.Equal(0UL, IdKey.FromHash(null));
    }

    [Theory]
    [InlineData("张子涵", "張子涵")]
    [InlineData("陈梓涵", "陳子晗")]
    [InlineData("林欣怡", "林馨怡")]
    [InlineData("王 浩然", "王浩然")]
    public void Homophones_and_traditional_forms_fold_to_one_name(string a, string b) =>
        Assert.Equal(NameForms.Canonical(a), NameForms.Canonical(b));

    [Fact]
    public void Different_names_stay_different_after_folding() =>
        Assert.NotEqual(NameForms.Canonical("王子轩"), NameForms.Canonical("王子豪"));

    [Fact]
    public void Jaro_winkler_agrees_with_the_reference_library()
    {
        var reference = new F23.StringSimilarity.JaroWinkler();
        var random = new Random(3);
        const string alphabet = "王李张刘陈杨子涵轩浩然欣怡梓一诺宇";
        for (var n = 0; n < 5_000; n++)
        {
            var a = new string([.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var b = new string([.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            Assert.Equal(reference.Similarity(a, b), JaroWinkler.Similarity(a, b), 6);
            if (a.Length <= 4 && b.Length <= 4)
            {
                // The packed fast path (names of up to three characters, from a table) gives the same value as the
                // general one to the last bit: candidate scores and their order do not move (decision 0036).
                Assert.Equal(JaroWinkler.Similarity(a, b), JaroWinkler.Similarity(PersonTable.Pack(a), PersonTable.Pack(b)));
            }
        }
        Assert.Equal(reference.Similarity("My string", "My tsring"), JaroWinkler.Similarity("My string", "My tsring"), 6);
    }

    [Fact]
    public void Candidates_are_blocked_by_gender_birth_window_and_place_or_name_and_scored_in_parts()
    {
        var birth = new DateOnly(2015, 3, 7);
        var left = new PersonTable(2);
        left.Add(0, birth, 1, 1, 10, 100, "陈梓涵");
        left.Add(0, birth, 2, 1, 10, 100, "林欣怡");
        var right = new PersonTable(6);
        right.Add(0, birth.AddDays(1), 1, 1, 10, 100, "陳子晗");  // 0: homophone + traditional, a day apart, same village
        right.Add(0, birth, 2, 1, 10, 100, "陈梓涵");             // 1: other gender: blocked out
        right.Add(0, birth.AddDays(9), 1, 1, 10, 100, "陈梓涵");  // 2: outside the date window
        right.Add(0, birth, 1, 1, 20, 200, "吴俊杰");             // 3: other township and no character in common: blocked out
        right.Add(0, birth, 1, 1, 20, 200, "陈梓涵");             // 4: moved to another township, same name
        right.Add(0, birth, 2, 1, 10, 101, "林馨怡");             // 5: homophone, other village of the township
        var matcher = new FuzzyMatcher(new FuzzyOptions());

        var found = matcher.Match(left, [0, 1], right, [0, 1, 2, 3, 4, 5], out var pairs);

        Assert.Equal(4, pairs); // 0, 4 for the first; 1, 5 for the second
        Assert.Equal([0, 4], found[0].Select(c => c.Right));
        var moved = found[0][1];
        Assert.Equal(NameAgreement.Same, moved.Name);
        Assert.Equal(0, moved.Days);
        Assert.Equal(PlaceDistance.SameCounty, moved.Place);
        Assert.Equal(93, moved.Score); // 60 + 25 + 15 × 0.5
        var variant = found[0][0];
        Assert.Equal(NameAgreement.Homophone, variant.Name);
        Assert.Equal(1, variant.Days);
        Assert.Equal(PlaceDistance.SameVillage, variant.Place);
        Assert.Equal(94, variant.Score); // 60 + 25 × 0.75 + 15
        Assert.Equal(5, Assert.Single(found[1]).Right);
        Assert.Equal(PlaceDistance.SameTownship, found[1][0].Place);
    }

    [Fact]
    public void A_different_child_of_the_same_day_and_village_scores_below_the_queue()
    {
        var birth = new DateOnly(2014, 9, 1);
        var left = new PersonTable(1);
        left.Add(0, birth, 1, 1, 10, 100, "王子轩");
        var right = new PersonTable(1);
        right.Add(0, birth, 1, 1, 10, 100, "王子豪");
        var c = new FuzzyMatcher(new FuzzyOptions()).Score(left, 0, right, 0);
        Assert.True(c.Score < new FuzzyOptions().MinScore, $"score {c.Score}");
    }

    [Theory]
    [InlineData("2015-08-31", AgeBand.Primary)]
    [InlineData("2015-09-01", AgeBand.PreSchool)]
    [InlineData("2009-09-01", AgeBand.Primary)]
    [InlineData("2009-08-31", AgeBand.JuniorSecondary)]
    [InlineData("2006-08-31", AgeBand.Older)]
    [InlineData("2020-09-01", AgeBand.Infant)]
    public void Age_bands_are_taken_on_the_cut_off(string birth, AgeBand band) =>
        Assert.Equal(band, new ReconciliationOptions().Band(DateOnly.Parse(birth), new DateOnly(2022, 8, 31)));

    [Fact]
    public void The_default_cut_off_is_the_last_31_august() =>
        Assert.Equal(new DateOnly(2026, 8, 31), new ReconciliationOptions().DefaultCutOff(new DateOnly(2026, 12, 1)));
}
