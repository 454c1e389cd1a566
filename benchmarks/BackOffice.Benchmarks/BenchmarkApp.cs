using BackOffice.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Benchmarks;

/// <summary>The real app on a loopback port, on a fresh database of the test PostgreSQL server, with the demo data.</summary>
internal sealed class BenchmarkApp : WebApplicationFactory<Program>
{
    private readonly TestDatabase? _database;
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Action<IServiceCollection>? _services;

    private BenchmarkApp(TestDatabase? database, string connectionString, IReadOnlyDictionary<string, string> settings, Action<IServiceCollection>? services)
    {
        _database = database;
        _connectionString = connectionString;
        _settings = settings;
        _services = services;
        UseKestrel(0);
    }

    /// <param name="services">Extra services, e.g. a probe that timestamps box events inside the server.</param>
    public static async Task<BenchmarkApp> StartAsync(Action<IServiceCollection>? services = null)
    {
        var database = await TestDatabase.CreateAsync("benchmark");
        var app = new BenchmarkApp(database, database.ConnectionString, new Dictionary<string, string>(), services);
        app.StartServer();
        return app;
    }

    /// <summary>The app in this process on an existing database with extra settings (one instance among several).</summary>
    public static BenchmarkApp StartInstance(string connectionString, IReadOnlyDictionary<string, string> settings)
    {
        var app = new BenchmarkApp(null, connectionString, settings, null);
        app.StartServer();
        return app;
    }

    public string ServerUrl => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        // The web app reads its configuration next to its assembly, which the build copied here.
        builder.UseContentRoot(AppContext.BaseDirectory);
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:BackOffice"] = _connectionString,
            ["Database:SeedDemoData"] = "true",
        }.Concat(_settings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Value)))));
        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
