using BackOffice.Application.Operations;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Testing;
using Microsoft.AspNetCore.Hosting;

namespace BackOffice.IntegrationTests.Operations;

/// <summary>
/// The app with a clock the tests move and alarm e-mails to a real SMTP server (aiosmtpd, STARTTLS) on loopback. The
/// app's own evaluation and mail poll wait an hour: tests evaluate and dispatch themselves.
/// </summary>
public sealed class AlarmAppFactory : BackOfficeAppFactory
{
    public const string Dlz1Address = "technik-dlz1@stadt.example";
    public const string DefaultAddress = "leitstelle@stadt.example";

    public ManualTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public SmtpTestServer Smtp { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("Alarms:EvaluationInterval", "01:00:00"),
        new("Alarms:Email:Host", "127.0.0.1"),
        new("Alarms:Email:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Alarms:Email:From", "ausgabebox@stadt.example"),
        new("Alarms:Email:DefaultRecipient", DefaultAddress),
        new("Alarms:Email:Recipients:DLZ-1", Dlz1Address),
        new("Alarms:Email:ServerCertificateSha256", Smtp.CertificateSha256),
        new("Alarms:Email:PollInterval", "01:00:00"),
    ];

    public AlarmMailDispatcher MailDispatcher => Services.GetRequiredService<AlarmMailDispatcher>();

    /// <summary>An alarm service like the app's, reading the boxes from <paramref name="monitor"/>.</summary>
    public AlarmService NewAlarmService(FakeBoxMonitor monitor) =>
        ActivatorUtilities.CreateInstance<AlarmService>(Services, (BackOffice.Application.Occupancy.IBoxMonitor)monitor);

    public override async ValueTask InitializeAsync()
    {
        Smtp = await SmtpTestServer.StartAsync();
        await base.InitializeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
