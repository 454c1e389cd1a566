using Microsoft.Extensions.Options;

namespace BackOffice.Infrastructure.Persistence;

/// <summary>Settings under <c>Database</c>; the connection string itself is <c>ConnectionStrings:BackOffice</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending SQL migrations when the app starts (under a lock).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Create the demo staff accounts. Only ever true in Development (appsettings.Development.json).</summary>
    public bool SeedDemoData { get; set; }
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
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
