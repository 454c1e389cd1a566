using BackOffice.Infrastructure.Audit;
using Microsoft.Extensions.Configuration;

namespace BackOffice.UnitTests.Audit;

/// <summary>What the audit of settings writes down: values as they are, secrets only as fingerprints.</summary>
public class EffectiveSettingsTests
{
    private static SortedDictionary<string, string> Settings(params (string Key, string Value)[] values) =>
        ConfigurationAudit.EffectiveSettings(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Theory]
    [InlineData("Pickup:PinPepper")]
    [InlineData("Privacy:LookupKey")]
    [InlineData("Sms:Gateway:Password")]
    [InlineData("Sms:Gateway:ApiToken")]
    [InlineData("Sms:Gateway:ApiKey")]
    [InlineData("Api:Keys:0")]
    public void Secrets_AppearOnlyAsAFingerprint(string name)
    {
        var value = Settings((name, "s3cr3t-value-that-must-not-appear"))[name];

        Assert.Matches("^sha256:[0-9a-f]{12}$", value);
    }

    [Fact]
    public void OrdinarySettings_AreKeptAsTheyAre_EvenWhenTheirNameMentionsAKey()
    {
        var settings = Settings(("DataProtection:KeyRingPath", "/srv/keys"), ("Pickup:MaxFailedAttempts", "5"));

        Assert.Equal("/srv/keys", settings["DataProtection:KeyRingPath"]);
        Assert.Equal("5", settings["Pickup:MaxFailedAttempts"]);
    }

    [Fact]
    public void WhoMaySetTheClientAddress_AndHowLeadersAreElected_AreAudited()
    {
        var settings = Settings(("ReverseProxy:KnownProxies:0", "10.0.0.5"), ("Jobs:LeaderRetryInterval", "00:00:05"));

        Assert.Equal("10.0.0.5", settings["ReverseProxy:KnownProxies:0"]);
        Assert.Equal("00:00:05", settings["Jobs:LeaderRetryInterval"]);
    }

    [Fact]
    public void ConnectionStrings_LoseTheirPassword()
    {
        var value = Settings(("ConnectionStrings:BackOffice", "Host=db;Database=backoffice;Username=app;Password=hunter2"))["ConnectionStrings:BackOffice"];

        Assert.DoesNotContain("hunter2", value, StringComparison.Ordinal);
        Assert.Contains("host=db", value, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("Password=(set)", value, StringComparison.Ordinal);
    }

    [Fact]
    public void LoggingAndHosting_AreNotAudited() =>
        Assert.Empty(Settings(("Serilog:MinimumLevel:Default", "Debug"), ("AllowedHosts", "*")));
}
