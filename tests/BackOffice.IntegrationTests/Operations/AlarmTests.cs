using BackOffice.Application.Operations;
using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Messaging;
using BackOffice.Domain.Operations;
using BackOffice.Domain.Pickup;
using BackOffice.Domain.Staff;
using BackOffice.Testing;

namespace BackOffice.IntegrationTests.Operations;

/// <summary>Alarms raised from the causes, once, ended with them, audited, and e-mailed over SMTP with STARTTLS.</summary>
public class AlarmTests(AlarmAppFactory app) : IClassFixture<AlarmAppFactory>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DoorOpenLongerThanTwoMinutes_IsRaisedOnce_MailedToTheBoxAddress_AndResolvesItselfWhenTheDoorCloses()
    {
        var (box, compartment, label) = await CompartmentAsync("HOL-1");
        var monitor = new FakeBoxMonitor();
        var alarms = app.NewAlarmService(monitor);
        var opened = app.Clock.GetUtcNow();
        void Door(DoorState door) => monitor.SetBox(box, "HOL-1", app.Clock.GetUtcNow(), 10,
            FakeBoxMonitor.Cell(box, compartment, label, door, door == DoorState.Open ? CellState.DoorOpen : CellState.Free, opened));
        Door(DoorState.Open);

        await alarms.EvaluateAsync(Token);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Door(DoorState.Open);
        await alarms.EvaluateAsync(Token);
        Assert.Empty(await AlarmsAsync(box));

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        for (var heartbeat = 0; heartbeat < 5; heartbeat++)
        {
            Door(DoorState.Open);
            await alarms.EvaluateAsync(Token);
            app.Clock.Advance(TimeSpan.FromSeconds(10));
        }

        var alarm = Assert.Single(await AlarmsAsync(box));
        Assert.Equal(AlarmKind.DoorOpen, alarm.Kind);
        Assert.Equal(label, alarm.Subject);
        Assert.True(alarm.IsOpen);
        Assert.Contains(await alarms.ListAsync(AlarmRules.KindsFor([StaffRoles.Clerk]), false, Token), a => a.Id == alarm.Id && a.BoxCode == "HOL-1");
        Assert.DoesNotContain(await alarms.ListAsync(AlarmRules.KindsFor([StaffRoles.Admin]), false, Token), a => a.Id == alarm.Id);

        // HOL-1 has no address of its own: the default recipient, over STARTTLS with the pinned certificate.
        // The raise woke the app's own mail dispatcher; a round here finds the mail sent or sends it.
        await app.MailDispatcher.DispatchDueAsync(Token);
        await Eventually.WaitUntilAsync(() => app.Smtp.Messages().Any(m => m.Contains(label, StringComparison.Ordinal)), "the alarm e-mail arrived");
        var mail = Assert.Single(app.Smtp.Messages(), m => m.Contains(label, StringComparison.Ordinal) && m.Contains("HOL-1", StringComparison.Ordinal));
        using var parsed = MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mail)), Token);
        Assert.Equal(AlarmAppFactory.DefaultAddress, Assert.Single(parsed.To.Mailboxes).Address);
        Assert.Equal($"[Ausgabebox HOL-1] Alarm: Fachtür zu lange offen ({label})", parsed.Subject);
        Assert.Contains($"Die Tür von Fach {label} ist seit mehr als 2 Minuten offen.", parsed.TextBody, StringComparison.Ordinal);
        // The server has the mail; the dispatcher that sent it records that a moment later.
        await Eventually.WaitUntilAsync(async () =>
        {
            await using var db = await app.NewDbContextAsync();
            return (await db.AlarmMails.AsNoTracking().SingleAsync(m => m.AlarmId == alarm.Id, Token)).Status == OutboxStatus.Delivered;
        }, "the alarm e-mail is recorded as delivered");

        Door(DoorState.Closed);
        await alarms.EvaluateAsync(Token);

        var resolved = Assert.Single(await AlarmsAsync(box));
        Assert.False(resolved.IsOpen);
        Assert.False(resolved.CauseActive);
        Assert.Equal("system", resolved.ResolvedBy);
        await using var check = await app.NewDbContextAsync();
        var audit = await check.AuditEntries.AsNoTracking().Where(a => a.Subject == "box:HOL-1" && a.Action.StartsWith("alarm.")).ToListAsync(Token);
        Assert.Equal(["alarm.raised", "alarm.resolved"], audit.OrderBy(a => a.Id).Select(a => a.Action));
    }

    [Fact]
    public async Task EachCause_RaisesItsAlarm_AtItsThreshold_AndEndsWithIt()
    {
        var (box, compartment, label) = await CompartmentAsync("DLZ-1");
        // Other tests of the class leave alarms at DLZ-1 behind; whichever ran before, this one starts without them.
        await ClearAlarmsAsync(box);
        var monitor = new FakeBoxMonitor();
        var alarms = app.NewAlarmService(monitor);
        var now = app.Clock.GetUtcNow();
        // Four refused pickups: not yet a burst.
        await RefusalsAsync(box, 4, now.AddMinutes(-9));
        var sms = await FailedSmsAsync();
        monitor.SetBox(box, "DLZ-1", now - TimeSpan.FromMinutes(5), 89,
            FakeBoxMonitor.Cell(box, compartment, label, state: CellState.Fault));

        await alarms.EvaluateAsync(Token);

        Assert.Equal([AlarmKind.BoxOffline, AlarmKind.CompartmentFault], (await AlarmsAsync(box)).Select(a => a.Kind).Order());
        await using (var db = await app.NewDbContextAsync())
        {
            Assert.Single(await db.Alarms.AsNoTracking().Where(a => a.Key == $"sms-failed:{sms}" && a.CauseActive).ToListAsync(Token));
        }

        await RefusalsAsync(box, 1, now.AddMinutes(-1));
        monitor.SetBox(box, "DLZ-1", now, 90, FakeBoxMonitor.Cell(box, compartment, label));
        await alarms.EvaluateAsync(Token);

        var open = (await AlarmsAsync(box)).Where(a => a.IsOpen).Select(a => a.Kind).Order();
        Assert.Equal([AlarmKind.BinFull, AlarmKind.PickupRefusals], open);
        Assert.All((await AlarmsAsync(box)).Where(a => a.Kind is AlarmKind.BoxOffline or AlarmKind.CompartmentFault),
            a => Assert.Equal("system", a.ResolvedBy));

        // Ten minutes on, the burst is over; the SMS sent again ends its alarm.
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        monitor.SetBox(box, "DLZ-1", app.Clock.GetUtcNow(), 90, FakeBoxMonitor.Cell(box, compartment, label));
        await using (var db = await app.NewDbContextAsync())
        {
            await db.OutgoingSms.Where(m => m.Id == sms).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, SmsStatus.Sent), Token);
        }
        await alarms.EvaluateAsync(Token);

        Assert.Equal([AlarmKind.BinFull], (await AlarmsAsync(box)).Where(a => a.IsOpen).Select(a => a.Kind));
        await using var check = await app.NewDbContextAsync();
        Assert.False((await check.Alarms.AsNoTracking().SingleAsync(a => a.Key == $"sms-failed:{sms}", Token)).CauseActive);
    }

    [Fact]
    public async Task Staff_AcknowledgeAndResolve_WhoAndWhen_AndAResolvedCauseIsNotRaisedAgainUntilItEndedOnce()
    {
        var (box, _, _) = await CompartmentAsync("DLZ-1");
        var monitor = new FakeBoxMonitor();
        var alarms = app.NewAlarmService(monitor);
        await ClearAlarmsAsync(box);
        monitor.SetBox(box, "DLZ-1", app.Clock.GetUtcNow(), 95);
        await alarms.EvaluateAsync(Token);
        var alarm = Assert.Single(await AlarmsAsync(box));

        Assert.True(await alarms.AcknowledgeAsync(alarm.Id, "staff:sachbearbeitung@demo.local", Token));
        Assert.False(await alarms.AcknowledgeAsync(alarm.Id, "staff:teamleitung@demo.local", Token), "acknowledged once");
        Assert.True(await alarms.ResolveAsync(alarm.Id, "staff:teamleitung@demo.local", Token));
        Assert.False(await alarms.ResolveAsync(alarm.Id, "staff:teamleitung@demo.local", Token), "resolved once");

        var line = Assert.Single(await alarms.ListAsync(AlarmRules.KindsFor([StaffRoles.Supervisor]), true, Token), a => a.Id == alarm.Id);
        Assert.Equal("staff:sachbearbeitung@demo.local", line.AcknowledgedBy);
        Assert.Equal("staff:teamleitung@demo.local", line.ResolvedBy);
        Assert.NotNull(line.AcknowledgedAt);
        Assert.NotNull(line.ResolvedAt);

        // The bin is still full: resolved by a person, the alarm is not raised again at every evaluation.
        await alarms.EvaluateAsync(Token);
        Assert.Single(await AlarmsAsync(box));

        monitor.SetBox(box, "DLZ-1", app.Clock.GetUtcNow(), 0);
        await alarms.EvaluateAsync(Token);
        monitor.SetBox(box, "DLZ-1", app.Clock.GetUtcNow(), 91);
        await alarms.EvaluateAsync(Token);
        Assert.Equal(2, (await AlarmsAsync(box)).Count);
        Assert.True(await alarms.CountOpenAsync(AlarmRules.KindsFor([StaffRoles.Clerk]), Token) >= 1);

        await using var check = await app.NewDbContextAsync();
        var audit = await check.AuditEntries.AsNoTracking()
            .Where(a => a.Subject == "box:DLZ-1" && a.Details != null && a.Details.Contains(alarm.Id.ToString())).OrderBy(a => a.Id).ToListAsync(Token);
        Assert.Equal(["alarm.raised", "alarm.acknowledged", "alarm.resolved"], audit.Select(a => a.Action));
        Assert.Equal("staff:teamleitung@demo.local", audit[^1].Actor);
    }

    [Fact]
    public async Task SmtpServerWithoutStartTls_IsRefused_NothingGoesOutInClear()
    {
        await using var plain = await SmtpTestServer.StartAsync(tls: false);
        var sender = new BackOffice.Infrastructure.Operations.SmtpAlarmMailSender(Microsoft.Extensions.Options.Options.Create(new AlarmMailOptions
        {
            Host = "127.0.0.1", Port = plain.Port, From = "ausgabebox@stadt.example", DefaultRecipient = "x@stadt.example",
        }));

        var error = await sender.SendAsync(new AlarmMail { Id = Guid.NewGuid(), Recipient = "x@stadt.example", Subject = "Test", Body = "Geheim" }, Token);

        Assert.NotNull(error);
        Assert.Contains("STARTTLS", error, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(plain.Messages());
    }

    [Fact]
    public async Task ACertificateOtherThanThePinnedOne_IsRefused()
    {
        var sender = new BackOffice.Infrastructure.Operations.SmtpAlarmMailSender(Microsoft.Extensions.Options.Options.Create(new AlarmMailOptions
        {
            Host = "127.0.0.1", Port = app.Smtp.Port, From = "ausgabebox@stadt.example", DefaultRecipient = "x@stadt.example",
            ServerCertificateSha256 = new string('A', 64),
        }));
        // The app's own dispatcher may deliver other tests' alarm mails meanwhile: look for this mail only.
        var subject = $"Test {Guid.NewGuid():N}";

        var error = await sender.SendAsync(new AlarmMail { Id = Guid.NewGuid(), Recipient = "x@stadt.example", Subject = subject, Body = "x" }, Token);

        Assert.NotNull(error);
        Assert.DoesNotContain(app.Smtp.Messages(), m => m.Contains(subject, StringComparison.Ordinal));
    }

    private async Task<(Guid Box, Guid Compartment, string Label)> CompartmentAsync(string code)
    {
        await using var db = await app.NewDbContextAsync();
        var box = await db.Boxes.AsNoTracking().SingleAsync(b => b.Code == code, Token);
        var compartment = await db.Compartments.AsNoTracking().Where(c => c.BoxId == box.Id).OrderBy(c => c.Label).FirstAsync(Token);
        return (box.Id, compartment.Id, compartment.Label);
    }

    private async Task ClearAlarmsAsync(Guid box)
    {
        await using var db = await app.NewDbContextAsync();
        await db.Alarms.Where(a => a.BoxId == box).ExecuteDeleteAsync(Token);
    }

    private async Task<List<Alarm>> AlarmsAsync(Guid box)
    {
        await using var db = await app.NewDbContextAsync();
        return await db.Alarms.AsNoTracking().Where(a => a.BoxId == box && a.Kind != AlarmKind.SmsFailed).OrderBy(a => a.RaisedAt).ToListAsync(Token);
    }

    private async Task RefusalsAsync(Guid box, int count, DateTimeOffset at)
    {
        await using var db = await app.NewDbContextAsync();
        for (var i = 0; i < count; i++)
        {
            db.PickupRequests.Add(new PickupRequestRecord { BoxId = box, RequestId = Guid.NewGuid(), At = at, Granted = false, Message = "abgelehnt" });
        }
        await db.SaveChangesAsync(Token);
    }

    private async Task<Guid> FailedSmsAsync()
    {
        await using var db = await app.NewDbContextAsync();
        var sms = new OutgoingSms
        {
            Id = Guid.NewGuid(), CreatedAt = app.Clock.GetUtcNow(), Recipient = "+4917012345678", Purpose = SmsPurpose.PickupReminder,
            Status = SmsStatus.Failed, Attempts = 6, NextAttemptAt = app.Clock.GetUtcNow(), LastError = "HTTP 400",
        };
        db.OutgoingSms.Add(sms);
        await db.SaveChangesAsync(Token);
        return sms.Id;
    }
}
