using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using BackOffice.Web.Api;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Security;

/// <summary>One fixed-window limit: this many requests per window.</summary>
public sealed class RateLimit
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Settings under <c>RateLimits</c>. Pickup requests are limited per box by <c>Pickup:MaxRequestsPerBoxPerMinute</c>.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Sign-in attempts (form posts) per client address (behind a configured reverse proxy: the client's, see ReverseProxy).</summary>
    public RateLimit SignInPerClient { get; set; } = new() { PermitLimit = 20 };

    /// <summary>
    /// Sign-in attempts per entered user name from one client address (on top of the lockout after 5 wrong passwords
    /// per account and address). Not per user name alone: then one address could keep everyone out of an account.
    /// </summary>
    public RateLimit SignInPerAccount { get; set; } = new() { PermitLimit = 10 };

    /// <summary>Calls of the registration API per API key.</summary>
    public RateLimit RegistrationApi { get; set; } = new() { PermitLimit = 120 };
}

internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var errors = new List<string>();
        Check(options.SignInPerClient, nameof(options.SignInPerClient));
        Check(options.SignInPerAccount, nameof(options.SignInPerAccount));
        Check(options.RegistrationApi, nameof(options.RegistrationApi));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);

        void Check(RateLimit limit, string key)
        {
            if (limit.PermitLimit < 1 || limit.Window < TimeSpan.FromSeconds(1))
            {
                errors.Add($"{RateLimitOptions.SectionName}:{key} needs PermitLimit >= 1 and Window >= 00:00:01.");
            }
        }
    }
}

/// <summary>
/// ASP.NET Core's rate limiter on the ways in that can be guessed at: the sign-in form (per client address and per
/// entered user name from that address, both must allow) and the registration API (per API key). A refusal is 429 with Retry-After.
/// </summary>
/// <remarks>
/// The limiters keep their own monotonic clock (System.Threading.RateLimiting takes no TimeProvider); tests use low
/// limits rather than moving time. Counts live in this process only: with N instances a client gets up to N times each limit (docs/decisions/0026).
/// </remarks>
internal static partial class RateLimits
{
    public const string RegistrationApiPolicy = "registration-api";
    private const string EmailField = "Input.Email";

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .Bind(builder.Configuration.GetSection(RateLimitOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((options, settings) =>
        {
            var limits = settings.Value;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Both partitions must grant a sign-in; every other request passes without a limiter.
            options.GlobalLimiter = new AllOrNothingRateLimiter<HttpContext>(
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignIn(context)
                    ? FixedWindow($"client:{ClientAddress(context)}", limits.SignInPerClient)
                    : RateLimitPartition.GetNoLimiter("")),
                // Per user name AND address: per user name alone, one address could keep a colleague elsewhere out.
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignIn(context)
                    ? FixedWindow($"account:{EnteredUserName(context)}|client:{ClientAddress(context)}", limits.SignInPerAccount)
                    : RateLimitPartition.GetNoLimiter("")));
            options.AddPolicy(RegistrationApiPolicy, context =>
                FixedWindow(context.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value ?? $"client:{ClientAddress(context)}",
                    limits.RegistrationApi));
            options.OnRejected = RejectAsync;
        });
        return builder;
    }

    /// <summary>
    /// After authorization (the API key is known by then), before antiforgery. The sign-in form is read first so its
    /// user name can choose the partition (partition functions cannot read a body themselves).
    /// </summary>
    public static IApplicationBuilder UseRateLimits(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (IsSignIn(context) && context.Request.HasFormContentType)
            {
                try
                {
                    await context.Request.ReadFormAsync(context.RequestAborted);
                }
                catch (InvalidDataException)
                {
                    // A malformed form: the account partition is "unknown"; the form handling refuses it later.
                }
            }
            await next(context);
        });
        return app.UseRateLimiter();
    }

    private static bool IsSignIn(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method)
        && context.Request.Path.Equals(AccountEndpoints.LoginPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>The client's address as this app sees it (behind a configured proxy: the client's it forwarded), also for the sign-in lockout.</summary>
    internal static string ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The user name as typed, normalised like Identity does; the form was read by <see cref="UseRateLimits"/>.</summary>
    private static string EnteredUserName(HttpContext context)
    {
        var form = context.Features.Get<IFormFeature>()?.Form;
        var name = form?[EmailField].ToString().Trim() ?? "";
        return name.Length is 0 or > 256 ? "unknown" : name.ToUpperInvariant();
    }

    private static RateLimitPartition<string> FixedWindow(string key, RateLimit limit) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 60;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits).FullName!);
        LogRejected(logger, context.Request.Method, context.Request.Path.Value ?? "", ClientAddress(context));

        if (IsSignIn(context))
        {
            var localizer = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            context.Response.ContentType = "text/html; charset=utf-8";
            var app = WebUtility.HtmlEncode(localizer["App.Title"]);
            var title = WebUtility.HtmlEncode(localizer["RateLimit.SignIn.Title"]);
            var text = WebUtility.HtmlEncode(localizer["RateLimit.SignIn.Text", seconds]);
            var back = WebUtility.HtmlEncode(localizer["RateLimit.SignIn.Back"]);
            // The sign-in page's look (AccountLayout), without a circuit: this answer comes from the middleware.
            await context.Response.WriteAsync(
                $"""
                <!DOCTYPE html>
                <html lang="de">
                <head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1.0" />
                <title>{title} – {app}</title><link rel="stylesheet" href="/app.css" /></head>
                <body><div class="app-account">
                <header class="app-account-header"><img src="/favicon.svg" alt="" class="app-logo" /><span class="app-title">{app}</span></header>
                <main class="app-account-main"><section class="app-login">
                <h1>{title}</h1>
                <div class="app-alert app-alert-error" role="alert" data-testid="rate-limit-message">{text}</div>
                <p><a href="{AccountEndpoints.LoginPath}">{back}</a></p>
                </section></main></div></body></html>
                """, cancellationToken);
            return;
        }
        await context.Response.WriteAsJsonAsync(new
        {
            type = "https://tools.ietf.org/html/rfc6585#section-4",
            title = "Zu viele Anfragen. Bitte später erneut versuchen.",
            status = StatusCodes.Status429TooManyRequests,
            detail = $"Erneut möglich in {seconds} Sekunden.",
        }, options: null, contentType: "application/problem+json", cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limit: {Method} {Path} from {RemoteAddress} refused")]
    private static partial void LogRejected(ILogger logger, string method, string path, string remoteAddress);
}

/// <summary>
/// Grants a request only when every inner limiter grants it, and takes nothing from any of them when one refuses.
/// </summary>
/// <remarks>
/// <see cref="PartitionedRateLimiter.CreateChained{TResource}"/> keeps the permit it took from the first limiter when
/// a later one refuses, and the rate limiting middleware asks twice before it refuses (an attempt, then a wait): every
/// refusal by the account limit would cost the client's limit two permits. This one looks before it takes, and never
/// queues. Between looking and taking another request may win the last permit; then the permits already taken in that
/// round are lost, as with the chained limiter.
/// </remarks>
internal sealed class AllOrNothingRateLimiter<TResource>(params PartitionedRateLimiter<TResource>[] limiters) : PartitionedRateLimiter<TResource>
{
    public override RateLimiterStatistics? GetStatistics(TResource resource) => null;

    protected override RateLimitLease AttemptAcquireCore(TResource resource, int permitCount)
    {
        foreach (var limiter in limiters)
        {
            if (limiter.GetStatistics(resource) is { } statistics && statistics.CurrentAvailablePermits < permitCount)
            {
                // Refused by this one: its failed lease carries the Retry-After, and the others keep their permits.
                return limiter.AttemptAcquire(resource, permitCount);
            }
        }
        var leases = new List<RateLimitLease>(limiters.Length);
        foreach (var limiter in limiters)
        {
            var lease = limiter.AttemptAcquire(resource, permitCount);
            if (!lease.IsAcquired)
            {
                leases.ForEach(l => l.Dispose());
                return lease;
            }
            leases.Add(lease);
        }
        return new CombinedLease(leases);
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(TResource resource, int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(resource, permitCount));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var limiter in limiters)
            {
                limiter.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    private sealed class CombinedLease(List<RateLimitLease> leases) : RateLimitLease
    {
        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                leases.ForEach(l => l.Dispose());
            }
            base.Dispose(disposing);
        }
    }
}
