using System.Reflection;
using System.Text;
using System.Text.Json;
using BackOffice.Application.Common;
using BackOffice.Application.Pickup;
using BackOffice.Application.Privacy;
using BackOffice.Web.Api;
using BackOffice.Web.Security;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace BackOffice.UnitTests;

/// <summary>Secrets come from configuration or the environment; the repository holds only public development values.</summary>
public class SecretsTests
{
    private static readonly string Root = typeof(SecretsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    [Fact]
    public void BaseConfiguration_HoldsNoSecret()
    {
        var settings = Flatten(Path.Combine(Root, "appsettings.json"));

        Assert.Equal("", settings["ConnectionStrings:BackOffice"]);
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith("Api:Keys", StringComparison.Ordinal));
        Assert.DoesNotContain("Pickup:PinPepper", settings.Keys);
        Assert.DoesNotContain("Privacy:LookupKey", settings.Keys);
        string[] gatewaySecrets = ["Sms:Gateway:Username", "Sms:Gateway:Password", "Sms:Gateway:ApiKey"];
        Assert.All(gatewaySecrets, key => Assert.Equal("", settings.GetValueOrDefault(key, "")));
    }

    [Fact]
    public void DevelopmentConfiguration_HoldsOnlyValuesMarkedAsDevelopmentOnly()
    {
        var settings = Flatten(Path.Combine(Root, "appsettings.Development.json"));

        Assert.All(settings.Where(s => s.Key.StartsWith("Api:Keys", StringComparison.Ordinal)),
            key => Assert.StartsWith(DevelopmentSecretsValidator.Marker, key.Value, StringComparison.Ordinal));
        Assert.Contains(DevelopmentSecretsValidator.Marker, Encoding.UTF8.GetString(SecretKeys.Decode(settings["Pickup:PinPepper"])!), StringComparison.Ordinal);
        Assert.Contains(DevelopmentSecretsValidator.Marker, Encoding.UTF8.GetString(SecretKeys.Decode(settings["Privacy:LookupKey"])!), StringComparison.Ordinal);
        Assert.Contains("Host=127.0.0.1;", settings["ConnectionStrings:BackOffice"], StringComparison.Ordinal);
    }

    [Fact]
    public void Repository_HoldsNoKeyOrCertificateFile()
    {
        string[] skipped = ["bin", "obj", ".data", ".git", "node_modules", "TestResults", "logs"];
        var files = Directory.EnumerateFiles(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(f => !Path.GetRelativePath(Root, f).Split(Path.DirectorySeparatorChar).Any(skipped.Contains))
            .ToList();

        Assert.NotEmpty(files);
        Assert.DoesNotContain(files, f => Path.GetExtension(f).ToLowerInvariant() is ".pfx" or ".p12" or ".pem" or ".key" or ".crt" or ".env");
        Assert.Empty(files.Where(f => new FileInfo(f).Length < 1_000_000 && File.ReadAllText(f).Contains("PRIVATE" + " KEY-----", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f)));
    }

    [Theory]
    [InlineData("Production", "development-only-registration-api-key-0001", false)]
    [InlineData("Development", "development-only-registration-api-key-0001", true)]
    [InlineData("Production", "too-short", false)]
    [InlineData("Production", "a-real-key-from-the-environment-0123456789", true)]
    public void ApiKeys_AreCheckedAtStart(string environment, string key, bool valid) =>
        Assert.Equal(valid, new ApiOptionsValidator(Environment(environment)).Validate(null, new ApiOptions { Keys = [key] }).Succeeded);

    [Theory]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    [InlineData("Development", true)]
    public void DevelopmentPepperAndLookupKey_AreRefusedOutsideDevelopment(string environment, bool valid)
    {
        var settings = Flatten(Path.Combine(Root, "appsettings.Development.json"));
        var validator = new DevelopmentSecretsValidator(Environment(environment));
        var secret = Convert.ToBase64String(new byte[32]);

        Assert.Equal(valid, validator.Validate(null, new PickupOptions { PinPepper = settings["Pickup:PinPepper"] }).Succeeded);
        Assert.Equal(valid, validator.Validate(null, new PrivacyOptions { LookupKey = settings["Privacy:LookupKey"] }).Succeeded);
        Assert.True(validator.Validate(null, new PickupOptions { PinPepper = secret }).Succeeded);
        Assert.True(validator.Validate(null, new PrivacyOptions { LookupKey = secret }).Succeeded);
    }

    private static Dictionary<string, string> Flatten(string path)
    {
        var result = new Dictionary<string, string>();
        Walk(JsonDocument.Parse(File.ReadAllText(path)).RootElement, "");
        return result;

        void Walk(JsonElement element, string prefix)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Walk(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}");
                    }
                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item, $"{prefix}:{i++}");
                    }
                    break;
                default:
                    result[prefix] = element.ToString();
                    break;
            }
        }
    }

    private static IHostEnvironment Environment(string name) => new HostEnvironment { EnvironmentName = name };

    private sealed class HostEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "";
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = "";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
