using System.Net;
using System.Net.WebSockets;
using System.Reflection;
using System.Text;
using BackOffice.Bridge.Contracts;
using BackOffice.Infrastructure.Identity;
using BackOffice.Infrastructure.Seeding;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Web.Bridge;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.StaticAssets;

namespace BackOffice.IntegrationTests.Security;

/// <summary>Who calls: nobody, a member of staff by role (sign-in cookie), the registration software, a box bridge.</summary>
public enum Caller
{
    Anonymous,
    Clerk,
    Supervisor,
    Admin,
    ApiKey,
    BridgeKey,
}

/// <summary>
/// Who may use what: every page, HTTP endpoint and hub method, with the callers that get through. Everyone else is
/// refused: anonymous callers, API keys and bridge keys are sent to the sign-in page (or get 401), staff without the
/// role get 403 ("Zugriff verweigert"). Something the app serves that is missing here fails the completeness tests, so
/// a new page or endpoint must be entered here before the build is green.
/// </summary>
public static class AccessTable
{
    private static readonly Caller[] Everyone = Enum.GetValues<Caller>();
    private static readonly Caller[] Staff = [Caller.Clerk, Caller.Supervisor, Caller.Admin];
    private static readonly Caller[] CounterWork = [Caller.Clerk, Caller.Supervisor];
    private static readonly Caller[] Supervision = [Caller.Supervisor, Caller.Admin];
    private static readonly Caller[] Administration = [Caller.Admin];
    private static readonly Caller[] RegistrationSoftware = [Caller.ApiKey];
    private static readonly Caller[] BoxBridge = [Caller.BridgeKey];

    /// <summary>None of the callers above: only a scraper from a configured network or with the metrics token.</summary>
    private static readonly Caller[] MetricsScraper = [];

    /// <summary>
    /// Pages by their route template, the policy the page names (null: <c>[AllowAnonymous]</c>), who sees it, and a
    /// sample address for templates with parameters ({document} and {box} are real ids of the test database).
    /// </summary>
    public static IReadOnlyList<PageRule> Pages { get; } =
    [
        new("/",                           AuthorizationPolicies.Staff,          Staff),
        new("/not-found",                  AuthorizationPolicies.Staff,          Staff),
        new("/faecher",                    AuthorizationPolicies.Staff,          Staff),
        new("/faecher/{Code}",             AuthorizationPolicies.Staff,          Staff, "/faecher/DLZ-1"),
        new("/berichte",                   AuthorizationPolicies.Staff,          Staff),
        new("/alarme",                     AuthorizationPolicies.Staff,          Staff),
        new("/dokumente",                  AuthorizationPolicies.CounterWork,    CounterWork),
        new("/dokumente/neu",              AuthorizationPolicies.CounterWork,    CounterWork),
        new("/dokumente/import",           AuthorizationPolicies.CounterWork,    CounterWork),
        new("/dokumente/einlegen",         AuthorizationPolicies.CounterWork,    CounterWork),
        new("/dokumente/{Id:guid}",        AuthorizationPolicies.CounterWork,    CounterWork, "/dokumente/{document}"),
        new("/ueberfaellig",               AuthorizationPolicies.CounterWork,    CounterWork),
        new("/altausweise",                AuthorizationPolicies.CounterWork,    CounterWork),
        new("/vorgaenge",                  AuthorizationPolicies.CounterWork,    CounterWork),
        new("/sms",                        AuthorizationPolicies.CounterWork,    CounterWork),
        new("/kapazitaet",                 AuthorizationPolicies.Supervision,    Supervision),
        new("/kapazitaet/{Code}",          AuthorizationPolicies.Supervision,    Supervision, "/kapazitaet/DLZ-1"),
        new("/service-oeffnung",           AuthorizationPolicies.Supervision,    Supervision),
        new("/inventur",                   AuthorizationPolicies.Supervision,    Supervision),
        new("/inventur/abweichungen",      AuthorizationPolicies.CounterWork,    CounterWork),
        new("/protokoll",                  AuthorizationPolicies.Supervision,    Supervision),
        new("/webhooks",                   AuthorizationPolicies.Supervision,    Supervision),
        new("/verwaltung",                 AuthorizationPolicies.Administration, Administration),
        new("/verwaltung/boxen/neu",       AuthorizationPolicies.Administration, Administration),
        new("/verwaltung/boxen/{Id:guid}", AuthorizationPolicies.Administration, Administration, "/verwaltung/boxen/{box}"),
        new("/verwaltung/konten",          AuthorizationPolicies.Administration, Administration),
        new("/datenschutz",                AuthorizationPolicies.Administration, Administration),
        // One's own second factor (local mode; the directory modes say the directory decides).
        new("/konto/zwei-faktor",          AuthorizationPolicies.Staff,          Staff),
        new("/Account/Login",              null,                                 Everyone),
        // The steps after a right password (code, new password, enrolment): without a sign-in under way, back to the
        // sign-in page, for everyone; nobody is signed in by it without that.
        new("/Account/SignInStep",         null,                                 Everyone, Status: HttpStatusCode.Redirect),
        new("/Account/AccessDenied",       null,                                 Everyone, Status: HttpStatusCode.Forbidden),
        // The four-eyes second person's window after the provider: anonymous (a cross-site form_post answer carries no
        // cookie), it shows only what the secret ticket in its address confirmed. The endpoint that starts that sign-in
        // (/Account/Login/SecondPerson, directory modes only) is checked in SingleSignOn/FreshSignInTests.
        new("/Account/Login/SecondPerson/Done", null,                            Everyone),
        new("/Error",                      null,                                 Everyone),
    ];

    /// <summary>
    /// HTTP endpoints other than pages and static files, by route pattern: the request the test sends, who gets
    /// through, and what they get (null: any answer that is not a refusal).
    /// </summary>
    public static IReadOnlyList<EndpointRule> Endpoints { get; } =
    [
        // An empty object is a validation problem: proof the call got past authentication and into the endpoint.
        new("POST", "/api/v1/documents",          RegistrationSoftware, HttpStatusCode.BadRequest, Json: "{}"),
        // Without the form's antiforgery token: refused by the endpoint itself, after authorization.
        new("POST", "/Account/Logout",            Staff,                HttpStatusCode.BadRequest),
        new("GET",  "/Account/KeepAlive",         Staff,                HttpStatusCode.NoContent),
        new("GET",  "/health/live",               Everyone,             HttpStatusCode.OK),
        new("GET",  "/health/ready",              Everyone,             HttpStatusCode.OK),
        // Prometheus (docs/operations-telemetry.md): a staff sign-in or an API key does not open it (TelemetryTests).
        new("GET",  "/metrics",                   MetricsScraper,       HttpStatusCode.OK),
        // The registration API's contract for the vendor's client generator: no data, no secret.
        new("GET",  "/openapi/{documentName}.json", Everyone,           HttpStatusCode.OK, Sample: "/openapi/registration-v1.json"),
        new("POST", "/hubs/box/negotiate",        BoxBridge,            HttpStatusCode.OK, Sample: "/hubs/box/negotiate?negotiateVersion=1"),
        // A plain GET without a connection id: the hub's transport answers, so authorization let it through.
        new("GET",  "/hubs/box",                  BoxBridge,            HttpStatusCode.BadRequest),
        // Blazor's own endpoints (the circuit of an open page): staff only, never a bridge or API key.
        new("POST", "/_blazor/negotiate",         Staff,                HttpStatusCode.OK, Sample: "/_blazor/negotiate?negotiateVersion=1"),
        new("GET",  "/_blazor",                   Staff,                HttpStatusCode.BadRequest),
        new("POST", "/_blazor/disconnect/",       Staff,                null),
        new("GET",  "/_blazor/initializers/",     Staff,                null),
        new("GET",  "/_framework/opaque-redirect", Staff,               null),
        // Report downloads (docs/decisions/0012-report-access.md), as CSV: operational reports for all staff, the
        // destruction protocol for supervision, the document history (personal data) for counter staff.
        new("GET",  "/reports/tagesjournal.{format}",          Staff,       HttpStatusCode.OK, Sample: "/reports/tagesjournal.csv?box=DLZ-1&from=2026-01-01&to=2026-01-31"),
        new("GET",  "/reports/belegung.{format}",              Staff,       HttpStatusCode.OK, Sample: "/reports/belegung.csv?box=DLZ-1"),
        new("GET",  "/reports/ueberfaellig.{format}",          Staff,       HttpStatusCode.OK, Sample: "/reports/ueberfaellig.csv?box=DLZ-1"),
        new("GET",  "/reports/vernichtungsprotokoll.{format}", Supervision, HttpStatusCode.OK, Sample: "/reports/vernichtungsprotokoll.csv?box=DLZ-1&from=2026-01-01&to=2026-01-31"),
        new("GET",  "/reports/vorgangsauszug.{format}",        CounterWork, HttpStatusCode.OK, Sample: "/reports/vorgangsauszug.csv?document={document}"),
        new("GET",  "/reports/bestandsprotokoll.{format}",     Supervision, HttpStatusCode.OK, Sample: "/reports/bestandsprotokoll.csv?box=DLZ-1&from=2026-01-01&to=2026-01-31"),
        // One person's data (Art. 15 GDPR) as a file: admins only, a form POST (the number never in a URL). Without the
        // form's antiforgery token: refused by the endpoint itself, after authorization.
        new("POST", "/datenschutz/auskunft",    Administration, HttpStatusCode.BadRequest),
        // Static files that exist are mapped one by one; any other file name ends here.
        new("GET",  "{**path:file}",              Staff,                HttpStatusCode.NotFound, Sample: "/gibt-es-nicht.txt"),
    ];

    /// <summary>Hub methods on <c>/hubs/box</c>, with a well-formed call. Only a bridge key even gets a connection.</summary>
    public static IReadOnlyList<HubMethodRule> HubMethods { get; } =
    [
        new(BridgeProtocol.ServerMethods.Hello,               BoxBridge, () => new HelloRequest("access-matrix", [])),
        new(BridgeProtocol.ServerMethods.ReportHeartbeat,     BoxBridge, () => new HeartbeatReport(DateTimeOffset.UtcNow, 10, [])),
        new(BridgeProtocol.ServerMethods.ReportDoor,          BoxBridge, () => new DoorReport(Guid.NewGuid(), "01-01", "Closed", DateTimeOffset.UtcNow)),
        // An unknown command is refused by the protocol rules: the call reached the hub.
        new(BridgeProtocol.ServerMethods.ReportCommandResult, BoxBridge, () => new CommandResultReport(Guid.NewGuid(), "Opened", null)),
        new(BridgeProtocol.ServerMethods.RequestPickup,       BoxBridge, () => new PickupRequest(Guid.NewGuid(), "+491700000001", "000000", null, "1980-01-01")),
        new(BridgeProtocol.ServerMethods.ReportOldDocument,   BoxBridge, () => new OldDocumentReport(Guid.NewGuid(), null, DateTimeOffset.UtcNow)),
    ];

    /// <summary>
    /// The sign-in endpoints of each authentication mode. Local: the sign-in page, its steps and sign-out (in
    /// <see cref="Pages"/> and <see cref="Endpoints"/>). Oidc and EntraId: the sign-in page (a button), the challenge,
    /// the handler's callbacks (not endpoints: the OpenID Connect handler answers them), sign-out; checked against the
    /// real test provider in <c>SingleSignOn/DirectorySignInTests</c>. A mode never answers another mode's callbacks.
    /// </summary>
    public static IReadOnlyDictionary<BackOffice.Web.Security.SingleSignOn.StaffAuthenticationMode, string[]> SignInEndpoints { get; } =
        new Dictionary<BackOffice.Web.Security.SingleSignOn.StaffAuthenticationMode, string[]>
        {
            [BackOffice.Web.Security.SingleSignOn.StaffAuthenticationMode.Local] =
                [AccountEndpoints.LoginPath, BackOffice.Web.Components.Account.SignInSteps.Path, AccountEndpoints.LogoutPath],
            [BackOffice.Web.Security.SingleSignOn.StaffAuthenticationMode.Oidc] = DirectorySignInEndpoints,
            [BackOffice.Web.Security.SingleSignOn.StaffAuthenticationMode.EntraId] = DirectorySignInEndpoints,
        };

    private static string[] DirectorySignInEndpoints => [AccountEndpoints.LoginPath, .. DirectoryOnlyPaths, AccountEndpoints.LogoutPath];

    /// <summary>The paths only the directory modes serve.</summary>
    public static string[] DirectoryOnlyPaths =>
        [BackOffice.Web.Security.SingleSignOn.DirectoryAuthentication.ChallengePath, "/signin-oidc", "/signout-callback-oidc"];

    public static PageRule Page(string template) => Pages.Single(p => p.Template == template);

    public static EndpointRule Endpoint(string pattern) => Endpoints.Single(e => e.Pattern == pattern);

    public static HubMethodRule HubMethod(string name) => HubMethods.Single(m => m.Name == name);
}

public sealed record PageRule(string Template, string? Policy, Caller[] Allowed, string? Sample = null, HttpStatusCode Status = HttpStatusCode.OK)
{
    public string Path => Sample ?? Template;
}

public sealed record EndpointRule(string Method, string Pattern, Caller[] Allowed, HttpStatusCode? Status, string? Sample = null, string? Json = null)
{
    public string Path => Sample ?? Pattern;
}

public sealed record HubMethodRule(string Name, Caller[] Allowed, Func<object> Argument);

/// <summary>The app with a signed-in client per caller, and sample ids for routes with parameters.</summary>
public sealed class AccessMatrixApp : BackOfficeAppFactory
{
    public const string ApiKey = "development-only-registration-api-key-0001";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<Caller, HttpClient> _clients = [];
    private Dictionary<string, string>? _samples;

    public static string Email(Caller caller) => caller switch
    {
        Caller.Clerk => "sachbearbeitung@demo.local",
        Caller.Supervisor => "teamleitung@demo.local",
        Caller.Admin => "admin@demo.local",
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };

    public async Task<HttpClient> ClientAsync(Caller caller)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_clients.TryGetValue(caller, out var client))
            {
                client = CreateBrowserClient();
                switch (caller)
                {
                    case Caller.Clerk or Caller.Supervisor or Caller.Admin:
                        await StaffSession.SignInAsync(client, Email(caller), DemoStaff.Password);
                        break;
                    case Caller.ApiKey:
                        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
                        break;
                    case Caller.BridgeKey:
                        client.DefaultRequestHeaders.Authorization = new("Bearer", DemoBoxes.DevelopmentBridgeKeyDlz1);
                        break;
                }
                _clients[caller] = client;
            }
            return client;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Replaces {document} and {box} with ids from the test database (a registered document, box DLZ-1).</summary>
    public async Task<string> ResolveAsync(string path)
    {
        await _gate.WaitAsync();
        try
        {
            if (_samples is null)
            {
                await using var scope = Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<BackOffice.Infrastructure.Persistence.BackOfficeDbContext>();
                var box = await db.Boxes.Where(b => b.Code == "DLZ-1").Select(b => b.Id).SingleAsync();
                var registered = await Services.GetRequiredService<BackOffice.Application.Documents.DocumentRegistration>().RegisterAsync(new()
                {
                    Type = "Reisepass", DocumentNumber = "C01X00T47", HolderName = "Matrix Muster", DateOfBirth = "01.02.1980",
                    MobileNumber = "0170 1234567", ApplicationReference = "ACCESS-MATRIX-1", BoxCode = "DLZ-1",
                }, "staff:test");
                Assert.True(registered.Succeeded, string.Join(" ", registered.Errors.Values));
                _samples = new() { ["{box}"] = box.ToString(), ["{document}"] = registered.DocumentId!.Value.ToString() };
            }
            return _samples.Aggregate(path, (current, sample) => current.Replace(sample.Key, sample.Value, StringComparison.Ordinal));
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
        _gate.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>Every page and HTTP endpoint, for every kind of caller, against <see cref="AccessTable"/>.</summary>
public class AccessMatrixTests(AccessMatrixApp app) : IClassFixture<AccessMatrixApp>
{
    public static TheoryData<string, Caller> PageCases() => Cases(AccessTable.Pages.Select(p => p.Template));

    public static TheoryData<string, Caller> EndpointCases() => Cases(AccessTable.Endpoints.Select(e => e.Pattern));

    [Fact]
    public void EveryRoutablePage_IsInTheTable_WithThePolicyItNames()
    {
        var pages = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (r.Template, Type: t)))
            .ToList();

        Assert.NotEmpty(pages);
        Assert.Empty(pages.Select(p => p.Template).Except(AccessTable.Pages.Select(p => p.Template)).Order());
        Assert.Empty(AccessTable.Pages.Select(p => p.Template).Except(pages.Select(p => p.Template)).Order());
        foreach (var (template, type) in pages)
        {
            var anonymous = type.GetCustomAttribute<AllowAnonymousAttribute>() is not null;
            var policies = type.GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy).ToList();
            // Each page says who may open it: one named policy, or explicitly anonymous. Never the fallback alone.
            Assert.True(anonymous ^ (policies.Count == 1 && policies[0] is not null),
                $"{type.Name} ({template}) must carry either [AllowAnonymous] or exactly one [Authorize(Policy = ...)].");
            Assert.Equal(AccessTable.Page(template).Policy, anonymous ? null : policies[0]);
        }
    }

    [Fact]
    public void EveryHttpEndpoint_IsInTheTable()
    {
        var endpoints = Endpoints().Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is null
            && e.Metadata.GetMetadata<StaticAssetDescriptor>() is null);

        var patterns = endpoints.Select(e => Normalize(e.RoutePattern.RawText)).Distinct().ToList();

        Assert.Empty(patterns.Except(AccessTable.Endpoints.Select(e => e.Pattern)).Order());
        Assert.Empty(AccessTable.Endpoints.Select(e => e.Pattern).Except(patterns).Order());
    }

    [Fact]
    public void StaticFiles_AreAnonymousAndNeverConfiguration()
    {
        var files = Endpoints().Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is not null).ToList();

        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.NotNull(f.Metadata.GetMetadata<IAllowAnonymous>()));
        Assert.DoesNotContain(files, f => f.RoutePattern.RawText!.Contains("appsettings", StringComparison.OrdinalIgnoreCase)
            || f.RoutePattern.RawText.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || f.RoutePattern.RawText.Contains(".env", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(PageCases))]
    public async Task Page_AnswersEachCallerAsTheTableSays(string template, Caller caller)
    {
        var rule = AccessTable.Page(template);
        var client = await app.ClientAsync(caller);

        var response = await client.GetAsync(await app.ResolveAsync(rule.Path));

        if (rule.Allowed.Contains(caller))
        {
            Assert.Equal(rule.Status, response.StatusCode);
        }
        else if (IsStaff(caller))
        {
            // A signed-in member of staff without the role: 403 on the page asked for, the access-denied page as body.
            await AssertAccessDeniedAsync(response);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(AccountEndpoints.LoginPath, response.Headers.Location?.AbsolutePath);
        }
    }

    [Theory]
    [MemberData(nameof(EndpointCases))]
    public async Task Endpoint_AnswersEachCallerAsTheTableSays(string pattern, Caller caller)
    {
        var rule = AccessTable.Endpoint(pattern);
        var client = await app.ClientAsync(caller);
        using var request = new HttpRequestMessage(new HttpMethod(rule.Method), await app.ResolveAsync(rule.Path));
        if (rule.Json is not null)
        {
            request.Content = new StringContent(rule.Json, Encoding.UTF8, "application/json");
        }
        else if (rule.Method == "POST")
        {
            request.Content = new FormUrlEncodedContent([]);
        }

        var response = await client.SendAsync(request);

        var refused = IsRefusal(response);
        var body = await response.Content.ReadAsStringAsync();
        if (rule.Allowed.Contains(caller))
        {
            Assert.False(refused, $"{caller} was refused {rule.Method} {rule.Path}: {(int)response.StatusCode} {response.Headers.Location}");
            if (rule.Status is { } status)
            {
                Assert.True(status == response.StatusCode, $"{rule.Method} {rule.Path} as {caller}: {(int)response.StatusCode} {body}");
            }
        }
        else if (IsStaff(caller) && rule.Allowed.Any(IsStaff))
        {
            // Staff without the role an endpoint for staff needs: 403 in place, the access-denied page as body.
            if (rule.Method == "GET")
            {
                await AssertAccessDeniedAsync(response);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            }
        }
        else
        {
            Assert.True(refused, $"{caller} got through {rule.Method} {rule.Path}: {(int)response.StatusCode} {body}");
        }
    }

    /// <summary>In local mode the directory modes' challenge and callbacks are not served: nobody gets a sign-in from them.</summary>
    [Theory]
    [InlineData(Caller.Anonymous)]
    [InlineData(Caller.Clerk)]
    public async Task LocalMode_DoesNotServeTheDirectorySignInEndpoints(Caller caller)
    {
        var client = await app.ClientAsync(caller);
        foreach (var path in AccessTable.DirectoryOnlyPaths)
        {
            var response = await client.GetAsync($"{path}?code=forged&state=forged");

            Assert.True(caller == Caller.Anonymous
                    ? response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.AbsolutePath == AccountEndpoints.LoginPath
                    : response.StatusCode == HttpStatusCode.NotFound,
                $"{path} as {caller}: {(int)response.StatusCode} {response.Headers.Location}");
        }
        Assert.All(AccessTable.SignInEndpoints[BackOffice.Web.Security.SingleSignOn.StaffAuthenticationMode.Local],
            path => Assert.DoesNotContain(path, AccessTable.DirectoryOnlyPaths));
    }

    /// <summary>403 where the caller asked (no redirect), with the German access-denied page.</summary>
    private static async Task AssertAccessDeniedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal("Zugriff verweigert", page.QuerySelector("h1")?.TextContent.Trim());
        Assert.Equal("de", page.DocumentElement.GetAttribute("lang"));
    }

    /// <summary>401, 403, or the cookie handler's redirect to the sign-in page.</summary>
    private static bool IsRefusal(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.AbsolutePath is AccountEndpoints.LoginPath);

    private static bool IsStaff(Caller caller) => caller is Caller.Clerk or Caller.Supervisor or Caller.Admin;

    private IEnumerable<RouteEndpoint> Endpoints() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();

    private static string Normalize(string? pattern) =>
        pattern is null ? "" : pattern.StartsWith('/') || pattern.StartsWith('{') ? pattern : "/" + pattern;

    private static TheoryData<string, Caller> Cases(IEnumerable<string> keys)
    {
        var data = new TheoryData<string, Caller>();
        foreach (var key in keys)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                data.Add(key, caller);
            }
        }
        return data;
    }
}

/// <summary>
/// The box hub over real WebSockets: only a bridge key gets a connection, and with it every hub method is reachable;
/// anonymous callers, staff cookies and the API key are refused at the handshake, so no method can be called at all.
/// </summary>
public class HubAccessMatrixTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>
{
    public static TheoryData<string, Caller> HubCases()
    {
        var data = new TheoryData<string, Caller>();
        foreach (var method in AccessTable.HubMethods)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                data.Add(method.Name, caller);
            }
        }
        return data;
    }

    [Fact]
    public void EveryHubMethod_IsInTheTable()
    {
        var methods = typeof(BoxHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.Name is not (nameof(Hub.OnConnectedAsync) or nameof(Hub.OnDisconnectedAsync)))
            .Select(m => m.Name)
            .ToList();

        Assert.NotEmpty(methods);
        Assert.Equal(AccessTable.HubMethods.Select(m => m.Name).Order(), methods.Order());
    }

    [Theory]
    [MemberData(nameof(HubCases))]
    public async Task HubMethod_IsReachableOnlyWithABridgeKey(string method, Caller caller)
    {
        var rule = AccessTable.HubMethod(method);
        var ct = TestContext.Current.CancellationToken;

        if (!rule.Allowed.Contains(caller))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeStatusAsync(caller, ct));
            return;
        }

        var connection = await app.ConnectRawAsync(await app.IssueKeyAsync("HOL-1"));
        try
        {
            await connection.InvokeCoreAsync(rule.Name, typeof(object), [rule.Argument()], ct);
        }
        catch (HubException ex)
        {
            // Refused by the protocol rules inside the method (BoxHub's "Refused: ..."): it was reached. Failed
            // authorization or a missing method would say otherwise.
            Assert.Contains("HubException: Refused:", ex.Message, StringComparison.Ordinal);
        }
        Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, connection.State);
    }

    /// <summary>The WebSocket handshake on /hubs/box with what the caller carries (cookie, API key or nothing).</summary>
    private async Task<HttpStatusCode> HandshakeStatusAsync(Caller caller, CancellationToken ct)
    {
        var baseUrl = new Uri(app.ServerUrl);
        var cookies = new CookieContainer();
        if (caller is Caller.Clerk or Caller.Supervisor or Caller.Admin)
        {
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = baseUrl };
            await StaffSession.SignInAsync(http, AccessMatrixApp.Email(caller), DemoStaff.Password);
            Assert.NotEmpty(cookies.GetCookies(baseUrl));
        }
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.Cookies = cookies;
        if (caller == Caller.ApiKey)
        {
            socket.Options.SetRequestHeader("X-Api-Key", AccessMatrixApp.ApiKey);
        }
        var hub = new UriBuilder(baseUrl) { Scheme = baseUrl.Scheme == "https" ? "wss" : "ws", Path = BridgeProtocol.HubPath }.Uri;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(hub, ct));
        return socket.HttpStatusCode;
    }
}
