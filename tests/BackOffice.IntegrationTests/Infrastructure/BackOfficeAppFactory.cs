using System.Reflection;
using System.Security.Cryptography;
using BackOffice.Application.Privacy;
using BackOffice.Infrastructure.Privacy;
using BackOffice.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace BackOffice.IntegrationTests.Infrastructure;

/// <summary>
/// The real app in memory (WebApplicationFactory) on a fresh PostgreSQL database of its own: a copy of a template the
/// app's own migrate command migrated and seeded once per build. Use as a class fixture: one app and one database per
/// test class.
/// </summary>
public class BackOfficeAppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private static readonly string WebAppPath = typeof(BackOfficeAppFactory).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WebAppPath").Value!;

    private static readonly DatabaseTemplate DemoTemplate = DatabaseTemplate.WithDemoData(WebAppPath);

    private static readonly DatabaseTemplate EmptyTemplate = DatabaseTemplate.WithoutDemoData(WebAppPath);

    private TestDatabase? _database;
    private readonly TempDirectory _keyRing = new();

    protected virtual string EnvironmentName => "Development";

    protected virtual bool SeedDemoData => true;

    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [];

    /// <summary>
    /// True: the app protects personal data with keys of its own, built from this factory's key ring and lookup key as in
    /// production (the classes whose subject is that encryption). Otherwise the in-memory apps of the test run share one
    /// <see cref="PersonalDataProtection"/>: EF caches its model per protection (the value converters are part of it),
    /// so a shared one lets every app reuse one model and its compiled queries instead of building them again per test
    /// class (the tier went from 201 to 148 CPU-s).
    /// </summary>
    protected virtual bool OwnPersonalDataKeys => false;

    // Keys in memory, a lookup key per test run: the same app code (PersonalDataProtection) on test keys.
    private static readonly Lazy<PersonalDataProtection> SharedProtection = new(() => new PersonalDataProtection(
        new EphemeralDataProtectionProvider(),
        Options.Create(new PrivacyOptions { LookupKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) })));

    public virtual string ConnectionString => _database?.ConnectionString
        ?? throw new InvalidOperationException("The fixture is not initialised yet.");

    /// <summary>A context of the app's own pool, for arranging and checking data.</summary>
    public async Task<BackOffice.Infrastructure.Persistence.BackOfficeDbContext> NewDbContextAsync() =>
        await Services.GetRequiredService<IDbContextFactory<BackOffice.Infrastructure.Persistence.BackOfficeDbContext>>().CreateDbContextAsync();

    /// <summary>
    /// True: an empty database, which the app's start migrates and seeds itself. Otherwise a copy of a template the app's
    /// own migrate command prepared once per build (with the demo data when <see cref="SeedDemoData"/>), on which the
    /// start finds nothing left to do.
    /// </summary>
    protected virtual bool StartsOnEmptyDatabase => false;

    public virtual async ValueTask InitializeAsync() =>
        _database = StartsOnEmptyDatabase
            ? await TestDatabase.CreateAsync(GetType().Name)
            : await TestDatabase.CopyOfAsync(SeedDemoData ? DemoTemplate : EmptyTemplate, GetType().Name);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        // The app's real configuration (top-level appsettings*.json, copied next to the test assembly by the build).
        builder.UseContentRoot(AppContext.BaseDirectory);
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:BackOffice"] = ConnectionString,
            ["Database:SeedDemoData"] = SeedDemoData ? "true" : "false",
            // Every environment needs one; production must not find it in the repository's files.
            ["Pickup:PinPepper"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Privacy:LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["DataProtection:KeyRingPath"] = _keyRing.Path,
            // Test classes sign in many times from one address; the rate limit tests set low limits of their own.
            ["RateLimits:SignInPerClient:PermitLimit"] = "10000",
            ["RateLimits:SignInPerAccount:PermitLimit"] = "10000",
            ["RateLimits:RegistrationApi:PermitLimit"] = "10000",
        }).AddInMemoryCollection(ExtraSettings)); // a later source wins: subclasses may override the defaults above
        if (!OwnPersonalDataKeys)
        {
            builder.ConfigureServices(services => services.AddSingleton(SharedProtection.Value));
        }
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects (tests assert them).</summary>
    public HttpClient CreateBrowserClient(string baseAddress = "http://localhost") =>
        CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri(baseAddress),
        });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        _keyRing.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The app with personal-data keys of its own, from its key ring and lookup key as in production.</summary>
public sealed class OwnKeysAppFactory : BackOfficeAppFactory
{
    protected override bool OwnPersonalDataKeys => true;
}

/// <summary>The app as it runs in production: no demo data, HTTPS enforced.</summary>
public sealed class ProductionAppFactory : BackOfficeAppFactory
{
    protected override string EnvironmentName => "Production";

    protected override bool SeedDemoData => false;

    // As in a real deployment, where the HTTPS endpoint (or HTTPS_PORT) tells the redirect where to go.
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [new("https_port", "443"), new("Sms:Gateway:Url", "https://sms-gateway.invalid/send")];
}
