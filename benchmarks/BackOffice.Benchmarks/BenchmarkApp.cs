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

    private BenchmarkApp(TestDatabase database)
    {
        _database = database;
        UseKestrel(0);
    }

    public static async Task<BenchmarkApp> StartAsync()
    {
        var app = new BenchmarkApp(await TestDatabase.CreateAsync("benchmark"));
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
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }
}
