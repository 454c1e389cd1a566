using BackOffice.Application.Forecast;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.IntegrationTests.Infrastructure;

namespace BackOffice.IntegrationTests;

/// <summary>The app with three pickups as enough history for a median (the forecast's fallbacks are unit-tested).</summary>
public sealed class ForecastAppFactory : BackOfficeAppFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("CapacityForecast:MinimumSamples", "3")];
}

/// <summary>
/// The forecast read from the database: a box of its own with a seeded history and state whose forecast is worked out
/// by hand below, at a fixed instant (Monday 7 December 2026, 09:00 in Berlin).
/// </summary>
public class CapacityForecastTests(ForecastAppFactory app) : IClassFixture<ForecastAppFactory>
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static readonly DateTimeOffset Now = Local(2026, 12, 7, 9);

    private static int _sequence;

    [Fact]
    public async Task SeededBox_GivesTheForecastWorkedOutByHand()
    {
        // Box of three S, one M and one L (out of service), open around the clock, deadline 10 days.
        //
        // History (every document loaded one day after its registration, so the typical delay is 1 day):
        //   three S pickups after 1, 2 and 3 days (median 2 days); an old pickup 100 days ago after 30 days (outside
        //   the 90 days, ignored). M has no history of its own: it takes the box's (median 2 days too).
        // Now:
        //   S 01-01 loaded Mon 08:00, deadline 17.12.: free from Wed 9.12. (2 days);
        //   S 01-02 loaded Fri 4.12. 09:00, 3 days ago: no pickup took longer, so until its deadline Mon 14.12.;
        //   S 01-03 and M 01-04 free.
        // At the counter:
        //   a household of two registered Sun 09:00: due now, takes S 01-03 today, free from Wed 9.12.;
        //   one document registered today 08:00: due Tue 08:00, no S left then, so the M; free from Thu 10.12.
        var box = await SeedAsync();
        var forecasts = app.Services.GetRequiredService<CapacityForecasts>();

        var forecast = (await forecasts.ForBoxAsync(box, Now, TestContext.Current.CancellationToken))!;

        Assert.Equal(new DateOnly(2026, 12, 7), forecast.FirstDay);
        Assert.Equal(2, forecast.WaitingHouseholds);
        Assert.Equal(TimeSpan.FromDays(1), forecast.TypicalRegistrationToLoading);
        var s = forecast.Sizes.Single(x => x.Size == CompartmentSize.S);
        var m = forecast.Sizes.Single(x => x.Size == CompartmentSize.M);
        var l = forecast.Sizes.Single(x => x.Size == CompartmentSize.L);
        Assert.Equal([0, 0, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3], s.FreePerDay);
        Assert.Equal([1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], m.FreePerDay);
        Assert.Equal(Enumerable.Repeat(0, 14), l.FreePerDay);
        Assert.Equal(new DateOnly(2026, 12, 7), s.RunsOutOn);
        Assert.Equal(new DateOnly(2026, 12, 8), m.RunsOutOn);
        Assert.Null(l.RunsOutOn);
        Assert.Equal((ForecastSource.SizeHistory, TimeSpan.FromDays(2), 3), (s.Source, s.TypicalLoadToPickup, s.Samples));
        Assert.Equal((ForecastSource.BoxHistory, TimeSpan.FromDays(2), 3), (m.Source, m.TypicalLoadToPickup, m.Samples));
        Assert.Equal((1, 1), (l.Compartments, l.Blocked));
    }

    [Fact]
    public async Task OpenPages_ShareOneComputationPerBox()
    {
        var box = await SeedAsync();
        var forecasts = app.Services.GetRequiredService<CapacityForecasts>();

        var first = forecasts.SharedForBoxAsync(box, TestContext.Current.CancellationToken);
        var second = forecasts.SharedForBoxAsync(box, TestContext.Current.CancellationToken);

        Assert.Same(await first, await second);
        Assert.Null(await forecasts.SharedForBoxAsync(Guid.NewGuid(), TestContext.Current.CancellationToken));
    }

    private async Task<Guid> SeedAsync()
    {
        var code = $"PRG-{Interlocked.Increment(ref _sequence)}";
        var box = new Box
        {
            Id = Guid.NewGuid(), Code = code, Name = "Prognose", Address = "Teststraße 1", OpenAroundTheClock = true,
        };
        var sizes = new[] { CompartmentSize.S, CompartmentSize.S, CompartmentSize.S, CompartmentSize.M, CompartmentSize.L };
        box.Compartments = sizes.Select((size, i) => new Compartment
        {
            Id = Guid.NewGuid(), BoxId = box.Id, Module = 1, Row = i + 1, Label = Compartment.LabelFor(1, i + 1), Size = size,
        }).ToList();
        box.Compartments[4].TakeOutOfService("Tür klemmt");
        var (s1, s2, s3) = (box.Compartments[0], box.Compartments[1], box.Compartments[2]);

        var documents = new List<Document>();
        var loads = new List<CompartmentLoad>();
        // History: loaded into S 01-03 and picked up again.
        foreach (var (loadedDaysAgo, keptDays) in new[] { (20.0, 1.0), (15.0, 2.0), (10.0, 3.0), (130.0, 30.0) })
        {
            var loaded = Now.AddDays(-loadedDaysAgo);
            var document = Loaded(box, s3, loaded, documents, loads);
            document.StartPickup(loaded.AddDays(keptDays), "box:test", "Abholung");
            document.HandOver(loaded.AddDays(keptDays), "box:test", "abgeholt", s3.Label);
            s3.Vacate();
        }
        Loaded(box, s1, Local(2026, 12, 7, 8), documents, loads);
        Loaded(box, s2, Local(2026, 12, 4, 9), documents, loads);
        var household = Registered(box, Local(2026, 12, 6, 9), "+4917099900001");
        documents.Add(household);
        documents.Add(Registered(box, Local(2026, 12, 6, 9, 30), "+4917099900001"));
        documents.Add(Registered(box, Local(2026, 12, 7, 8), "+4917099900002"));

        await using var db = await app.NewDbContextAsync();
        db.Boxes.Add(box);
        db.Documents.AddRange(documents);
        db.CompartmentLoads.AddRange(loads);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return box.Id;
    }

    /// <summary>A document registered a day before <paramref name="loadedAt"/> and loaded then, deadline 10 days later.</summary>
    private static Document Loaded(Box box, Compartment compartment, DateTimeOffset loadedAt, List<Document> documents, List<CompartmentLoad> loads)
    {
        var document = Registered(box, loadedAt.AddDays(-1), $"+49170888{Interlocked.Increment(ref _sequence):00000}");
        var load = new CompartmentLoad
        {
            Id = Guid.NewGuid(), BoxId = box.Id, CompartmentId = compartment.Id, Status = LoadStatus.Completed, StartedAt = loadedAt,
            EndedAt = loadedAt, StartedBy = "staff:test", DocumentIds = [document.Id],
        };
        compartment.ReserveForLoading();
        document.StartLoading(load, compartment, loadedAt, "staff:test", "Einlegen");
        document.CompleteLoading(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(loadedAt, Berlin).DateTime).AddDays(10), "pin-hash",
            loadedAt, "box:test", "bereit", compartment.Label);
        compartment.Occupy();
        documents.Add(document);
        loads.Add(load);
        return document;
    }

    private static Document Registered(Box box, DateTimeOffset at, string mobile)
    {
        var n = Interlocked.Increment(ref _sequence);
        var document = Document.Create(DocumentType.IdCard, $"F{n:00000000}", $"Erika Prognose {n}", new DateOnly(1980, 1, 1), mobile, [],
            $"FORECAST-{n}-{Guid.NewGuid():N}"[..30], box.Id, needsAccessibleCompartment: false);
        document.Register(Guid.NewGuid(), at, "staff:test", "erfasst");
        return document;
    }

    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Berlin.GetUtcOffset(local)).ToUniversalTime(); // PostgreSQL stores UTC
    }
}
