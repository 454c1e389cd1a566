using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using BackOffice.Application.Documents;
using BackOffice.Application.Messaging;
using BackOffice.Bridge.Contracts;
using BackOffice.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Benchmarks;

/// <summary>
/// Time from the panel's RequestPickup to Unlock(Pickup) reaching the bridge, PIN hashing included, measured at the bridge
/// (both loopback hops included, so an upper bound of the server's share). Documents are loaded for real first, and the
/// PINs read from the development SMS sender.
/// </summary>
internal static partial class PickupLatency
{
    public static async Task RunAsync(BenchmarkOptions options)
    {
        var pickups = options.Commands == 1000 ? 200 : options.Commands;
        // One panel sending hundreds of pickups a minute is what the per-box limit exists to stop; lift it here.
        Environment.SetEnvironmentVariable("Pickup__MaxRequestsPerBoxPerMinute", "1000000");
        await using var app = await BenchmarkApp.StartAsync();
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>().CreateDbContextAsync())
        {
            await db.Boxes.ExecuteUpdateAsync(s => s.SetProperty(b => b.OpenAroundTheClock, true));
        }
        await using var box = new SimulatedBox(app, doorClosesAfter: TimeSpan.FromMilliseconds(10));
        // Completed by the bridge's receive loop the moment Unlock(Pickup) arrives (no polling delay in the figure).
        var received = new ConcurrentDictionary<string, TaskCompletionSource<long>>();
        box.Bridge.CommandReceived += command =>
            received.GetOrAdd(command.Compartment, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(Stopwatch.GetTimestamp());
        await box.Bridge.StartAsync(CancellationToken.None);

        var sender = app.Services.GetRequiredService<DevelopmentSmsSender>();
        var registration = app.Services.GetRequiredService<DocumentRegistration>();
        var loading = app.Services.GetRequiredService<DocumentLoading>();
        var ready = new List<(string Phone, string Pin, string Label)>();
        for (var i = 0; i < pickups + 10; i++)
        {
            var phone = $"+4916{3000000 + i}";
            var result = await registration.RegisterAsync(new DocumentDraft
            {
                Type = "Reisepass", DocumentNumber = $"CF{i:0000000}", HolderName = $"Person {i}", DateOfBirth = "01.01.1980",
                MobileNumber = phone, ApplicationReference = $"PICK-{i:000000}", BoxCode = "DLZ-1",
            }, "staff:benchmark");
            var proposal = await loading.ProposeAsync([result.DocumentId!.Value]);
            await loading.StartAsync([result.DocumentId.Value], proposal!.CompartmentId, "staff:benchmark");
            var deadline = DateTime.UtcNow.AddSeconds(10);
            DevelopmentSms? sms;
            while ((sms = sender.Messages.FirstOrDefault(m => m.Recipient == phone)) is null)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"No SMS for document {i}.");
                }
                await Task.Delay(5);
            }
            ready.Add((phone, Pin().Match(sms.Text).Groups[1].Value, proposal.Label));
        }

        var latencies = new List<double>(pickups);
        for (var i = 0; i < ready.Count; i++)
        {
            var (phone, pin, label) = ready[i];
            var arrival = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            received[label] = arrival;
            var started = Stopwatch.GetTimestamp();
            var response = await box.Bridge.RequestPickupAsync(new PickupRequest(Guid.NewGuid(), phone, pin, null, "1980-01-01"), CancellationToken.None);
            if (!response.Granted)
            {
                throw new InvalidOperationException($"Pickup {i} refused: {response.Message}");
            }
            var arrivedAt = await arrival.Task.WaitAsync(TimeSpan.FromSeconds(10));
            if (i >= 10)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started, arrivedAt).TotalMilliseconds);
            }
            // Let the door close and the handover finish before the next citizen, as at a real box.
            await Task.Delay(30);
        }
        Console.WriteLine($"pickup-latency: {pickups} pickups after 10 warm-up, PIN hash HMAC-SHA256 pepper + PBKDF2-SHA256 with {PickupPins.Iterations} iterations");
        Console.WriteLine($"  RequestPickup sent -> Unlock(Pickup) at the bridge: {Percentiles.Summary(latencies)}");
    }

    [GeneratedRegex(@"PIN: (\d{6})")]
    private static partial Regex Pin();
}
