using BackOffice.IntegrationTests.Infrastructure;

namespace BackOffice.IntegrationTests.Security;

/// <summary>
/// Demo data (accounts with the README's password, a box with the README's key) is for Development only: anywhere else
/// the real app refuses to start with <c>Database:SeedDemoData</c>, as it does with the development secrets.
/// </summary>
public class DemoDataTests
{
    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task SeedDemoData_OutsideDevelopment_RefusesToStartWithAClearMessage(string environment)
    {
        await using var app = new DemoDataApp(environment);
        await app.InitializeAsync();

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        var message = Flatten(error);
        Assert.Contains("Database:SeedDemoData", message, StringComparison.Ordinal);
        Assert.Contains($"not in {environment}", message, StringComparison.Ordinal);
        await using var db = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await db.OpenAsync(TestContext.Current.CancellationToken);
        await using var tables = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'AspNetUsers'", db);
        // Refused before the database was touched: no schema, so certainly no demo account.
        Assert.Equal(0L, await tables.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SeedDemoData_InDevelopment_CreatesTheDemoAccounts()
    {
        await using var app = new DemoDataApp("Development");
        await app.InitializeAsync();

        await using var db = await app.NewDbContextAsync();

        Assert.True(await db.Users.AnyAsync(u => u.Email == "admin@demo.local", TestContext.Current.CancellationToken));
    }

    private static string Flatten(Exception error) =>
        error is AggregateException aggregate
            ? string.Join("\n", aggregate.Flatten().InnerExceptions.Select(Flatten))
            : $"{error.Message}\n{(error.InnerException is null ? "" : Flatten(error.InnerException))}";

    private sealed class DemoDataApp(string environment) : BackOfficeAppFactory
    {
        protected override string EnvironmentName => environment;

        protected override bool SeedDemoData => true;

        // The tests prove what the start does to a database nobody prepared: refuse before touching it, or seed it.
        protected override bool StartsOnEmptyDatabase => true;

        // Everything else a production start needs, so the demo data setting is the only thing wrong.
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
            [new("https_port", "443"), new("Sms:Gateway:Url", "https://sms-gateway.invalid/send")];
    }
}
