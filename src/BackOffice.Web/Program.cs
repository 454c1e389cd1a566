using BackOffice.Application;
using BackOffice.Infrastructure;
using BackOffice.Web;
using BackOffice.Web.Cli;

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
app.Run();

/// <summary>Entry point; public so integration tests can start the app with WebApplicationFactory.</summary>
public partial class Program;
