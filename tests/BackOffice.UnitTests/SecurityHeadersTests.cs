using BackOffice.Web.Security;

namespace BackOffice.UnitTests;

public class SecurityHeadersTests
{
    [Fact]
    public void ContentSecurityPolicy_AllowsNoEvalAndNoInlineScript()
    {
        var directives = SecurityHeaders.ContentSecurityPolicy.Split(';', StringSplitOptions.TrimEntries);
        var scriptSrc = Assert.Single(directives, d => d.StartsWith("script-src ", StringComparison.Ordinal));
        Assert.Equal("script-src 'self'", scriptSrc);
        Assert.DoesNotContain("unsafe-eval", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", directives);
    }

    [Fact]
    public void ContentSecurityPolicy_AllowsInlineStylesOnly()
    {
        var directives = SecurityHeaders.ContentSecurityPolicy.Split(';', StringSplitOptions.TrimEntries);

        var inline = Assert.Single(directives, d => d.Contains("'unsafe-inline'", StringComparison.Ordinal));
        Assert.Equal("style-src 'self' 'unsafe-inline'", inline);
    }
}
