using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Security;

/// <summary>
/// When a member of staff last typed, clicked or moved the pointer in one circuit, and whether the idle timeout
/// (<see cref="SecurityOptions.IdleTimeout"/>) has ended the session.
/// </summary>
/// <remarks>
/// Scoped: one per circuit (and one per static request, where it is never started). The circuit's inbound activity is
/// not used as the signal on purpose: it includes the browser's acknowledgement of every render, so a live page (the
/// occupancy dashboard) would keep an abandoned session open for ever. The browser reports real input instead
/// (<c>wwwroot/js/activity.js</c>, at most once per <see cref="ReportInterval"/>). Thread-safe: input arrives on the
/// circuit, checks run on a timer thread.
/// </remarks>
public sealed class IdleSession(TimeProvider timeProvider, IOptions<SecurityOptions> settings) : IDisposable
{
    private readonly Lock _gate = new();
    private DateTimeOffset _lastInput = timeProvider.GetUtcNow();
    private ITimer? _timer;
    private bool _expired;

    /// <summary>Raised once, on a timer thread, when the session has been idle for <see cref="Timeout"/>.</summary>
    public event Action? Expired;

    public TimeSpan Timeout => settings.Value.IdleTimeout;

    /// <summary>How often the browser reports input at most: often enough that the timeout is never off by much.</summary>
    public TimeSpan ReportInterval => Clamp(Timeout / 6, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

    /// <summary>How often the session checks itself; the sign-out comes at most this late.</summary>
    public TimeSpan CheckInterval => Clamp(Timeout / 10, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    public bool HasExpired
    {
        get
        {
            lock (_gate)
            {
                return _expired;
            }
        }
    }

    /// <summary>Starts the periodic check (once per circuit).</summary>
    public void Start()
    {
        lock (_gate)
        {
            _timer ??= timeProvider.CreateTimer(_ => Check(), null, CheckInterval, CheckInterval);
        }
    }

    /// <summary>The person did something; an expired session stays expired.</summary>
    public void RecordInput()
    {
        lock (_gate)
        {
            if (!_expired)
            {
                _lastInput = timeProvider.GetUtcNow();
            }
        }
    }

    /// <summary>Ends the session if it has been idle for <see cref="Timeout"/>; true when it did so now.</summary>
    public bool Check()
    {
        lock (_gate)
        {
            if (_expired || timeProvider.GetUtcNow() - _lastInput < Timeout)
            {
                return false;
            }
            _expired = true;
            _timer?.Dispose();
            _timer = null;
        }
        Expired?.Invoke();
        return true;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) =>
        value < min ? min : value > max ? max : value;
}

/// <summary>
/// Starts each circuit's <see cref="IdleSession"/> and, when it expires, makes the circuit anonymous: every page
/// requires sign-in, so the router replaces the page with the redirect to the sign-in page (which names the reason).
/// </summary>
internal sealed partial class IdleTimeoutCircuitHandler(
    IdleSession session, AuthenticationStateProvider authentication, ILogger<IdleTimeoutCircuitHandler> logger) : CircuitHandler
{
    private string? _user;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _user = (await authentication.GetAuthenticationStateAsync()).User.Identity?.Name;
        session.Expired += SignOut;
        session.Start();
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        session.Expired -= SignOut;
        session.Dispose();
        return Task.CompletedTask;
    }

    private void SignOut()
    {
        if (_user is null)
        {
            return;
        }
        LogIdleSignOut(logger, _user, (int)session.Timeout.TotalSeconds);
        if (authentication is IHostEnvironmentAuthenticationStateProvider host)
        {
            host.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Staff member {UserName} signed out after {Seconds} s without input")]
    private static partial void LogIdleSignOut(ILogger logger, string userName, int seconds);
}
