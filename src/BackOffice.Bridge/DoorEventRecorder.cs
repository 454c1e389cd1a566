using BackOffice.Bridge.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BackOffice.Bridge;

/// <summary>
/// Journals every door event of the lock driver as an outbox entry. Started before the session, so door events while
/// offline are kept and sent later.
/// </summary>
internal sealed partial class DoorEventRecorder(ILockDriver lockDriver, BridgeJournal journal, ILogger<DoorEventRecorder> logger) : IHostedService, IDisposable
{
    private int _subscribed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 0)
        {
            lockDriver.DoorChanged += OnDoorChanged;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _subscribed, 0) == 1)
        {
            lockDriver.DoorChanged -= OnDoorChanged;
        }
    }

    private void OnDoorChanged(string compartment, string state, DateTimeOffset at)
    {
        try
        {
            journal.EnqueueDoor(new DoorReport(Guid.NewGuid(), compartment, state, at));
        }
        catch (ObjectDisposedException)
        {
            // The bridge is shutting down; a real controller reports the state again in the next Hello.
        }
        catch (Exception ex)
        {
            LogNotJournaled(logger, compartment, state, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Door event {Compartment} {State} could not be journaled.")]
    private static partial void LogNotJournaled(ILogger logger, string compartment, string state, Exception exception);
}
