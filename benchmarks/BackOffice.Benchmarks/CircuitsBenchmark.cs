using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace BackOffice.Benchmarks;

/// <summary>
/// What open dashboards cost, measured from outside as a supervisor sees them: the app in Release as its own process,
/// N real Chromium pages of <c>/faecher/DLZ-1</c> signed in as a supervisor (each its own Blazor circuit), the managed
/// heap from a <c>dotnet-gcdump</c> heap dump before and after opening them, door events sent by the real bridge code
/// (lock simulator), and in each page a MutationObserver stamping the moment the compartment's cell changed.
/// </summary>
internal static class CircuitsBenchmark
{
    private const string Supervisor = "teamleitung@demo.local";
    private const string Clerk = "sachbearbeitung@demo.local";
    private const string DemoPassword = "Demo-Passwort-2026";

    // In each page: the first moment each watched cell's data-state differs from what it was when expect() was called.
    // The server may change the cell's attributes or replace its row: any change under the grid is looked at.
    private const string StampScript = """
        () => {
          const grid = document.querySelector('[data-testid=compartment-grid]');
          const cell = label => grid.querySelector(`[role=gridcell][data-label="${label}"]`);
          const expected = new Map(), stamps = new Map(), waiters = new Map();
          new MutationObserver(() => {
            const now = performance.timeOrigin + performance.now();
            for (const [label, state] of expected) {
              if (!stamps.has(label) && cell(label)?.dataset.state !== state) {
                stamps.set(label, now);
                expected.delete(label);
                (waiters.get(label) || []).forEach(w => w(now));
                waiters.delete(label);
              }
            }
          }).observe(grid, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
          window.__circuits = {
            expect: label => { stamps.delete(label); expected.set(label, cell(label).dataset.state); },
            wait: label => stamps.has(label) ? stamps.get(label)
              : new Promise(resolve => waiters.set(label, [...(waiters.get(label) || []), resolve])),
          };
        }
        """;

    public static async Task RunAsync(string[] args)
    {
        // --pages 0 measures the documents lists only.
        var steps = Value(args, "--pages") is { } pages ? (pages > 0 ? [pages] : []) : new[] { 10, 50 };
        var lists = Value(args, "--lists") ?? 10;
        var events = Value(args, "--events") ?? 30;
        var detail = args.Contains("--detail");
        var appTracePath = PathValue(args, "--app-trace");
        var trace = PathValue(args, "--trace");

        await using var app = await AppProcess.StartAsync("circuits");
        await using var box = new SimulatedBox(app.BaseAddress.ToString(), doorClosesAfter: null);
        var sentAt = new Dictionary<string, double>();
        box.Lock.DoorChanged += (label, _, _) =>
        {
            lock (sentAt)
            {
                sentAt[label] = EpochMilliseconds();
            }
        };
        await box.Bridge.StartAsync(CancellationToken.None);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("BACKOFFICE_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var supervisor = await SignedInAsync(browser, app.BaseAddress, Supervisor);

        // Warm up (JIT, the box monitor's snapshot, caches): one dashboard opened and closed, then the baseline heap.
        var warmUp = await OpenDashboardAsync(supervisor);
        var cells = await CellCountAsync(warmUp.Page);
        await warmUp.Page.CloseAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (baseline, baselineReport) = await app.HeapAsync();
        if (detail)
        {
            await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "circuits-heap-0.txt"), baselineReport);
        }

        Console.WriteLine($"circuits: the app in Release (own process), {Environment.ProcessorCount} cores, Chromium {browser.Version}, " +
                          $"DLZ-1 ({cells} compartments), {events} door events per step");
        var open = new List<IPage>();
        var labels = new Queue<string>();
        foreach (var target in steps)
        {
            var openings = new List<double>();
            while (open.Count < target)
            {
                var (page, milliseconds) = await OpenDashboardAsync(supervisor);
                open.Add(page);
                openings.Add(milliseconds);
            }
            var (heap, report) = await app.HeapAsync();
            if (labels.Count < events * 2)
            {
                foreach (var label in await open[0].EvaluateAsync<string[]>(
                             "() => [...document.querySelectorAll('[data-testid=compartment-grid] [data-state=Free]')].map(c => c.dataset.label)"))
                {
                    labels.Enqueue(label);
                }
            }
            var cpu = new ProcessCpu(app.ProcessId);
            var load = MachineLoad.Start();
            var tracing = trace is null ? null : await ChromiumTrace.StartAsync(browser);
            // A CPU sample of the app over the door events (dotnet-trace, the repository's local tool), as a Speedscope file.
            using var appTrace = appTracePath is null ? null : System.Diagnostics.Process.Start("dotnet",
                ["tool", "run", "dotnet-trace", "--", "collect", "-p", app.ProcessId.ToString(CultureInfo.InvariantCulture),
                 "--profile", "dotnet-sampled-thread-time", "--format", "Speedscope", "-o", appTracePath,
                 "--duration", "00:" + TimeSpan.FromSeconds(events * 2 * 1.5).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture)]);
            var (allPages, eachPage) = await DoorEventsAsync(box, open, labels, events, sentAt, cpu, detail);
            if (tracing is not null)
            {
                await tracing.StopAsync(trace!);
            }
            if (appTrace is not null)
            {
                await appTrace.WaitForExitAsync();
            }
            var duringEvents = load.Summary();
            // What the same processes do with the pages open and nothing happening (the box's heartbeats, timers).
            await Task.Delay(TimeSpan.FromSeconds(2));
            var idle = new ProcessCpu(app.ProcessId);
            await Task.Delay(TimeSpan.FromSeconds(3));
            idle.Count();

            Console.WriteLine($"  {target} open dashboards:");
            Console.WriteLine($"    managed heap per circuit:        {(heap - baseline) / (double)target / 1024:0} KiB " +
                              $"(heap {baseline / 1048576.0:0.0} MB without dashboards, {heap / 1048576.0:0.0} MB with)");
            Console.WriteLine($"    opening a dashboard:             {Percentiles.Summary(openings)}");
            Console.WriteLine($"    door event -> cell in every page: {Percentiles.Summary(allPages)}");
            Console.WriteLine($"    door event -> cell in one page:   {Percentiles.Summary(eachPage)}");
            Console.WriteLine($"    during the door events: {duringEvents}");
            Console.WriteLine($"    CPU per door event (the second after it): {cpu.PerUnit(events * 2)}");
            Console.WriteLine($"    CPU per second with nothing happening:    {idle.PerUnit(3)}");
            if (detail)
            {
                await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), $"circuits-heap-{target}.txt"), report);
                PrintGrowth(baselineReport, report, target);
            }
        }
        foreach (var page in open)
        {
            await page.CloseAsync();
        }
        await supervisor.CloseAsync();

        await DocumentListsAsync(app, browser, lists, detail);
    }

    /// <summary>Opens and closes each door in turn; per event, when the last page and each page saw its cell change.</summary>
    private static async Task<(List<double> AllPages, List<double> EachPage)> DoorEventsAsync(
        SimulatedBox box, List<IPage> pages, Queue<string> labels, int events, Dictionary<string, double> sentAt, ProcessCpu cpu, bool detail)
    {
        var allPages = new List<double>();
        var eachPage = new List<double>();
        await Task.WhenAll(pages.Select(p => p.EvaluateAsync(StampScript)));
        for (var i = 0; i < events; i++)
        {
            var label = labels.Dequeue();
            foreach (var open in (bool[])[true, false])
            {
                await Task.WhenAll(pages.Select(p => p.EvaluateAsync("label => window.__circuits.expect(label)", label)));
                // The same the other way round: the browser's follow-up to those 50 calls is not the door event's work.
                await Task.Delay(TimeSpan.FromMilliseconds(300));
                cpu.Skip();
                if (open)
                {
                    await box.Lock.OpenAsync(label, CancellationToken.None);
                }
                else
                {
                    box.Lock.CloseDoor(label);
                }
                // The pages stamp the change themselves; asking them only after the fan-out keeps the harness's own
                // 50 round trips to the browser out of the measured moment (they would compete for the same 2 cores).
                await Task.Delay(TimeSpan.FromSeconds(1));
                cpu.Count();
                var stamps = await Task.WhenAll(pages.Select(p => p.EvaluateAsync<double>("label => window.__circuits.wait(label)", label)
                    .WaitAsync(TimeSpan.FromSeconds(30))));
                double sent;
                lock (sentAt)
                {
                    sent = sentAt[label];
                }
                allPages.Add(stamps.Max() - sent);
                if (detail)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"      {(open ? "open " : "close")} {label}: every page {stamps.Max() - sent,6:0} ms, first {stamps.Min() - sent,5:0} ms, median {stamps.Order().ElementAt(stamps.Length / 2) - sent,5:0} ms"));
                }
                eachPage.AddRange(stamps.Select(s => s - sent));
            }
        }
        return (allPages, eachPage);
    }

    private static async Task<IBrowserContext> SignedInAsync(IBrowser browser, Uri baseAddress, string email)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            Locale = "de-DE",
            TimezoneId = "Europe/Berlin",
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        await page.Locator("main[data-interactive=true]").WaitForAsync();
        await page.CloseAsync();
        return context;
    }

    /// <summary>Navigation until the grid is there and the circuit interactive.</summary>
    private static async Task<(IPage Page, double Milliseconds)> OpenDashboardAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        var started = Stopwatch.GetTimestamp();
        await page.GotoAsync("/faecher/DLZ-1");
        await page.Locator("main[data-interactive=true] [data-testid=compartment-grid] [role=gridcell]").First.WaitForAsync();
        return (page, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static Task<int> CellCountAsync(IPage page) =>
        page.EvaluateAsync<int>("() => document.querySelectorAll('[data-testid=compartment-grid] [role=gridcell]').length");

    /// <summary>The other page the issue names: the managed heap of an open documents list per circuit.</summary>
    private static async Task DocumentListsAsync(AppProcess app, IBrowser browser, int pages, bool detail)
    {
        var clerk = await SignedInAsync(browser, app.BaseAddress, Clerk);
        var warmUp = await clerk.NewPageAsync();
        await warmUp.GotoAsync("/dokumente");
        await warmUp.Locator("main[data-interactive=true] [data-testid=document-grid] tbody tr").First.WaitForAsync();
        await warmUp.CloseAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (before, beforeReport) = await app.HeapAsync();
        var open = new List<IPage>();
        for (var i = 0; i < pages; i++)
        {
            var page = await clerk.NewPageAsync();
            await page.GotoAsync("/dokumente");
            await page.Locator("main[data-interactive=true] [data-testid=document-grid] tbody tr").First.WaitForAsync();
            open.Add(page);
        }
        var (after, afterReport) = await app.HeapAsync();
        Console.WriteLine($"  {pages} open documents lists: managed heap per circuit {(after - before) / (double)pages / 1024:0} KiB");
        if (detail)
        {
            await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "circuits-lists-0.txt"), beforeReport);
            await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), $"circuits-lists-{pages}.txt"), afterReport);
            PrintGrowth(beforeReport, afterReport, pages);
        }
        await clerk.CloseAsync();
    }

    private static void PrintGrowth(string before, string after, int circuits)
    {
        var old = GcDumpReport.ByType(before);
        Console.WriteLine("    largest growth per circuit by type:");
        foreach (var (type, bytes) in GcDumpReport.ByType(after)
                     .Select(t => (Type: t.Key, Bytes: t.Value - old.GetValueOrDefault(t.Key)))
                     .OrderByDescending(t => t.Bytes).Take(15))
        {
            Console.WriteLine($"      {bytes / (double)circuits / 1024,8:0.0} KiB  {type}");
        }
    }

    private static double EpochMilliseconds() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    private static int? Value(string[] args, string name) =>
        Text(args, name) is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string? PathValue(string[] args, string name) => Text(args, name) is { } path ? Path.GetFullPath(path) : null;

    private static string? Text(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
