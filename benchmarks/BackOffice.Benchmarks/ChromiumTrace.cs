using System.Text.Json;
using Microsoft.Playwright;

namespace BackOffice.Benchmarks;

/// <summary>
/// A Chromium performance trace of the whole browser (every page's renderer, the compositor, the network service)
/// through the DevTools protocol, written as a trace file chrome://tracing and Perfetto open: where a page's time goes.
/// </summary>
internal sealed class ChromiumTrace
{
    private readonly ICDPSession _session;
    private readonly List<JsonElement> _events = [];
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChromiumTrace(ICDPSession session)
    {
        _session = session;
        session.Event("Tracing.dataCollected").OnEvent += (_, data) =>
        {
            if (data?.TryGetProperty("value", out var value) == true)
            {
                lock (_events)
                {
                    _events.AddRange(value.EnumerateArray().Select(e => e.Clone()));
                }
            }
        };
        session.Event("Tracing.tracingComplete").OnEvent += (_, _) => _complete.TrySetResult();
    }

    public static async Task<ChromiumTrace> StartAsync(IBrowser browser)
    {
        var trace = new ChromiumTrace(await browser.NewBrowserCDPSessionAsync());
        await trace._session.SendAsync("Tracing.start", new Dictionary<string, object>
        {
            ["transferMode"] = "ReportEvents",
            ["traceConfig"] = new Dictionary<string, object>
            {
                ["includedCategories"] = new[]
                {
                    "devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel", "blink", "cc", "viz", "gpu", "v8",
                    "renderer.scheduler", "__metadata",
                },
            },
        });
        return trace;
    }

    public async Task StopAsync(string path)
    {
        await _session.SendAsync("Tracing.end");
        await _complete.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await using var file = File.Create(path);
        lock (_events)
        {
            JsonSerializer.Serialize(file, new { traceEvents = _events });
        }
        Console.WriteLine($"    Chromium trace of the door events: {path} ({_events.Count} events)");
    }
}
