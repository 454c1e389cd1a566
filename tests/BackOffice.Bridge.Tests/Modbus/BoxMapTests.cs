using BackOffice.Bridge.Modbus;
using BackOffice.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BackOffice.Bridge.Tests.Modbus;

public sealed class BoxMapTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Generator_Dlz1Layout_WiresEachOf620CompartmentsToItsOwnCoilAndInput()
    {
        var map = new BoxMapGenerator { Modules = 31, Rows = 20 }.Generate();
        var errors = new List<string>();

        map.Validate(errors, "dlz-1");

        Assert.Empty(errors);
        Assert.Equal(620, map.Compartments.Count);
        Assert.Equal(new BoxMapCompartment("01-01", 1, 0, 0, TimeSpan.FromMilliseconds(300)), map.Compartments[0]);
        Assert.Equal(new BoxMapCompartment("31-20", 31, 19, 19, TimeSpan.FromMilliseconds(300)), map.Compartments[^1]);
        Assert.Equal(620, map.Compartments.Select(c => (c.Unit, c.Coil)).Distinct().Count());
    }

    [Fact]
    public void Generator_ThreeModulesPerNode_KeepsEachModuleOnOneNode()
    {
        var map = new BoxMapGenerator { Modules = 31, Rows = 20, ModulesPerUnit = 3, FirstUnit = 10, FirstInput = 100 }.Generate();

        Assert.Equal(11, map.Compartments.Select(c => c.Unit).Distinct().Count());
        Assert.Equal(new BoxMapCompartment("03-20", 10, 59, 159, TimeSpan.FromMilliseconds(300)), map.Compartments.Single(c => c.Label == "03-20"));
        Assert.Equal(new BoxMapCompartment("04-01", 11, 0, 100, TimeSpan.FromMilliseconds(300)), map.Compartments.Single(c => c.Label == "04-01"));
    }

    [Fact]
    public void CommandLine_WritesAMapThatLoadsBack()
    {
        var path = _directory.File("dlz-1.json");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = BoxMapGenerator.RunCommandLine(
            ["--modules", "31", "--rows", "20", "--pulse", "00:00:00.250", "--fill-unit", "32", "--fill-full", "27648", "--out", path], output, error);
        var errors = new List<string>();
        var map = BoxMap.TryLoad(path, errors);

        Assert.Equal(0, exit);
        Assert.Empty(errors);
        Assert.Equal(620, map!.Compartments.Count);
        Assert.All(map.Compartments, c => Assert.Equal(TimeSpan.FromMilliseconds(250), c.Pulse));
        Assert.Equal(new BoxMapFillLevel(32, 0, 0, 27648), map.ReturnBin);
        Assert.Contains("620 compartments, 31 units", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DemoMap_Shipped_LoadsAndIsWhatTheReadmeWiringTableSays()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BackOffice.sln")))
        {
            directory = directory.Parent;
        }
        var errors = new List<string>();

        var map = BoxMap.TryLoad(Path.Combine(directory!.FullName, "src", "BackOffice.Bridge", "box-maps", "demo-2x4.json"), errors);

        Assert.Empty(errors);
        Assert.Equal(
            ["01-01", "01-02", "01-03", "01-04", "02-01", "02-02", "02-03", "02-04"],
            map!.Compartments.Select(c => c.Label));
        Assert.All(map.Compartments.Select((c, i) => (c, i)), x => Assert.Equal((1, x.i, x.i), (x.c.Unit, x.c.Coil, x.c.DoorInput)));
        Assert.Equal(new BoxMapFillLevel(1, 0, 6553, 32767), map.ReturnBin);
    }

    [Fact]
    public void CommandLine_UnknownOption_FailsWithAMessage()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, BoxMapGenerator.RunCommandLine(["--colour", "red"], output, error));
        Assert.Contains("Unknown option --colour", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SharedCoilDuplicateLabelAndLongPulse_AreNamed()
    {
        var map = new BoxMap
        {
            Compartments =
            [
                new("01-01", 1, 0, 0, TimeSpan.FromMilliseconds(300)),
                new("01-02", 1, 0, 1, TimeSpan.FromSeconds(30)),
                new("01-02", 0, 2, 2, TimeSpan.FromMilliseconds(300)),
            ],
        };
        var errors = new List<string>();

        map.Validate(errors, "test");

        Assert.Contains(errors, e => e.Contains("01-01 and 01-02 share unit 1 coil 0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("compartment 01-02 is listed twice", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("pulse 00:00:30", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("unit 0 is outside 1-247", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_ModbusWithoutMapOrHost_FailNamingTheSettings()
    {
        using var host = Build(new() { ["Bridge:LockDriver"] = "Modbus" });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<BridgeOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("Bridge:Modbus:BoxMap is missing", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Bridge:Modbus:Host is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_ModbusRtuWithBrokenMap_FailNamingTheFileAndThePort()
    {
        var path = _directory.File("broken.json");
        File.WriteAllText(path, "{ \"compartments\": [ { \"label\": \"01-01\", \"unit\": 1, \"coil\": 0 ");
        using var host = Build(new() { ["Bridge:LockDriver"] = "Modbus", ["Bridge:Modbus:BoxMap"] = path, ["Bridge:Modbus:Transport"] = "Rtu" });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<BridgeOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith($"Box map '{path}' cannot be read", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Bridge:Modbus:SerialPort is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_ModbusComplete_AreBoundAndTheDriverIsModbus()
    {
        var path = _directory.File("box.json");
        File.WriteAllText(path, new BoxMapGenerator { Modules = 2, Rows = 4 }.Generate().ToJson());
        using var host = Build(new()
        {
            ["Bridge:LockDriver"] = "Modbus",
            ["Bridge:Modbus:BoxMap"] = path,
            ["Bridge:Modbus:Host"] = "192.0.2.10",
            ["Bridge:Modbus:PollInterval"] = "00:00:00.250",
            ["Bridge:Modbus:Parity"] = "None",
        });

        var options = host.Services.GetRequiredService<IOptions<BridgeOptions>>().Value.Modbus;

        Assert.Equal(("192.0.2.10", 502, TimeSpan.FromMilliseconds(250), System.IO.Ports.Parity.None), (options.Host, options.Port, options.PollInterval, options.Parity));
        Assert.IsType<ModbusLockDriver>(host.Services.GetRequiredService<ILockDriver>());
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Bridge:ServerUrl", "http://127.0.0.1:5080");
        settings.TryAdd("Bridge:BoxKey", "k");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddBoxBridge();
        return builder.Build();
    }
}
