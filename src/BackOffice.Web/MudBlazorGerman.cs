using Microsoft.Extensions.Localization;
using MudBlazor;

namespace BackOffice.Web;

/// <summary>Marker for MudBlazor's own texts in German (Resources/MudBlazorTexts.resx, the neutral culture).</summary>
public sealed class MudBlazorTexts;

/// <summary>
/// MudBlazor's texts ("Rows per page", "Close", the pager's "1-10 of 42") in German. MudBlazor asks this localizer for
/// every key whenever the UI culture is not English; a key missing here falls back to MudBlazor's English.
/// </summary>
/// <remarks>Stateless; registered transient as MudBlazor expects.</remarks>
public sealed class MudBlazorGerman(IStringLocalizer<MudBlazorTexts> texts) : MudLocalizer
{
    public override LocalizedString this[string key] => texts[key];

    public override LocalizedString this[string key, params object[] arguments] => texts[key, arguments];
}
