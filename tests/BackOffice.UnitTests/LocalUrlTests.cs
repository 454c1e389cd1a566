using BackOffice.Web.Security;

namespace BackOffice.UnitTests;

public class LocalUrlTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/dokumente")]
    [InlineData("/verwaltung?tab=2")]
    public void IsLocal_PathOnThisSite_IsTrue(string url) => Assert.True(LocalUrl.IsLocal(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("dokumente")]
    [InlineData("/\r\nSet-Cookie: x")]
    public void IsLocal_AnythingLeavingTheSite_IsFalse(string? url) => Assert.False(LocalUrl.IsLocal(url));

    [Fact]
    public void OrHome_ForeignUrl_FallsBackToHome() => Assert.Equal("/", LocalUrl.OrHome("//evil.example"));
}
