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
    private readonly TestDatabase _database;
    private readonly Action<IServiceCollection>? _services;

    private BenchmarkApp(TestDatabase database, Action<IServiceCollection>? services)
    {
        _database = database;
        _services = services;
        UseKestrel(0);
    }

    /// <param name="services">Extra services, e.g. a probe that timestamps box events inside the server.</param>
    public static async Task<BenchmarkApp> StartAsync(Action<IServiceCollection>? services = null)
    {
        var app = new BenchmarkApp(await TestDatabase.CreateAsync("benchmark"), services);
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
            ["ConnectionStrings:BackOffice"] = _database.ConnectionString,
            ["Database:SeedDemoData"] = "true",
        }));
        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }
}
