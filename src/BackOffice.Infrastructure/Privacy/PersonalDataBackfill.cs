using BackOffice.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Infrastructure.Privacy;

/// <summary>
/// Encrypts documents and SMS recipients stored before encryption at rest (their values have no marker) and gives them their lookup hash.
/// Runs at start-up after the migrations; finds nothing to do once done.
/// </summary>
internal static class PersonalDataBackfill
{
    public static async Task<int> RunAsync(IDbContextFactory<BackOfficeDbContext> factory, CancellationToken cancellationToken)
    {
        var done = 0;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var legacy = await db.Documents
                .Where(d => d.MobileNumberHash == null && d.PersonalDataErasedAt == null)
                .OrderBy(d => d.Id)
                .Take(500)
                .ToListAsync(cancellationToken);
            var messages = await db.OutgoingSms
                .FromSqlRaw("""SELECT *, xmin FROM outgoing_sms WHERE "Recipient" <> '' AND "Recipient" NOT LIKE 'pd1:%' LIMIT 500""")
                .ToListAsync(cancellationToken);
            if (legacy.Count == 0 && messages.Count == 0)
            {
                return done;
            }
            foreach (var message in messages)
            {
                db.Entry(message).Property(m => m.Recipient).IsModified = true;
            }
            foreach (var document in legacy)
            {
                // Written again through the converters: encrypted now, and the interceptor adds the hash.
                var entry = db.Entry(document);
                entry.Property(d => d.HolderName).IsModified = true;
                entry.Property(d => d.DateOfBirth).IsModified = true;
                entry.Property(d => d.MobileNumber).IsModified = true;
            }
            await db.SaveChangesAsync(cancellationToken);
            done += legacy.Count;
        }
    }
}
