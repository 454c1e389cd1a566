using BackOffice.Domain.Boxes;
using BackOffice.Domain.Operations;
using BackOffice.Domain.Staff;

namespace BackOffice.Application.Operations;

/// <summary>A cause that should have an alarm now. <see cref="Key"/> identifies it across evaluations.</summary>
public sealed record AlarmCondition(AlarmKind Kind, Guid? BoxId, string Key, string Subject);

/// <summary>A box as the alarm rules see it.</summary>
public sealed record BoxFacts(Guid BoxId, string Code, DateTimeOffset? LastHeartbeatAt, int? BinFillPercent, int RecentRefusals);

/// <summary>A compartment whose door is open, and since when.</summary>
public sealed record OpenDoor(Guid BoxId, Guid CompartmentId, string Label, DateTimeOffset Since);

/// <summary>A compartment the box reports a fault of.</summary>
public sealed record FaultyCompartment(Guid BoxId, Guid CompartmentId, string Label);

/// <summary>An SMS given up (its box from the document it was about, if any).</summary>
public sealed record FailedSms(Guid SmsId, Guid? BoxId);

/// <summary>What the causes look like at one moment.</summary>
public sealed record AlarmFacts(
    IReadOnlyList<BoxFacts> Boxes, IReadOnlyList<OpenDoor> OpenDoors, IReadOnlyList<FaultyCompartment> Faults, IReadOnlyList<FailedSms> FailedSms);

/// <summary>Which causes deserve an alarm: pure, so the thresholds are tested without a clock or a database.</summary>
public static class AlarmRules
{
    public static IReadOnlyList<AlarmCondition> Evaluate(AlarmFacts facts, DateTimeOffset now, AlarmOptions options, TimeSpan heartbeatTimeout)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(options);
        var conditions = new List<AlarmCondition>();
        foreach (var box in facts.Boxes)
        {
            // A box that never reported is not commissioned yet: not "offline".
            if (box.LastHeartbeatAt is not null && !Box.IsOnline(box.LastHeartbeatAt, now, heartbeatTimeout))
            {
                conditions.Add(new(AlarmKind.BoxOffline, box.BoxId, $"box-offline:{box.BoxId}", box.Code));
            }
            if (box.BinFillPercent is { } fill && fill >= options.BinFillPercent)
            {
                conditions.Add(new(AlarmKind.BinFull, box.BoxId, $"bin-full:{box.BoxId}", $"{fill} %"));
            }
            if (box.RecentRefusals >= options.RefusalBurstCount)
            {
                conditions.Add(new(AlarmKind.PickupRefusals, box.BoxId, $"pickup-refusals:{box.BoxId}", box.RecentRefusals.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        var doorLimit = TimeSpan.FromMinutes(options.DoorOpenMinutes);
        conditions.AddRange(facts.OpenDoors
            .Where(d => now - d.Since > doorLimit)
            .Select(d => new AlarmCondition(AlarmKind.DoorOpen, d.BoxId, $"door-open:{d.CompartmentId}", d.Label)));
        conditions.AddRange(facts.Faults
            .Select(f => new AlarmCondition(AlarmKind.CompartmentFault, f.BoxId, $"fault:{f.CompartmentId}", f.Label)));
        conditions.AddRange(facts.FailedSms
            .Select(s => new AlarmCondition(AlarmKind.SmsFailed, s.BoxId, $"sms-failed:{s.SmsId}", s.SmsId.ToString("N")[..8])));
        return conditions;
    }

    /// <summary>Who an alarm is for: the badge and the list show each role its kinds (the supervisor all).</summary>
    public static IReadOnlyList<AlarmKind> KindsFor(IEnumerable<string> roles)
    {
        var set = roles.ToHashSet(StringComparer.Ordinal);
        return Enum.GetValues<AlarmKind>().Where(kind => RolesFor(kind).Any(set.Contains)).ToList();
    }

    public static IReadOnlyList<string> RolesFor(AlarmKind kind) => kind switch
    {
        AlarmKind.DoorOpen or AlarmKind.BinFull or AlarmKind.SmsFailed => [StaffRoles.Clerk, StaffRoles.Supervisor],
        AlarmKind.BoxOffline or AlarmKind.CompartmentFault => [StaffRoles.Supervisor, StaffRoles.Admin],
        AlarmKind.PickupRefusals => [StaffRoles.Supervisor],
        _ => [StaffRoles.Supervisor],
    };
}
