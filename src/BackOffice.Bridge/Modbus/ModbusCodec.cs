using System.Buffers.Binary;

namespace BackOffice.Bridge.Modbus;

/// <summary>The Modbus function codes the driver speaks (Modbus Application Protocol V1.1b3).</summary>
public static class ModbusFunction
{
    public const byte ReadCoils = 0x01;
    public const byte ReadDiscreteInputs = 0x02;
    public const byte ReadHoldingRegisters = 0x03;
    public const byte ReadInputRegisters = 0x04;
    public const byte WriteSingleCoil = 0x05;
    public const byte WriteMultipleCoils = 0x0F;

    /// <summary>Set in the function code of an exception response.</summary>
    public const byte ExceptionFlag = 0x80;
}

/// <summary>
/// Builds request PDUs and checks response PDUs (function code + data, without unit id, header or CRC). Pure functions:
/// the transports add the framing. Kept separate from everything else so a served Modbus library can replace it
/// (docs/decisions/0016-own-modbus-codec.md).
/// </summary>
public static class ModbusPdu
{
    public const int MaxReadBits = 2000;
    public const int MaxReadRegisters = 125;
    public const int MaxWriteCoils = 1968;

    /// <summary>Largest PDU the standard allows (256-byte RTU frame minus unit id and CRC).</summary>
    public const int MaxLength = 253;

    public static byte[] ReadBits(byte function, ushort start, int count)
    {
        if (function is not (ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs))
        {
            throw new ArgumentOutOfRangeException(nameof(function), function, "Bits are read with function 1 or 2.");
        }
        return Read(function, start, count, MaxReadBits);
    }

    public static byte[] ReadRegisters(byte function, ushort start, int count)
    {
        if (function is not (ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters))
        {
            throw new ArgumentOutOfRangeException(nameof(function), function, "Registers are read with function 3 or 4.");
        }
        return Read(function, start, count, MaxReadRegisters);
    }

    public static byte[] WriteSingleCoil(ushort address, bool on)
    {
        var pdu = new byte[5];
        pdu[0] = ModbusFunction.WriteSingleCoil;
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(1), address);
        // The standard allows exactly FF00 (on) and 0000 (off); anything else is an illegal data value.
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(3), on ? (ushort)0xFF00 : (ushort)0x0000);
        return pdu;
    }

    public static byte[] WriteMultipleCoils(ushort start, IReadOnlyList<bool> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckRange(start, values.Count, MaxWriteCoils);
        var byteCount = (values.Count + 7) / 8;
        var pdu = new byte[6 + byteCount];
        pdu[0] = ModbusFunction.WriteMultipleCoils;
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(1), start);
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(3), (ushort)values.Count);
        pdu[5] = (byte)byteCount;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i])
            {
                pdu[6 + (i / 8)] |= (byte)(1 << (i % 8));
            }
        }
        return pdu;
    }

    /// <summary>The bits of a function 1 or 2 response to <paramref name="request"/>.</summary>
    public static bool[] ParseBits(ReadOnlySpan<byte> request, ReadOnlySpan<byte> response)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(request[3..]);
        var data = CheckByteCount(request[0], response, (count + 7) / 8);
        var bits = new bool[count];
        for (var i = 0; i < count; i++)
        {
            bits[i] = (data[i / 8] & (1 << (i % 8))) != 0;
        }
        return bits;
    }

    /// <summary>The registers of a function 3 or 4 response to <paramref name="request"/>.</summary>
    public static ushort[] ParseRegisters(ReadOnlySpan<byte> request, ReadOnlySpan<byte> response)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(request[3..]);
        var data = CheckByteCount(request[0], response, count * 2);
        var registers = new ushort[count];
        for (var i = 0; i < count; i++)
        {
            registers[i] = BinaryPrimitives.ReadUInt16BigEndian(data[(i * 2)..]);
        }
        return registers;
    }

    /// <summary>Checks the answer to a write (function 5 or 15): the device echoes address and value or quantity.</summary>
    public static void CheckWriteEcho(ReadOnlySpan<byte> request, ReadOnlySpan<byte> response)
    {
        ThrowIfException(request[0], response);
        if (response.Length != 5 || !response.SequenceEqual(request[..5]))
        {
            throw new ModbusFrameException($"The answer to function {request[0]} does not echo the request ({Convert.ToHexString(response)}).");
        }
    }

    /// <summary>Throws <see cref="ModbusExceptionResponse"/> for an exception response, <see cref="ModbusFrameException"/> for a foreign function.</summary>
    public static void ThrowIfException(byte function, ReadOnlySpan<byte> response)
    {
        if (response.IsEmpty)
        {
            throw new ModbusFrameException("Empty response.");
        }
        if (response[0] == (function | ModbusFunction.ExceptionFlag))
        {
            if (response.Length != 2)
            {
                throw new ModbusFrameException($"Exception response of wrong length ({Convert.ToHexString(response)}).");
            }
            throw new ModbusExceptionResponse(function, response[1]);
        }
        if (response[0] != function)
        {
            throw new ModbusFrameException($"Answer with function {response[0]} to a request with function {function}.");
        }
    }

    private static byte[] Read(byte function, ushort start, int count, int max)
    {
        CheckRange(start, count, max);
        var pdu = new byte[5];
        pdu[0] = function;
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(1), start);
        BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(3), (ushort)count);
        return pdu;
    }

    private static void CheckRange(ushort start, int count, int max)
    {
        if (count < 1 || count > max)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Between 1 and {max} items per request.");
        }
        if (start + count > 0x10000)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, "The range runs past address 65535.");
        }
    }

    private static ReadOnlySpan<byte> CheckByteCount(byte function, ReadOnlySpan<byte> response, int expected)
    {
        ThrowIfException(function, response);
        if (response.Length < 2 || response[1] != expected || response.Length != 2 + expected)
        {
            throw new ModbusFrameException($"Function {function}: expected {expected} data bytes, got the frame {Convert.ToHexString(response)}.");
        }
        return response[2..];
    }
}

/// <summary>Modbus TCP's MBAP header: transaction id, protocol 0, length, unit id (7 bytes), then the PDU.</summary>
public static class ModbusTcpFrame
{
    public const int HeaderLength = 7;

    public static byte[] Encode(ushort transactionId, byte unit, ReadOnlySpan<byte> pdu)
    {
        var frame = new byte[HeaderLength + pdu.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, transactionId);
        // Bytes 2-3 stay 0: the Modbus protocol identifier.
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), (ushort)(pdu.Length + 1));
        frame[6] = unit;
        pdu.CopyTo(frame.AsSpan(HeaderLength));
        return frame;
    }

    /// <summary>Checks a response header against the request; returns how many PDU bytes follow.</summary>
    public static int CheckHeader(ReadOnlySpan<byte> header, ushort transactionId, byte unit)
    {
        var id = BinaryPrimitives.ReadUInt16BigEndian(header);
        var protocol = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        if (protocol != 0)
        {
            throw new ModbusFrameException($"Not a Modbus header (protocol id {protocol}).");
        }
        if (length < 2 || length > ModbusPdu.MaxLength + 1)
        {
            throw new ModbusFrameException($"Impossible length {length} in the header.");
        }
        if (id != transactionId)
        {
            throw new ModbusFrameException($"Answer to transaction {id}, expected {transactionId}.");
        }
        if (header[6] != unit)
        {
            throw new ModbusFrameException($"Answer from unit {header[6]}, expected {unit}.");
        }
        return length - 1;
    }
}

/// <summary>Modbus RTU's frame: unit id, PDU, CRC-16 (polynomial 0xA001 reflected, initial 0xFFFF, low byte first).</summary>
public static class ModbusRtuFrame
{
    public static byte[] Encode(byte unit, ReadOnlySpan<byte> pdu)
    {
        var frame = new byte[pdu.Length + 3];
        frame[0] = unit;
        pdu.CopyTo(frame.AsSpan(1));
        var crc = Crc16(frame.AsSpan(0, pdu.Length + 1));
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(pdu.Length + 1), crc);
        return frame;
    }

    /// <summary>
    /// RTU frames carry no length: the whole response's length follows from its first three bytes (unit, function,
    /// then the byte count of a read or the first data byte). Null for a function this client never asks for.
    /// </summary>
    public static int? ResponseLength(ReadOnlySpan<byte> firstThree) => firstThree[1] switch
    {
        var f when (f & ModbusFunction.ExceptionFlag) != 0 => 5,
        ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs or ModbusFunction.ReadHoldingRegisters
            or ModbusFunction.ReadInputRegisters => 3 + firstThree[2] + 2,
        ModbusFunction.WriteSingleCoil or ModbusFunction.WriteMultipleCoils => 8,
        _ => null,
    };

    /// <summary>Checks CRC and unit of a whole response frame; returns its PDU.</summary>
    public static ReadOnlySpan<byte> Decode(ReadOnlySpan<byte> frame, byte unit)
    {
        if (frame.Length < 4)
        {
            throw new ModbusFrameException($"RTU frame too short ({Convert.ToHexString(frame)}).");
        }
        var expected = Crc16(frame[..^2]);
        var actual = BinaryPrimitives.ReadUInt16LittleEndian(frame[^2..]);
        if (expected != actual)
        {
            throw new ModbusFrameException($"CRC mismatch: frame says {actual:X4}, content gives {expected:X4}.");
        }
        if (frame[0] != unit)
        {
            throw new ModbusFrameException($"Answer from unit {frame[0]}, expected {unit}.");
        }
        return frame[1..^2];
    }

    public static ushort Crc16(ReadOnlySpan<byte> data)
    {
        ushort crc = 0xFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ 0xA001) : (ushort)(crc >> 1);
            }
        }
        return crc;
    }
}

/// <summary>The device answered, with an exception code: it is reachable but refused the request.</summary>
public sealed class ModbusExceptionResponse(byte function, byte code)
    : Exception($"Modbus exception {code} ({Describe(code)}) to function {function}.")
{
    public byte Function { get; } = function;

    public byte Code { get; } = code;

    /// <summary>For staff, in German.</summary>
    public string Description => Describe(Code);

    public static string Describe(byte code) => code switch
    {
        1 => "Funktion nicht unterstützt",
        2 => "Adresse nicht vorhanden",
        3 => "ungültiger Wert",
        4 => "Gerätefehler",
        5 => "in Bearbeitung",
        6 => "Gerät beschäftigt",
        10 => "Gateway: kein Weg zum Gerät",
        11 => "Gateway: Gerät antwortet nicht",
        _ => $"Ausnahme {code}",
    };
}

/// <summary>An answer that is no valid Modbus frame for the request (noise, wrong CRC, wrong transaction, unit or length).</summary>
public sealed class ModbusFrameException(string message) : Exception(message);

/// <summary>No usable answer: connection refused or lost, timeout, bad frame. The controller counts as not answering.</summary>
public sealed class ModbusCommunicationException(string message, Exception? inner) : Exception(message, inner);
