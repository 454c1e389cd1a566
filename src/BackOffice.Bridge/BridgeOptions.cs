using System.Reflection;

namespace BackOffice.Bridge;

/// <summary>Configuration of the bridge (section <c>Bridge</c>).</summary>
public sealed class BridgeOptions
{
    public const string SectionName = "Bridge";

    /// <summary>The lock simulator, for development, demos and tests: no real door opens.</summary>
    public const string SimulatorDriver = "Simulator";

    /// <summary>Standard Modbus TCP/RTU I/O modules: a relay output per lock, a contact input per door (<see cref="Modbus"/>).</summary>
    public const string ModbusDriver = "Modbus";

    /// <summary>Back office address, e.g. <c>http://127.0.0.1:5080</c>; <see cref="Contracts.BridgeProtocol.HubPath"/> is appended.</summary>
    public string ServerUrl { get; set; } = "";

    /// <summary>The box's key, sent as bearer token. A secret: never logged.</summary>
    public string BoxKey { get; set; } = "";

    /// <summary>Durable local journal (JSON lines) of results, door events and old-document reports not yet accepted, and of executed commands.</summary>
    public string QueuePath { get; set; } = "bridge-queue.jsonl";

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    public string SoftwareVersion { get; set; } = DefaultSoftwareVersion();

    /// <summary>Wait before each reconnect attempt; after the last entry the last one is kept forever.</summary>
    public TimeSpan[] ReconnectDelays { get; set; } =
    [
        TimeSpan.Zero,
        TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(2),
        TimeSpan.FromSeconds(5),
        TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(30),
    ];

    /// <summary>
    /// Wait before sending an outbox entry again that the back office did not process (<c>Unavailable:</c>, another
    /// error, a dropped call); after the last entry the last one is kept until the entry is accepted or refused for good.
    /// </summary>
    public TimeSpan[] RetryDelays { get; set; } =
    [
        TimeSpan.FromMilliseconds(500),
        TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(2),
        TimeSpan.FromSeconds(5),
        TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(30),
    ];

    /// <summary>Which lock driver drives the doors: <see cref="SimulatorDriver"/> or <see cref="ModbusDriver"/>.</summary>
    public string LockDriver { get; set; } = "";

    /// <summary>The Modbus driver's settings (section <c>Bridge:Modbus</c>); read only when <see cref="LockDriver"/> is <see cref="ModbusDriver"/>.</summary>
    public Modbus.ModbusOptions Modbus { get; set; } = new();

    /// <summary>The panel simulator for demos (section <c>Bridge:Panel</c>); off unless its URL is set.</summary>
    public PanelOptions Panel { get; set; } = new();

    private static string DefaultSoftwareVersion() =>
        typeof(BridgeOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { Length: > 0 } version
            ? version
            : "1.0.0";
}
