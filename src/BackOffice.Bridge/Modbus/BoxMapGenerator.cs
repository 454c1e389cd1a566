using System.Globalization;

namespace BackOffice.Bridge.Modbus;

/// <summary>
/// Writes the map of a box built like DLZ-1: <see cref="Modules"/> columns of <see cref="Rows"/> compartments, labelled
/// <c>MM-RR</c> (module, row, from 01). Each I/O node (Modbus unit) serves <see cref="ModulesPerUnit"/> whole modules, so
/// one module's wiring never spans two nodes: row r of the k-th module on a node uses coil and input
/// <c>first + k × Rows + (r − 1)</c>.
/// </summary>
public sealed record BoxMapGenerator
{
    public int Modules { get; init; } = 31;

    public int Rows { get; init; } = 20;

    public int ModulesPerUnit { get; init; } = 1;

    public byte FirstUnit { get; init; } = 1;

    public ushort FirstCoil { get; init; }

    public ushort FirstInput { get; init; }

    public TimeSpan Pulse { get; init; } = TimeSpan.FromMilliseconds(300);

    public DoorInputMeaning DoorInputOn { get; init; } = DoorInputMeaning.Closed;

    /// <summary>Unit of the return bin's level sensor; none when null.</summary>
    public byte? FillUnit { get; init; }

    public ushort FillRegister { get; init; }

    public ushort FillEmpty { get; init; }

    public ushort FillFull { get; init; } = 10000;

    public BoxMap Generate()
    {
        if (Modules < 1 || Rows < 1 || ModulesPerUnit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Modules), "Modules, rows and modules per unit must be at least 1.");
        }
        var units = (Modules + ModulesPerUnit - 1) / ModulesPerUnit;
        if (FirstUnit < 1 || FirstUnit + units - 1 > 247)
        {
            throw new ArgumentOutOfRangeException(nameof(FirstUnit), $"{units} units starting at {FirstUnit} run past unit 247.");
        }
        var compartments = new List<BoxMapCompartment>(Modules * Rows);
        for (var module = 1; module <= Modules; module++)
        {
            var unit = (byte)(FirstUnit + ((module - 1) / ModulesPerUnit));
            var slot = (module - 1) % ModulesPerUnit;
            for (var row = 1; row <= Rows; row++)
            {
                var point = (slot * Rows) + row - 1;
                compartments.Add(new BoxMapCompartment(
                    string.Create(CultureInfo.InvariantCulture, $"{module:00}-{row:00}"),
                    unit,
                    checked((ushort)(FirstCoil + point)),
                    checked((ushort)(FirstInput + point)),
                    Pulse));
            }
        }
        return new BoxMap
        {
            Description = string.Create(CultureInfo.InvariantCulture,
                $"{Modules} Module × {Rows} Reihen, {ModulesPerUnit} Modul(e) je E/A-Knoten ab Unit {FirstUnit}"),
            DoorInputOn = DoorInputOn,
            Compartments = compartments,
            ReturnBin = FillUnit is { } fillUnit ? new BoxMapFillLevel(fillUnit, FillRegister, FillEmpty, FillFull) : null,
        };
    }

    /// <summary>
    /// <c>generate-box-map --out FILE [--modules 31] [--rows 20] [--modules-per-unit 1] [--first-unit 1] [--first-coil 0]
    /// [--first-input 0] [--pulse 00:00:00.300] [--door-input-on Closed|Open] [--fill-unit U --fill-register R
    /// --fill-empty 0 --fill-full 10000]</c>. Returns the process exit code.
    /// </summary>
    public static int RunCommandLine(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var generator = new BoxMapGenerator();
        string? outPath = null;
        try
        {
            for (var i = 0; i < args.Count; i += 2)
            {
                var value = i + 1 < args.Count ? args[i + 1] : throw new FormatException($"{args[i]} needs a value.");
                var inv = CultureInfo.InvariantCulture;
                generator = args[i] switch
                {
                    "--modules" => generator with { Modules = int.Parse(value, inv) },
                    "--rows" => generator with { Rows = int.Parse(value, inv) },
                    "--modules-per-unit" => generator with { ModulesPerUnit = int.Parse(value, inv) },
                    "--first-unit" => generator with { FirstUnit = byte.Parse(value, inv) },
                    "--first-coil" => generator with { FirstCoil = ushort.Parse(value, inv) },
                    "--first-input" => generator with { FirstInput = ushort.Parse(value, inv) },
                    "--pulse" => generator with { Pulse = TimeSpan.Parse(value, inv) },
                    "--door-input-on" => generator with { DoorInputOn = Enum.Parse<DoorInputMeaning>(value, ignoreCase: true) },
                    "--fill-unit" => generator with { FillUnit = byte.Parse(value, inv) },
                    "--fill-register" => generator with { FillRegister = ushort.Parse(value, inv) },
                    "--fill-empty" => generator with { FillEmpty = ushort.Parse(value, inv) },
                    "--fill-full" => generator with { FillFull = ushort.Parse(value, inv) },
                    "--out" => SetOut(generator, value, ref outPath),
                    _ => throw new FormatException($"Unknown option {args[i]}."),
                };
            }
            if (outPath is null)
            {
                throw new FormatException("--out FILE is required.");
            }
            var map = generator.Generate();
            var errors = new List<string>();
            map.Validate(errors, outPath);
            if (errors.Count > 0)
            {
                throw new FormatException(string.Join(Environment.NewLine, errors));
            }
            File.WriteAllText(outPath, map.ToJson());
            output.WriteLine($"{outPath}: {map.Compartments.Count} compartments, {map.Compartments.Select(c => c.Unit).Distinct().Count()} units.");
            return 0;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"generate-box-map: {ex.Message}");
            return 2;
        }
    }

    private static BoxMapGenerator SetOut(BoxMapGenerator generator, string value, ref string? outPath)
    {
        outPath = value;
        return generator;
    }
}
