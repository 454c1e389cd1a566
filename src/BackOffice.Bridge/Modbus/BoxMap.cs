using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace BackOffice.Bridge.Modbus;

/// <summary>
/// How one box is wired to its Modbus I/O modules (a JSON file per box, <c>Bridge:Modbus:BoxMap</c>): per compartment
/// label the unit, the coil that releases its lock, the input that reads its door and the pulse; the return bin's fill
/// level; what counts as "controller lost". Addresses are the zero-based numbers on the wire (coil 0 = the first
/// output, which WAGO and Moxa document as 0 and some tools show as 00001).
/// </summary>
public sealed record BoxMap
{
    public const string CurrentFormat = "ausgabebox-modbus-map/1";

    public string Format { get; init; } = CurrentFormat;

    /// <summary>Free text for people (e.g. "DLZ-1, 31 Module × 20 Reihen").</summary>
    public string? Description { get; init; }

    /// <summary>What an ON door input means: <see cref="DoorInputMeaning.Closed"/> for a contact closed by the shut door (a broken wire then reads open: the safe side).</summary>
    public DoorInputMeaning DoorInputOn { get; init; } = DoorInputMeaning.Closed;

    public IReadOnlyList<BoxMapCompartment> Compartments { get; init; } = [];

    public BoxMapFillLevel? ReturnBin { get; init; }

    public BoxMapControllerLost ControllerLost { get; init; } = new();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // The file is read and edited by people: "×" and umlauts stay as they are, not \u escapes.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static BoxMap Parse(string json) =>
        JsonSerializer.Deserialize<BoxMap>(json, Json) ?? throw new JsonException("The box map is empty.");

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads and checks a map file; the errors name what to fix.</summary>
    public static BoxMap? TryLoad(string path, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        BoxMap map;
        try
        {
            map = Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            errors.Add($"Box map '{path}' cannot be read: {ex.Message}");
            return null;
        }
        var before = errors.Count;
        map.Validate(errors, path);
        return errors.Count == before ? map : null;
    }

    public void Validate(List<string> errors, string source)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!string.Equals(Format, CurrentFormat, StringComparison.Ordinal))
        {
            errors.Add($"Box map '{source}': format '{Format}' is unknown, expected '{CurrentFormat}'.");
        }
        if (Compartments is null || Compartments.Count == 0)
        {
            errors.Add($"Box map '{source}' lists no compartment.");
            return;
        }
        var labels = new HashSet<string>(StringComparer.Ordinal);
        var coils = new Dictionary<(byte, ushort), string>();
        foreach (var c in Compartments)
        {
            var name = string.IsNullOrWhiteSpace(c.Label) ? "(no label)" : c.Label;
            if (string.IsNullOrWhiteSpace(c.Label) || c.Label.Length > 20)
            {
                errors.Add($"Box map '{source}': compartment {name} needs a label of 1 to 20 characters, as on its door (e.g. 03-07).");
            }
            else if (!labels.Add(c.Label))
            {
                errors.Add($"Box map '{source}': compartment {c.Label} is listed twice.");
            }
            if (c.Unit is < 1 or > 247)
            {
                errors.Add($"Box map '{source}': compartment {name}: unit {c.Unit} is outside 1-247.");
            }
            if (c.Pulse <= TimeSpan.Zero || c.Pulse > TimeSpan.FromSeconds(5))
            {
                errors.Add($"Box map '{source}': compartment {name}: pulse {c.Pulse} must be above 0 and at most 5 s (a lock solenoid held longer overheats).");
            }
            if (!coils.TryAdd((c.Unit, c.Coil), name))
            {
                errors.Add($"Box map '{source}': compartments {coils[(c.Unit, c.Coil)]} and {name} share unit {c.Unit} coil {c.Coil}: one pulse would open both.");
            }
        }
        if (ReturnBin is { } bin)
        {
            if (bin.Unit is < 1 or > 247)
            {
                errors.Add($"Box map '{source}': returnBin unit {bin.Unit} is outside 1-247.");
            }
            if (bin.FullValue == bin.EmptyValue)
            {
                errors.Add($"Box map '{source}': returnBin emptyValue and fullValue must differ.");
            }
        }
        if (ControllerLost is null || ControllerLost.ResponseTimeout <= TimeSpan.Zero || ControllerLost.FailedPolls < 1)
        {
            errors.Add($"Box map '{source}': controllerLost needs a positive responseTimeout and failedPolls of at least 1.");
        }
    }
}

public enum DoorInputMeaning
{
    Closed,
    Open,
}

/// <summary>One compartment's wiring.</summary>
/// <param name="Label">As on the door and in the back office, e.g. <c>03-07</c>.</param>
/// <param name="Unit">Modbus unit (slave) id of the I/O node, 1-247.</param>
/// <param name="Coil">The output (coil) that releases the lock while ON.</param>
/// <param name="DoorInput">The discrete input wired to the door contact.</param>
/// <param name="Pulse">How long the coil stays ON.</param>
public sealed record BoxMapCompartment(string Label, byte Unit, ushort Coil, ushort DoorInput, TimeSpan Pulse);

/// <summary>The return bin's level sensor on an analogue input module: raw <paramref name="EmptyValue"/> = 0 %, <paramref name="FullValue"/> = 100 %.</summary>
public sealed record BoxMapFillLevel(byte Unit, ushort InputRegister, ushort EmptyValue, ushort FullValue)
{
    public int Percent(ushort raw) =>
        (int)Math.Clamp(Math.Round(100.0 * (raw - EmptyValue) / (FullValue - EmptyValue)), 0, 100);
}

/// <summary>
/// When the controller counts as lost: <see cref="FailedPolls"/> polls in a row without a valid answer, each given
/// <see cref="ResponseTimeout"/>. An unlock during the loss fails at once.
/// </summary>
public sealed record BoxMapControllerLost
{
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public int FailedPolls { get; init; } = 3;
}
