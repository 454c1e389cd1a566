using System.Globalization;
using BackOffice.Application.Boxes;
using BackOffice.Application.Bridge;
using BackOffice.Domain.Boxes;
using BackOffice.Web.Bridge;
using BackOffice.Web.Components.Dialogs;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Admin;

/// <summary>Create a box, or edit one: master data, opening hours, bridge key, modules and compartments.</summary>
public partial class BoxEdit
{
    private BoxForm _form = BoxForm.ForNewBox();
    private Box? _box;
    private bool _online;
    private bool _notFound;
    private bool _saving;
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();
    private readonly ModuleForm _module = new();
    private string? _search;

    [Parameter]
    public Guid? Id { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private BoxAdministration Boxes { get; set; } = default!;

    [Inject]
    private OpeningFeedback Openings { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private Notifier Notifier { get; set; } = default!;

    [Inject]
    private TimeProvider TimeProvider { get; set; } = default!;

    [Inject]
    private IOptions<BridgeTimingOptions> BridgeTimingOptions { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    /// <summary>The German week: Monday first, Sunday last.</summary>
    private static IReadOnlyList<WeekdayOption> Weekdays { get; } =
        new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday }
            .Select(d => new WeekdayOption(d, CultureInfo.GetCultureInfo("de-DE").DateTimeFormat.GetDayName(d)))
            .ToList();

    /// <summary>The compartment grid's search: label, state or out-of-service reason, as the admin reads them.</summary>
    private bool MatchesSearch(Compartment compartment) =>
        string.IsNullOrWhiteSpace(_search)
        || compartment.Label.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase)
        || Localizer[$"CompartmentState.{compartment.State}"].Value.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase)
        || (compartment.OutOfServiceReason?.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase) ?? false);

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        if (Id is not { } id)
        {
            return;
        }
        _box = await Boxes.GetAsync(id);
        _notFound = _box is null;
        if (_box is not null)
        {
            _form = BoxForm.From(_box);
            _online = _box.IsOnline(TimeProvider.GetUtcNow(), BridgeTimingOptions.Value.HeartbeatTimeout);
        }
    }

    private void AddPeriod() => _form.OpeningHours.Add(new PeriodForm { Day = DayOfWeek.Monday, Opens = "07:30", Closes = "16:00" });

    private async Task SaveAsync()
    {
        if (!_form.TryToInput(out var input))
        {
            _errors = new Dictionary<string, string> { ["OpeningHours"] = Localizer["Boxes.TimeFormat"] };
            return;
        }
        _saving = true;
        try
        {
            var actor = await AuthenticationState.ActorAsync();
            if (_box is null)
            {
                var (result, boxId) = await Boxes.CreateAsync(input, actor);
                _errors = Localizer.Refusals(result.Errors);
                if (result.Succeeded)
                {
                    Notifier.Success(Localizer["Boxes.Saved", input.Code.ToUpperInvariant()]);
                    Navigation.NavigateTo($"verwaltung/boxen/{boxId}");
                }
                return;
            }
            var update = await Boxes.UpdateAsync(_box.Id, BoxAdministration.SettingsStamp(_box), input, actor);
            _errors = Localizer.Refusals(update.Errors);
            if (update.Succeeded)
            {
                Notifier.Success(Localizer["Boxes.Saved", input.Code.ToUpperInvariant()]);
                await LoadAsync();
            }
        }
        finally
        {
            _saving = false;
        }
    }

    private async Task AddModuleAsync()
    {
        var layout = new ModuleLayout(_module.Small, _module.Medium, _module.Large, _module.AccessibleFrom, _module.AccessibleTo);
        var result = await Boxes.AddModuleAsync(_box!.Id, layout, await AuthenticationState.ActorAsync());
        _errors = Localizer.Refusals(result.Errors);
        if (result.Succeeded)
        {
            Notifier.Success(Localizer["Modules.Added", layout.Rows]);
            await LoadAsync();
        }
    }

    private async Task TakeOutOfServiceAsync(Compartment compartment)
    {
        var reason = await Dialogs.AskReasonAsync(Localizer["Compartment.TakeOutTitle", compartment.Label], Localizer["Compartment.TakeOutText"]);
        if (reason is not string text)
        {
            return;
        }
        await ShowAsync(await Boxes.TakeOutOfServiceAsync(compartment.Id, compartment.Version, text, await AuthenticationState.ActorAsync()));
    }

    /// <summary>A technician's opening of any compartment: reason mandatory, audited, outcome shown when the box answers.</summary>
    private async Task ServiceOpenAsync(Compartment compartment)
    {
        var reason = await Dialogs.AskReasonAsync(Localizer["Compartment.ServiceOpenTitle", compartment.Label], Localizer["Compartment.ServiceOpenText"]);
        if (reason is not string text)
        {
            return;
        }
        await Openings.ServiceOpenAsync(compartment.Id, compartment.Label, text, await AuthenticationState.ActorAsync(), Localizer["Compartment.ServiceOpen"]);
        await LoadAsync();
    }

    private async Task ReturnToServiceAsync(Compartment compartment) =>
        await ShowAsync(await Boxes.ReturnToServiceAsync(compartment.Id, compartment.Version, await AuthenticationState.ActorAsync()));

    private async Task IssueKeyAsync()
    {
        var rotating = _box!.BridgeKeyHash is not null;
        var confirmed = await Dialogs.ConfirmAsync(Localizer["Key.Title"],
            rotating ? Localizer["Key.RotateConfirm", _box.Code] : Localizer["Key.IssueConfirm", _box.Code],
            Localizer["Common.Confirm"], Localizer["Common.Cancel"]);
        if (confirmed != true)
        {
            return;
        }
        var key = await Boxes.IssueBridgeKeyAsync(_box.Id, await AuthenticationState.ActorAsync());
        if (key is null)
        {
            return;
        }
        await LoadAsync();
        await Dialogs.ShowBridgeKeyAsync(Localizer["Key.Title"], key);
    }

    private async Task ShowAsync(ChangeResult result)
    {
        if (result.Succeeded)
        {
            Notifier.Success(Localizer["Common.Saved"]);
        }
        else
        {
            Notifier.Error(Localizer.Refusal(result.Errors.Values.First()));
        }
        await LoadAsync();
    }

    private sealed record WeekdayOption(DayOfWeek Day, string Text);

    private sealed class ModuleForm
    {
        public int Small { get; set; } = ModuleLayout.Standard.SmallRows;
        public int Medium { get; set; } = ModuleLayout.Standard.MediumRows;
        public int Large { get; set; } = ModuleLayout.Standard.LargeRows;
        public int AccessibleFrom { get; set; } = ModuleLayout.Standard.AccessibleFromRow;
        public int AccessibleTo { get; set; } = ModuleLayout.Standard.AccessibleToRow;
    }

    private sealed class PeriodForm
    {
        public DayOfWeek Day { get; set; }
        public string Opens { get; set; } = "";
        public string Closes { get; set; } = "";
    }

    /// <summary>The form's state: times as the admin types them ("07:30"), parsed on save.</summary>
    private sealed class BoxForm
    {
        public string Code { get; set; } = "";
        public string Name { get; set; } = "";
        public string Address { get; set; } = "";
        public string TimeZoneId { get; set; } = "Europe/Berlin";
        public bool OpenAroundTheClock { get; set; }
        public int PickupDeadlineDays { get; set; } = Box.DefaultPickupDeadlineDays;
        public bool FourEyesLoading { get; set; }
        public List<PeriodForm> OpeningHours { get; set; } = [];

        public static BoxForm ForNewBox() => new()
        {
            OpeningHours = [new PeriodForm { Day = DayOfWeek.Monday, Opens = "07:30", Closes = "16:00" }],
        };

        public static BoxForm From(Box box) => new()
        {
            Code = box.Code,
            Name = box.Name,
            Address = box.Address,
            TimeZoneId = box.TimeZoneId,
            OpenAroundTheClock = box.OpenAroundTheClock,
            PickupDeadlineDays = box.PickupDeadlineDays,
            FourEyesLoading = box.FourEyesLoading,
            OpeningHours = OpeningPeriod.InWeekOrder(box.OpeningHours)
                .Select(p => new PeriodForm { Day = p.Day, Opens = p.Opens.ToString("HH:mm", CultureInfo.InvariantCulture), Closes = p.Closes.ToString("HH:mm", CultureInfo.InvariantCulture) })
                .ToList(),
        };

        public bool TryToInput(out BoxInput input)
        {
            input = new BoxInput
            {
                Code = Code ?? "",
                Name = Name ?? "",
                Address = Address ?? "",
                TimeZoneId = TimeZoneId ?? "",
                OpenAroundTheClock = OpenAroundTheClock,
                PickupDeadlineDays = PickupDeadlineDays,
                FourEyesLoading = FourEyesLoading,
            };
            foreach (var period in OpeningHours)
            {
                if (!TimeOnly.TryParseExact(period.Opens?.Trim(), "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var opens)
                    || !TimeOnly.TryParseExact(period.Closes?.Trim(), "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var closes))
                {
                    return false;
                }
                input.OpeningHours.Add(new OpeningPeriodInput { Day = period.Day, Opens = opens, Closes = closes });
            }
            return true;
        }
    }
}
