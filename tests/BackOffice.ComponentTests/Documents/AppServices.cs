using System.Reflection;
using BackOffice.Application;
using BackOffice.Application.Abstractions;
using BackOffice.Bridge.Contracts;
using BackOffice.Infrastructure;
using BackOffice.Infrastructure.Persistence;
using BackOffice.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace BackOffice.ComponentTests.Documents;

/// <summary>
/// The app's own application and infrastructure services on a test database of their own (a copy of the demo-data
/// template), for pages whose logic lives in those services: a page test renders the page over the real queries and
/// actions. The box is reached through <see cref="RecordingDispatcher"/> instead of a SignalR connection; the test plays
/// the box by calling what the hub would call. The host is built, never started: no background work runs.
/// </summary>
public sealed class AppServices : IAsyncLifetime
{
    private static readonly string WebAppPath = typeof(AppServices).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WebAppPath").Value!;

    private static readonly DatabaseTemplate DemoTemplate = DatabaseTemplate.WithDemoData(WebAppPath);

    private readonly TempDirectory _keyRing = new();
    private TestDatabase? _database;
    private IHost? _host;

    public RecordingDispatcher Dispatcher { get; } = new();

    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("Not initialised yet.");

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CopyOfAsync(DemoTemplate, nameof(AppServices));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Development",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:BackOffice"] = _database.ConnectionString,
            ["Database:SeedDemoData"] = "true",
            ["Pickup:PinPepper"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Privacy:LookupKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["DataProtection:KeyRingPath"] = _keyRing.Path,
        });
        builder.AddApplication();
        builder.AddInfrastructure();
        builder.Services.AddSingleton<IBridgeDispatcher>(Dispatcher);
        // Only what the pages use is resolved; the web host's own services (authentication for Identity's sign-in
        // manager, the hub) are not here, so the container is not validated as a whole.
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = false }));
        _host = builder.Build();
    }

    public async Task<BackOfficeDbContext> NewDbContextAsync() =>
        await Services.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>().CreateDbContextAsync();

    /// <summary>Makes DLZ-1 look online (a heartbeat just now), as its bridge would.</summary>
    public async Task BoxOnlineAsync(string code = "DLZ-1")
    {
        await using var db = await NewDbContextAsync();
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await db.Boxes.Where(b => b.Code == code).ExecuteUpdateAsync(s => s.SetProperty(b => b.LastHeartbeatAt, now));
    }

    public async ValueTask DisposeAsync()
    {
        _host?.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        _keyRing.Dispose();
    }
}

/// <summary>Takes every unlock command as sent to a connected box, and keeps it for the test to answer.</summary>
public sealed class RecordingDispatcher : IBridgeDispatcher
{
    private readonly List<(Guid BoxId, UnlockCommand Command)> _sent = [];

    public IReadOnlyList<(Guid BoxId, UnlockCommand Command)> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public Task<bool> TrySendUnlockAsync(Guid boxId, UnlockCommand command, CancellationToken cancellationToken)
    {
        lock (_sent)
        {
            _sent.Add((boxId, command));
        }
        return Task.FromResult(true);
    }

    public Task DisconnectAsync(Guid boxId, CancellationToken cancellationToken) => Task.CompletedTask;
}
