using BackOffice.Application.Operations;
using BackOffice.IntegrationTests.Infrastructure;

namespace BackOffice.IntegrationTests.Operations;

/// <summary>
/// The app with the real bridge code (for loadings and pickups through the box) and webhooks to a
/// <see cref="WebhookReceiver"/> on loopback. The dispatcher's own poll is an hour: events go out when a new one wakes
/// it or a test dispatches.
/// </summary>
public sealed class WebhookAppFactory : BridgeAppFactory
{
    public const string Secret = "test-secret-0123456789-abcdefghijklmnop";

    public WebhookReceiver Receiver { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("Webhooks:Url", Receiver.Url.ToString()),
        new("Webhooks:Secret", Secret),
        new("Webhooks:PollInterval", "01:00:00"),
    ];

    public WebhookDispatcher Dispatcher => Services.GetRequiredService<WebhookDispatcher>();

    public WebhookAdministration Administration => Services.GetRequiredService<WebhookAdministration>();

    /// <summary>Another dispatcher on the same database, as a second app instance would run it.</summary>
    public WebhookDispatcher NewDispatcher() => ActivatorUtilities.CreateInstance<WebhookDispatcher>(Services);

    public override async ValueTask InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
