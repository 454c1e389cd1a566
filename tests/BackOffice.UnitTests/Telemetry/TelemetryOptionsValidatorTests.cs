using BackOffice.Application.Telemetry;
using BackOffice.Web.Telemetry;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Exporter;

namespace BackOffice.UnitTests.Telemetry;

/// <summary>The <c>Telemetry</c> settings a start is refused for (docs/operations-telemetry.md), each with its message.</summary>
public sealed class TelemetryOptionsValidatorTests
{
    private const string SecretToken = "a-secret-scraper-token-of-32-characters-or-more";

    [Fact]
    public void Defaults_AreValid_AndExportNothing()
    {
        var options = new TelemetryOptions();

        Assert.True(Validate(options).Succeeded);
        Assert.Null(TelemetryOptionsValidator.OtlpEndpointOf(options));
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, TelemetryOptionsValidator.ProtocolOf(options));
    }

    [Theory]
    [InlineData("http://otel-collector:4318", "HttpProtobuf")]
    [InlineData("https://otel.example:4317", "Grpc")]
    public void OtlpEndpoint_AbsoluteHttpAddress_IsValid(string endpoint, string protocol)
    {
        var options = new TelemetryOptions { OtlpEndpoint = endpoint, OtlpProtocol = protocol };

        Assert.True(Validate(options).Succeeded);
        Assert.Equal(new Uri(endpoint), TelemetryOptionsValidator.OtlpEndpointOf(options));
    }

    [Theory]
    [InlineData("otel-collector:4318")]
    [InlineData("/v1/traces")]
    [InlineData("ftp://otel-collector")]
    public void OtlpEndpoint_NotAnAbsoluteHttpAddress_IsRefused(string endpoint)
    {
        var result = Validate(new TelemetryOptions { OtlpEndpoint = endpoint });

        Assert.Contains(result.Failures!, f => f.StartsWith("Telemetry:OtlpEndpoint must be an absolute http://", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Http")]
    [InlineData("grpc")]
    [InlineData("")]
    public void OtlpProtocol_Unknown_IsRefused(string protocol)
    {
        var result = Validate(new TelemetryOptions { OtlpProtocol = protocol });

        Assert.Equal(["Telemetry:OtlpProtocol must be HttpProtobuf or Grpc."], result.Failures!);
    }

    [Fact]
    public void Prometheus_EnabledWithNeitherNetworkNorToken_IsRefused()
    {
        var result = Validate(new TelemetryOptions { Prometheus = new() { Enabled = true } });

        Assert.Contains(result.Failures!, f => f.Contains("never open to everyone", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("10.20.30.0/24")]
    [InlineData("2001:db8::/32")]
    [InlineData("192.0.2.17/32")]
    public void Prometheus_EnabledForANetwork_IsValid(string network)
    {
        Assert.True(Validate(new TelemetryOptions { Prometheus = new() { Enabled = true, AllowedNetworks = [network] } }).Succeeded);
    }

    [Theory]
    [InlineData("10.20.30.0")]
    [InlineData("10.20.30.0/33")]
    [InlineData("monitoring")]
    public void Prometheus_NetworkNotInCidrNotation_IsRefusedNamingIt(string network)
    {
        var result = Validate(new TelemetryOptions { Prometheus = new() { Enabled = true, AllowedNetworks = [network] } });

        Assert.Contains(result.Failures!, f => f.Contains($"'{network}'", StringComparison.Ordinal) && f.Contains("CIDR", StringComparison.Ordinal));
    }

    [Fact]
    public void Prometheus_TokenShorterThan32Characters_IsRefused()
    {
        var result = Validate(new TelemetryOptions { Prometheus = new() { Enabled = true, BearerToken = new string('x', 31) } });

        Assert.Contains(result.Failures!, f => f.StartsWith("Telemetry:Prometheus:BearerToken needs at least 32 characters", StringComparison.Ordinal));
    }

    [Fact]
    public void Prometheus_SecretTokenOf32Characters_IsValid()
    {
        Assert.True(Validate(new TelemetryOptions { Prometheus = new() { Enabled = true, BearerToken = SecretToken } }).Succeeded);
    }

    [Fact]
    public void Prometheus_DevelopmentToken_IsRefusedOutsideDevelopmentOnly()
    {
        var options = new TelemetryOptions { Prometheus = new() { Enabled = true, BearerToken = "development-only-metrics-token-0001-not-a-secret" } };

        var production = Validate(options, Environments.Production);
        var development = Validate(options, Environments.Development);

        Assert.Contains(production.Failures!, f => f.Contains("is the development token", StringComparison.Ordinal));
        Assert.True(development.Succeeded);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(TelemetryOptions options, string environment = "Production") =>
        new TelemetryOptionsValidator(new HostEnvironment { EnvironmentName = environment }).Validate(null, options);

    private sealed class HostEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "";
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = "";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
