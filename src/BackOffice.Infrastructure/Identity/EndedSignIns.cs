using BackOffice.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Infrastructure.Identity;

/// <summary>A sign-in (one browser's sign-in cookie, by its session id) that was signed out.</summary>
public sealed class EndedSignIn
{
    public const int IdMaxLength = 32;

    public string Id { get; set; } = "";

    public DateTimeOffset EndedAt { get; set; }

    /// <summary>A sign-out as its open pages hear of it: the sign-in, and the page it came from (which ends on its own).</summary>
    public sealed record Signal(string SessionId, string? SigningOutPage);
}

/// <summary>
/// Signed-out sign-ins, so a copy of the cookie that outlives the sign-out is refused: a request sent with the cookie
/// just before the sign-out (the page's keep-alive as the pointer reaches "Abmelden") would otherwise come back with a
/// renewed cookie after the browser deleted it, and the next person at the counter would find the account open. Kept in
/// the database, so every instance refuses it; kept only as long as such a cookie could live.
/// </summary>
public sealed class EndedSignIns(IDbContextFactory<BackOfficeDbContext> contexts, TimeProvider timeProvider)
{
    /// <summary>
    /// Records the sign-in as ended; rows older than <paramref name="cookieLifetime"/> go (no such cookie is valid any
    /// more). Its open pages end, except <paramref name="signingOutPage"/>, the page the sign-out came from.
    /// </summary>
    public async Task EndAsync(string sessionId, TimeSpan cookieLifetime, string? signingOutPage = null, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormed(sessionId))
        {
            return;
        }
        var now = timeProvider.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.EndedSignIns.Where(e => e.EndedAt < now - cookieLifetime).ExecuteDeleteAsync(cancellationToken);
        if (!await db.EndedSignIns.AnyAsync(e => e.Id == sessionId, cancellationToken))
        {
            db.EndedSignIns.Add(new EndedSignIn { Id = sessionId, EndedAt = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Signed out twice at once (two tabs): recorded by the other.
            }
        }
        var ended = new EndedSignIn.Signal(sessionId, signingOutPage);
        Ended?.Invoke(ended);
        _relay?.Invoke(ended);
    }

    /// <summary>
    /// A sign-in ended, here or (with a relay between the instances) on another instance: its open pages here end at
    /// once. Without a relay, other instances' pages end at their next check.
    /// </summary>
    public event Action<EndedSignIn.Signal>? Ended;

    private Action<EndedSignIn.Signal>? _relay;

    /// <summary>Announces each sign-out here to the other instances (decision 0025's Redis).</summary>
    public void RelayTo(Action<EndedSignIn.Signal> relay) => _relay = relay;

    /// <summary>Another instance announced a sign-out: its open pages here end too.</summary>
    public void EndedElsewhere(EndedSignIn.Signal ended)
    {
        if (IsWellFormed(ended.SessionId))
        {
            Ended?.Invoke(ended);
        }
    }

    public async Task<bool> HasEndedAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.EndedSignIns.AnyAsync(e => e.Id == sessionId, cancellationToken);
    }

    /// <summary>A new session id for a sign-in cookie.</summary>
    public static string NewSessionId() => Guid.NewGuid().ToString("N");

    private static bool IsWellFormed(string sessionId) => sessionId.Length is > 0 and <= EndedSignIn.IdMaxLength;
}
