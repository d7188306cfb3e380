using Baoxue.Domain;
using Baoxue.Features.Accounts;

namespace Baoxue.Tests.Domain;

public class PlacePathTests
{
    [Fact]
    public void A_class_path_has_every_place_above_it_as_ancestor()
    {
        var ancestors = PlacePath.Ancestors("35/3501/350123/350123100/2135012303/20260301/");
        Assert.Equal(["35/", "35/3501/", "35/3501/350123/", "35/3501/350123/350123100/", "35/3501/350123/350123100/2135012303/"], ancestors);
    }

    [Theory]
    [InlineData("35/3501/350123/350123100/", "35/3501/350123/", true)]
    [InlineData("35/3501/350123/", "35/3501/350123/", true)]
    [InlineData("35/3501/350124/", "35/3501/350123/", false)]
    [InlineData("35/3501/3501231/", "35/3501/350123/", false)]
    public void A_place_is_within_a_jurisdiction_only_below_it(string path, string scope, bool within) =>
        Assert.Equal(within, PlacePath.IsWithin(path, scope));

    [Theory]
    [InlineData("Abcdefg1", true)]
    [InlineData("abcdefg1!", true)]
    [InlineData("ABCDEFG1", false)]
    [InlineData("abcdefgh", false)]
    [InlineData("12345678", false)]
    public void Passwords_need_three_kinds_of_character(string password, bool ok) =>
        Assert.Equal(ok, ThreeClassesPasswordValidator.HasThreeClasses(password));

    [Fact]
    public void A_school_year_runs_from_September_with_two_terms()
    {
        var year = SchoolYear.Create(2026);
        Assert.Equal(new DateOnly(2026, 9, 1), year.StartDate);
        Assert.Equal(new DateOnly(2027, 8, 31), year.EndDate);
        Assert.Equal([1, 2], year.Terms.Select(t => t.Number));
        Assert.Equal(2026, SchoolYear.StartYearOf(new DateOnly(2026, 11, 23)));
        Assert.Equal(2025, SchoolYear.StartYearOf(new DateOnly(2026, 8, 31)));
    }

    [Theory]
    [InlineData(SchoolKind.Primary, 6, true)]
    [InlineData(SchoolKind.Primary, 7, false)]
    [InlineData(SchoolKind.JuniorSecondary, 7, true)]
    [InlineData(SchoolKind.JuniorSecondary, 3, false)]
    [InlineData(SchoolKind.NineYear, 9, true)]
    public void A_school_teaches_the_grades_of_its_kind(SchoolKind kind, int grade, bool teaches) =>
        Assert.Equal(teaches, new School { Code = "2135012301", Name = "x", Path = "x/", Kind = kind }.Teaches(grade));
}
