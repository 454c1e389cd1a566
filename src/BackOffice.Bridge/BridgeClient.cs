using BackOffice.Bridge.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Bridge;

/// <summary>
/// The whole bridge as one object, for embedding it in another process (integration tests, benchmarks): the same
/// parts as the bridge process (<see cref="BridgeServices.AddBridgeCore"/>) in a container of its own, started and
/// stopped like a host would.
/// </summary>
public sealed class BridgeClient : IAsyncDisposable
{
    /// <inheritdoc cref="PickupDesk.NotConnectedMessage"/>
    public const string NotConnectedMessage = PickupDesk.NotConnectedMessage;

    /// <inheritdoc cref="PickupDesk.RequestFailedMessage"/>
    public const string RequestFailedMessage = PickupDesk.RequestFailedMessage;

    /// <inheritdoc cref="PickupDesk.UnavailableMessage"/>
    public const string UnavailableMessage = PickupDesk.UnavailableMessage;

    private readonly ServiceProvider _services;
    private IHostedService[] _hostedServices = [];
    private BridgeSession? _session;
    private HeartbeatSender? _heartbeat;
    private PickupDesk? _desk;
    private int _started;
    private volatile bool _stopping;

    public BridgeClient(BridgeOptions options, ILockDriver lockDriver, TimeProvider timeProvider, ILogger<BridgeClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(lockDriver);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var services = new ServiceCollection();
        // The embedding process hands over one logger; every part writes to it.
        services.AddSingleton<ILoggerFactory>(new SingleLoggerFactory(logger));
        services.AddLogging();
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(lockDriver);
        services.AddSingleton(timeProvider);
        services.AddBridgeCore();
        _services = services.BuildServiceProvider();
    }

    /// <summary>Raised synchronously as soon as an Unlock arrives (live or pending in Hello), before any check.</summary>
    public event Action<UnlockCommand>? CommandReceived;

    /// <summary>Raised after a command's result was produced locally (Opened, Failed, Expired) and recorded; not for a result reproduced from the journal.</summary>
    public event Action<CommandResultReport>? CommandCompleted;

    /// <summary>Connected and Hello done: live sending is on.</summary>
    public bool IsConnected => !_stopping && _session is { IsLive: true };

    /// <summary>The panel's and the slot's way to the back office (set once started).</summary>
    internal PickupDesk Desk => _desk ?? throw new InvalidOperationException("The bridge client is not started.");

    /// <summary>
    /// Opens the journal, connects (retrying with the backoff until connected or cancelled), says Hello, runs the
    /// pending commands and tries the queue once. Returns once that first session is live.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("The bridge client was already started.");
        }
        ObjectDisposedException.ThrowIf(_stopping, this);
        _session = _services.GetRequiredService<BridgeSession>();
        _heartbeat = _services.GetRequiredService<HeartbeatSender>();
        _desk = _services.GetRequiredService<PickupDesk>();
        var dispatcher = _services.GetRequiredService<CommandDispatcher>();
        dispatcher.CommandReceived += command => CommandReceived?.Invoke(command);
        dispatcher.CommandCompleted += result => CommandCompleted?.Invoke(result);
        _hostedServices = [.. _services.GetServices<IHostedService>()];
        foreach (var service in _hostedServices)
        {
            await service.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        await _session.WaitForFirstSessionAsync(cancellationToken).ConfigureAwait(false);
        await _services.GetRequiredService<OutboxSender>().FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Graceful stop: lets running commands finish, sends what it can, closes the connection and the journal.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        for (var i = _hostedServices.Length - 1; i >= 0; i--)
        {
            try
            {
                await _hostedServices[i].StopAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Out of time: what was not sent stays in the journal for the next start.
            }
        }
        await _services.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Sends one heartbeat now. Throws when not connected.</summary>
    public Task SendHeartbeatAsync(CancellationToken cancellationToken) =>
        _heartbeat is { } heartbeat && !_stopping
            ? heartbeat.SendAsync(cancellationToken)
            : throw new InvalidOperationException("The bridge is not connected.");

    /// <inheritdoc cref="PickupDesk.RequestPickupAsync"/>
    public Task<PickupResponse> RequestPickupAsync(PickupRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return IsConnected
            ? Desk.RequestPickupAsync(request, cancellationToken)
            : Task.FromResult(new PickupResponse(false, [], NotConnectedMessage));
    }

    /// <inheritdoc cref="PickupDesk.ReportOldDocument"/>
    public OldDocumentReport ReportOldDocument(string? documentNumber)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        return Desk.ReportOldDocument(documentNumber);
    }

    /// <summary>Abrupt end, like a killed process: nothing more is sent; the journal keeps what was not acknowledged.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        await _services.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Hands the one logger out for every category.</summary>
    private sealed class SingleLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
