using BackOffice.Application.Operations;
using BackOffice.Domain.Operations;
using BackOffice.Domain.Staff;
using BackOffice.Web.Components.Controls;

namespace BackOffice.ComponentTests.Controls;

/// <summary>The app bar's alarm bell: the open alarms of the role's kinds, updated when alarms change.</summary>
public class AlarmBadgeTests : ComponentTest
{
    private readonly FakeCounts _counts = new();
    private readonly AlarmChanges _changes = new();

    public AlarmBadgeTests()
    {
        Services.AddSingleton<IAlarmCounts>(_counts);
        Services.AddSingleton(_changes);
    }

    [Fact]
    public void Clerk_SeesTheCountOfTheirKinds_AndALinkToTheList()
    {
        SignIn("Jana Neumann", StaffRoles.Clerk);
        _counts.Open = 3;

        var badge = RenderBadge();

        var button = badge.Find("a[href=alarme]");
        Assert.Equal("Alarme: 3 offen", button.GetAttribute("aria-label"));
        Assert.Equal([AlarmKind.DoorOpen, AlarmKind.BinFull, AlarmKind.SmsFailed], _counts.AskedFor);
    }

    [Fact]
    public void ANewAlarm_UpdatesTheCount_WithoutAReload()
    {
        SignIn("Petra Teamleitung", StaffRoles.Supervisor);
        var badge = RenderBadge();
        Assert.Equal("0", badge.Find("a[href=alarme]").GetAttribute("data-count"));

        _counts.Open = 1;
        _changes.Notify();

        badge.WaitForAssertion(() => Assert.Equal("Alarme: 1 offen", badge.Find("a[href=alarme]").GetAttribute("aria-label")));
    }

    private IRenderedComponent<AlarmBadge> RenderBadge()
    {
        // Live updates need an interactive circuit.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        return Render<AlarmBadge>();
    }

    private sealed class FakeCounts : IAlarmCounts
    {
        public int Open { get; set; }

        public IReadOnlyCollection<AlarmKind> AskedFor { get; private set; } = [];

        public Task<int> CountOpenAsync(IReadOnlyCollection<AlarmKind> kinds, CancellationToken cancellationToken = default)
        {
            AskedFor = kinds;
            return Task.FromResult(Open);
        }
    }
}
