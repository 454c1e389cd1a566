using BackOffice.Application.Abstractions;
using BackOffice.Application.Occupancy;
using BackOffice.Application.Reports;
using BackOffice.Infrastructure.Audit;
using BackOffice.Infrastructure.Identity;
using BackOffice.Infrastructure.Operations;
using BackOffice.Infrastructure.Persistence;
using BackOffice.Infrastructure.Privacy;
using Microsoft.EntityFrameworkCore.Infrastructure;
using BackOffice.Infrastructure.Reports;
using BackOffice.Infrastructure.Reports.Pdf;
using BackOffice.Infrastructure.Seeding;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BackOffice.Infrastructure;

public static class DependencyInjection
{
    /// <summary>PostgreSQL with EF Core's migrations, Identity stores and the database health check.</summary>
    public static IHostApplicationBuilder AddInfrastructure(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddOptions<DatabaseOptions>()
            .Bind(builder.Configuration.GetSection(DatabaseOptions.SectionName))
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = configuration.GetConnectionString("BackOffice") ?? "")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        // Background jobs that must run on one instance at a time (docs/decisions/0026).
        services.AddSingleton<ILeaderElection, BackOffice.Infrastructure.Jobs.PostgresLeaderElection>();

        // Pooled: contexts are created per operation all day long (circuits, hub calls, background work).
        services.TryAddSingleton<OccupancyChanges>();
        services.AddSingleton<OccupancyChangeInterceptor>();
        services.AddSingleton<WebhookEnqueueInterceptor>();
        services.AddSingleton<AuditLinkRequests>();
        services.AddSingleton<AuditChainLinker>();
        services.AddSingleton<IAuditChainLinker>(provider => provider.GetRequiredService<AuditChainLinker>());
        services.AddSingleton<AuditChainInterceptor>();
        builder.AddPersonalDataProtection();
        services.AddPooledDbContextFactory<BackOfficeDbContext>((provider, options) => options
            .UseNpgsql(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString)
            .ReplaceService<IModelCacheKeyFactory, PersonalDataModelCacheKeyFactory>()
            .AddInterceptors(
                provider.GetRequiredService<PersonalDataInterceptor>(),
                provider.GetRequiredService<OccupancyChangeInterceptor>(),
                provider.GetRequiredService<WebhookEnqueueInterceptor>(),
                provider.GetRequiredService<AuditChainInterceptor>()));
        // Identity's stores want a scoped context: one from the pool per request.
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>().CreateDbContext());

        services.AddIdentityCore<StaffUser>(StaffIdentityOptions.Configure)
            .AddRoles<StaffRole>()
            .AddClaimsPrincipalFactory<StaffClaimsPrincipalFactory>()
            .AddEntityFrameworkStores<BackOfficeDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IApplicationDbContextFactory, ApplicationDbContextFactory>();
        services.AddSingleton<IDatabaseErrors, PostgresErrors>();
        services.AddScoped<StaffAccountService>();
        services.AddSingleton<StaffDirectory>();
        services.AddSingleton<LocalAccounts>();
        services.AddSingleton<TwoFactorEnrolment>();
        services.AddSingleton<EndedSignIns>();
        services.AddOptions<StaffSignInOptions>().Bind(builder.Configuration.GetSection(StaffSignInOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<SignInLockout>();
        services.AddScoped<StaffSignIn>();
        services.AddScoped<DirectoryStaff>();
        services.AddSingleton<IStaffVerification, StaffVerification>();
        services.AddHostedService<DatabaseInitializer>();
        // After the initializer, so the database is migrated before the first line is written.
        services.AddSingleton<ConfigurationAudit>();
        services.AddHostedService(provider => provider.GetRequiredService<ConfigurationAudit>());
        services.AddHostedService(provider => provider.GetRequiredService<AuditChainLinker>());
        services.AddScoped<IDemoDataSeeder, DemoBoxes>();

        services.AddHealthChecks()
            .AddDbContextCheck<BackOfficeDbContext>("database", tags: ["ready"]);

        builder.AddSmsGateway();
        builder.AddOperationsDelivery();

        // Reports: staff display names, the office's branding and the PDF renderer (PDFsharp with embedded fonts).
        services.AddSingleton<IStaffNames, StaffNames>();
        services.AddSingleton<IValidateOptions<OfficeOptions>, OfficeLogoValidator>();
        services.AddSingleton<OfficeBranding>();
        services.AddSingleton<IReportRenderer, PdfReportRenderer>();
        return builder;
    }

    /// <summary>
    /// Migrates and seeds outside the web host (the command-line tools, test fixtures): the same steps the app takes at start.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        await DatabaseInitializer.InitializeAsync(scope.ServiceProvider, options, cancellationToken);
    }
}
