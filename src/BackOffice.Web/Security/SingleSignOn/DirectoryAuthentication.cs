using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using BackOffice.Application.Audit;
using BackOffice.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace BackOffice.Web.Security.SingleSignOn;

/// <summary>Claims a directory sign-in adds to the staff principal (kept when Identity refreshes the cookie).</summary>
public static class DirectoryClaims
{
    public const string Prefix = "backoffice:directory_";

    /// <summary>Entra ID's <c>oid</c> or the provider's <c>sub</c>.</summary>
    public const string Id = Prefix + "id";

    /// <summary>When the sign-in ends (Unix seconds): sign-in time plus <see cref="StaffAuthenticationOptions.SessionLifetime"/>.</summary>
    public const string Expires = Prefix + "expires";

    /// <summary>Unix seconds of the sign-in at the provider (<c>auth_time</c>).</summary>
    public const string AuthTime = Prefix + "auth_time";

    /// <summary>True when the principal's directory sign-in has ended.</summary>
    public static bool HasExpired(ClaimsPrincipal principal, DateTimeOffset now) =>
        principal.FindFirst(Expires)?.Value is { } value
        && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
        && DateTimeOffset.FromUnixTimeSeconds(seconds) <= now;
}

/// <summary>
/// Staff sign-in with the city's directory (<c>Authentication:Mode</c> <c>Oidc</c> or <c>EntraId</c>): the provider
/// signs the person in, the app keeps its own sign-in cookie (the same as for local accounts), so pages, policies, the
/// idle sign-out and the circuit's revalidation work alike in every mode.
/// </summary>
public static partial class DirectoryAuthentication
{
    /// <summary>The OpenID Connect scheme (both modes).</summary>
    public const string Scheme = OpenIdConnectDefaults.AuthenticationScheme;

    /// <summary>Microsoft.Identity.Web's settings (Instance, TenantId, ClientId, ClientSecret or ClientCredentials).</summary>
    public const string EntraIdSection = StaffAuthenticationOptions.SectionName + ":EntraId";

    private const string IssuerMetadataClient = "EntraIdIssuerMetadata";

    /// <summary>Starts a directory sign-in (a GET, so the sign-in page's button is a plain link).</summary>
    public const string ChallengePath = "/Account/Login/Directory";

    /// <summary>
    /// Starts the four-eyes second person's fresh sign-in for a ticket of <see cref="FreshSignIns"/> (opened in a window
    /// of its own from the clerk's page).
    /// </summary>
    public const string SecondPersonPath = "/Account/Login/SecondPerson";

    /// <summary>Where the second person's window lands after the provider: what the sign-in counted for.</summary>
    public const string SecondPersonDonePath = "/Account/Login/SecondPerson/Done";

    /// <summary>The sign-in page's <c>reason</c> after a refused or failed directory sign-in.</summary>
    public const string FailedReason = "directory-failed";

    /// <summary>The sign-in page's <c>reason</c> after a sign-out (no automatic new sign-in).</summary>
    public const string SignedOutReason = "signed-out";

    /// <summary>Reads the mode now: the handlers registered depend on it (the validator reports a bad value at start).</summary>
    public static StaffAuthenticationMode ModeOf(IConfiguration configuration) =>
        configuration.GetSection(StaffAuthenticationOptions.SectionName).Get<StaffAuthenticationOptions>()?.ParsedMode
        ?? StaffAuthenticationMode.Local;

    /// <summary>The provider's origin (scheme, host, port) in a directory mode, else null.</summary>
    public static string? ProviderOrigin(IConfiguration configuration)
    {
        var address = ModeOf(configuration) switch
        {
            StaffAuthenticationMode.Oidc => configuration[$"{StaffAuthenticationOptions.SectionName}:Oidc:Authority"],
            StaffAuthenticationMode.EntraId => configuration[$"{EntraIdSection}:Instance"],
            _ => null,
        };
        return Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;
    }

    public static void AddStaffAuthenticationOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StaffAuthenticationOptions>()
            .Bind(builder.Configuration.GetSection(StaffAuthenticationOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StaffAuthenticationOptions>, StaffAuthenticationOptionsValidator>();
        builder.Services.AddSingleton<FreshSignIns>();
    }

    /// <summary>Adds the OpenID Connect handler for the configured directory mode (nothing in <c>Local</c> mode).</summary>
    public static void AddDirectorySignIn(this WebApplicationBuilder builder, AuthenticationBuilder authentication, bool isDevelopment)
    {
        var mode = ModeOf(builder.Configuration);
        if (mode == StaffAuthenticationMode.Local)
        {
            return;
        }
        var services = builder.Services;
        // The four-eyes second person signs in fresh at the provider instead of typing a password (after the
        // infrastructure's registration of the password check, so this one wins).
        services.AddSingleton<BackOffice.Application.Abstractions.IStaffVerification, DirectoryStaffVerification>();
        if (mode == StaffAuthenticationMode.EntraId)
        {
            // Identity.Web sets the authority, issuer validation (tid), role claim type and its own event handlers;
            // no cookie scheme of its own: the person is signed in to the app's Identity cookie below.
            authentication.AddMicrosoftIdentityWebApp(builder.Configuration.GetSection(EntraIdSection), Scheme, cookieScheme: null);
            // Identity.Web's issuer validator reads the authority's metadata with a client of its own: it must trust the
            // same certificate as the handler's backchannel.
            services.Configure<AadIssuerValidatorOptions>(options => options.HttpClientName = IssuerMetadataClient);
            services.AddHttpClient(IssuerMetadataClient).ConfigurePrimaryHttpMessageHandler(provider =>
                provider.GetRequiredService<IOptions<StaffAuthenticationOptions>>().Value.TrustedCertificatePath is { Length: > 0 } path
                    ? TrustingHandler(path)
                    : new HttpClientHandler());
        }
        else
        {
            authentication.AddOpenIdConnect(Scheme, _ => { });
            services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IOptions<StaffAuthenticationOptions>>((options, settings) =>
            {
                var oidc = settings.Value.Oidc;
                options.Authority = oidc.Authority;
                options.ClientId = oidc.ClientId;
                options.ClientSecret = oidc.ClientSecret;
                options.ResponseType = OpenIdConnectResponseType.Code;
                options.UsePkce = true;
                options.MapInboundClaims = false;
                options.Scope.Clear();
                foreach (var scope in new[] { "openid", "profile", "email" })
                {
                    options.Scope.Add(scope);
                }
                options.TokenValidationParameters.NameClaimType = "name";
                options.TokenValidationParameters.RoleClaimType = oidc.RoleClaimType;
            });
        }

        // Before the handler's own post-configuration, which builds the backchannel and metadata manager from it.
        services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IOptions<StaffAuthenticationOptions>>((options, settings) =>
        {
            if (settings.Value.TrustedCertificatePath is { Length: > 0 } path)
            {
                options.BackchannelHttpHandler = TrustingHandler(path);
            }
        });

        // After Identity.Web's own configuration (PostConfigure), the same for both modes.
        services.AddOptions<OpenIdConnectOptions>(Scheme).PostConfigure<IOptions<StaffAuthenticationOptions>>((options, settings) =>
        {
            options.SignInScheme = IdentityConstants.ApplicationScheme;
            // Code flow with PKCE: no token travels through the browser.
            options.ResponseType = OpenIdConnectResponseType.Code;
            options.UsePkce = true;
            options.SignOutScheme = IdentityConstants.ApplicationScheme;
            // The id_token is the hint the provider's sign-out needs to end its own session.
            options.SaveTokens = true;
            options.GetClaimsFromUserInfoEndpoint = false;
            options.TokenValidationParameters.ValidateIssuer = true;
            options.TokenValidationParameters.ValidateAudience = true;
            if (isDevelopment)
            {
                // Development runs on plain http://127.0.0.1: the correlation and nonce cookies cannot be Secure there,
                // and Chromium drops SameSite=None without Secure, so the answer comes back as a top-level GET (Lax).
                options.ResponseMode = OpenIdConnectResponseMode.Query;
                options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.NonceCookie.SameSite = SameSiteMode.Lax;
            }
            var tokenValidated = options.Events.OnTokenValidated;
            options.Events.OnTokenValidated = async context =>
            {
                await tokenValidated(context);
                await DirectorySignInEvents.TokenValidatedAsync(context);
            };
            var remoteFailure = options.Events.OnRemoteFailure;
            options.Events.OnRemoteFailure = async context =>
            {
                await remoteFailure(context);
                await DirectorySignInEvents.RemoteFailureAsync(context);
            };
            var redirect = options.Events.OnRedirectToIdentityProvider;
            options.Events.OnRedirectToIdentityProvider = async context =>
            {
                await redirect(context);
                DirectorySignInEvents.RedirectToIdentityProvider(context);
            };
        });

        // Identity refreshes the cookie from the staff record (security stamp check): keep the directory's claims.
        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            var refreshing = options.OnRefreshingPrincipal;
            options.OnRefreshingPrincipal = async context =>
            {
                if (refreshing is not null)
                {
                    await refreshing(context);
                }
                if (context.CurrentPrincipal?.Identity is ClaimsIdentity current && context.NewPrincipal?.Identity is ClaimsIdentity refreshed)
                {
                    foreach (var claim in current.Claims.Where(c => c.Type.StartsWith(DirectoryClaims.Prefix, StringComparison.Ordinal)))
                    {
                        refreshed.AddClaim(new Claim(claim.Type, claim.Value));
                    }
                }
            };
        });
    }

    /// <summary>The system's trust store, plus exactly the one configured certificate.</summary>
    private static HttpClientHandler TrustingHandler(string path)
    {
        var trusted = X509CertificateLoader.LoadCertificateFromFile(path);
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None
                || (certificate is not null && certificate.RawDataMemory.Span.SequenceEqual(trusted.RawDataMemory.Span)),
        };
    }

    /// <summary>The challenge and sign-out endpoints of the directory modes.</summary>
    public static void MapDirectorySignIn(this WebApplication app)
    {
        if (ModeOf(app.Configuration) == StaffAuthenticationMode.Local)
        {
            return;
        }
        app.MapGet(ChallengePath, (string? returnUrl) =>
            TypedResults.Challenge(new AuthenticationProperties { RedirectUri = LocalUrl.OrHome(returnUrl) }, [Scheme]))
            .AllowAnonymous();
        // Only the clerk who opened the ticket starts the second person's sign-in for it; the ticket travels in the
        // protected state, so the way back knows it without the clerk's cookie (a form_post answer is cross-site).
        app.MapGet(SecondPersonPath, Results<ChallengeHttpResult, NotFound> (Guid ticket, HttpContext http, FreshSignIns freshSignIns) =>
        {
            if (freshSignIns.RequestedBy(ticket) is not { } requestedBy
                || !string.Equals(requestedBy, AuditTrail.Staff(http.User.Identity?.Name ?? ""), StringComparison.OrdinalIgnoreCase))
            {
                return TypedResults.NotFound();
            }
            var properties = new AuthenticationProperties { RedirectUri = $"{SecondPersonDonePath}?ticket={ticket}" };
            properties.Items[DirectorySignInEvents.FreshSignInItem] = ticket.ToString();
            return TypedResults.Challenge(properties, [Scheme]);
        }).RequireAuthorization(AuthorizationPolicies.Staff);
    }

    /// <summary>Ends the app's sign-in and, through the provider's sign-out, the provider's session too.</summary>
    public static async Task SignOutAsync(HttpContext http)
    {
        // The provider's first: it reads the id_token (the hint) from the sign-in cookie of this request.
        await http.SignOutAsync(Scheme, new AuthenticationProperties
        {
            RedirectUri = $"{AccountEndpoints.LoginPath}?reason={SignedOutReason}",
        });
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}

/// <summary>What happens at the directory sign-in's steps: staff record, roles, audit.</summary>
internal static partial class DirectorySignInEvents
{
    /// <summary>Set on the authentication properties of a second person's fresh sign-in (four-eyes).</summary>
    public const string FreshSignInItem = "backoffice:fresh_sign_in";

    public static void RedirectToIdentityProvider(RedirectContext context)
    {
        if (context.Properties.Items.ContainsKey(FreshSignInItem))
        {
            context.ProtocolMessage.Prompt = "login";
            context.ProtocolMessage.MaxAge = "0";
        }
    }

    public static async Task TokenValidatedAsync(TokenValidatedContext context)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var settings = services.GetRequiredService<IOptions<StaffAuthenticationOptions>>().Value;
        var audit = services.GetRequiredService<AuditTrail>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DirectorySignInEvents));
        var principal = context.Principal!;
        var claims = principal.Claims.ToList();
        var directoryId = First(claims, "oid", ClaimConstants.ObjectId, "sub", ClaimTypes.NameIdentifier);
        if (directoryId is null)
        {
            await audit.WriteAsync(AuditTrail.Staff("unknown"), "staff.signin", "directory", "refused", "token without oid or sub");
            context.Fail("The token names no person (no oid or sub).");
            return;
        }
        var email = First(claims, "email", ClaimTypes.Email, "preferred_username", ClaimConstants.PreferredUserName, "upn", ClaimTypes.Upn);
        var name = First(claims, "name", ClaimConstants.Name);
        var roleTypes = new[] { "roles", "role", ClaimTypes.Role, context.Options.TokenValidationParameters.RoleClaimType, settings.Oidc.RoleClaimType };
        var roles = DirectoryRoles.From(claims, roleTypes, settings.GroupClaimType, settings.RoleMap);
        var subject = $"user:{email ?? directoryId}";
        var details = $"directory {settings.ParsedMode} id {directoryId}";
        var authTime = AuthTime(claims);
        if (context.Properties?.Items.TryGetValue(FreshSignInItem, out var ticketText) == true && Guid.TryParse(ticketText, out var ticket))
        {
            await SecondPersonSignedInAsync(context, ticket, new DirectoryAccount(directoryId, email, name, roles), authTime, subject, details);
            return;
        }
        if (roles.Count == 0)
        {
            await audit.WriteAsync(AuditTrail.Staff(email ?? directoryId), "staff.signin", subject, "no_role", details);
            LogNoRole(logger, email ?? directoryId, directoryId);
            // "Zugriff verweigert" and nothing else: no sign-in cookie is written.
            context.HandleResponse();
            http.Response.Redirect(AccountEndpoints.AccessDeniedPath);
            return;
        }

        var user = await services.GetRequiredService<DirectoryStaff>().UpsertAsync(new DirectoryAccount(directoryId, email, name, roles));
        var signInManager = services.GetRequiredService<SignInManager<StaffUser>>();
        var staff = await signInManager.CreateUserPrincipalAsync(user);
        var identity = (ClaimsIdentity)staff.Identity!;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        identity.AddClaim(new Claim(DirectoryClaims.Id, directoryId));
        identity.AddClaim(new Claim(DirectoryClaims.Expires, (now + settings.SessionLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        if (authTime is { } signedInAt)
        {
            identity.AddClaim(new Claim(DirectoryClaims.AuthTime, signedInAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        }
        context.Principal = staff;
        await audit.WriteAsync(AuditTrail.Staff(user.UserName!), "staff.signin", $"user:{user.UserName}", "ok",
            $"{details}; roles {string.Join(", ", roles)}");
        LogSignedIn(logger, user.UserName!, directoryId);
    }

    /// <summary>
    /// The four-eyes second person signed in fresh: judged and kept for the clerk's ticket (<see cref="FreshSignIns"/>),
    /// audited, and the window sent to the result page. Nobody is signed in to the app: the clerk's cookie stays as it is.
    /// </summary>
    private static async Task SecondPersonSignedInAsync(
        TokenValidatedContext context, Guid ticket, DirectoryAccount account, DateTimeOffset? authTime, string subject, string details)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var freshSignIns = services.GetRequiredService<FreshSignIns>();
        var requestedBy = freshSignIns.RequestedBy(ticket);
        string? userName = null;
        if (account.Roles.Count > 0 && requestedBy is not null)
        {
            // A staff record, so the audit trail and the reports name the second person like anyone signed in.
            userName = (await services.GetRequiredService<DirectoryStaff>().UpsertAsync(account)).UserName;
        }
        var result = freshSignIns.Record(ticket, userName, account.DisplayName, account.Roles.Count > 0, authTime);
        var outcome = result is null ? "expired" : result.Confirmed ? "ok" : "refused";
        var signedInAt = authTime is { } at ? at.ToString("O", CultureInfo.InvariantCulture) : "none";
        await services.GetRequiredService<AuditTrail>().WriteAsync(AuditTrail.Staff(userName ?? account.Email ?? account.DirectoryId),
            "staff.witness_signin", subject, outcome,
            $"{details}; for {requestedBy ?? "unknown"}; auth_time {signedInAt}{(result?.Refusal is { } refusal ? $"; {refusal.Code}" : "")}");
        LogSecondPerson(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DirectorySignInEvents)), account.DirectoryId, outcome);
        context.HandleResponse();
        http.Response.Redirect($"{DirectoryAuthentication.SecondPersonDonePath}?ticket={ticket}");
    }

    /// <summary>The sign-in's time at the provider (<c>auth_time</c>, Unix seconds; some handlers map the claim's name).</summary>
    private static DateTimeOffset? AuthTime(List<Claim> claims) =>
        First(claims, "auth_time", ClaimTypes.AuthenticationInstant) is { } value
        && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    public static async Task RemoteFailureAsync(RemoteFailureContext context)
    {
        var services = context.HttpContext.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DirectorySignInEvents));
        var reason = context.Failure?.Message ?? "unknown";
        // One line, short: the handler's messages can quote the token.
        reason = reason.ReplaceLineEndings(" ");
        if (reason.Length > 300)
        {
            reason = reason[..300];
        }
        string? ticketText = null;
        var secondPerson = context.Properties?.Items.TryGetValue(FreshSignInItem, out ticketText) == true && Guid.TryParse(ticketText, out _);
        await services.GetRequiredService<AuditTrail>().WriteAsync(AuditTrail.Staff("unknown"), secondPerson ? "staff.witness_signin" : "staff.signin",
            "directory", "refused", reason);
        LogRefused(logger, reason);
        context.HandleResponse();
        // The second person's window shows that nothing was confirmed; the clerk's sign-in is untouched.
        context.Response.Redirect(secondPerson
            ? $"{DirectoryAuthentication.SecondPersonDonePath}?ticket={ticketText}"
            : $"{AccountEndpoints.LoginPath}?reason={DirectoryAuthentication.FailedReason}");
    }

    private static string? First(List<Claim> claims, params string[] types) =>
        types.Select(type => claims.FirstOrDefault(c => c.Type == type && c.Value.Length > 0)?.Value).FirstOrDefault(v => v is not null);

    [LoggerMessage(Level = LogLevel.Information, Message = "Staff member {UserName} signed in with the directory (id {DirectoryId})")]
    private static partial void LogSignedIn(ILogger logger, string userName, string directoryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Directory user {UserName} (id {DirectoryId}) has no back-office role: access denied")]
    private static partial void LogNoRole(ILogger logger, string userName, string directoryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Four-eyes second person (directory id {DirectoryId}) signed in fresh: {Outcome}")]
    private static partial void LogSecondPerson(ILogger logger, string directoryId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Directory sign-in refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
