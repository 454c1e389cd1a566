using BackOffice.Application.Boxes;
using BackOffice.Application.Bridge;
using BackOffice.Domain.Boxes;
using BackOffice.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Infrastructure.Seeding;

/// <summary>
/// Development demo boxes: DLZ-1 (620 compartments, open 24/7, with a fixed bridge key so infra/run.sh can start a
/// simulated bridge for it) and HOL-1 (80 compartments, office hours, no key yet). Never runs outside Development.
/// </summary>
public sealed class DemoBoxes(IDbContextFactory<BackOfficeDbContext> contextFactory, TimeProvider timeProvider) : IDemoDataSeeder
{
    /// <summary>Development only; known to infra/run.sh. A real key is issued on the administration page.</summary>
    public const string DevelopmentBridgeKeyDlz1 = "abx1_development-only-key-for-DLZ-1-000000000";

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Boxes.AnyAsync(cancellationToken))
        {
            return;
        }
        var dlz = CreateBox("DLZ-1", "Dienstleistungszentrum", "Willi-Becker-Allee 7, 40227 Düsseldorf", modules: 31, DevelopmentBridgeKeyDlz1);
        // The demo box runs around the clock, so a pickup can be tried at any hour; HOL-1 keeps office hours.
        dlz.OpenAroundTheClock = true;
        db.Boxes.Add(dlz);
        db.Boxes.Add(CreateBox("HOL-1", "Bürgerbüro Holthausen", "Am Langen Weiher 19, 40589 Düsseldorf", modules: 4, bridgeKey: null));
        await db.SaveChangesAsync(cancellationToken);
    }

    private Box CreateBox(string code, string name, string address, int modules, string? bridgeKey)
    {
        var box = new Box
        {
            Id = Guid.NewGuid(),
            Code = code,
            Name = name,
            Address = address,
            BridgeKeyHash = bridgeKey is null ? null : BridgeKeys.Hash(bridgeKey),
            BridgeKeyIssuedAt = bridgeKey is null ? null : timeProvider.GetUtcNow(),
            OpeningHours = StandardOpeningHours(),
        };
        box.Compartments = Enumerable.Range(1, modules)
            .SelectMany(module => BoxAdministration.CompartmentsFor(box.Id, module, ModuleLayout.Standard))
            .ToList();
        return box;
    }

    /// <summary>Mon/Tue 7:30–16:00, Wed/Fri 7:30–13:00, Thu 7:30–18:00.</summary>
    private static List<OpeningPeriod> StandardOpeningHours()
    {
        var opens = new TimeOnly(7, 30);
        return
        [
            Period(DayOfWeek.Monday, opens, new TimeOnly(16, 0)),
            Period(DayOfWeek.Tuesday, opens, new TimeOnly(16, 0)),
            Period(DayOfWeek.Wednesday, opens, new TimeOnly(13, 0)),
            Period(DayOfWeek.Thursday, opens, new TimeOnly(18, 0)),
            Period(DayOfWeek.Friday, opens, new TimeOnly(13, 0)),
        ];
    }

    private static OpeningPeriod Period(DayOfWeek day, TimeOnly opens, TimeOnly closes) =>
        new() { Id = Guid.NewGuid(), Day = day, Opens = opens, Closes = closes };
}
