using Baoxue.Domain;

namespace Baoxue.Tests.Domain;

public class PhoneNumberTests
{
    [Theory]
    [InlineData("13812345678")]
    [InlineData("13912345678")]
    [InlineData("15012345678")]
    [InlineData("16612345678")]
    [InlineData("17712345678")]
    [InlineData("18812345678")]
    [InlineData("19912345678")]
    [InlineData(" 13812345678 ")]
    public void Valid_mobiles(string input)
    {
        Assert.True(PhoneNumber.IsValidMobile(input));
        Assert.True(PhoneNumber.IsValid(input));
        Assert.False(PhoneNumber.IsValidLandline(input));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("12812345678")]   // 12x is not a mobile range
    [InlineData("10012345678")]
    [InlineData("23812345678")]
    [InlineData("1381234567")]    // 10 digits
    [InlineData("138123456789")]  // 12 digits
    [InlineData("138-1234-5678")] // separators are only tolerated by Normalize
    [InlineData("138 1234 5678")]
    [InlineData("+8613812345678")]
    [InlineData("１３８１２３４５６７８")] // full-width digits
    [InlineData("1381234567a")]
    [InlineData("1.38123E+10")]
    public void Invalid_mobiles(string? input) =>
        Assert.False(PhoneNumber.IsValidMobile(input));

    [Theory]
    [InlineData("0591-26812345")]
    [InlineData("059126812345")]
    [InlineData("0591 26812345")]
    [InlineData("0591-2681234")] // 7-digit subscriber number
    [InlineData("010-62345678")]
    [InlineData("01062345678")]
    [InlineData("021-52345678")]
    [InlineData("029 88888888")]
    [InlineData("0310-5123456")]
    [InlineData(" 0591-26812345 ")]
    public void Valid_landlines(string input)
    {
        Assert.True(PhoneNumber.IsValidLandline(input));
        Assert.True(PhoneNumber.IsValid(input));
        Assert.False(PhoneNumber.IsValidMobile(input));
    }

    [Theory]
    [InlineData("26812345")]        // no area code
    [InlineData("0591-06812345")]   // subscriber numbers never start with 0
    [InlineData("0591-16812345")]   // ... or 1
    [InlineData("0591-268123456")]  // 9-digit subscriber number
    [InlineData("0591-268123")]     // 6-digit subscriber number
    [InlineData("010-6234567")]     // three-digit area codes need 8 digits
    [InlineData("011-62345678")]    // 011 is not an area code
    [InlineData("0091-26812345")]
    [InlineData("0591--26812345")]
    [InlineData("0591-2681-2345")]
    [InlineData("(0591)26812345")]
    [InlineData("0591")]
    [InlineData("0")]
    [InlineData("059")]
    [InlineData("0591-")]
    public void Invalid_landlines(string input)
    {
        Assert.False(PhoneNumber.IsValidLandline(input));
        Assert.False(PhoneNumber.IsValid(input));
    }

    [Theory]
    [InlineData("13812345678", "13812345678")]
    [InlineData(" 138 1234 5678 ", "13812345678")]
    [InlineData("138-1234-5678", "13812345678")]
    [InlineData("+86 138 1234 5678", "13812345678")]
    [InlineData("+86-13812345678", "13812345678")]
    [InlineData("008613812345678", "13812345678")]
    [InlineData("0591-26812345", "0591-26812345")]
    [InlineData("059126812345", "0591-26812345")]
    [InlineData("0591 2681 2345", "0591-26812345")]
    [InlineData("010 6234 5678", "010-62345678")]
    public void Normalize_returns_canonical_form(string input, string expected) =>
        Assert.Equal(expected, PhoneNumber.Normalize(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("+8612812345678")]
    [InlineData("8613812345678")]
    [InlineData("abc")]
    [InlineData("１３８１２３４５６７８")]
    public void Normalize_returns_null_for_non_numbers(string? input) =>
        Assert.Null(PhoneNumber.Normalize(input));

    [Fact]
    public void Normalized_values_are_valid()
    {
        foreach (var input in new[] { "+86 138 1234 5678", "0591 2681 2345", "010-62345678", "0591-2681234" })
        {
            Assert.True(PhoneNumber.IsValid(PhoneNumber.Normalize(input)));
        }
    }

    [Theory]
    [InlineData("13812345678", "138****5678")]
    [InlineData(" 13812345678 ", "138****5678")]
    [InlineData("+86 138 1234 5678", "138****5678")]
    [InlineData("0591-26812345", "0591-****2345")]
    [InlineData("059126812345", "0591-****2345")]
    [InlineData("0591-2681234", "0591-***1234")]
    [InlineData("010-62345678", "010-****5678")]
    [InlineData("12812345678", "128****5678")] // invalid but long: first 3 and last 4
    [InlineData("123456789", "123**6789")]
    [InlineData("1234567", "*******")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Mask(string? input, string expected) =>
        Assert.Equal(expected, PhoneNumber.Mask(input));
}
