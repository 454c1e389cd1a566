using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using Microsoft.Extensions.Logging;

namespace BackOffice.Application.Bridge;

/// <summary>
/// Keeps what the server refused from a box for good (the bridge drops such a message), so staff see it on the
/// open-operations page: a refused door event or result means the back office may not know what the box did.
/// </summary>
/// <remarks>Singleton. Best effort: if the database is gone too, the refusal is still logged by the hub.</remarks>
public sealed partial class BridgeRefusals(IApplicationDbContextFactory contextFactory, AuditTrail audit, ILogger<BridgeRefusals> logger)
{
    public const string AuditAction = "bridge.refused";

    public async Task RecordAsync(BoxIdentity box, string method, string reason)
    {
        try
        {
            await using var db = await contextFactory.CreateAsync();
            audit.Record(db, AuditTrail.Box(box.Code), AuditAction, $"box:{box.Code}", "refused", $"{method}: {reason}");
            await db.SaveChangesAsync();
        }
        catch (Exception ex)
        {
            LogNotRecorded(logger, ex, box.Code);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A refusal of box {Box} could not be recorded for staff")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string box);
}
