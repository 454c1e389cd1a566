using Microsoft.AspNetCore.SignalR;

namespace BackOffice.Bridge.Tests;

public sealed class HubErrorsTests
{
    [Theory]
    // What the .NET client sees when the server throws HubException("Refused: …").
    [InlineData("An unexpected error occurred invoking 'ReportDoor' on the server. HubException: Refused: Unknown compartment '99-99'.", "Unknown compartment '99-99'.")]
    // A server that sends the text as it is.
    [InlineData("Refused: Command of another box.", "Command of another box.")]
    public void IsRefusal_RefusedText_IsADefinitiveRefusalWithTheReason(string message, string reason)
    {
        Assert.True(HubErrors.IsRefusal(new HubException(message), out var actual));
        Assert.Equal(reason, actual);
    }

    [Theory]
    [InlineData("An unexpected error occurred invoking 'ReportDoor' on the server. HubException: Unavailable: database")]
    [InlineData("An unexpected error occurred invoking 'ReportDoor' on the server.")]
    [InlineData("Unavailable: timeout")]
    [InlineData("Command 1 changed meanwhile; report it again.")]
    public void IsRefusal_AnythingElse_IsNotProcessed(string message)
    {
        Assert.False(HubErrors.IsRefusal(new HubException(message), out _));
    }

    [Fact]
    public void IsRefusal_ConnectionError_IsNotARefusalEvenWithTheWord()
    {
        Assert.False(HubErrors.IsRefusal(new IOException("Refused: connection"), out _));
    }
}
