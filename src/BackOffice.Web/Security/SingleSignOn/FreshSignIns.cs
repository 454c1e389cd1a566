using System.Collections.Concurrent;
using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Common;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Security.SingleSignOn;

/// <summary>The second person's fresh sign-in as the clerk's page sees it: who, when, or why it does not count.</summary>
public sealed record FreshSignInResult(string? UserName, string? DisplayName, DateTimeOffset? SignedInAt, Refusal? Refusal)
{
    public bool Confirmed => Refusal is null && UserName is not null;
}

/// <summary>
/// The four-eyes second confirmation in the directory modes. The clerk's page opens a ticket (bound to the signed-in
/// clerk and to one purpose); the second person signs in fresh at the provider in a window of their own
/// (<c>prompt=login</c>, <c>max_age=0</c>); the way back records the result here, on the server, and never touches the
/// clerk's sign-in cookie. The confirmation counts once, for the clerk who asked, and only while the sign-in is recent.
/// </summary>
/// <remarks>
/// In memory, like the circuits it belongs to: a restart ends both. Tickets of a page that went away without closing
/// them are dropped after <see cref="StaffAuthenticationOptions.SessionLifetime"/>.
/// </remarks>
public sealed class FreshSignIns(TimeProvider timeProvider, IOptions<StaffAuthenticationOptions> options)
{
    /// <summary>An <c>auth_time</c> ahead of the app's clock by at most this much still counts (clocks differ a little).</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Guid, Ticket> _tickets = new();

    /// <summary>Raised with the ticket after a result was recorded (on the thread of the provider's callback).</summary>
    public event Action<Guid>? Changed;

    private TimeSpan MaxAge => options.Value.FreshSignInMaxAge;

    /// <summary>Opens a ticket for a second person's sign-in on behalf of <paramref name="requestedBy"/> (the audit actor).</summary>
    public Guid Begin(string requestedBy, WitnessPurpose purpose)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestedBy);
        var now = timeProvider.GetUtcNow();
        foreach (var (id, old) in _tickets)
        {
            if (now - old.OpenedAt > options.Value.SessionLifetime)
            {
                _tickets.TryRemove(id, out _);
            }
        }
        var ticket = Guid.NewGuid();
        _tickets[ticket] = new Ticket(requestedBy, purpose, now);
        return ticket;
    }

    /// <summary>The page is gone: its ticket and any unused confirmation with it.</summary>
    public void End(Guid ticket) => _tickets.TryRemove(ticket, out _);

    /// <summary>Who opened the ticket (the audit actor), or null for an unknown or ended one.</summary>
    public string? RequestedBy(Guid ticket) => _tickets.TryGetValue(ticket, out var t) ? t.RequestedBy : null;

    /// <summary>The latest result of the ticket, not yet used (for the page's display).</summary>
    public FreshSignInResult? Peek(Guid ticket) => _tickets.TryGetValue(ticket, out var t) ? t.Result : null;

    /// <summary>
    /// Judges a second person's sign-in at the provider for the ticket and keeps the result (a later sign-in replaces an
    /// unused one). Null when the ticket is unknown (the page went away or the app restarted).
    /// </summary>
    public FreshSignInResult? Record(Guid ticket, string? userName, string? displayName, bool hasRole, DateTimeOffset? authTime)
    {
        if (!_tickets.TryGetValue(ticket, out var open))
        {
            return null;
        }
        var now = timeProvider.GetUtcNow();
        var result = !hasRole || userName is null ? new FreshSignInResult(null, displayName, authTime, new Refusal(RefusalCode.WitnessWithoutRole))
            : !IsRecent(authTime, now) ? new FreshSignInResult(userName, displayName, authTime, new Refusal(RefusalCode.WitnessSignInStale, (int)MaxAge.TotalMinutes))
            : IsSamePerson(AuditTrail.Staff(userName), open.RequestedBy) ? new FreshSignInResult(userName, displayName, authTime, new Refusal(RefusalCode.WitnessMustDiffer))
            : new FreshSignInResult(userName, displayName, authTime, null);
        lock (open)
        {
            open.Result = result;
        }
        Changed?.Invoke(ticket);
        return result;
    }

    /// <summary>
    /// Uses the ticket's confirmation up: it must be there, confirmed, for this person and purpose, and still recent.
    /// Whatever the answer, the confirmation is gone afterwards (one attempt per sign-in).
    /// </summary>
    public StaffCheck Consume(Guid ticket, string requestedBy, WitnessPurpose purpose)
    {
        if (!_tickets.TryGetValue(ticket, out var open) || !IsSamePerson(open.RequestedBy, requestedBy) || open.Purpose != purpose)
        {
            return new StaffCheck(null, new Refusal(RefusalCode.WitnessSignInMissing));
        }
        FreshSignInResult? result;
        lock (open)
        {
            result = open.Result;
            open.Result = null;
        }
        if (result is null)
        {
            return new StaffCheck(null, new Refusal(RefusalCode.WitnessSignInMissing));
        }
        if (!result.Confirmed)
        {
            return new StaffCheck(null, result.Refusal);
        }
        if (!IsRecent(result.SignedInAt, timeProvider.GetUtcNow()))
        {
            return new StaffCheck(null, new Refusal(RefusalCode.WitnessSignInStale, (int)MaxAge.TotalMinutes));
        }
        return new StaffCheck(result.UserName, null);
    }

    private bool IsRecent(DateTimeOffset? authTime, DateTimeOffset now) =>
        authTime is { } at && at <= now + ClockSkew && now - at <= MaxAge;

    private static bool IsSamePerson(string actor, string other) => string.Equals(actor.Trim(), other.Trim(), StringComparison.OrdinalIgnoreCase);

    private sealed class Ticket(string requestedBy, WitnessPurpose purpose, DateTimeOffset openedAt)
    {
        public string RequestedBy { get; } = requestedBy;

        public WitnessPurpose Purpose { get; } = purpose;

        public DateTimeOffset OpenedAt { get; } = openedAt;

        public FreshSignInResult? Result { get; set; }
    }
}

/// <summary>
/// The four-eyes check in the directory modes: a second person shows up by a fresh sign-in at the provider; a password
/// typed here does not count (a local password left from before the switch would get round the directory, where IT
/// disables a leaver).
/// </summary>
internal sealed class DirectoryStaffVerification(FreshSignIns freshSignIns) : IStaffVerification
{
    public Task<StaffCheck> VerifyAsync(string userName, string password, CancellationToken cancellationToken = default) =>
        Task.FromResult(new StaffCheck(null, new Refusal(RefusalCode.WitnessNeedsDirectorySignIn)));

    public Task<StaffCheck> ConfirmAsync(WitnessProof proof, string requestedBy, WitnessPurpose purpose, CancellationToken cancellationToken = default) =>
        Task.FromResult(proof is WitnessFreshSignIn fresh
            ? freshSignIns.Consume(fresh.Ticket, requestedBy, purpose)
            : new StaffCheck(null, new Refusal(RefusalCode.WitnessNeedsDirectorySignIn)));
}
