using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BackOffice.Application.Messaging;
using BackOffice.Application.Operations;
using BackOffice.Domain.Operations;
using BackOffice.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace BackOffice.IntegrationTests.HighAvailability;

/// <summary>
/// Two app instances (two hosts in this test process, each with its own services, background jobs and pools) on one
/// database and one key ring folder encrypted with a certificate, as two servers behind nginx run. The shared secrets
/// (PIN pepper, lookup key) are the same on both, as a deployment's environment file gives them.
/// </summary>
public sealed class TwoInstances : IAsyncLifetime
{
    private const string CertificatePassword = "test-only-pfx-password";
    private static readonly string WebAppPath = typeof(TwoInstances).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WebAppPath").Value!;

    private readonly TempDirectory _folder = new();
    private readonly Dictionary<string, string?> _settings;
    private TestDatabase? _database;

    public TwoInstances()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Ausgabebox key ring (two instances)", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(CertificatePath, certificate.Export(X509ContentType.Pfx, CertificatePassword));
        _settings = new()
        {
            ["Database:SeedDemoData"] = "true",
            ["Pickup:PinPepper"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Privacy:LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["DataProtection:KeyRingPath"] = KeyRingPath,
            ["DataProtection:CertificatePath"] = CertificatePath,
            ["DataProtection:CertificatePassword"] = CertificatePassword,
            ["RateLimits:SignInPerClient:PermitLimit"] = "10000",
            ["RateLimits:SignInPerAccount:PermitLimit"] = "10000",
            // Quick elections and a quick SMS poll, so takeovers and the outbox settle in a test's time.
            ["Jobs:LeaderRetryInterval"] = "00:00:00.2",
            ["Jobs:LeaderCheckInterval"] = "00:00:00.2",
            ["Sms:PollInterval"] = "00:00:00.2",
            ["Webhooks:Url"] = "https://receiver.invalid/ausgabebox",
            ["Webhooks:Secret"] = "a-webhook-secret-of-at-least-32-characters",
            ["Webhooks:PollInterval"] = "00:00:01",
        };
    }

    public string KeyRingPath => Path.Combine(_folder.Path, "keys");

    private string CertificatePath => Path.Combine(_folder.Path, "keyring.pfx");

    public string ConnectionString => _database?.ConnectionString ?? throw new InvalidOperationException("Not initialised yet.");

    /// <summary>Every SMS any instance handed to its sender: (instance, recipient, text).</summary>
    public ConcurrentQueue<(string Instance, string Recipient, string Text)> SentSms { get; } = new();

    /// <summary>Every webhook any instance handed to its sender: (instance, delivery id).</summary>
    public ConcurrentQueue<(string Instance, Guid Delivery)> SentWebhooks { get; } = new();

    public Instance A { get; private set; } = null!;

    public Instance B { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CopyOfAsync(DatabaseTemplate.WithDemoData(WebAppPath), nameof(TwoInstances));
        _settings["ConnectionStrings:BackOffice"] = _database.ConnectionString;
        A = new Instance("A", this);
        B = new Instance("B", this);
        // Both at the same moment on an empty key ring: each may create a first key (see KeyRing tests).
        await Task.WhenAll(Task.Run(() => A.Services), Task.Run(() => B.Services));
    }

    /// <summary>When the instances were started; what their start did is newer.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Stops B, as a server taken down (its hosted services end, its connections close).</summary>
    public ValueTask StopBAsync() => B.DisposeAsync();

    /// <summary>Starts a new instance B, for the tests after the one that stopped it.</summary>
    public void StartB()
    {
        B = new Instance("B2", this);
        _ = B.Services;
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        _folder.Dispose();
    }

    /// <summary>One app instance: the real app with the shared settings, its SMS sender recording into <see cref="SentSms"/>.</summary>
    public sealed class Instance(string name, TwoInstances cluster) : WebApplicationFactory<Program>
    {
        public string Name => name;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseContentRoot(AppContext.BaseDirectory);
            builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(cluster._settings));
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<ISmsSender>(new RecordingSmsSender(name, cluster.SentSms));
                services.AddSingleton<IWebhookSender>(new RecordingWebhookSender(name, cluster.SentWebhooks));
            });
        }

        /// <summary>A browser-like client of this instance: no redirects followed, cookies kept.</summary>
        public HttpClient CreateBrowserClient() => CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri("http://localhost"),
        });
    }

    /// <summary>Takes a little time per message, as a gateway does, so two dispatchers overlap.</summary>
    private sealed class RecordingSmsSender(string instance, ConcurrentQueue<(string, string, string)> sent) : ISmsSender
    {
        public async Task<SmsSendResult> SendAsync(string recipientE164, string text, CancellationToken cancellationToken)
        {
            await Task.Delay(15, cancellationToken);
            sent.Enqueue((instance, recipientE164, text));
            return SmsSendResult.Accepted($"{instance}-{Guid.NewGuid():N}");
        }
    }

    private sealed class RecordingWebhookSender(string instance, ConcurrentQueue<(string, Guid)> sent) : IWebhookSender
    {
        public async Task<string?> SendAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
        {
            await Task.Delay(15, cancellationToken);
            sent.Enqueue((instance, delivery.Id));
            return null;
        }
    }
}
