namespace BackOffice.Benchmarks;

/// <summary>Named (not top-level statements): the web app's Program is referenced too.</summary>
internal static class BenchmarkProgram
{
    public static async Task Main(string[] args)
    {
        // Keep the app's own logging quiet: the benchmark prints the figures.
        Environment.SetEnvironmentVariable("Serilog__MinimumLevel__Default", "Warning");
        Environment.SetEnvironmentVariable("Serilog__MinimumLevel__Override__Serilog.AspNetCore.RequestLoggingMiddleware", "Warning");
        Environment.SetEnvironmentVariable("Serilog__MinimumLevel__Override__Microsoft.Hosting.Lifetime", "Warning");

        var benchmark = args.FirstOrDefault() ?? "";
        var options = BenchmarkOptions.Parse(args.Skip(1).ToArray());
        switch (benchmark)
        {
            case "unlock-latency":
                await UnlockLatency.RunAsync(options);
                break;
            case "csv-import":
                await DocumentBenchmarks.ImportAsync(options);
                break;
            case "pickup-latency":
                await PickupLatency.RunAsync(options);
                break;
            case "dashboard":
                await DashboardLatency.RunAsync(options);
                break;
            case "circuits":
                await CircuitsBenchmark.RunAsync(args.Skip(1).ToArray());
                break;
            case "door-to-sms":
                await DocumentBenchmarks.DoorToSmsAsync(options);
                break;
            case "failover":
                await FailoverBenchmark.RunAsync(options);
                break;
            case "report-journal":
                await ReportBenchmarks.JournalAsync(options);
                break;
            case "database-failover":
                await DatabaseFailover.RunAsync(args.Skip(1).ToArray());
                break;
            default:
                Console.Error.WriteLine("""
                    Usage: infra/bench.sh <benchmark> [--commands N]
                      unlock-latency   time from issuing an unlock in the back office to the bridge receiving it (p50/p95/p99)
                      csv-import       a CSV import of 5,000 documents (--commands N for another size)
                      pickup-latency   RequestPickup to Unlock(Pickup) at the bridge, PIN hash included (p50/p95/p99)
                      dashboard        door event to 100 dashboard subscribers (p50/p95/p99), grid render time, memory per dashboard
                      circuits         real dashboards in Chromium (--pages N, default 10 then 50; --events N; --detail):
                                       heap per circuit (dotnet-gcdump), opening time, door event -> cell changed in every page
                      door-to-sms      server time from a door-closed event to the SMS handed to the sender (p50/p95/p99)
                      failover         two instances behind nginx, the box's one killed with SIGKILL mid-run: losses, doubles, reconnect, unlock p99
                      report-journal   a 12-month Tagesjournal of one box (~30,000 lines) as PDF and CSV: times and sizes
                      database-failover  the primary PostgreSQL killed while the app registers documents, the standby promoted
                                       (infra/standby.sh): registrations lost (must be 0), failed requests, time without writes
                                       (--synchronous: synchronous replication; --planned: primary stopped cleanly)
                    """);
                Environment.ExitCode = 2;
                break;
        }
    }
}
