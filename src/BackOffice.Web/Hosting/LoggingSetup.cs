using Serilog;
using Serilog.Events;
using Serilog.Filters;

namespace BackOffice.Web;

/// <summary>
/// Serilog in two stages: a console logger for the start itself (<see cref="CreateBootstrapLogger"/>, Program.cs), then
/// the app's logger from the <c>Serilog</c> section of appsettings.json (console and daily rolling files).
/// </summary>
internal static class LoggingSetup
{
    /// <summary>
    /// Catches what fails before the app's own logger exists or while the host starts (bad configuration, a database
    /// that cannot be migrated). Console only: the configuration that names the files may be the very thing that failed.
    /// </summary>
    public static Serilog.ILogger CreateBootstrapLogger() =>
        new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();

    /// <summary>The app's logger, one per host, from configuration plus any sink or enricher registered as a service.</summary>
    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(
            (services, logger) => logger
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                // ASP.NET Core's own "Request starting" lines carry the full URL, query string included (a SignalR
                // client may send its key there). Whatever a log configuration says, they stay out; the request
                // logging writes the safe line.
                .Filter.ByExcluding(e => e.Level < LogEventLevel.Warning && FromHostingDiagnostics(e)),
            // Per host, never the static Log.Logger: each test host has its own logger, and Log.Logger stays the
            // bootstrap logger that reports a failed start.
            preserveStaticLogger: true);
        return builder;
    }

    // Built once: the filter runs for every log event.
    private static readonly Func<LogEvent, bool> FromHostingDiagnostics = Matching.FromSource("Microsoft.AspNetCore.Hosting.Diagnostics");
}
