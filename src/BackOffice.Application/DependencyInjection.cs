using BackOffice.Application.Audit;
using BackOffice.Application.DestructionBin;
using BackOffice.Application.Boxes;
using BackOffice.Application.Bridge;
using BackOffice.Application.Common;
using BackOffice.Application.Documents;
using BackOffice.Application.Forecast;
using BackOffice.Application.Inventories;
using BackOffice.Application.Jobs;
using BackOffice.Application.Messaging;
using BackOffice.Application.Occupancy;
using BackOffice.Application.Operations;
using BackOffice.Application.Overdue;
using BackOffice.Application.Pickup;
using BackOffice.Application.Privacy;
using BackOffice.Application.Reports;
using BackOffice.Application.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BackOffice.Application;

public static class DependencyInjection
{
    /// <summary>Use cases and the services they share.</summary>
    public static IHostApplicationBuilder AddApplication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OfficeClock>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<AuditChain>();
        services.AddSingleton<AuditSearch>();
        services.AddOptions<JobOptions>().Bind(builder.Configuration.GetSection(JobOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobOptions>, JobOptionsValidator>();
        services.AddSingleton<JobLeadership>();

        services.AddOptions<BridgeTimingOptions>()
            .Bind(builder.Configuration.GetSection(BridgeTimingOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<BridgeTimingOptions>, BridgeTimingOptionsValidator>();
        services.AddSingleton<CommandOutcomes>();
        services.AddSingleton<BridgeObservers>();
        services.AddSingleton<BridgeCommandService>();
        services.AddSingleton<BridgeEventService>();
        services.AddSingleton<ServiceOpenings>();
        services.AddSingleton<CompartmentOpenings>();
        services.AddHostedService<BridgeSweeper>();

        services.AddSingleton<BoxAdministration>();
        services.AddSingleton<DocumentRegistration>();
        services.AddSingleton<DocumentQueries>();
        services.AddSingleton<LoadUpdates>();
        services.AddSingleton<DocumentCounts>();
        services.AddSingleton<DocumentLoading>();
        services.AddSingleton<IBridgeObserver>(provider => provider.GetRequiredService<DocumentLoading>());

        services.AddOptions<PickupOptions>().Bind(builder.Configuration.GetSection(PickupOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PickupOptions>, PickupOptionsValidator>();
        services.AddSingleton<PickupPins>();
        services.AddSingleton<PickupService>();
        services.AddSingleton<DocumentActions>();
        services.AddSingleton<PickupAuthorizations>();
        services.AddSingleton<IBridgeObserver>(provider => provider.GetRequiredService<PickupService>());
        services.AddSingleton<DocumentRetrieval>();
        services.AddSingleton<IBridgeObserver>(provider => provider.GetRequiredService<DocumentRetrieval>());
        services.AddSingleton<InventoryRuns>();
        services.AddSingleton<IBridgeObserver>(provider => provider.GetRequiredService<InventoryRuns>());
        services.AddHostedService<InventoryWatch>();
        // Last: the observers above explain a door opening first (GetServices keeps registration order).
        services.AddSingleton<IBridgeObserver, CompartmentWatch>();
        services.AddSingleton<BridgeRefusals>();
        services.AddSingleton<OpenOperations>();
        services.AddSingleton<OverdueDocuments>();
        services.AddSingleton<OldDocumentBin>();
        services.AddSingleton<PickupReminders>();
        services.AddHostedService(provider => provider.GetRequiredService<PickupReminders>());
        services.TryAddSingleton<OccupancyChanges>();
        services.AddSingleton<BoxMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<BoxMonitor>());
        services.AddSingleton<IBoxMonitor>(provider => provider.GetRequiredService<BoxMonitor>());
        services.AddSingleton<OccupancyStatistics>();
        services.AddOptions<CapacityForecastOptions>().Bind(builder.Configuration.GetSection(CapacityForecastOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CapacityForecastOptions>, CapacityForecastOptionsValidator>();
        services.AddSingleton<CapacityForecasts>();
        services.AddSingleton<ICapacityForecasts>(provider => provider.GetRequiredService<CapacityForecasts>());
        services.AddOptions<PrivacyOptions>().Bind(builder.Configuration.GetSection(PrivacyOptions.SectionName))
            .Validate(s => s.RetentionDays is >= 1 and <= 3650, "Privacy:RetentionDays must be between 1 and 3650.")
            .Validate(s => s.RetentionInterval >= TimeSpan.FromMinutes(1), "Privacy:RetentionInterval must be at least 00:01:00.")
            .Validate(s => SecretKeys.Decode(s.LookupKey) is { Length: >= 32 },
                "Privacy:LookupKey must be set to a secret of at least 32 random bytes in base64 (e.g. `openssl rand -base64 32`), from the environment (Privacy__LookupKey).")
            .ValidateOnStart();
        services.AddSingleton<PersonalDataRetention>();
        services.AddHostedService(provider => provider.GetRequiredService<PersonalDataRetention>());
        services.AddSingleton<PersonalDataExport>();
        builder.AddMessaging();
        builder.AddOperations();
        builder.AddReports();
        builder.AddBackOfficeMetrics();
        return builder;
    }

    /// <summary>Report builders (one per report), the CSV renderer and the service that runs them; the PDF renderer is infrastructure.</summary>
    private static void AddReports(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OfficeOptions>().Bind(builder.Configuration.GetSection(OfficeOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OfficeOptions>, OfficeOptionsValidator>();
        services.AddSingleton<IReportBuilder, DailyJournalReport>();
        services.AddSingleton<IReportBuilder, OccupancyReport>();
        services.AddSingleton<IReportBuilder, OverdueDocumentsReport>();
        services.AddSingleton<IReportBuilder, DestructionProtocolReport>();
        services.AddSingleton<IReportBuilder, DocumentHistoryReport>();
        services.AddSingleton<IReportBuilder, InventoryProtocolReport>();
        services.AddSingleton<IReportRenderer, CsvReportRenderer>();
        services.AddSingleton<ReportService>();
    }
}
