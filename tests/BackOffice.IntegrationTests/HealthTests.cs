using System.Net;
using System.Text.Json;
using BackOffice.IntegrationTests.Infrastructure;

namespace BackOffice.IntegrationTests;

public class HealthTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    [Fact]
    public async Task Ready_ReportsTheDatabaseAsHealthy()
    {
        var response = await app.CreateBrowserClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetString());
    }

    [Fact]
    public async Task Live_AnswersWithoutSignIn()
    {
        var response = await app.CreateBrowserClient().GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_DatabaseGone_ReportsUnhealthy()
    {
        await using var brokenApp = new BackOfficeAppFactory();
        await brokenApp.InitializeAsync();
        var client = brokenApp.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        // Drop the database under the running app.
        await using (var admin = new Npgsql.NpgsqlConnection(
            new Npgsql.NpgsqlConnectionStringBuilder(brokenApp.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString))
        {
            await admin.OpenAsync();
            var name = new Npgsql.NpgsqlConnectionStringBuilder(brokenApp.ConnectionString).Database;
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE \"{name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"database\":\"Unhealthy\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
