namespace BackOffice.Application.Documents;

/// <summary>Tells open pages that a loading moved on (door opened, closed, aborted), so they follow it live.</summary>
/// <remarks>Singleton; handlers run on the thread that changed the loading and must only schedule their own work.</remarks>
public sealed class LoadUpdates
{
    public event Action<Guid>? Changed;

    public void Publish(Guid loadId) => Changed?.Invoke(loadId);
}
