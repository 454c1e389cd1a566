using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace BackOffice.Testing;

/// <summary>A client the app is registered as at the test provider.</summary>
public sealed record OidcClientRegistration(string ClientId, string ClientSecret);

/// <summary>A person in the test provider's directory (tests/oidc-provider/provider.mjs).</summary>
public sealed record DirectoryUser(string Login, string Name, string ObjectId, string? Role)
{
    public const string Password = "Verzeichnis-Passwort-1";

    public static DirectoryUser Clerk { get; } = new("sachbearbeitung@stadt.test", "Clara Clerk", "11111111-1111-4111-8111-111111111111", "Clerk");

    public static DirectoryUser Witness { get; } = new("zeugin@stadt.test", "Zoe Zeugin", "55555555-5555-4555-8555-555555555555", "Clerk");

    public static DirectoryUser Supervisor { get; } = new("teamleitung@stadt.test", "Tim Teamleitung", "22222222-2222-4222-8222-222222222222", "Supervisor");

    public static DirectoryUser Admin { get; } = new("it-admin@stadt.test", "Ada Admin", "33333333-3333-4333-8333-333333333333", "Admin");

    public static DirectoryUser WithoutRole { get; } = new("ohne-rolle@stadt.test", "Otto Ohnerolle", "44444444-4444-4444-8444-444444444444", null);

    /// <summary>The groups the plain issuer sends, mapped to roles in <c>Authentication:RoleMap</c>.</summary>
    public static IReadOnlyDictionary<string, string> RoleMap { get; } = new Dictionary<string, string>
    {
        ["g-ausgabe-sachbearbeitung"] = "Clerk",
        ["g-ausgabe-teamleitung"] = "Supervisor",
        ["g-ausgabe-admin"] = "Admin",
    };
}

/// <summary>
/// The real OpenID Connect provider (npm <c>oidc-provider</c>, tests/oidc-provider, installed by infra/test.sh) as a
/// process on a loopback HTTPS port with a self-signed certificate: a plain issuer and one shaped like Entra ID's v2.0
/// endpoint. Each test app registers itself with its own redirect addresses (dynamic client registration).
/// </summary>
public sealed class OidcTestProvider : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors;

    private OidcTestProvider(Process process, StringBuilder errors, JsonElement ready)
    {
        _process = process;
        _errors = errors;
        Origin = new Uri(ready.GetProperty("origin").GetString()!);
        PlainIssuer = ready.GetProperty("plainIssuer").GetString()!;
        EntraInstance = ready.GetProperty("entraInstance").GetString()!;
        TenantId = ready.GetProperty("tenant").GetString()!;
        EntraIssuer = ready.GetProperty("entraIssuer").GetString()!;
        CertificatePath = ready.GetProperty("certificate").GetString()!;
        RegistrationToken = ready.GetProperty("registrationToken").GetString()!;
        Certificate = X509CertificateLoader.LoadCertificateFromFile(CertificatePath);
        Http = new HttpClient(CreateHandler(null)) { BaseAddress = Origin };
    }

    public Uri Origin { get; }

    /// <summary>Issuer of the plain provider (groups, <c>sub</c>): <c>Authentication:Oidc:Authority</c>.</summary>
    public string PlainIssuer { get; }

    /// <summary><c>Authentication:EntraId:Instance</c> of the Entra-shaped provider.</summary>
    public string EntraInstance { get; }

    public string TenantId { get; }

    public string EntraIssuer { get; }

    /// <summary>The provider's self-signed certificate (PEM): <c>Authentication:TrustedCertificatePath</c>.</summary>
    public string CertificatePath { get; }

    public X509Certificate2 Certificate { get; }

    private string RegistrationToken { get; }

    /// <summary>Trusts exactly the provider's certificate; for registration and the test switches.</summary>
    public HttpClient Http { get; }

    /// <summary>What the provider wrote to stderr, for failure messages.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static async Task<OidcTestProvider> StartAsync(string repositoryRoot)
    {
        var folder = Path.Combine(repositoryRoot, "tests", "oidc-provider");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "oidc-provider")))
        {
            throw new InvalidOperationException($"Run 'npm ci' in {folder} (infra/test.sh does).");
        }
        var process = Process.Start(new ProcessStartInfo("node")
        {
            ArgumentList = { "provider.mjs" },
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Could not start node.");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null)
        {
            throw new InvalidOperationException($"The OpenID Connect provider did not start:\n{errors}");
        }
        return new OidcTestProvider(process, errors, JsonDocument.Parse(line).RootElement.Clone());
    }

    /// <summary>A handler for the app or a test's "browser": trusts the system store and the provider's certificate.</summary>
    public HttpClientHandler CreateHandler(CookieContainer? cookies) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = cookies is not null,
        CookieContainer = cookies ?? new CookieContainer(),
        ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
            errors == System.Net.Security.SslPolicyErrors.None || (certificate is not null && certificate.RawData.AsSpan().SequenceEqual(Certificate.RawData)),
    };

    /// <summary>Registers a client with the given redirect and sign-out addresses (RFC 7591).</summary>
    public async Task<OidcClientRegistration> RegisterAsync(string issuer, IEnumerable<string> redirectUris, IEnumerable<string> postLogoutRedirectUris)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{issuer}/reg")
        {
            Content = JsonContent.Create(new Dictionary<string, object>
            {
                ["redirect_uris"] = redirectUris.ToArray(),
                ["post_logout_redirect_uris"] = postLogoutRedirectUris.ToArray(),
                ["token_endpoint_auth_method"] = "client_secret_post",
                ["require_auth_time"] = true,
                ["grant_types"] = new[] { "authorization_code" },
                ["response_types"] = new[] { "code" },
            }),
        };
        request.Headers.Authorization = new("Bearer", RegistrationToken);
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Client registration failed ({(int)response.StatusCode}): {body}");
        }
        var json = JsonDocument.Parse(body).RootElement;
        return new OidcClientRegistration(json.GetProperty("client_id").GetString()!, json.GetProperty("client_secret").GetString()!);
    }

    /// <summary>
    /// From now on the token endpoint gives <paramref name="clientId"/> an id_token re-signed with the provider's own key
    /// but another audience and/or issuer (null: unchanged; both null: honest again).
    /// </summary>
    public async Task TamperAsync(string clientId, string? audience, string? issuer)
    {
        using var response = await Http.PostAsJsonAsync("/_test/tamper", new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["aud"] = audience,
            ["iss"] = issuer,
        });
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5_000))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
        Certificate.Dispose();
    }
}
