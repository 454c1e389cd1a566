using BackOffice.Bridge.Contracts;

namespace BackOffice.Application.Abstractions;

/// <summary>
/// Hands commands to the connected bridge of a box, on whatever app instance it is connected (implemented over the
/// SignalR hub). Whether a box is online is the heartbeat's word (<c>Box.IsOnline</c>), not the dispatcher's.
/// </summary>
public interface IBridgeDispatcher
{
    /// <summary>Sends the command to the box's live connection; false when the box has none right now.</summary>
    Task<bool> TrySendUnlockAsync(Guid boxId, UnlockCommand command, CancellationToken cancellationToken);

    /// <summary>Closes the box's connection wherever it is, e.g. after its key was rotated.</summary>
    Task DisconnectAsync(Guid boxId, CancellationToken cancellationToken);
}
