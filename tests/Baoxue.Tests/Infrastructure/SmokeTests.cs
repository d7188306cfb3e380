namespace Baoxue.Tests.Infrastructure;

public class SmokeTests
{
    [Fact]
    public void Two_plus_two() => Assert.Equal(4, 2 + 2);
}
