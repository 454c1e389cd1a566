using BackOffice.Bridge.Contracts;

namespace BackOffice.Application.Abstractions;

/// <summary>Hands commands to the connected bridge of a box (implemented over the SignalR hub).</summary>
public interface IBridgeDispatcher
{
    bool IsConnected(Guid boxId);

    /// <summary>Sends the command to the box's live connection; false when the box has none right now.</summary>
    Task<bool> TrySendUnlockAsync(Guid boxId, UnlockCommand command, CancellationToken cancellationToken);

    /// <summary>Closes the box's connection, e.g. after its key was rotated.</summary>
    void Disconnect(Guid boxId);
}
