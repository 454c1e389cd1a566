using BackOffice.Application.Documents;
using BackOffice.Infrastructure.Persistence;
using BackOffice.Infrastructure.Privacy;
using BackOffice.IntegrationTests.Infrastructure;
using Npgsql;

namespace BackOffice.IntegrationTests.Privacy;

/// <summary>Names, birth dates and mobile numbers are ciphertext in the database and plain text only inside the app.</summary>
public class EncryptionAtRestTests(OwnKeysAppFactory app) : IClassFixture<OwnKeysAppFactory>
{
    [Fact]
    public async Task RegisteredDocument_IsStoredEncrypted_WithAKeyedHashForTheNumber_AndReadBackPlain()
    {
        var result = await app.Services.GetRequiredService<DocumentRegistration>().RegisterAsync(new DocumentDraft
        {
            Type = "Reisepass", DocumentNumber = "CF1G2H3J4", HolderName = "Erika Mustermann", DateOfBirth = "12.08.1983",
            MobileNumber = "0170 1234567", ApplicationReference = "ENC-1", BoxCode = "DLZ-1",
        }, "staff:test");
        var id = result.DocumentId!.Value;

        var (name, birth, phone, hash) = await RawAsync(id);
        Assert.StartsWith("pd1:", name, StringComparison.Ordinal);
        Assert.StartsWith("pd1:", birth, StringComparison.Ordinal);
        Assert.StartsWith("pd1:", phone, StringComparison.Ordinal);
        Assert.DoesNotContain("Mustermann", name, StringComparison.Ordinal);
        Assert.DoesNotContain("1234567", phone, StringComparison.Ordinal);
        Assert.DoesNotContain("1983", birth, StringComparison.Ordinal);
        Assert.Equal(app.Services.GetRequiredService<PersonalDataProtection>().HashMobileNumber("+491701234567"), hash);
        Assert.Matches("^[0-9a-f]{64}$", hash);

        await using var db = await app.NewDbContextAsync();
        var document = await db.Documents.AsNoTracking().SingleAsync(d => d.Id == id);
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var recipients = new NpgsqlCommand("""SELECT count(*) FROM outgoing_sms WHERE "Recipient" LIKE '+49%'""", connection);
            Assert.Equal(0L, (long)(await recipients.ExecuteScalarAsync())!);
        }
        Assert.Equal(("Erika Mustermann", new DateOnly(1983, 8, 12), "+491701234567"), (document.HolderName, document.DateOfBirth, document.MobileNumber));
    }

    [Fact]
    public async Task RowsStoredBeforeEncryption_AreEncryptedAndHashedByTheBackfill()
    {
        await using (var db = await app.NewDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO documents ("Id", "Type", "DocumentNumber", "HolderName", "DateOfBirth", "MobileNumber", "OldDocumentNumbers",
                    "ApplicationReference", "BoxId", "NeedsAccessibleCompartment", "State", "RegisteredAt", "FailedPickupAttempts")
                SELECT '6f0c2c3e-0000-4000-8000-000000000001', 'Passport', 'CF9G2H3J4', 'Max Altbestand', '1970-02-01', '+491709999999',
                    ARRAY[]::text[], 'LEGACY-1', "Id", false, 'Arrived', now(), 0
                FROM boxes WHERE "Code" = 'DLZ-1'
                """);
        }

        await PersonalDataBackfill.RunAsync(app.Services.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>(), TestContext.Current.CancellationToken);

        var id = Guid.Parse("6f0c2c3e-0000-4000-8000-000000000001");
        var (name, birth, phone, hash) = await RawAsync(id);
        Assert.All(new[] { name, birth, phone }, value => Assert.StartsWith("pd1:", value, StringComparison.Ordinal));
        Assert.Equal(app.Services.GetRequiredService<PersonalDataProtection>().HashMobileNumber("+491709999999"), hash);
        await using var check = await app.NewDbContextAsync();
        Assert.Equal("Max Altbestand", (await check.Documents.AsNoTracking().SingleAsync(d => d.Id == id)).HolderName);
    }

    [Fact]
    public async Task ValueWhoseKeyIsMissing_IsShownAsUnreadable_InsteadOfBreakingThePage()
    {
        var other = new PersonalDataProtection(
            Microsoft.AspNetCore.DataProtection.DataProtectionProvider.Create("another key ring"),
            Microsoft.Extensions.Options.Options.Create(new BackOffice.Application.Privacy.PrivacyOptions
            {
                LookupKey = Convert.ToBase64String(new byte[32]),
            }));
        await using (var db = await app.NewDbContextAsync())
        {
            var (name, birth, phone) = (other.Protect("Fremd Schlüssel"), other.Protect("1970-02-01"), other.Protect("+491708888888"));
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO documents ("Id", "Type", "DocumentNumber", "HolderName", "DateOfBirth", "MobileNumber", "MobileNumberHash",
                    "OldDocumentNumbers", "ApplicationReference", "BoxId", "NeedsAccessibleCompartment", "State", "RegisteredAt", "FailedPickupAttempts")
                SELECT '6f0c2c3e-0000-4000-8000-000000000002', 'Passport', 'CF9G2H3J5', {name}, {birth}, {phone}, 'x', ARRAY[]::text[],
                    'FOREIGN-1', "Id", false, 'Arrived', now(), 0
                FROM boxes WHERE "Code" = 'DLZ-1'
                """);
        }

        await using var check = await app.NewDbContextAsync();
        var document = await check.Documents.AsNoTracking().SingleAsync(d => d.ApplicationReference == "FOREIGN-1");

        Assert.Equal(PersonalDataProtection.Unreadable, document.HolderName);
        Assert.Equal(DateOnly.MinValue, document.DateOfBirth);
    }

    private async Task<(string Name, string Birth, string Phone, string? Hash)> RawAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """SELECT "HolderName", "DateOfBirth", "MobileNumber", "MobileNumberHash" FROM documents WHERE "Id" = @id""", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
    }
}
