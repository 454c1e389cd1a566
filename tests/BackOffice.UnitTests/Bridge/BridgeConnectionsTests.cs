using System.Security.Claims;
using BackOffice.Bridge.Contracts;
using BackOffice.Web.Bridge;
using BackOffice.Web.Scaleout;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.UnitTests.Bridge;

/// <summary>
/// Box connections and the directory that says which connection holds a box (docs/decisions/0025), with the
/// one-instance directory; the Redis one is proven with two real instances (TwoInstancesTests).
/// </summary>
public sealed class BridgeConnectionsTests : IDisposable
{
    private static readonly UnlockCommand Unlock = new(Guid.NewGuid(), "01-01", "Service", DateTimeOffset.UnixEpoch);

    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddSignalR().Services.BuildServiceProvider();
    private readonly Guid _box = Guid.NewGuid();

    [Fact]
    public async Task SecondConnectionOfABox_ClosesTheFirst()
    {
        var (connections, _) = Create();
        var first = new Connection();
        var second = new Connection();

        await connections.RegisterAsync(_box, "DLZ-1", first, CancellationToken.None);
        await connections.RegisterAsync(_box, "DLZ-1", second, CancellationToken.None);

        Assert.True(first.Aborted);
        Assert.False(second.Aborted);
        Assert.Equal(1, connections.LocalCount);
    }

    [Fact]
    public async Task ClaimOnAnotherInstance_ClosesTheConnectionHere()
    {
        var (connections, directory) = Create();
        var here = new Connection();
        await connections.RegisterAsync(_box, "DLZ-1", here, CancellationToken.None);

        await directory.ClaimAsync(_box, "connection-on-another-instance", CancellationToken.None);

        Assert.True(here.Aborted);
        Assert.Equal(0, connections.LocalCount);
        Assert.True(await connections.TrySendUnlockAsync(_box, Unlock, CancellationToken.None));
    }

    [Fact]
    public async Task Send_ToABoxNobodyHolds_IsNotDelivered()
    {
        var (connections, _) = Create();
        var connection = new Connection();
        Assert.False(await connections.TrySendUnlockAsync(_box, Unlock, CancellationToken.None));

        await connections.RegisterAsync(_box, "DLZ-1", connection, CancellationToken.None);
        Assert.True(await connections.TrySendUnlockAsync(_box, Unlock, CancellationToken.None));

        await connections.UnregisterAsync(_box, connection.ConnectionId);
        Assert.False(await connections.TrySendUnlockAsync(_box, Unlock, CancellationToken.None));
    }

    [Fact]
    public async Task ReplacedConnectionClosingLate_LeavesItsSuccessorHoldingTheBox()
    {
        var (connections, _) = Create();
        var first = new Connection();
        var second = new Connection();
        await connections.RegisterAsync(_box, "DLZ-1", first, CancellationToken.None);
        await connections.RegisterAsync(_box, "DLZ-1", second, CancellationToken.None);

        await connections.UnregisterAsync(_box, first.ConnectionId);

        Assert.Equal(1, connections.LocalCount);
        Assert.True(await connections.TrySendUnlockAsync(_box, Unlock, CancellationToken.None));
    }

    [Fact]
    public async Task Disconnect_ClosesTheConnection_AndNothingIsDeliveredAfterwards()
    {
        var (connections, _) = Create();
        var connection = new Connection();
        await connections.RegisterAsync(_box, "DLZ-1", connection, CancellationToken.None);

        await connections.DisconnectAsync(_box, CancellationToken.None);

        Assert.True(connection.Aborted);
        Assert.False(await connections.TrySendUnlockAsync(_box, Unlock, CancellationToken.None));
    }

    [Fact]
    public async Task Check_ClosesAConnectionThatLostItsBoxWithoutHearingOfIt()
    {
        var directory = new ForgetfulDirectory();
        var connections = new BridgeConnections(_services.GetRequiredService<IHubContext<BoxHub>>(), directory, NullLogger<BridgeConnections>.Instance);
        var connection = new Connection();
        await connections.RegisterAsync(_box, "DLZ-1", connection, CancellationToken.None);
        Assert.False(connection.Aborted);

        directory.HolderNow = "someone-else";
        await connections.CheckAsync(CancellationToken.None);

        Assert.True(connection.Aborted);
    }

    [Fact]
    public async Task Check_ClaimsTheBoxForAConnectionWhoseClaimFailed()
    {
        var directory = new ForgetfulDirectory { Unreachable = true };
        var connections = new BridgeConnections(_services.GetRequiredService<IHubContext<BoxHub>>(), directory, NullLogger<BridgeConnections>.Instance);
        var connection = new Connection();
        await connections.RegisterAsync(_box, "DLZ-1", connection, CancellationToken.None);
        Assert.False(connection.Aborted);
        Assert.Null(directory.HolderNow);

        directory.Unreachable = false;
        await connections.CheckAsync(CancellationToken.None);

        Assert.Equal(connection.ConnectionId, directory.HolderNow);
        Assert.False(connection.Aborted);
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(long.MaxValue)]
    public void Claim_OnTheChannel_ReadsBackAsWritten(long generation)
    {
        var box = Guid.NewGuid();

        Assert.True(RedisBridgeDirectory.TryParse(RedisBridgeDirectory.Format(box, generation), out var parsedBox, out var parsedGeneration));
        Assert.Equal((box, generation), (parsedBox, parsedGeneration));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-box:1")]
    [InlineData("0123456789abcdef0123456789abcdef:-1")]
    [InlineData("0123456789abcdef0123456789abcdef:1:2")]
    public void MalformedClaim_IsNotRead(string? message) =>
        Assert.False(RedisBridgeDirectory.TryParse(message, out _, out _));

    private (BridgeConnections Connections, LocalBridgeDirectory Directory) Create()
    {
        var directory = new LocalBridgeDirectory();
        return (new BridgeConnections(_services.GetRequiredService<IHubContext<BoxHub>>(), directory, NullLogger<BridgeConnections>.Instance), directory);
    }

    public void Dispose() => _services.Dispose();

    private sealed class Connection : HubCallerContext
    {
        public bool Aborted { get; private set; }

        public override string ConnectionId { get; } = Guid.NewGuid().ToString("N");

        public override string? UserIdentifier => null;

        public override ClaimsPrincipal? User => null;

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort() => Aborted = true;
    }

    /// <summary>A shared directory whose announcements this instance never hears (a lost pub/sub message), or that is away.</summary>
    private sealed class ForgetfulDirectory : IBridgeDirectory
    {
        private long _generation;

        public string? HolderNow { get; set; }

        public bool Unreachable { get; set; }

        public event Action<Guid, long>? Superseded;

        public Task<long> ClaimAsync(Guid boxId, string connectionId, CancellationToken cancellationToken)
        {
            ThrowIfUnreachable();
            HolderNow = connectionId;
            return Task.FromResult(++_generation);
        }

        public Task ReleaseAsync(Guid boxId, string connectionId, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> IsHeldAsync(Guid boxId, CancellationToken cancellationToken) => Task.FromResult(HolderNow is not null);

        public Task<bool> ConfirmAsync(Guid boxId, string connectionId, CancellationToken cancellationToken)
        {
            ThrowIfUnreachable();
            return Task.FromResult(HolderNow == connectionId);
        }

        public Task EvictAsync(Guid boxId, CancellationToken cancellationToken)
        {
            Superseded?.Invoke(boxId, ++_generation);
            return Task.CompletedTask;
        }

        private void ThrowIfUnreachable()
        {
            if (Unreachable)
            {
                throw new InvalidOperationException("Redis is away.");
            }
        }
    }
}
