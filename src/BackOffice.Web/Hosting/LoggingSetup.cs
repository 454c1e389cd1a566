using Microsoft.AspNetCore.HttpLogging;
using Serilog;

namespace BackOffice.Web;

internal static class LoggingSetup
{
    /// <summary>Serilog to console and rolling files, configured from the <c>Serilog</c> section of appsettings.json.</summary>
    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder)
    {
        var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);

        // Method, path (never the query string: SignalR clients may carry a key there), status and duration.
        // No headers and no bodies: they hold cookies, keys and personal data.
        builder.Services.AddHttpLogging(options =>
        {
            options.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath
                | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            options.CombineLogs = true;
        });
        return builder;
    }
}
