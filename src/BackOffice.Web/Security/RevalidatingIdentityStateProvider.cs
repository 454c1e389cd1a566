using System.Security.Claims;
using BackOffice.Infrastructure.Identity;
using BackOffice.Web.Security.SingleSignOn;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Security;

/// <summary>
/// A circuit lives for a whole working day; every few minutes this checks that the signed-in account still exists, is
/// not disabled, that its security stamp is unchanged (password reset, roles changed, account locked or disabled) and
/// that its sign-in was not signed out, and ends the session otherwise. A sign-out on this instance ends the open pages
/// of that sign-in at once (another tab left open at the counter), without waiting for the next check.
/// </summary>
internal sealed class RevalidatingIdentityStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private static readonly AuthenticationState SignedOut = new(new ClaimsPrincipal(new ClaimsIdentity()));

    private readonly IServiceScopeFactory _scopeFactory;
    private readonly IOptions<IdentityOptions> _options;
    private readonly IOptions<SecurityOptions> _security;
    private readonly TimeProvider _timeProvider;
    private readonly EndedSignIns _endedSignIns;
    private readonly OpenPage _page;

    public RevalidatingIdentityStateProvider(
        ILoggerFactory loggerFactory,
        IServiceScopeFactory scopeFactory,
        IOptions<IdentityOptions> options,
        IOptions<SecurityOptions> security,
        TimeProvider timeProvider,
        EndedSignIns endedSignIns,
        OpenPage page)
        : base(loggerFactory)
    {
        (_scopeFactory, _options, _security, _timeProvider, _endedSignIns, _page) = (scopeFactory, options, security, timeProvider, endedSignIns, page);
        endedSignIns.Ended += OnSignInEnded;
    }

    protected override TimeSpan RevalidationInterval => _security.Value.RevalidationInterval;

    protected override void Dispose(bool disposing)
    {
        _endedSignIns.Ended -= OnSignInEnded;
        base.Dispose(disposing);
    }

    private void OnSignInEnded(EndedSignIn.Signal ended)
    {
        // The page the sign-out came from is navigating away with it; a second navigation would cut that short.
        if (ended.SigningOutPage != _page.Id)
        {
            _ = EndIfThisSignInAsync(ended.SessionId);
        }
    }

    private async Task EndIfThisSignInAsync(string sessionId)
    {
        AuthenticationState current;
        try
        {
            current = await GetAuthenticationStateAsync();
        }
        catch (InvalidOperationException)
        {
            return; // No state yet: nobody signed in on this page.
        }
        if (current.User.FindFirstValue(AccountEndpoints.SessionClaim) == sessionId)
        {
            SetAuthenticationState(Task.FromResult(SignedOut));
        }
    }

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        // Signed out (on another instance, or by a tab of this browser): its open pages end too.
        if (authenticationState.User.FindFirstValue(AccountEndpoints.SessionClaim) is { } session
            && await _endedSignIns.HasEndedAsync(session, cancellationToken))
        {
            return false;
        }
        // A directory sign-in has a fixed end (Authentication:SessionLifetime); the provider is asked again after it.
        if (DirectoryClaims.HasExpired(authenticationState.User, _timeProvider.GetUtcNow()))
        {
            return false;
        }
        await using var scope = _scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = await userManager.GetUserAsync(authenticationState.User);
        // Disabled by an admin: the open page ends now, not only when the stamp (renewed on disabling) is compared.
        if (user is null || user.DisabledAt is not null || await userManager.IsLockedOutAsync(user))
        {
            return false;
        }
        if (!userManager.SupportsUserSecurityStamp)
        {
            return true;
        }
        var principalStamp = authenticationState.User.FindFirstValue(_options.Value.ClaimsIdentity.SecurityStampClaimType);
        var userStamp = await userManager.GetSecurityStampAsync(user);
        return principalStamp == userStamp;
    }
}
