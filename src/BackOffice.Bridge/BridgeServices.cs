using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Bridge;

/// <summary>
/// The bridge's parts, composed once for both the process (<see cref="BridgeHostingExtensions.AddBoxBridge"/>) and an
/// embedded <see cref="BridgeClient"/>. Expects <see cref="IOptions{BridgeOptions}"/>, an <see cref="ILockDriver"/>,
/// a <see cref="TimeProvider"/> and logging to be registered.
/// </summary>
internal static class BridgeServices
{
    public static IServiceCollection AddBridgeCore(this IServiceCollection services)
    {
        services.AddSingleton(sp => new BridgeJournal(
            sp.GetRequiredService<IOptions<BridgeOptions>>().Value.QueuePath,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BridgeJournal>>()));
        services.AddSingleton<BridgeMetrics>();
        services.AddSingleton(sp => new CommandExecutor(
            sp.GetRequiredService<ILockDriver>(),
            sp.GetRequiredService<BridgeJournal>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CommandExecutor>>(),
            sp.GetRequiredService<BridgeMetrics>()));
        services.AddSingleton<CommandDispatcher>();
        services.AddSingleton<DoorEventRecorder>();
        services.AddSingleton<BridgeSession>();
        services.AddSingleton<OutboxSender>();
        services.AddSingleton<HeartbeatSender>();
        services.AddSingleton<PickupDesk>();

        // Started in this order and stopped in reverse: door events are journaled before the first connect and until the
        // end; a graceful stop first lets running commands finish, then sends what it can, then closes the connection.
        services.AddHostedService(sp => sp.GetRequiredService<DoorEventRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<BridgeSession>());
        services.AddHostedService(sp => sp.GetRequiredService<OutboxSender>());
        services.AddHostedService(sp => sp.GetRequiredService<HeartbeatSender>());
        services.AddHostedService(sp => sp.GetRequiredService<CommandDispatcher>());
        return services;
    }
}
