using Microsoft.Extensions.Hosting;

namespace BackOffice.Bridge;

/// <summary>The bridge process. Named (not top-level statements) so test projects that also see the web app's Program can reference it.</summary>
internal static class BridgeProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["generate-box-map", .. var rest])
        {
            return Modbus.BoxMapGenerator.RunCommandLine(rest, Console.Out, Console.Error);
        }
        // appsettings.json is read from the program's folder, whatever directory the service manager starts it in.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddBoxBridge();
        await builder.Build().RunAsync();
        return 0;
    }
}
