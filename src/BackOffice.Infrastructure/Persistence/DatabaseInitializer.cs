using BackOffice.Infrastructure.Identity;
using BackOffice.Infrastructure.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BackOffice.Infrastructure.Persistence;

/// <summary>
/// Brings the database up to date before the web server takes requests: migrations, roles, and in Development the demo data.
/// </summary>
internal sealed class DatabaseInitializer(IServiceProvider services, IOptions<DatabaseOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await InitializeAsync(scope.ServiceProvider, options.Value, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static async Task InitializeAsync(IServiceProvider scoped, DatabaseOptions options, CancellationToken cancellationToken)
    {
        if (options.MigrateOnStartup)
        {
            await scoped.GetRequiredService<SqlMigrator>().MigrateAsync(cancellationToken);
        }
        await PersonalDataBackfill.RunAsync(scoped.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>(), cancellationToken);
        var accounts = scoped.GetRequiredService<StaffAccountService>();
        await accounts.EnsureRolesAsync();
        if (options.SeedDemoData)
        {
            await accounts.EnsureDemoAccountsAsync();
            foreach (var seeder in scoped.GetServices<IDemoDataSeeder>())
            {
                await seeder.SeedAsync(cancellationToken);
            }
        }
    }
}

/// <summary>Adds Development demo data for one feature (boxes, documents, ...). Must be safe to run on every start.</summary>
public interface IDemoDataSeeder
{
    Task SeedAsync(CancellationToken cancellationToken);
}
