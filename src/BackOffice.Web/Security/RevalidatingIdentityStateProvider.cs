using System.Security.Claims;
using BackOffice.Infrastructure.Identity;
using BackOffice.Web.Security.SingleSignOn;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Security;

/// <summary>
/// A circuit lives for a whole working day; every few minutes this checks that the signed-in account still exists
/// is not disabled,
/// and that its security stamp is unchanged (password reset, roles changed, account locked or disabled), and ends the session otherwise.
/// </summary>
internal sealed class RevalidatingIdentityStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> options,
    IOptions<SecurityOptions> security,
    TimeProvider timeProvider)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => security.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        // A directory sign-in has a fixed end (Authentication:SessionLifetime); the provider is asked again after it.
        if (DirectoryClaims.HasExpired(authenticationState.User, timeProvider.GetUtcNow()))
        {
            return false;
        }
        await using var scope = scopeFactory.CreateAsyncScope();
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
        var principalStamp = authenticationState.User.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        var userStamp = await userManager.GetSecurityStampAsync(user);
        return principalStamp == userStamp;
    }
}
