using BackOffice.Application.Boxes;
using BackOffice.Application.Bridge;
using BackOffice.Domain.Boxes;
using BackOffice.Infrastructure.Persistence;
using BackOffice.IntegrationTests.Infrastructure;

namespace BackOffice.IntegrationTests;

public class BoxAdministrationTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    private const string Admin = "staff:admin@demo.local";

    private BoxAdministration Boxes => app.Services.GetRequiredService<BoxAdministration>();

    [Fact]
    public async Task DemoSeed_HasDlz1With620AndHol1With80Compartments()
    {
        var boxes = await Boxes.ListAsync(TestContext.Current.CancellationToken);

        var dlz = Assert.Single(boxes, b => b.Code == "DLZ-1");
        Assert.Equal("Dienstleistungszentrum", dlz.Name);
        Assert.Contains("Willi-Becker-Allee 7", dlz.Address, StringComparison.Ordinal);
        Assert.True(dlz.Compartments >= 620);
        Assert.Equal(80, Assert.Single(boxes, b => b.Code == "HOL-1").Compartments);
    }

    [Fact]
    public async Task DemoSeed_MixesSizesAndAccessibleCompartments()
    {
        var dlz = await Boxes.GetAsync((await Boxes.ListAsync()).Single(b => b.Code == "DLZ-1").Id);

        Assert.All(Enum.GetValues<CompartmentSize>(), size => Assert.Contains(dlz!.Compartments, c => c.Size == size));
        Assert.Contains(dlz!.Compartments, c => c.Accessible);
        Assert.Equal("01-01", dlz.Compartments.First().Label);
        Assert.True(dlz.OpenAroundTheClock);
        Assert.True(dlz.IsOpenAt(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero)), "DLZ-1 runs 24/7.");
        var hol = await Boxes.GetAsync((await Boxes.ListAsync()).Single(b => b.Code == "HOL-1").Id);
        Assert.True(hol!.IsOpenAt(new DateTimeOffset(2026, 11, 19, 16, 0, 0, TimeSpan.Zero)), "Thursday 17:00 in Düsseldorf is open.");
        Assert.False(hol.IsOpenAt(new DateTimeOffset(2026, 11, 20, 13, 0, 0, TimeSpan.Zero)), "Friday 14:00 is closed.");
    }

    [Fact]
    public async Task Create_InvalidInput_ReportsEveryFieldAndStoresNothing()
    {
        var before = (await Boxes.ListAsync()).Count;

        var (result, id) = await Boxes.CreateAsync(new BoxInput
        {
            Code = "x",
            Name = "",
            Address = new string('a', 300),
            TimeZoneId = "Mars/Olympus",
            PickupDeadlineDays = 0,
            OpeningHours = [new OpeningPeriodInput { Day = DayOfWeek.Monday, Opens = new TimeOnly(16, 0), Closes = new TimeOnly(8, 0) }],
        }, Admin);

        Assert.False(result.Succeeded);
        Assert.Null(id);
        Assert.Equal(
            ["Address", "Code", "Name", "OpeningHours", "PickupDeadlineDays", "TimeZoneId"],
            result.Errors.Keys.Order());
        Assert.Equal(before, (await Boxes.ListAsync()).Count);
    }

    [Fact]
    public async Task Create_DuplicateCode_IsRefused()
    {
        var (result, _) = await Boxes.CreateAsync(ValidInput("dlz-1"), Admin);

        Assert.Equal("Code", Assert.Single(result.Errors).Key);
    }

    [Fact]
    public async Task CreateAndAddModule_NewBoxGetsLabelledCompartmentsAndAnAuditTrail()
    {
        var (created, id) = await Boxes.CreateAsync(ValidInput("TST-1"), Admin);
        Assert.True(created.Succeeded);

        Assert.True((await Boxes.AddModuleAsync(id!.Value, new ModuleLayout(2, 1, 1, 2, 3), Admin)).Succeeded);
        Assert.True((await Boxes.AddModuleAsync(id.Value, ModuleLayout.Standard, Admin)).Succeeded);

        var box = await Boxes.GetAsync(id.Value);
        Assert.Equal(24, box!.Compartments.Count);
        Assert.Equal(["01-01", "01-02", "01-03", "01-04"], box.Compartments.Where(c => c.Module == 1).Select(c => c.Label));
        Assert.Equal([CompartmentSize.S, CompartmentSize.S, CompartmentSize.M, CompartmentSize.L], box.Compartments.Where(c => c.Module == 1).Select(c => c.Size));
        Assert.Equal([false, true, true, false], box.Compartments.Where(c => c.Module == 1).Select(c => c.Accessible));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackOfficeDbContext>();
        Assert.Equal(["box.created", "box.module.added", "box.module.added"],
            await db.AuditEntries.Where(a => a.Subject == "box:TST-1").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Update_StaleVersion_IsRefusedAndKeepsTheOtherEdit()
    {
        var (_, id) = await Boxes.CreateAsync(ValidInput("TST-2"), Admin);
        var version = BoxAdministration.SettingsStamp((await Boxes.GetAsync(id!.Value))!);
        var first = await Boxes.UpdateAsync(id.Value, version, ValidInput("TST-2", name: "Erste Änderung"), Admin);
        Assert.True(first.Succeeded, string.Join("; ", first.Errors.Values));

        var stale = await Boxes.UpdateAsync(id.Value, version, ValidInput("TST-2", name: "Zweite Änderung"), Admin);

        Assert.False(stale.Succeeded);
        Assert.Equal("Erste Änderung", (await Boxes.GetAsync(id.Value))!.Name);
    }

    [Fact]
    public async Task Update_AfterTheBoxsHeartbeatRewroteTheRow_IsSaved()
    {
        var (_, id) = await Boxes.CreateAsync(ValidInput("TST-5"), Admin);
        var stamp = BoxAdministration.SettingsStamp((await Boxes.GetAsync(id!.Value))!);
        await using (var db = await app.NewDbContextAsync())
        {
            // What a heartbeat writes, every few seconds while the admin is typing.
            await db.Boxes.Where(b => b.Id == id.Value).ExecuteUpdateAsync(s => s
                .SetProperty(b => b.LastHeartbeatAt, DateTimeOffset.UtcNow).SetProperty(b => b.ReturnBinFillPercent, 40));
        }

        var result = await Boxes.UpdateAsync(id.Value, stamp, ValidInput("TST-5", name: "Nach dem Herzschlag"), Admin);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        Assert.Equal("Nach dem Herzschlag", (await Boxes.GetAsync(id.Value))!.Name);
    }

    [Fact]
    public async Task OutOfService_RequiresAReasonAndAFreeCompartment_AndComesBack()
    {
        var (_, id) = await Boxes.CreateAsync(ValidInput("TST-3"), Admin);
        await Boxes.AddModuleAsync(id!.Value, new ModuleLayout(2, 0, 0, 1, 1), Admin);
        var compartment = (await Boxes.GetAsync(id.Value))!.Compartments[0];

        Assert.False((await Boxes.TakeOutOfServiceAsync(compartment.Id, compartment.Version, "   ", Admin)).Succeeded);
        Assert.True((await Boxes.TakeOutOfServiceAsync(compartment.Id, compartment.Version, "Tür verzogen", Admin)).Succeeded);
        var taken = (await Boxes.GetAsync(id.Value))!.Compartments[0];
        Assert.Equal(CompartmentState.OutOfService, taken.State);
        Assert.Equal("Tür verzogen", taken.OutOfServiceReason);
        Assert.False((await Boxes.TakeOutOfServiceAsync(taken.Id, compartment.Version, "veraltet", Admin)).Succeeded);

        Assert.True((await Boxes.ReturnToServiceAsync(taken.Id, taken.Version, Admin)).Succeeded);
        Assert.Equal(CompartmentState.Free, (await Boxes.GetAsync(id.Value))!.Compartments[0].State);
    }

    [Fact]
    public async Task IssueBridgeKey_StoresOnlyTheHashAndRotationReplacesIt()
    {
        var (_, id) = await Boxes.CreateAsync(ValidInput("TST-4"), Admin);

        var first = await Boxes.IssueBridgeKeyAsync(id!.Value, Admin);
        var second = await Boxes.IssueBridgeKeyAsync(id.Value, Admin);

        Assert.True(BridgeKeys.LooksValid(first));
        Assert.NotEqual(first, second);
        var box = await Boxes.GetAsync(id.Value);
        Assert.Equal(BridgeKeys.Hash(second!), box!.BridgeKeyHash);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackOfficeDbContext>();
        var audit = await db.AuditEntries.Where(a => a.Subject == "box:TST-4").Select(a => a.Action + " " + a.Details).ToListAsync();
        Assert.Contains(audit, a => a.StartsWith("box.key.rotated", StringComparison.Ordinal));
        Assert.DoesNotContain(audit, a => a.Contains(second!, StringComparison.Ordinal) || a.Contains(first!, StringComparison.Ordinal));
    }

    private static BoxInput ValidInput(string code, string name = "Testbox") => new()
    {
        Code = code,
        Name = name,
        Address = "Teststraße 1, 40210 Düsseldorf",
        OpeningHours = [new OpeningPeriodInput { Day = DayOfWeek.Monday, Opens = new TimeOnly(7, 30), Closes = new TimeOnly(16, 0) }],
    };
}
