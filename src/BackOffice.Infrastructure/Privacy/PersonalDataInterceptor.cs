using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BackOffice.Infrastructure.Privacy;

/// <summary>Keeps each document's lookup hashes in step with its (encrypted) mobile numbers, whoever changed them.</summary>
internal sealed class PersonalDataInterceptor(PersonalDataProtection protection) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        UpdateHashes(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        UpdateHashes(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void UpdateHashes(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        foreach (var entry in context.ChangeTracker.Entries<Document>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified)
            {
                var document = entry.Entity;
                var hash = document.MobileNumber.Length == 0 ? null : protection.HashMobileNumber(document.MobileNumber);
                if (document.MobileNumberHash != hash)
                {
                    entry.Property(d => d.MobileNumberHash).CurrentValue = hash;
                }
                var authorized = document.AuthorizedMobileNumber is not { Length: > 0 } number ? null : protection.HashMobileNumber(number);
                if (document.AuthorizedMobileNumberHash != authorized)
                {
                    entry.Property(d => d.AuthorizedMobileNumberHash).CurrentValue = authorized;
                }
            }
        }
    }
}
