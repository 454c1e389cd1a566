using System.Globalization;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Infrastructure.Privacy;

/// <summary>
/// The EF model's side of encryption at rest: value converters for the holder's name, birth date and mobile number,
/// bound to the app's <see cref="PersonalDataProtection"/>, so each app instance uses its own key ring (and EF caches
/// the model per protection).
/// </summary>
internal static class PersonalDataModel
{
    public static void Configure(ModelBuilder builder, PersonalDataProtection protection)
    {
        var text = new ValueConverter<string, string>(v => protection.Protect(v), v => protection.Unprotect(v));
        var date = new ValueConverter<DateOnly, string>(
            v => protection.Protect(v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            v => ParseDate(protection.Unprotect(v)));
        var document = builder.Entity<Document>();
        document.Property(d => d.HolderName).HasConversion(text);
        document.Property(d => d.MobileNumber).HasConversion(text);
        document.Property(d => d.DateOfBirth).HasConversion(date);
        // The authorised person's, likewise (null stays null: EF never hands a null to a converter).
        document.Property(d => d.AuthorizedName).HasConversion((ValueConverter)text);
        document.Property(d => d.AuthorizedMobileNumber).HasConversion((ValueConverter)text);
        document.Property(d => d.AuthorizedDateOfBirth).HasConversion(date);
        builder.Entity<OutgoingSms>().Property(m => m.Recipient).HasConversion(text);
    }

    private static DateOnly ParseDate(string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : DateOnly.MinValue;

    /// <summary>The protection of the app this context belongs to.</summary>
    public static PersonalDataProtection ProtectionOf(DbContext context) =>
        context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<PersonalDataProtection>()
        ?? throw new InvalidOperationException("PersonalDataProtection is not registered in the application's services.");
}

/// <summary>One model per app's protection: the converters are part of the model, and the model is cached.</summary>
internal sealed class PersonalDataModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        (context.GetType(), PersonalDataModel.ProtectionOf(context), designTime);
}
