namespace BackOffice.Bridge.Modbus;

/// <summary>The few Modbus requests the lock driver needs, over any <see cref="IModbusTransport"/>.</summary>
public sealed class ModbusClient(IModbusTransport transport)
{
    public async Task<bool[]> ReadCoilsAsync(byte unit, ushort start, int count, CancellationToken cancellationToken)
    {
        var request = ModbusPdu.ReadBits(ModbusFunction.ReadCoils, start, count);
        return await ExchangeAsync(unit, request, r => ModbusPdu.ParseBits(request, r), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool[]> ReadDiscreteInputsAsync(byte unit, ushort start, int count, CancellationToken cancellationToken)
    {
        var request = ModbusPdu.ReadBits(ModbusFunction.ReadDiscreteInputs, start, count);
        return await ExchangeAsync(unit, request, r => ModbusPdu.ParseBits(request, r), cancellationToken).ConfigureAwait(false);
    }

    public async Task<ushort[]> ReadInputRegistersAsync(byte unit, ushort start, int count, CancellationToken cancellationToken)
    {
        var request = ModbusPdu.ReadRegisters(ModbusFunction.ReadInputRegisters, start, count);
        return await ExchangeAsync(unit, request, r => ModbusPdu.ParseRegisters(request, r), cancellationToken).ConfigureAwait(false);
    }

    public async Task<ushort[]> ReadHoldingRegistersAsync(byte unit, ushort start, int count, CancellationToken cancellationToken)
    {
        var request = ModbusPdu.ReadRegisters(ModbusFunction.ReadHoldingRegisters, start, count);
        return await ExchangeAsync(unit, request, r => ModbusPdu.ParseRegisters(request, r), cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteSingleCoilAsync(byte unit, ushort address, bool on, CancellationToken cancellationToken)
    {
        var request = ModbusPdu.WriteSingleCoil(address, on);
        await ExchangeAsync(unit, request, r => { ModbusPdu.CheckWriteEcho(request, r); return true; }, cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteMultipleCoilsAsync(byte unit, ushort start, IReadOnlyList<bool> values, CancellationToken cancellationToken)
    {
        var request = ModbusPdu.WriteMultipleCoils(start, values);
        await ExchangeAsync(unit, request, r => { ModbusPdu.CheckWriteEcho(request, r); return true; }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> ExchangeAsync<T>(byte unit, byte[] request, Func<byte[], T> parse, CancellationToken cancellationToken)
    {
        var response = await transport.ExchangeAsync(unit, request, cancellationToken).ConfigureAwait(false);
        try
        {
            return parse(response);
        }
        catch (ModbusFrameException ex)
        {
            // A frame that is valid on the wire but no answer to this request is as bad as noise.
            throw new ModbusCommunicationException(ex.Message, ex);
        }
    }
}
