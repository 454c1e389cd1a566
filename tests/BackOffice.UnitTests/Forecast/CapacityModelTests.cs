using BackOffice.Application.Forecast;
using BackOffice.Domain.Boxes;

namespace BackOffice.UnitTests.Forecast;

/// <summary>
/// The forecast model with small boxes whose answer is worked out by hand (in each test's comment). Days are the box's
/// days in Europe/Berlin; a count is at the end of the day.
/// </summary>
public class CapacityModelTests
{
    private const string Berlin = "Europe/Berlin";

    // Monday 7 December 2026, 09:00 in Berlin: the forecast covers Mon 7.12. to Sun 20.12.
    private static readonly DateTimeOffset Monday9 = Local(2026, 12, 7, 9, 0);

    private static readonly ForecastRules Rules = new(MinimumSamples: 3, DefaultLoadToPickup: TimeSpan.FromDays(3));

    private static readonly IReadOnlyDictionary<DayOfWeek, TimeOnly> AroundTheClock =
        Enum.GetValues<DayOfWeek>().ToDictionary(d => d, _ => TimeOnly.MinValue);

    [Fact]
    public void OccupiedCompartments_AreFreed_AfterTheTypicalTime_OrAtTheDeadlineWhenTheyWaitedLongerThanAnyPickup()
    {
        // S history 1, 2, 3 days: median 2 days. Loaded an hour ago: leaves Wed 9.12. 08:00. Loaded exactly 3 days ago:
        // no pickup took longer, so it stays until its deadline Mon 14.12.
        var inputs = Inputs(
            [
                new(CompartmentSize.S, CompartmentUse.Free),
                new(CompartmentSize.S, CompartmentUse.Occupied, Monday9.AddHours(-1), new DateOnly(2026, 12, 17)),
                new(CompartmentSize.S, CompartmentUse.Occupied, Monday9.AddDays(-3), new DateOnly(2026, 12, 14)),
            ],
            history: History(s: [Days(1), Days(2), Days(3)]));

        var forecast = CapacityModel.Compute(inputs);

        var s = Assert.Single(forecast.Sizes);
        Assert.Equal(new DateOnly(2026, 12, 7), forecast.FirstDay);
        Assert.Equal([1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3], s.FreePerDay);
        Assert.Null(s.RunsOutOn);
        Assert.Equal(Days(2), s.TypicalLoadToPickup);
        Assert.Equal(ForecastSource.SizeHistory, s.Source);
        Assert.Equal(3, s.Samples);
    }

    [Fact]
    public void ADocumentStillThere_IsExpectedAfterTheMedianOfTheLongerPickups()
    {
        // History 1, 2, 3, 4 days; loaded 1.5 days ago (Sat 5.12. 21:00). Pickups longer than that: 2, 3, 4 days, median
        // 3 days after loading: Tue 8.12. 21:00, so free from the evening of the 8th.
        var inputs = Inputs(
            [new(CompartmentSize.S, CompartmentUse.Occupied, Monday9.AddHours(-36), new DateOnly(2026, 12, 15))],
            history: History(s: [Days(1), Days(2), Days(3), Days(4)]));

        var s = Assert.Single(CapacityModel.Compute(inputs).Sizes);

        Assert.Equal([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], s.FreePerDay);
        Assert.Equal(new DateOnly(2026, 12, 7), s.RunsOutOn);
        Assert.Equal(Days(2.5), s.TypicalLoadToPickup);
    }

    [Fact]
    public void TheDeadline_FreesTheCompartment_WhenTheTypicalPickupWouldBeLater()
    {
        // Typical pickup 20 days, deadline Wed 9.12.: back to the counter on the 9th.
        var inputs = Inputs(
            [new(CompartmentSize.S, CompartmentUse.Occupied, Monday9.AddDays(-1), new DateOnly(2026, 12, 9))],
            history: History(s: [Days(20), Days(20), Days(20)]));

        var s = Assert.Single(CapacityModel.Compute(inputs).Sizes);

        Assert.Equal([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], s.FreePerDay);
    }

    [Fact]
    public void AnOverdueDocumentStillInside_IsExpectedBackAtTheCounterToday()
    {
        var inputs = Inputs(
            [new(CompartmentSize.M, CompartmentUse.Occupied, Monday9.AddDays(-12), new DateOnly(2026, 12, 5))],
            history: History(m: [Days(1), Days(1), Days(1)]));

        var m = Assert.Single(CapacityModel.Compute(inputs).Sizes);

        Assert.Equal(Enumerable.Repeat(1, 14), m.FreePerDay);
    }

    [Fact]
    public void WaitingHouseholds_TakeTheSmallestFreeSizeThatFits_AndWaitWhenNoneIsFree()
    {
        // One S and one M free, three one-document households at the counter; no history: loaded today (the box is open),
        // picked up after the default 3 days (Thu 10.12. 09:00). The first takes the S, the second the M, the third waits
        // until the S is offered again on Fri 11.12. (00:00, the box is open around the clock): picked up Mon 14.12.
        var waiting = Enumerable.Range(0, 3).Select(i => new WaitingHousehold(1, Monday9.AddHours(-3 + i))).ToList();
        var inputs = Inputs([new(CompartmentSize.S, CompartmentUse.Free), new(CompartmentSize.M, CompartmentUse.Free)], waiting);

        var forecast = CapacityModel.Compute(inputs);

        var s = forecast.Sizes.Single(x => x.Size == CompartmentSize.S);
        var m = forecast.Sizes.Single(x => x.Size == CompartmentSize.M);
        Assert.Equal([0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1], s.FreePerDay);
        Assert.Equal([0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], m.FreePerDay);
        Assert.Equal(new DateOnly(2026, 12, 7), s.RunsOutOn);
        Assert.Equal(ForecastSource.Default, s.Source);
        Assert.Equal(Days(3), s.TypicalLoadToPickup);
        Assert.Equal(3, forecast.WaitingHouseholds);
        Assert.Equal([CompartmentSize.S, CompartmentSize.M], forecast.RunningOut.Select(x => x.Size));
    }

    [Fact]
    public void AHouseholdOfThreeDocuments_NeedsAnM()
    {
        var inputs = Inputs(
            [new(CompartmentSize.S, CompartmentUse.Free), new(CompartmentSize.M, CompartmentUse.Free)],
            [new WaitingHousehold(3, Monday9.AddHours(-1))]);

        var forecast = CapacityModel.Compute(inputs);

        Assert.Equal(Enumerable.Repeat(1, 14), forecast.Sizes.Single(x => x.Size == CompartmentSize.S).FreePerDay);
        Assert.Equal([0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], forecast.Sizes.Single(x => x.Size == CompartmentSize.M).FreePerDay);
    }

    [Fact]
    public void Loadings_FollowTheTypicalDelay_AndWaitForTheNextOpeningDay()
    {
        // Office hours Mon–Fri from 07:30. Friday 11.12. 10:00; registered 09:00, typical delay 1 day: due Saturday, so
        // loaded Monday 14.12. 07:30; typical pickup 2 days: free again on the evening of Wednesday 16.12.
        var friday = Local(2026, 12, 11, 10, 0);
        var officeDays = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .ToDictionary(d => d, _ => new TimeOnly(7, 30));
        var inputs = new ForecastInputs(friday, new ForecastCalendar(Berlin, officeDays, 10),
            [new(CompartmentSize.S, CompartmentUse.Free)],
            [new WaitingHousehold(1, friday.AddHours(-1))],
            History(s: [Days(2), Days(2), Days(2)], registrationToLoading: [Days(1), Days(1), Days(1)]), Rules);

        var forecast = CapacityModel.Compute(inputs);

        var s = Assert.Single(forecast.Sizes);
        Assert.Equal([1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1], s.FreePerDay);
        Assert.Equal(new DateOnly(2026, 12, 14), s.RunsOutOn);
        Assert.Equal(Days(1), forecast.TypicalRegistrationToLoading);
    }

    [Fact]
    public void BlockedCompartments_AreNeverFree_AndOnesWithNothingToLeaveStayOccupied()
    {
        var inputs = Inputs(
            [
                new(CompartmentSize.L, CompartmentUse.Blocked),
                new(CompartmentSize.L, CompartmentUse.Occupied),
                new(CompartmentSize.L, CompartmentUse.Free),
            ]);

        var l = Assert.Single(CapacityModel.Compute(inputs).Sizes);

        Assert.Equal(Enumerable.Repeat(1, 14), l.FreePerDay);
        Assert.Equal(3, l.Compartments);
        Assert.Equal(1, l.Blocked);
    }

    [Fact]
    public void ThinHistory_FallsBackToTheBoxsHistory_ThenToTheDefault()
    {
        // Two S pickups are too few (3 needed); with the two M pickups the box has four: median of 1, 2, 4, 6 days = 3.
        var withBox = CapacityModel.Compute(Inputs(
            [new(CompartmentSize.S, CompartmentUse.Free), new(CompartmentSize.M, CompartmentUse.Free)],
            history: History(s: [Days(1), Days(2)], m: [Days(4), Days(6)])));
        var thin = CapacityModel.Compute(Inputs([new(CompartmentSize.S, CompartmentUse.Free)], history: History(s: [Days(1), Days(2)])));

        var s = withBox.Sizes.Single(x => x.Size == CompartmentSize.S);
        Assert.Equal((ForecastSource.BoxHistory, Days(3), 4), (s.Source, s.TypicalLoadToPickup, s.Samples));
        var alone = Assert.Single(thin.Sizes);
        Assert.Equal((ForecastSource.Default, Days(3), 0), (alone.Source, alone.TypicalLoadToPickup, alone.Samples));
        Assert.Null(thin.TypicalRegistrationToLoading);
    }

    private static ForecastInputs Inputs(
        IReadOnlyList<CompartmentNow> compartments, IReadOnlyList<WaitingHousehold>? waiting = null, ForecastHistory? history = null) =>
        new(Monday9, new ForecastCalendar(Berlin, AroundTheClock, 10), compartments, waiting ?? [], history ?? History(), Rules);

    private static ForecastHistory History(
        TimeSpan[]? s = null, TimeSpan[]? m = null, TimeSpan[]? registrationToLoading = null)
    {
        var bySize = new Dictionary<CompartmentSize, IReadOnlyList<TimeSpan>>();
        if (s is not null)
        {
            bySize[CompartmentSize.S] = s;
        }
        if (m is not null)
        {
            bySize[CompartmentSize.M] = m;
        }
        return new ForecastHistory(bySize, registrationToLoading ?? []);
    }

    private static TimeSpan Days(double days) => TimeSpan.FromDays(days);

    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, TimeZoneInfo.FindSystemTimeZoneById(Berlin).GetUtcOffset(local));
    }
}

public class CapacityForecastOptionsTests
{
    [Fact]
    public void Defaults_AreValid() =>
        Assert.True(new CapacityForecastOptionsValidator().Validate(null, new CapacityForecastOptions()).Succeeded);

    [Fact]
    public void ValuesOutOfRange_NameTheirSetting()
    {
        var result = new CapacityForecastOptionsValidator().Validate(null, new CapacityForecastOptions
        {
            RefreshInterval = TimeSpan.FromSeconds(1), HistoryDays = 0, MinimumSamples = 0, DefaultLoadToPickup = TimeSpan.Zero,
        });

        Assert.True(result.Failed);
        foreach (var setting in new[] { "RefreshInterval", "HistoryDays", "MinimumSamples", "DefaultLoadToPickup" })
        {
            Assert.Contains($"CapacityForecast:{setting}", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
