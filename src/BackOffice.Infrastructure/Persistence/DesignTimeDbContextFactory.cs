using System.Security.Cryptography;
using BackOffice.Application.Privacy;
using BackOffice.Infrastructure.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Infrastructure.Persistence;

/// <summary>
/// How <c>dotnet ef</c> (and the schema tests) build the context without the app: the model needs the personal-data
/// converters' <see cref="PersonalDataProtection"/>, and an ephemeral key ring is enough for that (a converter is no
/// part of the schema). Commands that open the database use <c>ConnectionStrings__BackOffice</c>.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<BackOfficeDbContext>
{
    /// <summary>Stands in where no database is opened (migrations add, migrations script).</summary>
    private const string NoDatabase = "Host=localhost;Database=backoffice";

    private static readonly Lazy<IServiceProvider> Services = new(() => new ServiceCollection()
        .AddDataProtection().Services
        .Configure<PrivacyOptions>(s => s.LookupKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))
        .AddSingleton<PersonalDataProtection>()
        .BuildServiceProvider());

    public BackOfficeDbContext CreateDbContext(string[] args) =>
        Create(Environment.GetEnvironmentVariable("ConnectionStrings__BackOffice") is { Length: > 0 } configured ? configured : NoDatabase);

    /// <summary>A context on <paramref name="connectionString"/> with the app's model.</summary>
    public static BackOfficeDbContext Create(string connectionString) =>
        new(new DbContextOptionsBuilder<BackOfficeDbContext>()
            .UseNpgsql(connectionString)
            .UseApplicationServiceProvider(Services.Value)
            .ReplaceService<IModelCacheKeyFactory, PersonalDataModelCacheKeyFactory>()
            .Options);
}
