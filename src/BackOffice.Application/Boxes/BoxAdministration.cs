using System.Text.RegularExpressions;
using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Bridge;
using BackOffice.Application.Common;
using BackOffice.Domain.Boxes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Boxes;

/// <summary>What an admin enters for a box.</summary>
public sealed class BoxInput
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string Address { get; set; } = "";
    public string TimeZoneId { get; set; } = "Europe/Berlin";
    public bool OpenAroundTheClock { get; set; }
    public int PickupDeadlineDays { get; set; } = Box.DefaultPickupDeadlineDays;
    public bool FourEyesLoading { get; set; }
    public List<OpeningPeriodInput> OpeningHours { get; set; } = [];
}

public sealed class OpeningPeriodInput
{
    public DayOfWeek Day { get; set; }
    public TimeOnly Opens { get; set; }
    public TimeOnly Closes { get; set; }
}

/// <summary>A module added to a box: rows from top to bottom, small compartments on top, large at the bottom.</summary>
public sealed record ModuleLayout(int SmallRows, int MediumRows, int LargeRows, int AccessibleFromRow, int AccessibleToRow)
{
    public int Rows => SmallRows + MediumRows + LargeRows;

    /// <summary>The module the vendor ships most: 20 compartments, rows 6 to 15 reachable from a wheelchair.</summary>
    public static ModuleLayout Standard { get; } = new(12, 5, 3, 6, 15);
}

/// <summary>The outcome of a change: either done, or the refusals keyed by field ("" for the form as a whole).</summary>
public sealed record ChangeResult(IReadOnlyDictionary<string, Refusal> Errors)
{
    public static ChangeResult Done { get; } = new(new Dictionary<string, Refusal>());

    public bool Succeeded => Errors.Count == 0;

    public static ChangeResult Failed(string field, RefusalCode code, params object[] arguments) =>
        new(new Dictionary<string, Refusal> { [field] = new Refusal(code, arguments) });
}

public sealed record BoxSummary(
    Guid Id, string Code, string Name, string Address, int Compartments, int Free, int OutOfService,
    bool Online, DateTimeOffset? LastHeartbeatAt, DateTimeOffset? KeyIssuedAt, uint Version);

/// <summary>Boxes, their modules and compartments, and their bridge keys: the admin's side of a box.</summary>
/// <remarks>Singleton; every call uses its own database context. Every change is audited with the acting staff member.</remarks>
public sealed partial class BoxAdministration(
    IApplicationDbContextFactory contextFactory,
    AuditTrail audit,
    IBridgeDispatcher dispatcher,
    TimeProvider timeProvider,
    IOptions<BridgeTimingOptions> bridgeSettings)
{
    public const int MaxRowsPerModule = 40;

    public async Task<IReadOnlyList<BoxSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var boxes = await db.Boxes.AsNoTracking().OrderBy(b => b.Code).ToListAsync(cancellationToken);
        var counts = await db.Compartments.GroupBy(c => c.BoxId)
            .Select(g => new
            {
                BoxId = g.Key,
                All = g.Count(),
                Free = g.Count(c => c.State == CompartmentState.Free),
                OutOfService = g.Count(c => c.State == CompartmentState.OutOfService),
            })
            .ToDictionaryAsync(c => c.BoxId, cancellationToken);
        return boxes.Select(b =>
        {
            counts.TryGetValue(b.Id, out var c);
            return new BoxSummary(b.Id, b.Code, b.Name, b.Address, c?.All ?? 0, c?.Free ?? 0, c?.OutOfService ?? 0,
                b.IsOnline(now, bridgeSettings.Value.HeartbeatTimeout), b.LastHeartbeatAt, b.BridgeKeyIssuedAt, b.Version);
        }).ToList();
    }

    /// <summary>
    /// The box with opening hours and compartments (module, row order), untracked. The hours come in no particular
    /// order (the day is stored as its name, so SQL would sort Freitag before Montag): show them through
    /// <see cref="OpeningPeriod.InWeekOrder"/>.
    /// </summary>
    public async Task<Box?> GetAsync(Guid boxId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        return await db.Boxes.AsNoTracking()
            .Include(b => b.OpeningHours)
            .Include(b => b.Compartments.OrderBy(c => c.Module).ThenBy(c => c.Row))
            .AsSplitQuery()
            .FirstOrDefaultAsync(b => b.Id == boxId, cancellationToken);
    }

    public async Task<(ChangeResult Result, Guid? BoxId)> CreateAsync(BoxInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = Validate(input);
        if (errors.Count > 0)
        {
            return (new ChangeResult(errors), null);
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var code = input.Code.Trim().ToUpperInvariant();
        if (await db.Boxes.AnyAsync(b => b.Code == code, cancellationToken))
        {
            return (ChangeResult.Failed(nameof(BoxInput.Code), RefusalCode.BoxCodeTaken, code), null);
        }
        var box = new Box { Id = Guid.NewGuid() };
        Apply(box, input);
        db.Boxes.Add(box);
        audit.Record(db, actor, "box.created", $"box:{box.Code}", "ok", box.Name);
        await db.SaveChangesAsync(cancellationToken);
        return (ChangeResult.Done, box.Id);
    }

    /// <summary>
    /// What an edit of the box's settings starts from (<see cref="UpdateAsync"/>): changes when a setting changes, not
    /// when the box's bridge reports, which rewrites the row (and its row version) every few seconds.
    /// </summary>
    /// <remarks>Needs the box's opening hours loaded.</remarks>
    public static uint SettingsStamp(Box box)
    {
        ArgumentNullException.ThrowIfNull(box);
        var settings = string.Join('\n', Settings(box).Select(s => $"{s.Key}={s.Value}"));
        return BitConverter.ToUInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(settings)), 0);
    }

    /// <summary>
    /// Saves an edit made on the settings <paramref name="settingsStamp"/> stands for; refuses if someone else changed the
    /// settings in between. The box's own reports (heartbeat, return bin) in between do not count.
    /// </summary>
    public async Task<ChangeResult> UpdateAsync(Guid boxId, uint settingsStamp, BoxInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = Validate(input);
        if (errors.Count > 0)
        {
            return new ChangeResult(errors);
        }
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contextFactory.CreateAsync(cancellationToken);
            var box = await db.Boxes.Include(b => b.OpeningHours).FirstOrDefaultAsync(b => b.Id == boxId, cancellationToken);
            if (box is null)
            {
                return ChangeResult.Failed("", RefusalCode.BoxGone);
            }
            if (SettingsStamp(box) != settingsStamp)
            {
                return ChangeResult.Failed("", RefusalCode.BoxChangedMeanwhile);
            }
            var code = input.Code.Trim().ToUpperInvariant();
            if (code != box.Code && await db.Boxes.AnyAsync(b => b.Code == code, cancellationToken))
            {
                return ChangeResult.Failed(nameof(BoxInput.Code), RefusalCode.BoxCodeTaken, code);
            }
            var before = Settings(box);
            db.OpeningPeriods.RemoveRange(box.OpeningHours);
            Apply(box, input);
            audit.Record(db, actor, "box.updated", $"box:{box.Code}", "ok", DescribeChanges(before, Settings(box)));
            try
            {
                // The row version read above guards the moment between this read and the write.
                await db.SaveChangesAsync(cancellationToken);
                return ChangeResult.Done;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // Someone wrote the row since the read, most likely the box's heartbeat: read again and compare the settings.
            }
            catch (DbUpdateConcurrencyException)
            {
                return ChangeResult.Failed("", RefusalCode.BoxChangedMeanwhile);
            }
        }
    }

    /// <summary>Adds a module to the right of the existing ones, with its compartments.</summary>
    public async Task<ChangeResult> AddModuleAsync(Guid boxId, ModuleLayout layout, string actor, CancellationToken cancellationToken = default)
    {
        if (layout.SmallRows < 0 || layout.MediumRows < 0 || layout.LargeRows < 0 || layout.Rows is < 1 or > MaxRowsPerModule)
        {
            return ChangeResult.Failed("Rows", RefusalCode.ModuleRows, MaxRowsPerModule);
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var box = await db.Boxes.FirstOrDefaultAsync(b => b.Id == boxId, cancellationToken);
        if (box is null)
        {
            return ChangeResult.Failed("", RefusalCode.BoxGone);
        }
        var module = (await db.Compartments.Where(c => c.BoxId == boxId).MaxAsync(c => (int?)c.Module, cancellationToken) ?? 0) + 1;
        if (module > 99)
        {
            return ChangeResult.Failed("", RefusalCode.TooManyModules, 99);
        }
        db.Compartments.AddRange(CompartmentsFor(boxId, module, layout));
        audit.Record(db, actor, "box.module.added", $"box:{box.Code}", "ok", $"module {module}: {layout.Rows} compartments");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return ChangeResult.Failed("", RefusalCode.ModuleAddedMeanwhile);
        }
        return ChangeResult.Done;
    }

    public static IEnumerable<Compartment> CompartmentsFor(Guid boxId, int module, ModuleLayout layout) =>
        Enumerable.Range(1, layout.Rows).Select(row => new Compartment
        {
            Id = Guid.NewGuid(),
            BoxId = boxId,
            Module = module,
            Row = row,
            Label = Compartment.LabelFor(module, row),
            Size = row <= layout.SmallRows ? CompartmentSize.S
                : row <= layout.SmallRows + layout.MediumRows ? CompartmentSize.M : CompartmentSize.L,
            Accessible = row >= layout.AccessibleFromRow && row <= layout.AccessibleToRow,
        });

    /// <summary>Takes a free compartment out of service (broken door, ...); an occupied one must be emptied first.</summary>
    public async Task<ChangeResult> TakeOutOfServiceAsync(Guid compartmentId, uint version, string reason, string actor, CancellationToken cancellationToken = default)
    {
        reason = reason.Trim();
        if (reason.Length is 0 or > Compartment.ReasonMaxLength)
        {
            return ChangeResult.Failed("Reason", RefusalCode.OutOfServiceReasonRequired, Compartment.ReasonMaxLength);
        }
        return await ChangeCompartmentAsync(compartmentId, version, actor, "compartment.out_of_service", reason, compartment =>
        {
            if (compartment.State != CompartmentState.Free)
            {
                return new Refusal(RefusalCode.OnlyFreeCompartmentOutOfService);
            }
            compartment.TakeOutOfService(reason);
            return null;
        }, cancellationToken);
    }

    public Task<ChangeResult> ReturnToServiceAsync(Guid compartmentId, uint version, string actor, CancellationToken cancellationToken = default) =>
        ChangeCompartmentAsync(compartmentId, version, actor, "compartment.in_service", null, compartment =>
        {
            if (compartment.State != CompartmentState.OutOfService)
            {
                return new Refusal(RefusalCode.CompartmentNotOutOfService);
            }
            compartment.ReturnToService();
            return null;
        }, cancellationToken);

    /// <summary>Issues a new bridge key (the old one stops working at once). The key is returned once and never stored.</summary>
    public async Task<string?> IssueBridgeKeyAsync(Guid boxId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var box = await db.Boxes.FirstOrDefaultAsync(b => b.Id == boxId, cancellationToken);
        if (box is null)
        {
            return null;
        }
        var key = BridgeKeys.Generate();
        var rotated = box.BridgeKeyHash is not null;
        box.BridgeKeyHash = BridgeKeys.Hash(key);
        box.BridgeKeyIssuedAt = timeProvider.GetUtcNow();
        audit.Record(db, actor, rotated ? "box.key.rotated" : "box.key.issued", $"box:{box.Code}", "ok");
        await db.SaveChangesAsync(cancellationToken);
        // The bridge still connected with the old key must not keep its connection.
        await dispatcher.DisconnectAsync(boxId, cancellationToken);
        return key;
    }

    private async Task<ChangeResult> ChangeCompartmentAsync(
        Guid compartmentId, uint version, string actor, string action, string? details,
        Func<Compartment, Refusal?> change, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var compartment = await db.Compartments.FirstOrDefaultAsync(c => c.Id == compartmentId, cancellationToken);
        if (compartment is null)
        {
            return ChangeResult.Failed("", RefusalCode.CompartmentGone);
        }
        db.ExpectConcurrencyToken(compartment, c => c.Version, version);
        var refusal = change(compartment);
        if (refusal is not null)
        {
            return new ChangeResult(new Dictionary<string, Refusal> { [""] = refusal });
        }
        var code = await db.Boxes.Where(b => b.Id == compartment.BoxId).Select(b => b.Code).FirstAsync(cancellationToken);
        audit.Record(db, actor, action, $"compartment:{code}/{compartment.Label}", "ok", details);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ChangeResult.Failed("", RefusalCode.CompartmentChangedMeanwhile);
        }
        return ChangeResult.Done;
    }

    /// <summary>The box's settings as an auditor reads them, to record what an edit changed.</summary>
    private static Dictionary<string, string> Settings(Box box) => new()
    {
        ["code"] = box.Code,
        ["name"] = box.Name,
        ["address"] = box.Address,
        ["time zone"] = box.TimeZoneId,
        ["24/7"] = box.OpenAroundTheClock ? "yes" : "no",
        ["pickup deadline days"] = box.PickupDeadlineDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["four-eyes loading"] = box.FourEyesLoading ? "yes" : "no",
        ["opening hours"] = string.Join(", ", OpeningPeriod.InWeekOrder(box.OpeningHours)
            .Select(p => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p.Day.ToString()[..3]} {p.Opens:HH:mm}-{p.Closes:HH:mm}"))),
    };

    internal static string DescribeChanges(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var changes = after.Where(a => before.GetValueOrDefault(a.Key) != a.Value)
            .Select(a => $"{a.Key}: '{before.GetValueOrDefault(a.Key)}' -> '{a.Value}'")
            .ToList();
        return changes.Count == 0 ? "no change" : string.Join("; ", changes);
    }

    private static void Apply(Box box, BoxInput input)
    {
        box.Code = input.Code.Trim().ToUpperInvariant();
        box.Name = input.Name.Trim();
        box.Address = input.Address.Trim();
        box.TimeZoneId = input.TimeZoneId;
        box.OpenAroundTheClock = input.OpenAroundTheClock;
        box.PickupDeadlineDays = input.PickupDeadlineDays;
        box.FourEyesLoading = input.FourEyesLoading;
        box.OpeningHours = input.OpeningHours
            // No key set: EF generates it and so knows these rows are new (a set key would mean "existing, update it").
            .Select(p => new OpeningPeriod { BoxId = box.Id, Day = p.Day, Opens = p.Opens, Closes = p.Closes })
            .ToList();
    }

    internal static Dictionary<string, Refusal> Validate(BoxInput input)
    {
        var errors = new Dictionary<string, Refusal>();
        if (!BoxCode().IsMatch(input.Code.Trim().ToUpperInvariant()))
        {
            errors[nameof(BoxInput.Code)] = new Refusal(RefusalCode.BoxCodeFormat);
        }
        if (input.Name.Trim().Length is 0 or > Box.NameMaxLength)
        {
            errors[nameof(BoxInput.Name)] = new Refusal(RefusalCode.BoxNameRequired, Box.NameMaxLength);
        }
        if (input.Address.Trim().Length is 0 or > Box.AddressMaxLength)
        {
            errors[nameof(BoxInput.Address)] = new Refusal(RefusalCode.BoxAddressRequired, Box.AddressMaxLength);
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(input.TimeZoneId, out _))
        {
            errors[nameof(BoxInput.TimeZoneId)] = new Refusal(RefusalCode.UnknownTimeZone);
        }
        if (input.PickupDeadlineDays is < 1 or > 60)
        {
            errors[nameof(BoxInput.PickupDeadlineDays)] = new Refusal(RefusalCode.PickupDeadlineDays, 1, 60);
        }
        if (input.OpeningHours.Any(p => p.Opens >= p.Closes))
        {
            errors[nameof(BoxInput.OpeningHours)] = new Refusal(RefusalCode.OpeningPeriodReversed);
        }
        else if (input.OpeningHours.GroupBy(p => p.Day).Any(day =>
                     day.OrderBy(p => p.Opens).Zip(day.OrderBy(p => p.Opens).Skip(1)).Any(pair => pair.Second.Opens < pair.First.Closes)))
        {
            errors[nameof(BoxInput.OpeningHours)] = new Refusal(RefusalCode.OpeningPeriodsOverlap);
        }
        else if (!input.OpenAroundTheClock && input.OpeningHours.Count == 0)
        {
            errors[nameof(BoxInput.OpeningHours)] = new Refusal(RefusalCode.NoOpeningHours);
        }
        return errors;
    }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{1,19}$")]
    private static partial Regex BoxCode();
}
