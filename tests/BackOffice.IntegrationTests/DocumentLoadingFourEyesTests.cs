using BackOffice.Application.Abstractions;
using BackOffice.Application.Boxes;
using BackOffice.Application.Common;
using BackOffice.Application.Reports;
using BackOffice.Domain.Documents;
using BackOffice.Infrastructure.Identity;
using static BackOffice.IntegrationTests.Infrastructure.BridgeAppFactory;

namespace BackOffice.IntegrationTests;

/// <summary>Four-eyes loading (a box setting): a second staff member confirms with their own password before the door opens.</summary>
public partial class DocumentLoadingTests
{
    private const string Witness = "teamleitung@demo.local";

    [Fact]
    public async Task Load_FourEyesBox_OpensOnlyWithASecondPersonsPassword_AndRecordsBothNames()
    {
        var key = await app.IssueKeyAsync("HOL-1");
        await app.StartBridgeAsync(key);
        var boxes = app.Services.GetRequiredService<BoxAdministration>();
        var boxId = (await boxes.ListAsync()).Single(b => b.Code == "HOL-1").Id;
        await SetFourEyesAsync(boxes, boxId, true);
        try
        {
            var documentId = await RegisterAsync("HOL-1");
            var proposal = await Loading.ProposeAsync([documentId]);
            Assert.True(proposal!.NeedsWitness);

            var alone = await Loading.StartAsync([documentId], proposal.CompartmentId, Clerk);
            var self = await Loading.StartAsync([documentId], proposal.CompartmentId, Clerk, witness: new WitnessPassword("Sachbearbeitung@demo.local", DemoStaff.Password));
            var wrongPassword = await Loading.StartAsync([documentId], proposal.CompartmentId, Clerk, witness: new WitnessPassword(Witness, "falsch"));

            Assert.Equal([RefusalCode.LoadWitnessRequired, RefusalCode.WitnessMustDiffer, RefusalCode.WitnessRefused],
                new[] { alone, self, wrongPassword }.Select(r => r.Refusal!.Code));
            Assert.Contains("Vier-Augen", app.Services.Words(alone.Refusal), StringComparison.Ordinal);
            await AssertBackAtCounterAsync(documentId, proposal.CompartmentId);

            var start = await Loading.StartAsync([documentId], proposal.CompartmentId, Clerk, witness: new WitnessPassword(Witness, DemoStaff.Password));

            Assert.True(start.Started, start.Refusal?.ToString());
            await WaitUntilAsync(async () => (await DocumentAsync(documentId)).State == DocumentState.ReadyForPickup, "the document is ready");
            await using var db = await app.NewDbContextAsync();
            Assert.Equal("staff:" + Witness, (await db.CompartmentLoads.SingleAsync(l => l.Id == start.LoadId)).ConfirmedBy);
            var lines = await db.DocumentEvents.Where(e => e.DocumentId == documentId && (e.Kind == DocumentEventKind.LoadStarted || e.Kind == DocumentEventKind.Loaded))
                .ToListAsync();
            Assert.Equal(2, lines.Count);
            Assert.All(lines, l => Assert.Equal((Clerk, "staff:" + Witness), (l.Actor, l.ConfirmedBy)));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "load.confirmed" && a.Actor == "staff:" + Witness));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "load.witness_refused" && a.Actor == Clerk));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "box.updated" && a.Details!.Contains("four-eyes loading: 'no' -> 'yes'")));

            // The Vorgangsauszug and the Tagesjournal name both people.
            var witnessName = DemoStaff.Accounts.Single(a => a.Email == Witness).DisplayName;
            var reports = app.Services.GetRequiredService<ReportService>();
            var requester = new ReportRequester(Clerk, "Sachbearbeitung");
            var history = (await reports.BuildAsync(new ReportRequest(ReportKind.DocumentHistory, DocumentId: documentId), requester)).Report!;
            var today = DateOnly.FromDateTime(OfficeClock.ToOfficeTime(app.Clock.GetUtcNow()).DateTime);
            var journal = (await reports.BuildAsync(new ReportRequest(ReportKind.DailyJournal, "HOL-1", today, today), requester)).Report!;
            foreach (var report in new[] { history, journal })
            {
                var cells = report.Blocks.OfType<ReportTable>().SelectMany(t => t.Rows).SelectMany(r => r).ToList();
                Assert.Contains(cells, c => c.EndsWith($", bestätigt von {witnessName}", StringComparison.Ordinal));
            }
        }
        finally
        {
            await SetFourEyesAsync(boxes, boxId, false);
        }
    }

    /// <summary>
    /// Saves the setting as the admin's form does. The running bridge's heartbeat changes the box's row (its concurrency
    /// token) every second, so a save between reading and writing is refused as "changed meanwhile": read again then.
    /// </summary>
    private static async Task SetFourEyesAsync(BoxAdministration boxes, Guid boxId, bool on)
    {
        for (var attempt = 1; ; attempt++)
        {
            var box = (await boxes.GetAsync(boxId))!;
            var input = new BoxInput
            {
                Code = box.Code, Name = box.Name, Address = box.Address, TimeZoneId = box.TimeZoneId, OpenAroundTheClock = box.OpenAroundTheClock,
                PickupDeadlineDays = box.PickupDeadlineDays, FourEyesLoading = on,
                OpeningHours = box.OpeningHours.Select(p => new OpeningPeriodInput { Day = p.Day, Opens = p.Opens, Closes = p.Closes }).ToList(),
            };
            var result = await boxes.UpdateAsync(boxId, BoxAdministration.SettingsStamp(box), input, "staff:admin@demo.local");
            if (result.Succeeded)
            {
                return;
            }
            Assert.True(attempt < 10 && result.Errors.Values.All(e => e.Code == RefusalCode.BoxChangedMeanwhile), string.Join(" ", result.Errors.Values));
        }
    }
}
