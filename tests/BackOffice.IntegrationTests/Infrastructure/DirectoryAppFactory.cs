using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using BackOffice.Testing;
using BackOffice.Web.Security.SingleSignOn;

namespace BackOffice.IntegrationTests.Infrastructure;

/// <summary>
/// The app in a directory mode against the real test provider (<see cref="OidcTestProvider"/>), registered as a client
/// with the in-memory app's addresses. The "browser" of a test is two cookie jars: the app's client and one for the
/// provider (<see cref="DirectoryBrowser"/>).
/// </summary>
public abstract class DirectoryAppFactory : BackOfficeAppFactory
{
    public const string AppOrigin = "http://localhost";

    private static readonly string RepositoryRoot = typeof(DirectoryAppFactory).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    private OidcTestProvider? _provider;
    private OidcClientRegistration? _client;

    public OidcTestProvider Provider => _provider ?? throw new InvalidOperationException("Not initialised.");

    public OidcClientRegistration Client => _client ?? throw new InvalidOperationException("Not initialised.");

    public abstract StaffAuthenticationMode Mode { get; }

    /// <summary>The issuer the app is configured for.</summary>
    public string Issuer => Mode == StaffAuthenticationMode.EntraId ? Provider.EntraIssuer : Provider.PlainIssuer;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _provider = await OidcTestProvider.StartAsync(RepositoryRoot);
        _client = await _provider.RegisterAsync(Issuer, [$"{AppOrigin}/signin-oidc"], [$"{AppOrigin}/signout-callback-oidc"]);
    }

    /// <summary>
    /// As host settings: the app reads <c>Authentication:Mode</c> while it registers its handlers, before the
    /// factory's app configuration is added.
    /// </summary>
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in DirectorySettings)
        {
            builder.UseSetting(key, value);
        }
    }

    private Dictionary<string, string?> DirectorySettings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["Authentication:Mode"] = Mode.ToString(),
                ["Authentication:TrustedCertificatePath"] = Provider.CertificatePath,
            };
            if (Mode == StaffAuthenticationMode.EntraId)
            {
                settings["Authentication:EntraId:Instance"] = Provider.EntraInstance;
                settings["Authentication:EntraId:TenantId"] = Provider.TenantId;
                settings["Authentication:EntraId:ClientId"] = Client.ClientId;
                settings["Authentication:EntraId:ClientSecret"] = Client.ClientSecret;
            }
            else
            {
                settings["Authentication:Oidc:Authority"] = Provider.PlainIssuer;
                settings["Authentication:Oidc:ClientId"] = Client.ClientId;
                settings["Authentication:Oidc:ClientSecret"] = Client.ClientSecret;
                foreach (var (group, role) in DirectoryUser.RoleMap)
                {
                    settings[$"Authentication:RoleMap:{group}"] = role;
                }
            }
            return settings;
        }
    }

    public DirectoryBrowser NewBrowser() => new(this);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}

public sealed class OidcAppFactory : DirectoryAppFactory
{
    public override StaffAuthenticationMode Mode => StaffAuthenticationMode.Oidc;
}

public sealed class EntraIdAppFactory : DirectoryAppFactory
{
    public override StaffAuthenticationMode Mode => StaffAuthenticationMode.EntraId;
}

/// <summary>A test's browser: the app's cookies and the provider's cookies, following redirects by hand.</summary>
public sealed partial class DirectoryBrowser : IDisposable
{
    private readonly DirectoryAppFactory _app;

    public DirectoryBrowser(DirectoryAppFactory app)
    {
        _app = app;
        App = app.CreateBrowserClient(DirectoryAppFactory.AppOrigin);
        ProviderClient = new HttpClient(app.Provider.CreateHandler(new CookieContainer()));
    }

    public HttpClient App { get; }

    public HttpClient ProviderClient { get; }

    /// <summary>The app's address the provider sent the browser back to (code and state), for replay tests.</summary>
    public string? LastCallback { get; private set; }

    /// <summary>
    /// Starts at the app's sign-in button, signs in at the provider's login page (when it asks) and follows the way
    /// back to the app; returns the app's answer to the callback.
    /// </summary>
    public async Task<HttpResponseMessage> SignInAsync(DirectoryUser user, string returnUrl = "/", string password = DirectoryUser.Password)
    {
        var challenge = await App.GetAsync($"{DirectoryAuthentication.ChallengePath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.True(challenge.StatusCode == HttpStatusCode.Redirect,
            $"The sign-in button answered {(int)challenge.StatusCode}: {await challenge.Content.ReadAsStringAsync()}");
        var location = challenge.Headers.Location!;
        Assert.StartsWith(_app.Provider.Origin.ToString(), location.ToString(), StringComparison.Ordinal);
        return await AtProviderAsync(location, user, password);
    }

    /// <summary>Follows the provider's redirects, answering its login page, until it sends the browser back to the app.</summary>
    public async Task<HttpResponseMessage> AtProviderAsync(Uri location, DirectoryUser user, string password = DirectoryUser.Password)
    {
        LoginPageShown = false;
        for (var step = 0; step < 12; step++)
        {
            if (location.GetLeftPart(UriPartial.Authority) == DirectoryAppFactory.AppOrigin)
            {
                LastCallback = location.PathAndQuery;
                return await App.GetAsync(location.PathAndQuery);
            }
            var response = await ProviderClient.GetAsync(location);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var html = await response.Content.ReadAsStringAsync();
                var action = FormAction().Match(html);
                Assert.True(action.Success, $"The provider showed no login form:\n{html}");
                var target = new Uri(location, WebUtility.HtmlDecode(action.Groups[1].Value));
                if (!html.Contains("name=\"login\"", StringComparison.Ordinal))
                {
                    // A form the provider's page submits by script: another person signing in on this browser ends the
                    // provider's session of the one before (oidc-provider's "end_session_confirm").
                    response = await ProviderClient.PostAsync(target, new FormUrlEncodedContent(HiddenInput().Matches(html)
                        .ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value))));
                }
                else
                {
                    LoginPageShown = true;
                    response = await ProviderClient.PostAsync(target,
                        new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = user.Login, ["password"] = password }));
                }
            }
            Assert.True((int)response.StatusCode is >= 300 and < 400,
                $"The provider answered {(int)response.StatusCode} at {location}: {await response.Content.ReadAsStringAsync()}");
            location = new Uri(location, response.Headers.Location!);
        }
        throw new InvalidOperationException("The provider never sent the browser back to the app.");
    }

    /// <summary>Whether the last sign-in at the provider asked for the password.</summary>
    public bool LoginPageShown { get; private set; }

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();

    public void Dispose()
    {
        App.Dispose();
        ProviderClient.Dispose();
    }
}
