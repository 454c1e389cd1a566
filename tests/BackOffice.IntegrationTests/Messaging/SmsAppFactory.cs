using BackOffice.Application.Messaging;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Testing;
using Microsoft.AspNetCore.Hosting;

namespace BackOffice.IntegrationTests.Messaging;

/// <summary>
/// The app in Development (development SMS sender) with a clock the tests move. The dispatcher's own poll is set to an
/// hour, so messages go out only when a test dispatches or wakes the dispatcher.
/// </summary>
public sealed class SmsAppFactory : BackOfficeAppFactory
{
    public ManualTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Sms:PollInterval", "01:00:00")];

    public SmsOutbox Outbox => Services.GetRequiredService<SmsOutbox>();

    public SmsDispatcher Dispatcher => Services.GetRequiredService<SmsDispatcher>();

    public DevelopmentSmsSender DevelopmentSender => Services.GetRequiredService<DevelopmentSmsSender>();

    /// <summary>Another dispatcher on the same database, as a second app instance would run it (optionally with another sender).</summary>
    public SmsDispatcher NewDispatcher(ISmsSender? sender = null) => sender is null
        ? ActivatorUtilities.CreateInstance<SmsDispatcher>(Services)
        : ActivatorUtilities.CreateInstance<SmsDispatcher>(Services, sender);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
