using BackOffice.Application.Forecast;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Staff;
using BackOffice.Testing;
using BackOffice.Web.Components.Controls;

namespace BackOffice.ComponentTests.Controls;

/// <summary>
/// The dashboard's capacity warning: the sizes that run out, in German, with the link for those who may open the
/// forecast; read again on its timer, rendered only when the text changes.
/// </summary>
public class CapacityWarningTests : ComponentTest
{
    private static readonly Guid Box = Guid.NewGuid();
    private static readonly DateOnly Monday = new(2026, 12, 7);

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero)) { ControlsTimers = true };
    private readonly StubForecasts _forecasts = new(Forecast(runsOut: (CompartmentSize.M, Monday.AddDays(3))));

    public CapacityWarningTests()
    {
        Services.AddSingleton<ICapacityForecasts>(_forecasts);
        Services.AddSingleton<TimeProvider>(_clock);
    }

    [Fact]
    public void ASizeRunningOut_IsNamedWithItsDay_AndLinksSupervisorsToTheForecast()
    {
        SignIn("Tina Teamleitung", StaffRoles.Supervisor);

        var warning = Render<CapacityWarning>(p => p.Add(w => w.BoxId, Box).Add(w => w.BoxCode, "DLZ-1"));

        Assert.Equal("Fächer der Größe M voraussichtlich ab Do, 10.12. belegt", warning.Find("[data-testid=capacity-warning-line]").TextContent.Trim());
        Assert.Equal("kapazitaet/DLZ-1", warning.Find("[data-testid=capacity-warning-link]").GetAttribute("href"));
    }

    [Fact]
    public void Clerks_SeeTheWarning_WithoutTheLinkToAPageTheyMayNotOpen()
    {
        SignIn("Sven Sachbearbeitung", StaffRoles.Clerk);

        var warning = Render<CapacityWarning>(p => p.Add(w => w.BoxId, Box).Add(w => w.BoxCode, "DLZ-1"));

        Assert.Single(warning.FindAll("[data-testid=capacity-warning-line]"));
        Assert.Empty(warning.FindAll("[data-testid=capacity-warning-link]"));
    }

    [Fact]
    public void NothingRunningOut_ShowsNothing()
    {
        SignIn("Tina Teamleitung", StaffRoles.Supervisor);
        _forecasts.Forecast = Forecast();

        var warning = Render<CapacityWarning>(p => p.Add(w => w.BoxId, Box).Add(w => w.BoxCode, "DLZ-1"));

        Assert.Empty(warning.FindAll("[data-testid=capacity-warning]"));
    }

    [Fact]
    public void TheTimer_ReadsTheForecastAgain_AndRendersOnlyWhenTheWarningChanged()
    {
        SignIn("Tina Teamleitung", StaffRoles.Supervisor);
        var warning = Render<CapacityWarning>(p => p.Add(w => w.BoxId, Box).Add(w => w.BoxCode, "DLZ-1"));
        // (A component's RenderCount also counts its children's renders, such as the link's AuthorizeView.)
        var renders = warning.RenderCount;
        Assert.Equal(1, _forecasts.Reads);

        // The same warning again: read, not rendered.
        _clock.Advance(_forecasts.RefreshInterval);
        warning.WaitForAssertion(() => Assert.Equal(2, _forecasts.Reads));
        Assert.Equal(renders, warning.RenderCount);

        // S runs out too, sooner: both lines, soonest first.
        _forecasts.Forecast = Forecast((CompartmentSize.M, Monday.AddDays(3)), (CompartmentSize.S, Monday.AddDays(1)));
        _clock.Advance(_forecasts.RefreshInterval);

        warning.WaitForAssertion(() => Assert.Equal(
            ["Fächer der Größe S voraussichtlich ab Di, 08.12. belegt", "Fächer der Größe M voraussichtlich ab Do, 10.12. belegt"],
            warning.FindAll("[data-testid=capacity-warning-line]").Select(l => l.TextContent.Trim())));
        Assert.True(warning.RenderCount > renders);
    }

    private static CapacityForecast Forecast(params (CompartmentSize Size, DateOnly Day)[] runsOut) =>
        new(DateTimeOffset.UnixEpoch, Monday,
            Enum.GetValues<CompartmentSize>().Select(size => new SizeForecast(size, 10, 0, Enumerable.Repeat(1, 14).ToList(),
                runsOut.Where(r => r.Size == size).Select(r => (DateOnly?)r.Day).FirstOrDefault(), TimeSpan.FromDays(2),
                ForecastSource.SizeHistory, 20)).ToList(),
            0, null);
}

/// <summary>A stand-in for the shared forecasts: serves <see cref="Forecast"/> for every box and counts the reads.</summary>
public sealed class StubForecasts(CapacityForecast? forecast) : ICapacityForecasts
{
    private int _reads;

    public CapacityForecast? Forecast { get; set; } = forecast;

    public int Reads => Volatile.Read(ref _reads);

    public TimeSpan RefreshInterval => TimeSpan.FromMinutes(5);

    public int HistoryDays => 90;

    public Task<IReadOnlyList<ForecastBox>> BoxesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ForecastBox>>([new ForecastBox(Guid.Empty, "DLZ-1", "Dienstleistungszentrum")]);

    public Task<CapacityForecast?> SharedForBoxAsync(Guid boxId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult(Forecast);
    }
}
