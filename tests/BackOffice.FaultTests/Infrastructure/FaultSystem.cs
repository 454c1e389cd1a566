using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using BackOffice.Testing;
using BackOffice.Testing.Browsers;
using Microsoft.Playwright;
using Npgsql;

namespace BackOffice.FaultTests.Infrastructure;

/// <summary>What a scenario sets up: the app's command lifetime and the simulated lock's timing.</summary>
public sealed record FaultSetup
{
    public TimeSpan CommandLifetime { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan OpenDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Null: a door stays open until the test closes it on the panel.</summary>
    public TimeSpan? AutoCloseAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>False: no bridge process (a test plays the box itself).</summary>
    public bool StartBridge { get; init; } = true;

    /// <summary>More settings of the app (<c>Section__Key</c>), applied after the scenario's defaults.</summary>
    public IReadOnlyDictionary<string, string> AppSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Two app instances (<see cref="FaultSystem.App"/> and <see cref="FaultSystem.SecondApp"/>) on the one database,
    /// key ring and Redis, behind nginx with TLS (infra/nginx, infra/lib/nginx.sh); the bridge connects through nginx.
    /// </summary>
    public bool TwoInstances { get; init; }
}

/// <summary>A registered document and what its citizen knows.</summary>
public sealed record RegisteredDocument(Guid Id, string Number, string Phone, string OldNumber, string BirthDate, string HolderName = "");

/// <summary>A loading a clerk started: its row and compartment.</summary>
public sealed record StartedLoading(Guid LoadId, Guid CompartmentId, string Label);

/// <summary>
/// One scenario's system: a fresh database on the <see cref="FaultCluster"/>, the real app process in Development
/// (demo data: box DLZ-1 and its development key) and the real bridge process with the lock simulator and its panel.
/// Both processes can be killed with SIGKILL and started again on the same database, port, key ring and journal.
/// Dispose kills both and drops the database, also after a failed assertion.
/// </summary>
public sealed partial class FaultSystem : IAsyncDisposable
{
    /// <summary>DLZ-1's development key, seeded with the demo data (BackOffice.Infrastructure.Seeding.DemoBoxes).</summary>
    public const string DemoBridgeKey = "abx1_development-only-key-for-DLZ-1-000000000";

    /// <summary>The development registration API key (appsettings.Development.json).</summary>
    public const string DemoApiKey = "development-only-registration-api-key-0001";

    public const string DemoPassword = "Demo-Passwort-2026";
    public const string Clerk = "sachbearbeitung@demo.local";
    public const string Supervisor = "teamleitung@demo.local";

    private static readonly HtmlParser Parser = new();
    private static int _sequence = Random.Shared.Next(1_000, 9_000) * 10_000;

    private readonly FaultCluster _cluster;
    private readonly FaultBrowser _browser;
    private readonly string _folder;
    private readonly List<IBrowserContext> _contexts = [];
    private readonly HttpClient _panel;

    private FaultSystem(FaultCluster cluster, FaultBrowser browser, string database, FaultSetup setup)
    {
        _cluster = cluster;
        _browser = browser;
        _folder = cluster.NewScenarioFolder();
        Database = database;
        ConnectionString = cluster.ServerConnectionString(database);
        BaseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        PanelAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        _panel = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = PanelAddress, Timeout = TimeSpan.FromSeconds(60) };
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        var appConnection = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = true, Timeout = 15 }.ConnectionString;
        App = new ChildProcess("app", "WebAppPath", ["--urls", BaseAddress.ToString()], cluster.RegisterChild);
        App.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        App.Environment["ConnectionStrings__BackOffice"] = appConnection;
        App.Environment["Database__SeedDemoData"] = "true";
        App.Environment["DataProtection__KeyRingPath"] = KeyRingPath;
        App.Environment["Bridge__CommandLifetime"] = setup.CommandLifetime.ToString("c", CultureInfo.InvariantCulture);
        // Every request comes from 127.0.0.1; the sign-in scenario compares answers, not the rate limit.
        App.Environment["RateLimits__SignInPerClient__PermitLimit"] = "10000";
        App.Environment["RateLimits__SignInPerAccount__PermitLimit"] = "10000";
        foreach (var (key, value) in setup.AppSettings)
        {
            App.Environment[key] = value;
        }

        if (setup.TwoInstances)
        {
            var prefix = TestRedis.NewPrefix();
            App.Environment["Redis__Configuration"] = TestRedis.Configuration;
            App.Environment["Redis__ChannelPrefix"] = prefix;
            App.Environment["ReverseProxy__KnownProxies__0"] = "127.0.0.1";
            SecondAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
            SecondApp = new ChildProcess("app-b", "WebAppPath", ["--urls", SecondAddress.ToString()], cluster.RegisterChild);
            foreach (var (key, value) in App.Environment)
            {
                SecondApp.Environment[key] = value;
            }
            Proxy = new DemoProxy(Path.Combine(_folder, "nginx"), [BaseAddress, SecondAddress]);
        }

        Link = new NetworkLink(BaseAddress.Port);
        Bridge = new ChildProcess("bridge", "BridgeAppPath", [], cluster.RegisterChild);
        Bridge.Environment["Bridge__ServerUrl"] = Proxy?.Address.ToString() ?? Link.Address.ToString();
        if (Proxy is not null)
        {
            // The demo CA of nginx's certificate, trusted by the bridge (.NET on Linux reads OpenSSL's SSL_CERT_FILE).
            Bridge.Environment["SSL_CERT_FILE"] = Proxy.TrustBundle;
        }
        Bridge.Environment["Bridge__BoxKey"] = DemoBridgeKey;
        Bridge.Environment["Bridge__QueuePath"] = JournalPath;
        Bridge.Environment["Bridge__LockDriver"] = "Simulator";
        Bridge.Environment["Bridge__Panel__Url"] = PanelAddress.ToString();
        Bridge.Environment["Bridge__HeartbeatInterval"] = "00:00:02";
        // A box whose server was away for 40 s must not sit out a 30 s backoff step before the test sees it again.
        Bridge.Environment["Bridge__ReconnectDelays__0"] = "00:00:00";
        Bridge.Environment["Bridge__ReconnectDelays__1"] = "00:00:01";
        Bridge.Environment["Bridge__ReconnectDelays__2"] = "00:00:02";
        // Likewise for a report the app answered "Unavailable" during an outage: the default schedule reaches 30 s after
        // six tries, so a report could still sit out a step when the scenario's wait for the outcome (30 s) has ended.
        Bridge.Environment["Bridge__RetryDelays__0"] = "00:00:00.5";
        Bridge.Environment["Bridge__RetryDelays__1"] = "00:00:01";
        Bridge.Environment["Bridge__RetryDelays__2"] = "00:00:02";
        Bridge.Environment["Simulator__OpenDelay"] = setup.OpenDelay.ToString("c", CultureInfo.InvariantCulture);
        Bridge.Environment["Simulator__AutoCloseAfter"] = setup.AutoCloseAfter?.ToString("c", CultureInfo.InvariantCulture) ?? "";
        Bridge.Environment["Logging__Console__FormatterName"] = "simple";
        Bridge.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        Bridge.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
    }

    public ChildProcess App { get; }

    public ChildProcess Bridge { get; }

    /// <summary>The second instance (with <see cref="FaultSetup.TwoInstances"/>), else null.</summary>
    public ChildProcess? SecondApp { get; }

    public Uri? SecondAddress { get; }

    /// <summary>nginx in front of both instances (with <see cref="FaultSetup.TwoInstances"/>), else null.</summary>
    public DemoProxy? Proxy { get; }

    /// <summary>The bridge's line to the app, to cut and restore.</summary>
    public NetworkLink Link { get; }

    public string Database { get; }

    public string ConnectionString { get; private set; }

    /// <summary>The app's Data Protection key ring folder (DataProtection:KeyRingPath).</summary>
    public string KeyRingPath => Path.Combine(_folder, "keys");

    public Uri BaseAddress { get; }

    public Uri PanelAddress { get; }

    /// <summary>A plain HTTP client of the app (the registration API, the sign-in form).</summary>
    public HttpClient Http { get; }

    /// <summary>The bridge's journal: one file across bridge restarts.</summary>
    public string JournalPath => Path.Combine(_folder, "bridge-queue.jsonl");

    public static async Task<FaultSystem> StartAsync(FaultCluster cluster, FaultBrowser browser, string purpose, FaultSetup? setup = null)
    {
        setup ??= new FaultSetup();
        if (!cluster.IsRunning)
        {
            await cluster.StartAsync(); // a failed scenario may have left it stopped
        }
        var database = await cluster.CreateDatabaseAsync(purpose);
        var system = new FaultSystem(cluster, browser, database, setup);
        try
        {
            await system.StartAppAsync();
            if (setup.TwoInstances)
            {
                // The first instance migrated and seeded; the second starts on the prepared database, then nginx.
                await system.StartSecondAppAsync();
                await system.Proxy!.StartAsync();
            }
            if (setup.StartBridge)
            {
                await system.StartBridgeAsync();
            }
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    // ----- processes -----

    /// <summary>Starts the app (again) and waits until /health/ready answers 200 (database migrated and reachable).</summary>
    public Task StartAppAsync() => StartAsync(App, BaseAddress);

    /// <summary>Starts the second instance (again) and waits until it is ready.</summary>
    public Task StartSecondAppAsync() => StartAsync(SecondApp!, SecondAddress!);

    private static async Task StartAsync(ChildProcess app, Uri address)
    {
        app.Start();
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (app.HasExited(out var code))
            {
                throw new InvalidOperationException($"The app exited with code {code}:\n{Tail(app.Output)}");
            }
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The app did not become ready in time:\n{Tail(app.Output)}");
    }

    public void KillApp() => App.Kill();

    /// <summary>
    /// Points the app's next start and this system's own queries at another database (a restored cluster's copy);
    /// the key ring and the rest of the app's settings stay as they are unless the test changes <see cref="App"/>'s.
    /// </summary>
    public void UseDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        App.Environment["ConnectionStrings__BackOffice"] = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = true, Timeout = 15 }.ConnectionString;
    }

    /// <summary>Waits until the running app answers /health/ready again (after the database came back).</summary>
    public async Task WaitUntilAppReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await WaitUntilAsync(async () =>
        {
            try
            {
                return (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, "the app is ready again", TimeSpan.FromSeconds(30));
    }

    /// <summary>Starts the bridge (again, on the same journal) and waits until it said Hello to the app.</summary>
    public async Task StartBridgeAsync()
    {
        var before = HelloCount();
        Bridge.Start();
        await WaitForBridgeHelloAsync(before, TimeSpan.FromSeconds(60));
    }

    public void KillBridge() => Bridge.Kill();

    /// <summary>How many Hellos the bridge completed over all its runs.</summary>
    public int HelloCount() => Regex.Matches(Bridge.Output, "Hello done").Count;

    public async Task WaitForBridgeHelloAsync(int moreThan, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (HelloCount() <= moreThan)
        {
            if (Bridge.HasExited(out var code))
            {
                throw new InvalidOperationException($"The bridge exited with code {code}:\n{Tail(Bridge.Output)}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The bridge did not say Hello in time.\n{Diagnostics()}");
            }
            await Task.Delay(100);
        }
    }

    // ----- the registration software (HTTP API) -----

    /// <summary>Registers a document for DLZ-1 through the registration API, as the registration software does.</summary>
    public async Task<RegisteredDocument> RegisterAsync()
    {
        var document = NewDocument();
        var (status, _, body) = await PostRegistrationAsync(document);
        Assert.True(status == HttpStatusCode.Created, $"Registration answered {(int)status}: {body}");
        return document with { Id = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid() };
    }

    /// <summary>A document not yet sent (its application reference is derived from its number).</summary>
    public RegisteredDocument NewDocument()
    {
        var n = Interlocked.Increment(ref _sequence);
        return new RegisteredDocument(Guid.Empty, $"C{n:00000000}", $"0170 {1_000_000 + (n % 8_000_000)}", $"T{n:00000000}", "1983-08-12",
            $"Erika Mustermann {n}");
    }

    /// <summary>What the registration software gets for <paramref name="document"/>: the status, Retry-After and the body.</summary>
    public async Task<(HttpStatusCode Status, TimeSpan? RetryAfter, string Body)> PostRegistrationAsync(RegisteredDocument document)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents")
        {
            Content = JsonContent.Create(new
            {
                type = "IdCard",
                documentNumber = document.Number,
                holderName = document.HolderName,
                dateOfBirth = document.BirthDate,
                mobileNumber = document.Phone,
                oldDocumentNumbers = new[] { document.OldNumber },
                applicationReference = $"FAULT-{document.Number}",
                boxCode = "DLZ-1",
            }),
        };
        request.Headers.Add("X-Api-Key", DemoApiKey);
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, response.Headers.RetryAfter?.Delta, await response.Content.ReadAsStringAsync());
    }

    // ----- staff in the browser -----

    /// <summary>A new browser context signed in as <paramref name="email"/> (on the first instance unless <paramref name="at"/>).</summary>
    public async Task<IPage> SignedInPageAsync(string email, Uri? at = null)
    {
        var options = HeadlessChromium.StaffContext(at ?? BaseAddress);
        // nginx's certificate is signed by the demo CA, which the browser does not know.
        options.IgnoreHTTPSErrors = at?.Scheme == Uri.UriSchemeHttps;
        var context = await _browser.Browser.NewContextAsync(options);
        context.SetDefaultTimeout(30_000);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        return page;
    }

    /// <summary>
    /// The clerk's loading: the load page with the scanned number, the proposed compartment, "Fach … öffnen". Returns
    /// once the app stored the loading (the Unlock is on its way).
    /// </summary>
    public async Task<StartedLoading> StartLoadingAsync(RegisteredDocument document, IPage? page = null)
    {
        page ??= await SignedInPageAsync(Clerk);
        await page.GotoAsync($"/dokumente/einlegen?nr={document.Number}");
        await page.Locator("main[data-interactive=true]").WaitForAsync();
        await page.GetByTestId("load-proposal").WaitForAsync();
        await page.GetByTestId("load-start").ClickAsync();
        StartedLoading? started = null;
        await Eventually.WaitUntilAsync(async () => (started = await LoadOfAsync(document.Id)) is not null,
            "the app stored the loading", TimeSpan.FromSeconds(30));
        return started!;
    }

    /// <summary>Waits until the app sent the compartment's latest command to the box (marked delivered, or already answered).</summary>
    public Task WaitUntilUnlockSentAsync(Guid compartmentId) =>
        WaitUntilAsync(async () => await CountAsync("""
                SELECT count(*) FROM bridge_commands WHERE "CompartmentId" = @id AND ("DeliveredAt" IS NOT NULL OR "Status" <> 'Pending')
                """, ("id", compartmentId)) >= 1,
            "the app sent the Unlock to the box", TimeSpan.FromSeconds(15));

    /// <summary>The compartment the load page proposes for this document now.</summary>
    public async Task<string> ProposedLabelAsync(RegisteredDocument document)
    {
        var page = await SignedInPageAsync(Clerk);
        await page.GotoAsync($"/dokumente/einlegen?nr={document.Number}");
        await page.Locator("main[data-interactive=true]").WaitForAsync();
        var text = await page.GetByTestId("load-proposal").InnerTextAsync();
        return Label().Match(text).Value;
    }

    /// <summary>The PIN from the Development SMS outbox page, for the SMS to this document's phone.</summary>
    public async Task<string> ReadPinAsync()
    {
        var page = await SignedInPageAsync(Clerk);
        await page.GotoAsync("/sms");
        var outbox = page.GetByTestId("sms-development");
        var text = "";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            text = await outbox.InnerTextAsync();
            if (Pin().Match(text) is { Success: true } match)
            {
                return match.Groups[1].Value;
            }
            await Task.Delay(500);
            await page.ReloadAsync();
        }
        Assert.Fail($"No PIN in the SMS outbox; it shows: {text}\n{await DiagnosticsAsync()}");
        return "";
    }

    // ----- the citizen and the door (the bridge's panel page) -----

    /// <summary>"Abholen" on the panel page; returns the answer text the panel shows.</summary>
    public async Task<string> PanelPickupAsync(RegisteredDocument document, string pin, bool withOldId = false)
    {
        var birth = DateOnly.ParseExact(document.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
        var form = new Dictionary<string, string>
        {
            ["phone"] = document.Phone,
            ["pin"] = pin,
            ["oldDocumentNumber"] = withOldId ? document.OldNumber : "",
            ["birthDate"] = withOldId ? "" : birth,
        };
        using var response = await _panel.PostAsync("/pickup", new FormUrlEncodedContent(form));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"The panel answered {(int)response.StatusCode}.");
        return Parser.ParseDocument(html).QuerySelector("section p")?.TextContent.Trim() ?? "";
    }

    /// <summary>Someone shuts the door ("Tür schließen" on the panel page).</summary>
    public async Task CloseDoorAsync(string label)
    {
        using var response = await _panel.PostAsync("/close-door", new FormUrlEncodedContent(new Dictionary<string, string> { ["compartment"] = label }));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
    }

    // ----- the database, read directly -----

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async Task<List<string>> RowsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }
        return rows;
    }

    public Task<string?> DocumentStateAsync(Guid id) =>
        ScalarAsync<string>("""SELECT "State" FROM documents WHERE "Id" = @id""", ("id", id));

    public async Task<Guid?> DocumentCompartmentAsync(Guid id) =>
        await ScalarAsync<Guid?>("""SELECT "CompartmentId" FROM documents WHERE "Id" = @id""", ("id", id));

    public Task<string?> CompartmentStateAsync(Guid id) =>
        ScalarAsync<string>("""SELECT "State" FROM compartments WHERE "Id" = @id""", ("id", id));

    public Task<string?> LoadStatusAsync(Guid id) =>
        ScalarAsync<string>("""SELECT "Status" FROM compartment_loads WHERE "Id" = @id""", ("id", id));

    public Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) =>
        ScalarAsync<long>(sql, parameters);

    /// <summary>The loading the document is in (or was last in), from compartment_loads.</summary>
    public async Task<StartedLoading?> LoadOfAsync(Guid documentId)
    {
        var row = (await RowsAsync("""
            SELECT l."Id", l."CompartmentId", c."Label" FROM compartment_loads l JOIN compartments c ON c."Id" = l."CompartmentId"
            WHERE l."Id" = (SELECT "LoadId" FROM documents WHERE "Id" = @id)
            """, ("id", documentId))).SingleOrDefault();
        if (row is null)
        {
            return null;
        }
        var parts = row.Split(" | ");
        return new StartedLoading(Guid.Parse(parts[0]), Guid.Parse(parts[1]), parts[2]);
    }

    /// <summary>Waits on real time until <paramref name="condition"/> holds; the message carries the system's state.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (NpgsqlException)
            {
                // The database is still coming back.
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting until {what}.\n{await DiagnosticsAsync()}");
            }
            await Task.Delay(200);
        }
    }

    // ----- invariants every scenario checks -----

    /// <summary>
    /// The suite's four promises: no compartment holds documents of two households (two loadings or two phones), no
    /// command opened a door twice, every door opening the bridge performed is in door_events with its closing (0 events
    /// lost), and every old ID inserted was counted.
    /// </summary>
    public async Task AssertInvariantsAsync(int oldIdsInserted = 0)
    {
        var diagnostics = await DiagnosticsAsync();
        var twoHouseholds = await RowsAsync("""
            SELECT c."Label", count(DISTINCT d."LoadId"), count(DISTINCT d."MobileNumberHash")
            FROM documents d JOIN compartments c ON c."Id" = d."CompartmentId"
            WHERE d."State" IN ('Loading', 'ReadyForPickup', 'PickupOpening', 'Retrieving')
            GROUP BY c."Label" HAVING count(DISTINCT d."LoadId") > 1 OR count(DISTINCT d."MobileNumberHash") > 1
            """);
        Assert.True(twoHouseholds.Count == 0, $"Compartments with two households: {string.Join("; ", twoHouseholds)}\n{diagnostics}");

        var opened = BridgeOpenings();
        var twice = opened.GroupBy(o => o.CommandId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"Commands that opened a door twice: {string.Join(", ", twice)}\n{diagnostics}");

        foreach (var compartment in opened.GroupBy(o => o.Label))
        {
            var opens = await CountAsync("""
                SELECT count(*) FROM door_events e JOIN compartments c ON c."Id" = e."CompartmentId"
                WHERE c."Label" = @label AND e."State" = 'Open'
                """, ("label", compartment.Key));
            Assert.True(opens >= compartment.Count(),
                $"The bridge opened {compartment.Key} {compartment.Count()} times, the app has {opens} 'Open' door events: events lost.\n{diagnostics}");
        }
        var openDoors = await RowsAsync("""SELECT "Label" FROM compartments WHERE "DoorState" = 'Open'""");
        Assert.True(openDoors.Count == 0, $"Doors the app still believes open although every door was closed: {string.Join(", ", openDoors)} (a 'Closed' event was lost).\n{diagnostics}");

        var deposits = await CountAsync("SELECT count(*) FROM old_document_deposits");
        Assert.True(deposits == oldIdsInserted, $"{oldIdsInserted} old IDs were inserted, {deposits} deposits counted.\n{diagnostics}");
    }

    /// <summary>Every physical opening the bridge logged over all its runs ("Command … for …: Opened").</summary>
    public IReadOnlyList<(Guid CommandId, string Label)> BridgeOpenings() =>
        Opened().Matches(Bridge.Output).Select(m => (Guid.Parse(m.Groups["id"].Value), m.Groups["label"].Value)).ToList();

    // ----- diagnostics -----

    public string Diagnostics() => $"--- app output ---\n{Tail(App.Output)}\n" +
        (SecondApp is null ? "" : $"--- second app output ---\n{Tail(SecondApp.Output)}\n") +
        $"--- bridge output ---\n{Tail(Bridge.Output)}";

    public async Task<string> DiagnosticsAsync()
    {
        var text = new StringBuilder();
        try
        {
            text.AppendLine("--- audit (last 40) ---");
            foreach (var row in await RowsAsync("""SELECT "At", "Action", "Subject", "Outcome", left("Details", 160) FROM audit_entries ORDER BY "Id" DESC LIMIT 40"""))
            {
                text.AppendLine(row);
            }
            text.AppendLine("--- bridge_commands ---");
            foreach (var row in await RowsAsync("""SELECT "Id", "CompartmentLabel", "Purpose", "Status", "DeliveredAt", "CompletedAt", "ResultDetail" FROM bridge_commands ORDER BY "CreatedAt" DESC LIMIT 30"""))
            {
                text.AppendLine(row);
            }
            text.AppendLine("--- compartment_loads ---");
            foreach (var row in await RowsAsync("""SELECT "Id", "Status", "AbortReason" FROM compartment_loads ORDER BY "StartedAt" DESC LIMIT 10"""))
            {
                text.AppendLine(row);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            text.AppendLine($"(database not readable: {ex.Message})");
        }
        text.AppendLine(Diagnostics());
        return text.ToString();
    }

    private static string Tail(string output, int lines = 60)
    {
        var all = output.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            try
            {
                await context.CloseAsync();
            }
            catch (PlaywrightException)
            {
                // Already gone.
            }
        }
        Bridge.Dispose();
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }
        SecondApp?.Dispose();
        App.Dispose();
        await Link.DisposeAsync();
        _panel.Dispose();
        Http.Dispose();
        try
        {
            if (!_cluster.IsRunning)
            {
                await _cluster.StartAsync();
            }
            await using var connection = new NpgsqlConnection(_cluster.ServerConnectionString());
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The cluster goes with the suite anyway.
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Removed with the cluster.
        }
    }

    [GeneratedRegex(@"\b\d{2}-\d{2}\b")]
    private static partial Regex Label();

    [GeneratedRegex(@"PIN: (\d{6})")]
    private static partial Regex Pin();

    [GeneratedRegex(@"Command (?<id>[0-9a-f-]{36}) \(\w+\) for (?<label>\S+): Opened\b")]
    private static partial Regex Opened();
}
