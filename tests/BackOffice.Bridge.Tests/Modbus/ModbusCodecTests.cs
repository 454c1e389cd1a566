using System.Net;
using System.Net.Sockets;
using BackOffice.Bridge.Modbus;

namespace BackOffice.Bridge.Tests.Modbus;

/// <summary>Conformance of the codec with the examples of the Modbus Application Protocol specification V1.1b3 and the RTU serial line guide.</summary>
public sealed class ModbusCodecTests
{
    [Fact]
    public void ReadCoils_SpecExample_EncodesAndDecodes()
    {
        var request = ModbusPdu.ReadBits(ModbusFunction.ReadCoils, 19, 19); // coils 20-38

        var bits = ModbusPdu.ParseBits(request, Convert.FromHexString("0103CD6B05"));

        Assert.Equal("0100130013", Convert.ToHexString(request));
        Assert.Equal("1011001111010110101", string.Concat(bits.Select(b => b ? '1' : '0')));
    }

    [Fact]
    public void ReadDiscreteInputs_SpecExample_EncodesAndDecodes()
    {
        var request = ModbusPdu.ReadBits(ModbusFunction.ReadDiscreteInputs, 196, 22);

        var bits = ModbusPdu.ParseBits(request, Convert.FromHexString("0203ACDB35"));

        Assert.Equal("0200C40016", Convert.ToHexString(request));
        Assert.Equal(22, bits.Length);
        Assert.Equal([false, false, true, true, false, true, false, true], bits[..8]); // 0xAC, least significant bit first
        Assert.Equal([true, false, true, false, true, true], bits[16..]); // 0x35's low six bits
    }

    [Fact]
    public void ReadInputRegisters_SpecExample_EncodesAndDecodes()
    {
        var request = ModbusPdu.ReadRegisters(ModbusFunction.ReadInputRegisters, 8, 1);

        Assert.Equal("0400080001", Convert.ToHexString(request));
        Assert.Equal([(ushort)10], ModbusPdu.ParseRegisters(request, Convert.FromHexString("0402000A")));
    }

    [Fact]
    public void WriteSingleCoil_SpecExample_EncodesAndAcceptsTheEcho()
    {
        var request = ModbusPdu.WriteSingleCoil(172, on: true);

        ModbusPdu.CheckWriteEcho(request, Convert.FromHexString("0500ACFF00"));

        Assert.Equal("0500ACFF00", Convert.ToHexString(request));
        Assert.Equal("0500AC0000", Convert.ToHexString(ModbusPdu.WriteSingleCoil(172, on: false)));
        Assert.Throws<ModbusFrameException>(() => ModbusPdu.CheckWriteEcho(request, Convert.FromHexString("0500AC0000")));
    }

    [Fact]
    public void WriteMultipleCoils_SpecExample_Encodes()
    {
        bool[] values = [true, false, true, true, false, false, true, true, true, false]; // CD 01

        var request = ModbusPdu.WriteMultipleCoils(19, values);

        Assert.Equal("0F0013000A02CD01", Convert.ToHexString(request));
        ModbusPdu.CheckWriteEcho(request, Convert.FromHexString("0F0013000A"));
    }

    [Fact]
    public void ExceptionResponse_IsAModbusExceptionWithItsCode()
    {
        var request = ModbusPdu.ReadBits(ModbusFunction.ReadDiscreteInputs, 0, 8);

        var error = Assert.Throws<ModbusExceptionResponse>(() => ModbusPdu.ParseBits(request, Convert.FromHexString("8202")));

        Assert.Equal((2, "Adresse nicht vorhanden"), (error.Code, error.Description));
    }

    [Theory]
    [InlineData("")] // nothing
    [InlineData("0302CD6B")] // another function
    [InlineData("0102CD6B")] // 19 coils need 3 bytes
    [InlineData("0103CD6B")] // byte count says 3, only 2 follow
    [InlineData("820201")] // exception response too long
    public void BadResponse_IsAFrameError(string hex)
    {
        var request = ModbusPdu.ReadBits(ModbusFunction.ReadCoils, 19, 19);

        Assert.Throws<ModbusFrameException>(() => ModbusPdu.ParseBits(request, Convert.FromHexString(hex)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2001)]
    public void Request_QuantityOutsideTheStandard_IsRefused(int count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusPdu.ReadBits(ModbusFunction.ReadCoils, 0, count));
    }

    [Fact]
    public void TcpFrame_HeaderCarriesTransactionLengthAndUnit_AndMismatchesAreFrameErrors()
    {
        var frame = ModbusTcpFrame.Encode(0x1234, 7, ModbusPdu.ReadBits(ModbusFunction.ReadCoils, 19, 19));

        Assert.Equal("12340000000607" + "0100130013", Convert.ToHexString(frame));
        Assert.Equal(5, ModbusTcpFrame.CheckHeader(Convert.FromHexString("12340000000607"), 0x1234, 7));
        Assert.Throws<ModbusFrameException>(() => ModbusTcpFrame.CheckHeader(Convert.FromHexString("12350000000607"), 0x1234, 7)); // another transaction
        Assert.Throws<ModbusFrameException>(() => ModbusTcpFrame.CheckHeader(Convert.FromHexString("12340001000607"), 0x1234, 7)); // not Modbus
        Assert.Throws<ModbusFrameException>(() => ModbusTcpFrame.CheckHeader(Convert.FromHexString("12340000000608"), 0x1234, 7)); // another unit
        Assert.Throws<ModbusFrameException>(() => ModbusTcpFrame.CheckHeader(Convert.FromHexString("12340000FFFF07"), 0x1234, 7)); // impossible length
    }

    [Fact]
    public void RtuFrame_Crc16_MatchesTheSerialLineGuide()
    {
        // "01 03 00 00 00 0A" is sent as "... C5 CD": CRC low byte first.
        Assert.Equal("01030000000AC5CD", Convert.ToHexString(ModbusRtuFrame.Encode(1, Convert.FromHexString("030000000A"))));
        Assert.Equal((ushort)0xCDC5, ModbusRtuFrame.Crc16(Convert.FromHexString("01030000000A")));
    }

    [Fact]
    public void RtuFrame_DecodeChecksCrcAndUnit()
    {
        var frame = ModbusRtuFrame.Encode(5, Convert.FromHexString("0402000A"));

        Assert.Equal("0402000A", Convert.ToHexString(ModbusRtuFrame.Decode(frame, 5)));
        Assert.Throws<ModbusFrameException>(() => ModbusRtuFrame.Decode(frame, 6));
        frame[^1] ^= 0xFF;
        Assert.Throws<ModbusFrameException>(() => ModbusRtuFrame.Decode(frame, 5));
    }

    [Theory]
    [InlineData("018102", 5)] // exception
    [InlineData("010103", 8)] // read coils, 3 data bytes
    [InlineData("010414", 25)] // read input registers, 20 bytes
    [InlineData("0105FF", 8)] // write single coil echo
    [InlineData("010F00", 8)] // write multiple coils echo
    public void RtuFrame_ResponseLength_FollowsFromTheFirstThreeBytes(string head, int length)
    {
        Assert.Equal(length, ModbusRtuFrame.ResponseLength(Convert.FromHexString(head)));
    }

    [Fact]
    public async Task TcpTransport_SilentDevice_TimesOutAndAGarbledAnswerDropsTheConnection()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var transport = new ModbusTcpTransport("127.0.0.1", port, TimeSpan.FromMilliseconds(300), TimeProvider.System);
        var request = ModbusPdu.ReadBits(ModbusFunction.ReadCoils, 0, 8);

        // 1: accepted, never answered.
        var silent = transport.ExchangeAsync(1, request, TestContext.Current.CancellationToken);
        using var first = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
        var timeout = await Assert.ThrowsAsync<ModbusCommunicationException>(() => silent);

        // 2: a new connection, answered with noise.
        var garbled = transport.ExchangeAsync(1, request, TestContext.Current.CancellationToken);
        using var second = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
        var stream = second.GetStream();
        var buffer = new byte[12];
        await stream.ReadExactlyAsync(buffer, TestContext.Current.CancellationToken);
        await stream.WriteAsync(Convert.FromHexString("DEADBEEF00000000"), TestContext.Current.CancellationToken);
        var noise = await Assert.ThrowsAsync<ModbusCommunicationException>(() => garbled);

        // 3: the broken connection is not reused; a clean answer on a third one works.
        var clean = transport.ExchangeAsync(1, request, TestContext.Current.CancellationToken);
        using var third = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
        var thirdStream = third.GetStream();
        await thirdStream.ReadExactlyAsync(buffer, TestContext.Current.CancellationToken);
        var answer = ModbusTcpFrame.Encode((ushort)((buffer[0] << 8) | buffer[1]), 1, Convert.FromHexString("0101A5"));
        await thirdStream.WriteAsync(answer, TestContext.Current.CancellationToken);

        Assert.Contains("within 300 ms", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("protocol id", noise.Message, StringComparison.Ordinal);
        Assert.Equal("0101A5", Convert.ToHexString(await clean));
    }
}
