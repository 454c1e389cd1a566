using BackOffice.Testing;
using BackOffice.Web.Security;
using Microsoft.Extensions.Options;

namespace BackOffice.UnitTests;

public class IdleSessionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero)) { ControlsTimers = true };

    [Fact]
    public void NoInputForTheTimeout_ExpiresTheSessionOnce()
    {
        using var session = Started(out var expirations);

        _clock.Advance(Timeout - TimeSpan.FromSeconds(1));
        Assert.False(session.HasExpired);
        _clock.Advance(session.CheckInterval + TimeSpan.FromSeconds(1));
        _clock.Advance(Timeout);

        Assert.True(session.HasExpired);
        Assert.Equal(1, expirations());
    }

    [Fact]
    public void Input_PostponesTheExpiry()
    {
        using var session = Started(out var expirations);

        _clock.Advance(Timeout * 0.9);
        session.RecordInput();
        _clock.Advance(Timeout * 0.9);
        Assert.False(session.HasExpired);
        _clock.Advance(Timeout * 0.2);

        Assert.True(session.HasExpired);
        Assert.Equal(1, expirations());
    }

    [Fact]
    public void InputAfterTheExpiry_DoesNotReviveTheSession()
    {
        using var session = Started(out _);
        _clock.Advance(Timeout + TimeSpan.FromMinutes(1));

        session.RecordInput();

        Assert.True(session.HasExpired);
        Assert.False(session.Check());
    }

    [Theory]
    [InlineData(30 * 60, 60, 30)]
    [InlineData(8, 1.333, 0.8)]
    [InlineData(5, 1, 0.5)]
    public void Intervals_FollowTheTimeoutWithinBounds(int timeoutSeconds, double reportSeconds, double checkSeconds)
    {
        using var session = new IdleSession(_clock, Options.Create(new SecurityOptions { IdleTimeout = TimeSpan.FromSeconds(timeoutSeconds) }));

        Assert.Equal(reportSeconds, session.ReportInterval.TotalSeconds, 3);
        Assert.Equal(checkSeconds, session.CheckInterval.TotalSeconds, 3);
    }

    [Theory]
    [InlineData("00:00:04", false)]
    [InlineData("00:00:05", true)]
    [InlineData("00:30:00", true)]
    [InlineData("12:00:01", false)]
    public void Settings_RefuseTimeoutsOutsideTheBounds(string timeout, bool valid) =>
        Assert.Equal(valid, new SecurityOptionsValidator().Validate(null, new SecurityOptions { IdleTimeout = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture) }).Succeeded);

    private IdleSession Started(out Func<int> expirations)
    {
        var session = new IdleSession(_clock, Options.Create(new SecurityOptions { IdleTimeout = Timeout }));
        var count = 0;
        session.Expired += () => count++;
        session.Start();
        expirations = () => count;
        return session;
    }
}
