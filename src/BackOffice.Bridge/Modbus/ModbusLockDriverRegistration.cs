using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Bridge.Modbus;

/// <summary>Registers <see cref="ModbusLockDriver"/> as the bridge's <see cref="ILockDriver"/>, with its poll loop as a hosted service.</summary>
internal static class ModbusLockDriverRegistration
{
    /// <summary>Call before <see cref="BridgeServices.AddBridgeCore"/>: the poll loop then starts first and stops last, so unlocks still running at a graceful stop see their doors.</summary>
    public static IServiceCollection AddModbusLockDriver(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            // Validation at start has loaded and checked the same map.
            var options = sp.GetRequiredService<IOptions<BridgeOptions>>().Value.Modbus;
            var errors = new List<string>();
            var map = BoxMap.TryLoad(options.BoxMap, errors) ?? throw new InvalidOperationException(string.Join(" ", errors));
            var timeProvider = sp.GetRequiredService<TimeProvider>();
            IModbusTransport transport = string.Equals(options.Transport, ModbusOptions.Rtu, StringComparison.OrdinalIgnoreCase)
                ? new ModbusRtuTransport(new ModbusRtuLine(options.SerialPort, options.BaudRate, options.Parity, options.StopBits), map.ControllerLost.ResponseTimeout, timeProvider)
                : new ModbusTcpTransport(options.Host, options.Port, map.ControllerLost.ResponseTimeout, timeProvider);
            return new ModbusLockDriver(map, transport, options, timeProvider, sp.GetRequiredService<ILogger<ModbusLockDriver>>());
        });
        services.AddSingleton<ILockDriver>(sp => sp.GetRequiredService<ModbusLockDriver>());
        services.AddHostedService<ModbusPollingService>();
        return services;
    }

    private sealed class ModbusPollingService(ModbusLockDriver driver) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => driver.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => driver.StopAsync();
    }
}
