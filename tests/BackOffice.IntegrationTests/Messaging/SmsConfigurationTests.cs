using BackOffice.Application.Messaging;
using BackOffice.Infrastructure.Messaging;
using BackOffice.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Options;

namespace BackOffice.IntegrationTests.Messaging;

/// <summary>The start-up checks of the SMS settings, on the real app in Production.</summary>
public class SmsConfigurationTests
{
    [Fact]
    public async Task Production_WithTheDevelopmentSender_RefusesToStart()
    {
        await using var app = new ProductionApp([new("Sms:Sender", "Development")]);
        await app.InitializeAsync();

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("Sms:Sender=Development", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithTheGatewayButNoUrl_RefusesToStart()
    {
        await using var app = new ProductionApp([new("Sms:Gateway:Url", "")]);
        await app.InitializeAsync();

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("Sms:Gateway:Url", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithAPlainHttpGateway_RefusesToStart()
    {
        await using var app = new ProductionApp([new("Sms:Gateway:Url", "http://sms.example/api")]);
        await app.InitializeAsync();

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("https", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithAnHttpsGateway_StartsAndUsesIt()
    {
        await using var app = new ProductionApp([new("Sms:Gateway:Url", "https://sms.example/api"), new("Sms:Gateway:ApiKey", "k")]);
        await app.InitializeAsync();

        Assert.IsType<HttpSmsGatewaySender>(app.Services.GetRequiredService<ISmsSender>());
        Assert.Equal(SmsSenderKind.HttpGateway, app.Services.GetRequiredService<IOptions<SmsOptions>>().Value.Sender);
    }

    private static string Flatten(Exception error) =>
        error is AggregateException aggregate
            ? string.Join("\n", aggregate.Flatten().InnerExceptions.Select(Flatten))
            : $"{error.Message}\n{(error.InnerException is null ? "" : Flatten(error.InnerException))}";

    private sealed class ProductionApp(IEnumerable<KeyValuePair<string, string?>> settings) : BackOfficeAppFactory
    {
        protected override string EnvironmentName => "Production";

        protected override bool SeedDemoData => false;

        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("https_port", "443"), .. settings];
    }
}
