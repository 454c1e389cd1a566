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
        // ASP.NET Core's own "Request starting" lines carry the full URL, query string included (a SignalR client may
        // send its key there). Whatever a log configuration says, they stay out; RequestLogging writes the safe line.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        return builder;
    }
}
