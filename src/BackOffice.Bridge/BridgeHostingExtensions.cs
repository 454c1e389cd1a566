using BackOffice.Bridge.Modbus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Bridge;

/// <summary>Registers the bridge process: options (validated at start), the lock driver, the bridge's parts, the optional OTLP export and the optional panel simulator.</summary>
public static partial class BridgeHostingExtensions
{
    public static IHostApplicationBuilder AddBoxBridge(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(BridgeOptions.SectionName);
        builder.Services.AddOptions<BridgeOptions>()
            .Bind(section)
            .PostConfigure(options =>
            {
                // The binder appends configured array items to the defaults; a configured list must replace them.
                if (section.GetSection(nameof(BridgeOptions.ReconnectDelays)).GetChildren().Any())
                {
                    options.ReconnectDelays = section.GetSection(nameof(BridgeOptions.ReconnectDelays)).Get<TimeSpan[]>() ?? [];
                }
                if (section.GetSection(nameof(BridgeOptions.RetryDelays)).GetChildren().Any())
                {
                    options.RetryDelays = section.GetSection(nameof(BridgeOptions.RetryDelays)).Get<TimeSpan[]>() ?? [];
                }
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BridgeOptions>, BridgeOptionsValidator>();
        builder.Services.AddOptions<SimulatedLockOptions>().Bind(builder.Configuration.GetSection(SimulatedLockOptions.SectionName));

        builder.Services.TryAddSingleton(TimeProvider.System);
        if (string.Equals(section[nameof(BridgeOptions.LockDriver)], BridgeOptions.ModbusDriver, StringComparison.Ordinal))
        {
            builder.Services.AddModbusLockDriver();
        }
        else
        {
            builder.Services.AddSingleton<ILockDriver>(services =>
            {
                // Validation at start guarantees the simulator is the configured driver.
                LogSimulator(services.GetRequiredService<ILogger<SimulatedLockDriver>>());
                return new SimulatedLockDriver(
                    services.GetRequiredService<TimeProvider>(),
                    services.GetRequiredService<IOptions<SimulatedLockOptions>>().Value);
            });
        }
        builder.Services.AddBridgeCore();
        builder.AddBridgeTelemetry();
        // After the bridge's parts, so it stops first: no panel request reaches a bridge that is shutting down.
        builder.Services.AddHostedService<PickupPanelHostedService>();
        return builder;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lock driver: simulator. No real door is opened")]
    private static partial void LogSimulator(ILogger logger);
}
