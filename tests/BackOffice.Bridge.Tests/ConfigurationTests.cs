using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BackOffice.Bridge.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void Options_ServerUrlAndBoxKeyMissing_FailWithMessagesNamingTheSettings()
    {
        using var host = Build(new() { ["Bridge:LockDriver"] = "Simulator" });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<BridgeOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("Bridge:ServerUrl is missing", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Bridge:BoxKey is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_OtherLockDriver_FailsNamingTheDriversThatExist()
    {
        using var host = Build(new() { ["Bridge:ServerUrl"] = "http://127.0.0.1:5080", ["Bridge:BoxKey"] = "k", ["Bridge:LockDriver"] = "VendorX" });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<BridgeOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("'VendorX'", StringComparison.Ordinal) && f.Contains("'Modbus'", StringComparison.Ordinal) && f.Contains("'Simulator'", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_Complete_AreBoundAndConfiguredDelaysReplaceTheDefaults()
    {
        using var host = Build(new()
        {
            ["Bridge:ServerUrl"] = "http://127.0.0.1:5080",
            ["Bridge:BoxKey"] = "secret",
            ["Bridge:LockDriver"] = "Simulator",
            ["Bridge:ReconnectDelays:0"] = "00:00:00.100",
            ["Bridge:ReconnectDelays:1"] = "00:00:00.500",
            ["Simulator:OpenDelay"] = "00:00:01",
        });

        var options = host.Services.GetRequiredService<IOptions<BridgeOptions>>().Value;

        Assert.Equal("secret", options.BoxKey);
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500)], options.ReconnectDelays);
        Assert.Equal(TimeSpan.FromSeconds(1), host.Services.GetRequiredService<IOptions<SimulatedLockOptions>>().Value.OpenDelay);
        Assert.IsType<SimulatedLockDriver>(host.Services.GetRequiredService<ILockDriver>());
    }

    [Fact]
    public void Options_RetryDelaysConfigured_ReplaceTheDefaults()
    {
        using var host = Build(new()
        {
            ["Bridge:ServerUrl"] = "http://127.0.0.1:5080",
            ["Bridge:BoxKey"] = "k",
            ["Bridge:LockDriver"] = "Simulator",
            ["Bridge:RetryDelays:0"] = "00:00:01",
            ["Bridge:RetryDelays:1"] = "00:01:00",
        });

        var options = host.Services.GetRequiredService<IOptions<BridgeOptions>>().Value;

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)], options.RetryDelays);
    }

    [Fact]
    public void Options_NegativeRetryDelay_FailsNamingTheSetting()
    {
        using var host = Build(new() { ["Bridge:ServerUrl"] = "http://127.0.0.1:5080", ["Bridge:BoxKey"] = "k", ["Bridge:LockDriver"] = "Simulator", ["Bridge:RetryDelays:0"] = "-00:00:01" });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<BridgeOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("Bridge:RetryDelays", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://0.0.0.0:5090")]
    [InlineData("http://192.168.1.20:5090")]
    [InlineData("https://127.0.0.1:5090")]
    [InlineData("http://box.example:5090")]
    public void Options_PanelUrlNotOnLoopbackHttp_FailsNamingTheSetting(string url)
    {
        using var host = Build(new() { ["Bridge:ServerUrl"] = "http://127.0.0.1:5080", ["Bridge:BoxKey"] = "k", ["Bridge:LockDriver"] = "Simulator", ["Bridge:Panel:Url"] = url });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<BridgeOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("Bridge:Panel:Url", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5090")]
    [InlineData("http://localhost:5090/")]
    [InlineData("http://[::1]:5090")]
    public void Options_PanelUrlOnLoopback_IsBound(string url)
    {
        using var host = Build(new() { ["Bridge:ServerUrl"] = "http://127.0.0.1:5080", ["Bridge:BoxKey"] = "k", ["Bridge:LockDriver"] = "Simulator", ["Bridge:Panel:Url"] = url });

        Assert.Equal(url, host.Services.GetRequiredService<IOptions<BridgeOptions>>().Value.Panel.Url);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", "ws://127.0.0.1:5080/hubs/box")]
    [InlineData("https://backoffice.example/", "wss://backoffice.example/hubs/box")]
    [InlineData("https://backoffice.example/amt/", "wss://backoffice.example/amt/hubs/box")]
    public void HubAddress_ServerUrl_BecomesTheHubWebSocketAddress(string serverUrl, string expected)
    {
        Assert.Equal(new Uri(expected), HubAddress.FromServerUrl(serverUrl));
    }

    [Fact]
    public void ReconnectBackoff_BeyondTheLastDelay_KeepsTheLastAndNeverGivesUp()
    {
        var backoff = new ReconnectBackoff([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)]);

        Assert.Equal(TimeSpan.Zero, backoff.DelayFor(0, null));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.DelayFor(1, null));
        Assert.Equal(TimeSpan.FromSeconds(30), backoff.DelayFor(2, null));
        Assert.Equal(TimeSpan.FromSeconds(30), backoff.DelayFor(1000, null));
    }

    [Fact]
    public void ReconnectBackoff_KeyRejected_WaitsTheLongestDelay()
    {
        var backoff = new ReconnectBackoff([TimeSpan.Zero, TimeSpan.FromSeconds(30)]);
        var rejected = new BoxKeyRejectedException(System.Net.HttpStatusCode.Unauthorized, new InvalidOperationException());

        Assert.Equal(TimeSpan.FromSeconds(30), backoff.DelayFor(0, rejected));
    }

    [Fact]
    public void Telemetry_NotConfigured_IsValidAndExportsNothing()
    {
        using var host = Build(Complete());

        Assert.Null(host.Services.GetRequiredService<IOptions<BridgeTelemetryOptions>>().Value.OtlpEndpoint);
        // No SDK registered: the bridge's spans go nowhere (and cost nothing) unless IT configures a collector.
        Assert.Null(host.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
    }

    [Fact]
    public void Telemetry_EndpointWithoutBoxCode_FailsNamingTheSetting()
    {
        using var host = Build(Complete(("Telemetry:OtlpEndpoint", "http://otel-collector:4318")));

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<BridgeTelemetryOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("Telemetry:BoxCode is missing", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("otel-collector:4318", "HttpProtobuf", "DLZ-1", "Telemetry:OtlpEndpoint 'otel-collector:4318' must be an absolute")]
    [InlineData("ftp://otel-collector", "HttpProtobuf", "DLZ-1", "Telemetry:OtlpEndpoint 'ftp://otel-collector' must be an absolute")]
    [InlineData("http://otel-collector:4318", "Http", "DLZ-1", "Telemetry:OtlpProtocol must be HttpProtobuf or Grpc")]
    [InlineData("http://otel-collector:4318", "HttpProtobuf", "Ausgabebox Rathaus", "Telemetry:BoxCode 'Ausgabebox Rathaus' is not a box code")]
    [InlineData("http://otel-collector:4318", "HttpProtobuf", "dlz-1", "Telemetry:BoxCode 'dlz-1' is not a box code")]
    public void Telemetry_Invalid_FailsNamingTheSetting(string endpoint, string protocol, string boxCode, string message)
    {
        var validator = new BridgeTelemetryOptionsValidator();

        var result = validator.Validate(null, new BridgeTelemetryOptions { OtlpEndpoint = endpoint, OtlpProtocol = protocol, BoxCode = boxCode });

        Assert.Contains(result.Failures!, f => f.StartsWith(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://otel-collector:4318", "HttpProtobuf")]
    [InlineData("https://otel.example:4317", "Grpc")]
    public void Telemetry_Complete_IsValid(string endpoint, string protocol)
    {
        var options = new BridgeTelemetryOptions { OtlpEndpoint = endpoint, OtlpProtocol = protocol, BoxCode = "DLZ-1" };

        Assert.True(new BridgeTelemetryOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(new Uri(endpoint), BridgeTelemetryOptionsValidator.EndpointOf(options));
    }

    private static Dictionary<string, string?> Complete(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bridge:ServerUrl"] = "http://127.0.0.1:5080",
            ["Bridge:BoxKey"] = "k",
            ["Bridge:LockDriver"] = "Simulator",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddBoxBridge();
        return builder.Build();
    }
}
