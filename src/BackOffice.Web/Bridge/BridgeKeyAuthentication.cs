using System.Security.Claims;
using System.Text.Encodings.Web;
using BackOffice.Application.Abstractions;
using BackOffice.Application.Bridge;
using BackOffice.Bridge.Contracts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Bridge;

/// <summary>Claims a bridge connection carries: the box it is, found by its key.</summary>
public static class BoxClaims
{
    public const string Scheme = "BridgeKey";
    public const string BoxId = "backoffice:box_id";
    public const string BoxCode = "backoffice:box_code";

    /// <summary>The hash of the key the connection was opened with: a rotation closes connections made with the old one.</summary>
    public const string KeyHash = "backoffice:key_hash";

    public static BoxIdentity ToBoxIdentity(this ClaimsPrincipal principal) =>
        new(Guid.Parse(principal.FindFirstValue(BoxId)!), principal.FindFirstValue(BoxCode)!);
}

/// <summary>
/// Authenticates a bridge by its box key: <c>Authorization: Bearer &lt;key&gt;</c>, or the <c>access_token</c> query
/// parameter for WebSocket clients that cannot set headers (browsers' JavaScript SignalR client). Only the key's hash
/// is stored; the box is whatever box that hash belongs to, never what the bridge claims.
/// </summary>
internal sealed partial class BridgeKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IApplicationDbContextFactory contextFactory)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey();
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }
        var remote = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!BridgeKeys.LooksValid(key))
        {
            LogRefused(Logger, remote, "malformed key");
            return AuthenticateResult.Fail("Malformed box key.");
        }

        var hash = BridgeKeys.Hash(key);
        await using var db = await contextFactory.CreateAsync(Context.RequestAborted);
        var box = await db.Boxes.AsNoTracking()
            .Where(b => b.BridgeKeyHash == hash)
            .Select(b => new { b.Id, b.Code })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (box is null)
        {
            LogRefused(Logger, remote, "unknown or rotated key");
            return AuthenticateResult.Fail("Unknown or rotated box key.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(BoxClaims.BoxId, box.Id.ToString()), new Claim(BoxClaims.BoxCode, box.Code), new Claim(BoxClaims.KeyHash, hash),
             new Claim(ClaimTypes.Name, $"box:{box.Code}")],
            BoxClaims.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), BoxClaims.Scheme));
    }

    private string? ReadKey()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }
        if (Request.Path.StartsWithSegments(BridgeProtocol.HubPath) && Request.Query.TryGetValue("access_token", out var token))
        {
            return token.ToString();
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bridge connection from {RemoteAddress} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string remoteAddress, string reason);
}

/// <summary>
/// Whether a box's connection still holds the box's current key. A rotation closes the connections it finds, but one
/// authenticated with the old key just before may register only after that: the hub asks this once it has registered.
/// </summary>
public sealed class BridgeKeyCheck(IApplicationDbContextFactory contextFactory)
{
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var box = user.ToBoxIdentity();
        var hash = user.FindFirstValue(BoxClaims.KeyHash);
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        return await db.Boxes.AsNoTracking().AnyAsync(b => b.Id == box.Id && b.BridgeKeyHash == hash, cancellationToken);
    }
}
