using System.Net.Http.Json;
using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests;

/// <summary>The SMS-Ausgang follows the outbox live (issue 13: it needed a manual refresh).</summary>
[Collection(LiveBoxCollection.Name)]
public class SmsOutboxLiveTests(LiveBoxFixture fixture)
{
    [Fact]
    public async Task AnOpenSmsPage_ShowsTheSmsOfALoadingFinishedElsewhere_WithoutAReload()
    {
        using (var client = new HttpClient { BaseAddress = fixture.Server.BaseAddress })
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", "development-only-registration-api-key-0001");
            var response = await client.PostAsJsonAsync("/api/v1/documents", new
            {
                type = "Passport", documentNumber = "LV1000031", holderName = "Lea Live", dateOfBirth = "1990-02-03",
                mobileNumber = "0170 5559873", oldDocumentNumbers = new[] { "T22000129" }, applicationReference = "LIVE-1", boxCode = "DLZ-1",
            });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        await using var watcher = await fixture.NewPageAsync();
        await watcher.SignInAsync("sachbearbeitung@demo.local", path: "/sms");
        await watcher.WaitForCircuitAsync();
        var outbox = watcher.Page.GetByTestId("sms-development");
        await Assertions.Expect(outbox).ToBeVisibleAsync();
        Assert.DoesNotContain("+491705559873", await outbox.InnerTextAsync(), StringComparison.Ordinal);

        await using var clerk = await fixture.NewPageAsync();
        await clerk.SignInAsync("sachbearbeitung@demo.local", path: "/dokumente/einlegen");
        await clerk.WaitForCircuitAsync();
        await clerk.Page.GetByTestId("load-scan").FillAsync("LV1000031");
        await clerk.Page.GetByTestId("load-add").ClickAsync();
        await Assertions.Expect(clerk.Page.GetByTestId("load-documents")).ToContainTextAsync("LV1000031");
        await clerk.Page.GetByTestId("load-start").ClickAsync();
        await Assertions.Expect(clerk.Page.GetByTestId("load-status")).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 30_000 });

        // The first page was not touched: the SMS appears on it by itself.
        await Assertions.Expect(outbox).ToContainTextAsync("+491705559873", new() { Timeout = 20_000 });
        await Assertions.Expect(outbox).ToContainTextAsync("PIN");
        Assert.Empty(watcher.ConsoleErrors);
    }
}
