using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using BackOffice.Bridge.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackOffice.Bridge;

/// <summary>
/// The panel simulator for demos: a plain HTML page on loopback where a person types what a citizen would type at the
/// box's panel. It sends real pickup requests through the <see cref="PickupDesk"/>, reports the old ID via
/// <see cref="PickupDesk.ReportOldDocument"/>, shows the doors and lets the user close simulated ones.
/// No script, every shown value HTML-encoded, nothing typed is logged or echoed back.
/// </summary>
internal sealed class PickupPanel(PickupDesk desk, ILockDriver lockDriver, TimeProvider timeProvider, ILoggerFactory loggerFactory) : IAsyncDisposable
{
    public const string PickupPath = "/pickup";
    public const string CloseDoorPath = "/close-door";

    // All of Unicode stays readable (umlauts); markup characters are still encoded.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);
    private static readonly string[] BirthDateFormats = ["dd.MM.yyyy", "d.M.yyyy"];

    // After a grant the Unlock commands follow; waiting briefly lets the page show the doors already open.
    private static readonly TimeSpan DoorWait = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan DoorPoll = TimeSpan.FromMilliseconds(100);

    private WebApplication? _app;

    /// <summary>The address the page listens on (the real port when started with port 0).</summary>
    public Uri? Address { get; private set; }

    public async Task<Uri> StartAsync(string url, CancellationToken cancellationToken)
    {
        if (!PanelOptions.IsLoopbackHttp(url))
        {
            throw new ArgumentException($"The panel listens only on loopback over http, not on '{url}'.", nameof(url));
        }
        if (_app is not null)
        {
            throw new InvalidOperationException("The panel was already started.");
        }
        // Empty builder: no configuration files, environment URLs or default middleware of its own.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddSingleton(loggerFactory);
        var app = builder.Build();
        app.Urls.Add(url);
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        Address = new Uri(app.Urls.First());
        return Address;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _app?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!PanelOptions.IsLoopbackHost(request.Host.Host))
        {
            // Another host name pointing at loopback (DNS rebinding): a foreign web page must not drive the panel.
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        if (HttpMethods.IsPost(request.Method)
            && request.Headers.Origin is { Count: > 0 } origin
            && !string.Equals(origin.ToString(), $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            // A form posted from another site open in the same browser.
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var path = request.Path.Value;
        if (HttpMethods.IsGet(request.Method) && path == "/")
        {
            await WritePageAsync(context, null).ConfigureAwait(false);
        }
        else if (HttpMethods.IsPost(request.Method) && path == PickupPath)
        {
            var answer = await PickupAsync(context).ConfigureAwait(false);
            await WritePageAsync(context, answer).ConfigureAwait(false);
        }
        else if (HttpMethods.IsPost(request.Method) && path == CloseDoorPath)
        {
            var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            var compartment = form["compartment"].ToString();
            if (lockDriver is SimulatedLockDriver simulator && !string.IsNullOrWhiteSpace(compartment))
            {
                simulator.CloseDoor(compartment);
            }
            // Post/redirect/get: reloading the page does not post again.
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = "/";
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    private async Task<PickupResponse> PickupAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var form = await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var phone = form["phone"].ToString().Trim();
        var pin = form["pin"].ToString().Trim();
        var oldDocumentNumber = form["oldDocumentNumber"].ToString().Trim();
        var birthDateText = form["birthDate"].ToString().Trim();
        if (phone.Length == 0 || pin.Length == 0)
        {
            return Hint("Bitte Mobilnummer und PIN eingeben.");
        }
        string? birthDate = null;
        if (birthDateText.Length > 0)
        {
            if (!DateOnly.TryParseExact(birthDateText, BirthDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return Hint("Bitte das Geburtsdatum als TT.MM.JJJJ eingeben, z. B. 07.03.1985.");
            }
            birthDate = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (oldDocumentNumber.Length > 0)
        {
            try
            {
                // The number typed here stands for the old ID dropped into the slot, so it is reported like the slot would.
                desk.ReportOldDocument(oldDocumentNumber);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
                return Hint(PickupDesk.NotConnectedMessage); // bridge not started yet or shutting down
            }
        }
        var request = new PickupRequest(Guid.NewGuid(), phone, pin, oldDocumentNumber.Length > 0 ? oldDocumentNumber : null, birthDate);
        var response = await desk.RequestPickupAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Granted)
        {
            await WaitForDoorsOpenAsync(response.Compartments, cancellationToken).ConfigureAwait(false);
        }
        return response;
    }

    private async Task WaitForDoorsOpenAsync(IReadOnlyList<string> compartments, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + DoorWait;
        while (timeProvider.GetUtcNow() < deadline)
        {
            var open = lockDriver.GetDoors().Where(d => d.State == BridgeProtocol.DoorStates.Open).Select(d => d.Compartment).ToHashSet(StringComparer.Ordinal);
            if (compartments.All(open.Contains))
            {
                return;
            }
            await Task.Delay(DoorPoll, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WritePageAsync(HttpContext context, PickupResponse? answer)
    {
        var page = new StringBuilder();
        page.Append("""
            <!DOCTYPE html>
            <html lang="de">
            <head>
            <meta charset="utf-8">
            <title>Ausgabebox – Panel-Simulator</title>
            </head>
            <body>
            <h1>Ausgabebox – Panel-Simulator</h1>

            """);
        page.Append("<p>Verbindung zum Back Office: ").Append(desk.IsConnected ? "verbunden" : "nicht verbunden").Append("</p>\n");
        if (answer is not null)
        {
            page.Append("<section>\n<h2>Antwort</h2>\n<p>").Append(Html.Encode(answer.Message)).Append("</p>\n");
            if (answer.Compartments.Count > 0)
            {
                page.Append("<p>Fächer: ").Append(Html.Encode(string.Join(", ", answer.Compartments))).Append("</p>\n");
            }
            page.Append("</section>\n");
        }
        // maxlength: longer values than the back office accepts would only come back as a refused request.
        page.Append($"""
            <form method="post" action="{PickupPath}">
            <p><label for="phone">Mobilnummer</label><br><input id="phone" name="phone" type="tel" autocomplete="off" maxlength="40" required></p>
            <p><label for="pin">PIN</label><br><input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off" maxlength="20" required></p>
            <p><label for="oldDocumentNumber">Alter Ausweis (Nummer) – optional</label><br><input id="oldDocumentNumber" name="oldDocumentNumber" type="text" autocomplete="off" maxlength="20"></p>
            <p><label for="birthDate">Geburtsdatum (TT.MM.JJJJ) – optional</label><br><input id="birthDate" name="birthDate" type="text" inputmode="numeric" autocomplete="off" placeholder="TT.MM.JJJJ" maxlength="10"></p>
            <p><button type="submit">Abholen</button></p>
            </form>
            <h2>Türen</h2>

            """);
        var doors = lockDriver.GetDoors();
        if (doors.Count == 0)
        {
            page.Append("<p>Keine Türen bekannt.</p>\n");
        }
        else
        {
            page.Append("<table>\n<thead><tr><th>Fach</th><th>Zustand</th><th></th></tr></thead>\n<tbody>\n");
            foreach (var door in doors)
            {
                var isOpen = door.State == BridgeProtocol.DoorStates.Open;
                page.Append("<tr><td>").Append(Html.Encode(door.Compartment)).Append("</td><td>")
                    .Append(isOpen ? "offen" : door.State == BridgeProtocol.DoorStates.Closed ? "geschlossen" : Html.Encode(door.State))
                    .Append("</td><td>");
                if (isOpen && lockDriver is SimulatedLockDriver)
                {
                    page.Append($"""<form method="post" action="{CloseDoorPath}"><input type="hidden" name="compartment" value="{Html.Encode(door.Compartment)}"><button type="submit">Tür schließen</button></form>""");
                }
                page.Append("</td></tr>\n");
            }
            page.Append("</tbody>\n</table>\n");
        }
        page.Append("<p><a href=\"/\">Aktualisieren</a></p>\n</body>\n</html>\n");

        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        // The page answers a PIN entry: not cached, not framed, no scripts or outside resources.
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; form-action 'self'; frame-ancestors 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        // same-origin, not no-referrer: with no-referrer Chromium posts the form with "Origin: null", which the check
        // above must refuse.
        response.Headers["Referrer-Policy"] = "same-origin";
        await response.WriteAsync(page.ToString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static PickupResponse Hint(string message) => new(false, [], message);
}
