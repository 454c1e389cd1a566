using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using BackOffice.Application.Bridge;
using BackOffice.Application.Documents;
using BackOffice.Application.Messaging;
using BackOffice.Domain.Boxes;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Benchmarks;

/// <summary>Registration and loading figures: a 5,000-row CSV import, and door-closed to SMS handed to the sender.</summary>
internal static class DocumentBenchmarks
{
    /// <summary>Imports the registration software's export with 5,000 valid documents for DLZ-1 (or --commands N).</summary>
    public static async Task ImportAsync(BenchmarkOptions options)
    {
        var rows = options.Commands == 1000 ? 5000 : options.Commands;
        await using var app = await BenchmarkApp.StartAsync();
        var csv = new StringBuilder(string.Join(";", DocumentRegistration.CsvColumns)).Append('\n');
        for (var i = 0; i < rows; i++)
        {
            csv.Append(FormattableString.Invariant($"BENCH-{i:000000};Reisepass;{Number(i)};Person {i};01.01.1980;0170 {1000000 + i};;DLZ-1;nein\n"));
        }
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        var registration = app.Services.GetRequiredService<DocumentRegistration>();

        var started = Stopwatch.GetTimestamp();
        var report = await registration.ImportCsvAsync(new MemoryStream(bytes), "staff:benchmark");
        var elapsed = Stopwatch.GetElapsedTime(started);

        Console.WriteLine($"csv-import: {rows} rows ({bytes.Length / 1024} KiB): {elapsed.TotalSeconds:0.00} s, " +
                          $"{report.Imported} imported, {report.Errors.Count} refused");
    }

    /// <summary>
    /// Loads documents one after the other into DLZ-1 with the real bridge code and the simulated lock (door closes
    /// 50 ms after opening) and times, inside the server, from the door-closed event reaching the loading to the SMS
    /// with the PIN being handed to the (development) sender: completion transaction, outbox, dispatcher wake-up, decryption.
    /// </summary>
    public static async Task DoorToSmsAsync(BenchmarkOptions options)
    {
        var loads = options.Commands == 1000 ? 200 : options.Commands;
        var probe = new DoorProbe();
        // First among the observers, so it stamps the event before the loading handles it.
        await using var app = await BenchmarkApp.StartAsync(services => services.Insert(0, ServiceDescriptor.Singleton<IBridgeObserver>(probe)));
        var sender = app.Services.GetRequiredService<DevelopmentSmsSender>();
        var handed = new ConcurrentDictionary<string, long>();
        sender.Accepted += message => handed[message.Recipient] = Stopwatch.GetTimestamp();

        await using var box = new SimulatedBox(app, doorClosesAfter: TimeSpan.FromMilliseconds(50));
        await box.Bridge.StartAsync(CancellationToken.None);

        var registration = app.Services.GetRequiredService<DocumentRegistration>();
        var loading = app.Services.GetRequiredService<DocumentLoading>();
        var latencies = new List<double>(loads);
        for (var i = 0; i < loads + 10; i++)
        {
            var mobile = $"+4917{2000000 + i}";
            var result = await registration.RegisterAsync(new DocumentDraft
            {
                Type = "Reisepass", DocumentNumber = Number(100_000 + i), HolderName = $"Person {i}", DateOfBirth = "01.01.1980",
                MobileNumber = mobile, ApplicationReference = $"SMS-{i:000000}", BoxCode = "DLZ-1",
            }, "staff:benchmark");
            var proposal = await loading.ProposeAsync([result.DocumentId!.Value]);
            var start = await loading.StartAsync([result.DocumentId.Value], proposal!.CompartmentId, "staff:benchmark");
            if (!start.Started)
            {
                throw new InvalidOperationException(start.Refusal?.ToString());
            }
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!handed.ContainsKey(mobile))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"No SMS for loading {i}.");
                }
                await Task.Delay(1);
            }
            if (i >= 10)
            {
                latencies.Add(Stopwatch.GetElapsedTime(probe.ClosedAt[proposal.CompartmentId], handed[mobile]).TotalMilliseconds);
            }
        }
        Console.WriteLine($"door-to-sms: {loads} loadings after 10 warm-up, one at a time");
        Console.WriteLine($"  door closed (server) -> SMS handed to sender: {Percentiles.Summary(latencies)}");
    }

    private static string Number(int i)
    {
        // 9 characters of the document alphabet, unique per i.
        const string alphabet = "0123456789CFGHJKLMNPRTVWXYZ";
        var chars = new char[9];
        chars[0] = 'C';
        for (var position = 8; position >= 1; position--)
        {
            chars[position] = alphabet[i % alphabet.Length];
            i /= alphabet.Length;
        }
        return new string(chars);
    }

    /// <summary>Timestamps the moment a door-closed event reaches the observers, inside the server.</summary>
    private sealed class DoorProbe : IBridgeObserver
    {
        public ConcurrentDictionary<Guid, long> ClosedAt { get; } = new();

        public Task CommandFinishedAsync(BridgeCommand command, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DoorChangedAsync(DoorChange change, CancellationToken cancellationToken)
        {
            if (change.State == DoorState.Closed)
            {
                ClosedAt[change.CompartmentId] = Stopwatch.GetTimestamp();
            }
            return Task.CompletedTask;
        }
    }
}
