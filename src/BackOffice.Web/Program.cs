using BackOffice.Application;
using BackOffice.Infrastructure;
using BackOffice.Web;
using BackOffice.Web.Cli;
using Serilog;

// Two-stage logging: this console logger reports a start that fails before (or while) the app's own logger runs.
Log.Logger = LoggingSetup.CreateBootstrapLogger();
try
{
    if (await AdminCommands.TryRunAsync(args))
    {
        return;
    }

    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = ContentRoot.Locate(args),
    });

    builder.AddLogging();
    // Infrastructure first: its database initializer is the first hosted service, so migrations are done before any
    // background job (reminders, retention, monitor, SMS) starts (hosted services start one after the other).
    builder.AddInfrastructure();
    builder.AddApplication();
    builder.AddWeb();

    var app = builder.Build();
    app.UseWeb();
    await app.RunAsync();
}
// HostAbortedException: a tool (dotnet ef, WebApplicationFactory) took the built host and stopped the rest on purpose.
catch (Exception ex) when (ex is not HostAbortedException)
{
    Log.Fatal(ex, "The back office stopped: {Reason}", ex.Message);
    throw;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>Entry point; public so integration tests can start the app with WebApplicationFactory.</summary>
public partial class Program;
