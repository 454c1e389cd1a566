using System.Diagnostics;
using System.Net;
using AngleSharp.Html.Parser;
using BackOffice.FaultTests.Infrastructure;

namespace BackOffice.FaultTests;

/// <summary>Sign-in answers and their timing must not tell an unknown address, a wrong password and a locked account apart.</summary>
public class SignInTests(FaultCluster cluster, FaultBrowser browser)
{
    private const int Samples = 15;
    private static readonly HtmlParser Parser = new();

    [Fact]
    public async Task SignIn_UnknownAddressWrongPasswordAndLockedAccount_SameAnswerAndAboutTheSameTime()
    {
        await using var system = await FaultSystem.StartAsync(cluster, browser, "signin", new FaultSetup { StartBridge = false });
        // Warm up the sign-in path (JIT, connection pool), and lock the admin account with five wrong passwords.
        for (var i = 0; i < 3; i++)
        {
            await PostAsync(system, $"warmup{i}@demo.local", "falsch-falsch");
        }
        for (var i = 0; i < 5; i++)
        {
            await PostAsync(system, "admin@demo.local", "falsch-falsch");
        }

        var answers = new Dictionary<string, List<(string Text, double Ms)>> { ["unknown"] = [], ["wrong password"] = [], ["locked"] = [] };
        var order = new Random(12);
        for (var i = 0; i < Samples; i++)
        {
            // Interleaved in a shuffled order per round, so a slow moment of the machine or the work one answer leaves
            // behind does not always land on the same case.
            var round = new (string Case, string Email)[]
            {
                ("unknown", $"niemand{i}@demo.local"),
                ("wrong password", i % 2 == 0 ? FaultSystem.Clerk : FaultSystem.Supervisor),
                ("locked", "admin@demo.local"),
            };
            order.Shuffle(round);
            foreach (var (@case, email) in round)
            {
                answers[@case].Add(await PostAsync(system, email, "falsch-falsch"));
            }
            if (i % 6 >= 4)
            {
                // Three wrong passwords per account at most, then a right one (not measured): these two never lock.
                await PostAsync(system, round.Single(r => r.Case == "wrong password").Email, FaultSystem.DemoPassword);
            }
        }

        var report = string.Join("\n", answers.Select(a =>
            $"{a.Key}: median {Median(a.Value):0} ms ({string.Join(", ", a.Value.Select(v => v.Ms.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))}), texts: {string.Join(" | ", a.Value.Select(v => v.Text).Distinct())}"));
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        var texts = answers.Values.SelectMany(v => v).Select(v => v.Text).Distinct().ToList();
        Assert.True(texts.Count == 1, $"The answers differ:\n{report}");
        var medians = answers.Values.Select(Median).ToList();
        var spread = medians.Max() - medians.Min();
        Assert.True(spread <= Math.Max(30, medians.Max() / 2),
            $"Answer times tell the cases apart (spread {spread:0} ms):\n{report}");
    }

    private static double Median(List<(string Text, double Ms)> samples)
    {
        var sorted = samples.Select(s => s.Ms).Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>The real sign-in form: GET for the antiforgery token, POST measured alone; returns the error shown.</summary>
    private static async Task<(string Text, double Ms)> PostAsync(FaultSystem system, string email, string password)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = system.BaseAddress,
        };
        var form = Parser.ParseDocument(await client.GetStringAsync("/Account/Login"));
        var token = form.QuerySelector("form input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? "";
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
        var html = await response.Content.ReadAsStringAsync();
        watch.Stop();
        var error = Parser.ParseDocument(html).QuerySelector("[data-testid=login-error]")?.TextContent.Trim() ?? $"(HTTP {(int)response.StatusCode}, no error shown)";
        return (error, watch.Elapsed.TotalMilliseconds);
    }
}
