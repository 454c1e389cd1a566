using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BackOffice.Infrastructure.Identity;

/// <summary>What one wrong password led to.</summary>
/// <param name="ClientLocked">This was the client address's last allowed failure for the account: it is locked now.</param>
/// <param name="AccountThresholdReached">
/// The account's failures from all addresses reached <see cref="StaffIdentityOptions.MaxFailedSignInsPerAccount"/>
/// within the window: the caller locks the account and alerts the admins.
/// </param>
/// <param name="AccountFailures">Failures of the account within the window, this one included.</param>
/// <param name="Addresses">Distinct client addresses among them.</param>
public sealed record SignInFailure(bool ClientLocked, bool AccountThresholdReached, int AccountFailures, int Addresses);

/// <summary>The sign-in locks of one account the administration page shows.</summary>
public sealed record AddressLocks(int Addresses, DateTimeOffset Until);

/// <summary>
/// Counts wrong passwords per account and client address, and per account from all addresses, over a sliding window of
/// <see cref="StaffIdentityOptions.LockoutDuration"/>. An address that reached
/// <see cref="StaffIdentityOptions.MaxFailedSignIns"/> for an account is locked for that account only, so an attacker at
/// one address cannot lock out a colleague signing in from another. Failures while locked are not counted, so one
/// address alone (at most 2 × 5 failures in any window) never reaches the per-account threshold.
/// </summary>
/// <remarks>
/// Singleton, thread-safe (one lock around the maps). Counts live in this process only, like the rate limits: a restart
/// forgets the per-address locks (the per-account lock is stored on the account). Only existing accounts are counted, so
/// the maps hold at most accounts × attacking addresses; entries without a lock or recent failure are pruned.
/// Also holds a hash of a random password, verified for unknown accounts so their answer takes as long as any other.
/// </remarks>
public sealed class SignInLockout
{
    private const int PruneAbove = 10_000;

    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly Dictionary<(Guid Account, string Client), AddressState> _addresses = [];
    private readonly Dictionary<Guid, Queue<(DateTimeOffset At, string Client)>> _accounts = [];

    public SignInLockout(TimeProvider timeProvider, IOptions<PasswordHasherOptions> hasherOptions)
    {
        _timeProvider = timeProvider;
        // Same hasher and work factor as the stored hashes: verifying it costs what verifying a real one costs.
        DummyHash = new PasswordHasher<StaffUser>(hasherOptions)
            .HashPassword(new StaffUser(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
    }

    /// <summary>A password hash no one knows the password of.</summary>
    public string DummyHash { get; }

    /// <summary>Until when sign-in to <paramref name="account"/> from <paramref name="client"/> is locked, if it is.</summary>
    public DateTimeOffset? LockedUntil(Guid account, string client)
    {
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            return _addresses.TryGetValue((account, client), out var state) && state.LockedUntil > now ? state.LockedUntil : null;
        }
    }

    /// <summary>Counts a wrong password for an address that is not locked (see the class remarks).</summary>
    public SignInFailure RecordFailure(Guid account, string client)
    {
        var now = _timeProvider.GetUtcNow();
        var since = now - StaffIdentityOptions.LockoutDuration;
        lock (_gate)
        {
            if (_addresses.Count > PruneAbove)
            {
                Prune(now, since);
            }
            if (!_addresses.TryGetValue((account, client), out var address))
            {
                address = new AddressState();
                _addresses[(account, client)] = address;
            }
            address.Failures.Add(now);
            address.Failures.RemoveAll(at => at <= since);
            var clientLocked = address.Failures.Count >= StaffIdentityOptions.MaxFailedSignIns;
            if (clientLocked)
            {
                address.LockedUntil = now + StaffIdentityOptions.LockoutDuration;
                address.Failures.Clear();
            }

            if (!_accounts.TryGetValue(account, out var failures))
            {
                failures = new Queue<(DateTimeOffset, string)>();
                _accounts[account] = failures;
            }
            failures.Enqueue((now, client));
            while (failures.Peek().At <= since)
            {
                failures.Dequeue();
            }
            var count = failures.Count;
            var addresses = failures.Select(f => f.Client).Distinct(StringComparer.Ordinal).Count();
            var thresholdReached = count >= StaffIdentityOptions.MaxFailedSignInsPerAccount;
            if (thresholdReached)
            {
                // Counted from zero again after the lock, so the next alert needs a new series of failures.
                failures.Clear();
            }
            return new SignInFailure(clientLocked, thresholdReached, count, addresses);
        }
    }

    /// <summary>A successful sign-in from an address ends that address's series; the account's count stays.</summary>
    public void RecordSuccess(Guid account, string client)
    {
        lock (_gate)
        {
            _addresses.Remove((account, client));
        }
    }

    /// <summary>Lifts every address lock of the account and forgets its failures (the administration's unlock).</summary>
    public void Lift(Guid account)
    {
        lock (_gate)
        {
            foreach (var key in _addresses.Keys.Where(k => k.Account == account).ToList())
            {
                _addresses.Remove(key);
            }
            _accounts.Remove(account);
        }
    }

    /// <summary>Accounts with at least one locked address: how many addresses, and until when the last lock lasts.</summary>
    public IReadOnlyDictionary<Guid, AddressLocks> ActiveLocks()
    {
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            return _addresses
                .Where(a => a.Value.LockedUntil > now)
                .GroupBy(a => a.Key.Account)
                .ToDictionary(g => g.Key, g => new AddressLocks(g.Count(), g.Max(a => a.Value.LockedUntil!.Value)));
        }
    }

    private void Prune(DateTimeOffset now, DateTimeOffset since)
    {
        foreach (var key in _addresses.Where(a => !(a.Value.LockedUntil > now) && a.Value.Failures.All(at => at <= since)).Select(a => a.Key).ToList())
        {
            _addresses.Remove(key);
        }
        foreach (var key in _accounts.Where(a => a.Value.All(f => f.At <= since)).Select(a => a.Key).ToList())
        {
            _accounts.Remove(key);
        }
    }

    private sealed class AddressState
    {
        public List<DateTimeOffset> Failures { get; } = [];

        public DateTimeOffset? LockedUntil { get; set; }
    }
}
