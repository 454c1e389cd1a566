using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using BackOffice.FaultTests.Infrastructure;
using BackOffice.Testing;
using Microsoft.Playwright;
using Npgsql;

namespace BackOffice.FaultTests;

/// <summary>
/// The restore drill (issue 17): the operator's scripts back up the database and the key ring, the disk dies, and
/// <c>infra/restore.sh</c> brings back the moment between two events, which the real app then serves.
/// </summary>
public partial class RestoreDrillTests(BackupCluster cluster, FaultBrowser browser) : IClassFixture<BackupCluster>
{
    private const string CertificatePassword = "drill-certificate-password";

    [Fact]
    public async Task Restore_ToAMomentBetweenTwoRegistrations_TheAppServesEveryDocumentOfThatMomentDecryptedAndNotTheLaterOne()
    {
        // Arrange: the key ring protected by a certificate, as in production, so the certificate must come back too.
        var folder = cluster.NewScenarioFolder();
        var certificate = Path.Combine(folder, "key-ring.pfx");
        await File.WriteAllBytesAsync(certificate, SelfSignedPfx());
        await using var system = await FaultSystem.StartAsync(cluster, browser, "restoredrill", new FaultSetup
        {
            AutoCloseAfter = TimeSpan.FromSeconds(1),
            AppSettings = new Dictionary<string, string>
            {
                ["DataProtection__CertificatePath"] = certificate,
                ["DataProtection__CertificatePassword"] = CertificatePassword,
            },
        });
        var settings = cluster.Settings(system.KeyRingPath, certificate);

        // Documents loaded and one picked up through the app, the box and the panel; then the nightly backup.
        var pickedUp = await system.RegisterAsync();
        var ready = await system.RegisterAsync();
        var pickedUpLoading = await system.StartLoadingAsync(pickedUp);
        await system.WaitUntilAsync(async () => await system.DocumentStateAsync(pickedUp.Id) == "ReadyForPickup", "the first document is ready", TimeSpan.FromSeconds(45));
        var pin = await system.ReadPinAsync();
        Assert.Contains("Bitte entnehmen", await system.PanelPickupAsync(pickedUp, pin), StringComparison.Ordinal);
        await system.WaitUntilAsync(async () => await system.DocumentStateAsync(pickedUp.Id) == "PickedUp"
                && await system.CompartmentStateAsync(pickedUpLoading.CompartmentId) == "Free",
            "the first document is picked up", TimeSpan.FromSeconds(30));
        await system.StartLoadingAsync(ready);
        await system.WaitUntilAsync(async () => await system.DocumentStateAsync(ready.Id) == "ReadyForPickup", "the second document is ready", TimeSpan.FromSeconds(45));
        var backup = await BackupCluster.RunScriptAsync("backup.sh", ["run"], settings);

        // After the backup, only in the WAL archive: one document before the moment to restore, one after it.
        var beforeMoment = await system.RegisterAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var moment = await system.ScalarAsync<string>("SELECT clock_timestamp()::text");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var afterMoment = await system.RegisterAsync();
        await WaitUntilArchivedAsync(system);

        // The disk dies: the app is gone, the cluster's folder and the key ring folder with it.
        system.KillApp();
        await cluster.DestroyAsync();
        Directory.Delete(system.KeyRingPath, recursive: true);

        // Act: infra/restore.sh into a fresh cluster, and the app started on it with the restored key ring.
        var restoreFolder = cluster.NewScenarioFolder();
        var restoredData = Path.Combine(restoreFolder, "data");
        var restoredKeys = Path.Combine(restoreFolder, "key-ring");
        var port = FreePort.Next();
        var clock = Stopwatch.StartNew();
        try
        {
            var restore = await BackupCluster.RunScriptAsync("restore.sh",
                ["--target-time", moment!, "--data", restoredData, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--key-ring-to", restoredKeys],
                settings);
            var restoreTime = clock.Elapsed;
            TestContext.Current.TestOutputHelper?.WriteLine($"Restore drill: base backup and WAL archive to {moment} and the key ring restored in {restoreTime.TotalSeconds:0.0} s " +
                $"(script: {RestoreMs().Match(restore).Groups[1].Value} ms).\n--- backup.sh run ---\n{backup}\n--- restore.sh ---\n{restore}");

            system.UseDatabase(new NpgsqlConnectionStringBuilder(system.ConnectionString) { Port = port, Host = "127.0.0.1" }.ConnectionString);
            system.App.Environment["DataProtection__KeyRingPath"] = Path.Combine(restoredKeys, "keys");
            system.App.Environment["DataProtection__CertificatePath"] = Path.Combine(restoredKeys, "certificate.pfx");
            await system.StartAppAsync();
            TestContext.Current.TestOutputHelper?.WriteLine($"Restore to the app answering again: {clock.Elapsed.TotalSeconds:0.0} s.");

            // Assert: the moment's documents in their states, the later one not there, personal data readable in the app.
            Assert.Equal("PickedUp", await system.DocumentStateAsync(pickedUp.Id));
            Assert.Equal("ReadyForPickup", await system.DocumentStateAsync(ready.Id));
            Assert.Equal("Arrived", await system.DocumentStateAsync(beforeMoment.Id));
            Assert.Equal(0, await system.CountAsync("""SELECT count(*) FROM documents WHERE "Id" = @id""", ("id", afterMoment.Id)));
            var page = await system.SignedInPageAsync(FaultSystem.Clerk);
            foreach (var document in new[] { pickedUp, ready, beforeMoment })
            {
                await page.GotoAsync($"/dokumente/{document.Id}");
                var facts = page.GetByTestId("document-facts");
                await Assertions.Expect(facts).ToContainTextAsync(document.HolderName);
                await Assertions.Expect(page.GetByTestId("document-mobile")).ToContainTextAsync(document.Phone[^2..]);
            }
            await page.GotoAsync($"/dokumente/{afterMoment.Id}");
            await Assertions.Expect(page.GetByTestId("document-facts")).ToHaveCountAsync(0);
        }
        finally
        {
            system.KillApp();
            await cluster.StopOtherClusterAsync(restoredData);
        }
    }

    /// <summary>Forces the current WAL segment (with the later registration's commit) into the archive and waits for it.</summary>
    private async Task WaitUntilArchivedAsync(FaultSystem system)
    {
        var segment = await system.ScalarAsync<string>("SELECT pg_walfile_name(pg_switch_wal())");
        await system.WaitUntilAsync(() => Task.FromResult(File.Exists(Path.Combine(cluster.BackupFolder, "wal", segment!))),
            $"WAL segment {segment} is archived", TimeSpan.FromSeconds(30));
    }

    private static byte[] SelfSignedPfx()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Ausgabebox key ring (restore drill)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return certificate.Export(X509ContentType.Pkcs12, CertificatePassword);
    }

    [GeneratedRegex(@"RESTORE_MS=(\d+)")]
    private static partial Regex RestoreMs();
}
