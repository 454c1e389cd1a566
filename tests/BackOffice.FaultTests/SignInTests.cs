using System.Diagnostics;
using System.Net;
using AngleSharp.Html.Parser;
using BackOffice.FaultTests.Infrastructure;

namespace BackOffice.FaultTests;

/// <summary>Sign-in answers and their timing must not tell an unknown address, a wrong password and a locked account apart.</summary>
public class SignInTests(FaultCluster cluster, FaultBrowser browser)
{
    private const int Samples = 8;
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
        for (var i = 0; i < Samples; i++)
        {
            answers["unknown"].Add(await PostAsync(system, $"niemand{i}@demo.local", "falsch-falsch"));
            // At most four wrong passwords per account, so these two are never locked.
            answers["wrong password"].Add(await PostAsync(system, i % 2 == 0 ? FaultSystem.Clerk : FaultSystem.Supervisor, "falsch-falsch"));
            answers["locked"].Add(await PostAsync(system, "admin@demo.local", "falsch-falsch"));
        }

        var report = string.Join("\n", answers.Select(a => $"{a.Key}: median {Median(a.Value):0} ms, texts: {string.Join(" | ", a.Value.Select(v => v.Text).Distinct())}"));
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
