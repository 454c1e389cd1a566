using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BackOffice.Infrastructure.Persistence;

/// <summary>Settings under <c>Database</c>; the connection string itself is <c>ConnectionStrings:BackOffice</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending EF Core migrations when the app starts (EF's migrator locks the database while it runs).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// Create the demo staff accounts (password published in the README) and boxes (a box key printed in the README).
    /// Only ever true in Development (appsettings.Development.json); anywhere else the app refuses to start with it.
    /// </summary>
    public bool SeedDemoData { get; set; }
}

internal sealed class DatabaseOptionsValidator(IHostEnvironment environment) : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (options.SeedDemoData && !environment.IsDevelopment())
        {
            // Like the development secrets: a deployment that inherited the setting fails loudly instead of creating
            // accounts whose password and a box key anyone can read in the repository.
            return ValidateOptionsResult.Fail(
                $"Database:SeedDemoData creates demo accounts with the password published in the README and a demo box with a " +
                $"published box key; it is allowed only in the Development environment, not in {environment.EnvironmentName}. " +
                "Set Database__SeedDemoData=false and create accounts with create-staff.");
        }
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                "No database connection string: set ConnectionStrings:BackOffice (environment variable ConnectionStrings__BackOffice).");
        }
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"ConnectionStrings:BackOffice is not a valid PostgreSQL connection string: {ex.Message}");
        }
        return ValidateOptionsResult.Success;
    }
}
