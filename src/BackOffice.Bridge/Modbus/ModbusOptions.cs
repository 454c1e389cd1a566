using System.IO.Ports;

namespace BackOffice.Bridge.Modbus;

/// <summary>Where the box's Modbus I/O modules are and how the driver polls them (section <c>Bridge:Modbus</c>).</summary>
public sealed class ModbusOptions
{
    public const string Tcp = "Tcp";
    public const string Rtu = "Rtu";

    /// <summary>Path of the box map file (JSON, <see cref="Modbus.BoxMap"/>); relative to the working directory.</summary>
    public string BoxMap { get; set; } = "";

    /// <summary><see cref="Tcp"/> (Ethernet) or <see cref="Rtu"/> (RS-485 serial line).</summary>
    public string Transport { get; set; } = Tcp;

    public string Host { get; set; } = "";

    public int Port { get; set; } = 502;

    /// <summary>Serial device for RTU, e.g. <c>/dev/ttyUSB0</c> or <c>COM3</c>.</summary>
    public string SerialPort { get; set; } = "";

    public int BaudRate { get; set; } = 19200;

    /// <summary>The Modbus standard's default for RTU is even parity, one stop bit.</summary>
    public Parity Parity { get; set; } = Parity.Even;

    public StopBits StopBits { get; set; } = StopBits.One;

    /// <summary>How often the door inputs are read.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A door input must keep its new value this long before it is a door event (contact bounce, a door rattled shut).</summary>
    public TimeSpan DoorDebounce { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>From the start of the pulse: the door input must read open within this, else the unlock is "Failed".</summary>
    public TimeSpan OpenTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Adds what to fix; loads and checks the box map, so a broken map stops the bridge at start.</summary>
    internal void Validate(List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(BoxMap))
        {
            failures.Add("Bridge:Modbus:BoxMap is missing: set it to the box map file (generate one with 'BackOffice.Bridge generate-box-map').");
        }
        else
        {
            Modbus.BoxMap.TryLoad(BoxMap, failures);
        }
        if (string.Equals(Transport, Tcp, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(Host))
            {
                failures.Add("Bridge:Modbus:Host is missing: the IP address or name of the Modbus TCP coupler or gateway.");
            }
            if (Port is < 1 or > 65535)
            {
                failures.Add($"Bridge:Modbus:Port {Port} is not a TCP port (Modbus TCP uses 502).");
            }
        }
        else if (string.Equals(Transport, Rtu, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(SerialPort))
            {
                failures.Add("Bridge:Modbus:SerialPort is missing: the RS-485 adapter's device, e.g. /dev/ttyUSB0.");
            }
            if (BaudRate <= 0)
            {
                failures.Add("Bridge:Modbus:BaudRate must be positive (usual: 9600, 19200, 115200).");
            }
            if (!Enum.IsDefined(Parity) || !Enum.IsDefined(StopBits) || StopBits == StopBits.None)
            {
                failures.Add("Bridge:Modbus:Parity must be None, Even or Odd and Bridge:Modbus:StopBits One or Two.");
            }
        }
        else
        {
            failures.Add($"Bridge:Modbus:Transport '{Transport}' is unknown: use '{Tcp}' or '{Rtu}'.");
        }
        if (PollInterval <= TimeSpan.Zero)
        {
            failures.Add("Bridge:Modbus:PollInterval must be positive.");
        }
        if (DoorDebounce < TimeSpan.Zero)
        {
            failures.Add("Bridge:Modbus:DoorDebounce must not be negative.");
        }
        if (OpenTimeout <= TimeSpan.Zero)
        {
            failures.Add("Bridge:Modbus:OpenTimeout must be positive.");
        }
    }
}
