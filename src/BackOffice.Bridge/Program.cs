using BackOffice.Bridge;
using Microsoft.Extensions.Hosting;

// appsettings.json is read from the program's folder, whatever directory the service manager starts it in.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddBoxBridge();
await builder.Build().RunAsync();
