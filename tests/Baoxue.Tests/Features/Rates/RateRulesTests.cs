using Baoxue.Features.Rates;

namespace Baoxue.Tests.Features.Rates;

public sealed class RateRulesTests
{
    [Theory]
    [InlineData(19_999, 20_000, "99.99")]
    [InlineData(20_000, 20_000, "100")]
    [InlineData(1, 3, "33.33")]
    [InlineData(2, 3, "66.66")]
    [InlineData(0, 5, "0")]
    public void A_percent_is_cut_to_two_decimals_so_a_shortfall_never_shows_as_100(long numerator, long denominator, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), RateRules.Percent(numerator, denominator));

    [Fact]
    public void Nobody_to_count_has_no_percent_and_is_not_short()
    {
        Assert.Null(RateRules.Percent(0, 0));
        Assert.False(RateRules.IsShort(null, 100));
        Assert.True(RateRules.IsShort(99.99m, 100));
        Assert.False(RateRules.IsShort(97m, 97));
    }

    [Fact]
    public void Retention_counts_in_school_against_in_school_plus_confirmed_dropouts_of_the_stage()
    {
        var rows = new Dictionary<RateRules.Part, long>
        {
            [new(Measures.Enrolled, "grade=1")] = 100,
            [new(Measures.Enrolled, "grade=6")] = 95,
            [new(Measures.Enrolled, "grade=7")] = 80,
            [new(Measures.Confirmed, "grade=6")] = 5,
            [new(Measures.Confirmed, "grade=8")] = 20,
        };
        long Count(RateRules.Part p) => rows.GetValueOrDefault(p);
        var primary = RateRules.Compute(RateRules.PrimaryRetention, Count);
        Assert.Equal((195L, 200L, 97.5m), (primary.Numerator, primary.Denominator, primary.Percent!.Value));
        var junior = RateRules.Compute(RateRules.JuniorRetention, Count);
        Assert.Equal((80L, 100L, 80m), (junior.Numerator, junior.Denominator, junior.Percent!.Value));
        var nine = RateRules.Compute(RateRules.NineYearRetention, Count);
        Assert.Equal((275L, 300L, 91.66m), (nine.Numerator, nine.Denominator, nine.Percent!.Value));
    }

    [Fact]
    public void Enrolment_adds_the_confirmed_children_never_enrolled_and_the_disabled_rate_only_the_three_kinds()
    {
        var rows = new Dictionary<RateRules.Part, long>
        {
            [new(Measures.Enrolled, "")] = 999,
            [new(Measures.Ledger, "list=1|state=4")] = 1,
            [new(Measures.Ledger, "list=1|state=1")] = 50, // reported, not yet confirmed: not counted
            [new(Measures.EnrolledDisabled, "type=Visual")] = 30,
            [new(Measures.EnrolledDisabled, "type=Physical")] = 70, // not one of the three kinds
            [new(Measures.ConfirmedDisabled, "type=Hearing")] = 1,
        };
        long Count(RateRules.Part p) => rows.GetValueOrDefault(p);
        var enrolment = RateRules.Compute(RateRules.Enrolment, Count);
        Assert.Equal((999L, 1000L, 99.9m), (enrolment.Numerator, enrolment.Denominator, enrolment.Percent!.Value));
        var disabled = RateRules.Compute(RateRules.DisabledEnrolment, Count);
        Assert.Equal((30L, 31L, 96.77m), (disabled.Numerator, disabled.Denominator, disabled.Percent!.Value));
    }

    [Fact]
    public void The_nearest_target_up_the_path_applies_else_the_national_one()
    {
        var set = new Dictionary<(string, string), decimal> { [("35/3501/", RateRules.JuniorRetention)] = 98m, [("35/3501/350123/", RateRules.JuniorRetention)] = 99m };
        Assert.Equal(99m, RateRules.TargetAt(RateRules.JuniorRetention, "35/3501/350123/350123100/", set));
        Assert.Equal(98m, RateRules.TargetAt(RateRules.JuniorRetention, "35/3501/350121/", set));
        Assert.Equal(97m, RateRules.TargetAt(RateRules.JuniorRetention, "35/3502/", set));
        Assert.Equal(100m, RateRules.TargetAt(RateRules.Enrolment, "35/3501/350123/", set));
        Assert.True(RateRules.IsValidTarget(97.5m));
        Assert.False(RateRules.IsValidTarget(100.01m));
        Assert.False(RateRules.IsValidTarget(97.555m));
    }

    [Fact]
    public void A_record_counts_in_every_place_from_the_province_down_to_the_school()
    {
        Assert.Equal(["35/", "35/3501/", "35/3501/350123/", "35/3501/350123/350123100/", "35/3501/350123/350123100/2135012303/"],
            FigureBuilder.Places("35/3501/350123/350123100/2135012303/C1/").ToArray());
        Assert.Empty(FigureBuilder.Places(null));
        Assert.Equal("35/3501/", RateRules.Parent("35/3501/350123/"));
    }
}
