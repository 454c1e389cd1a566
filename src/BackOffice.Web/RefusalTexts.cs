using System.Globalization;
using BackOffice.Application.Common;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web;

/// <summary>Words the application's refusals: resource <c>Refusal.{Code}</c> with its arguments, German-formatted.</summary>
public static class RefusalTexts
{
    public static string Refusal(this IStringLocalizer localizer, Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        ArgumentNullException.ThrowIfNull(refusal);
        var text = localizer[$"Refusal.{refusal.Code}"];
        if (text.ResourceNotFound)
        {
            return text.Value;
        }
        return string.Format(DependencyInjection.UiCulture, text.Value, refusal.Arguments.Select(Shown).ToArray());
    }

    /// <summary>Each refusal of a form, by field.</summary>
    public static IReadOnlyDictionary<string, string> Refusals(this IStringLocalizer localizer, IReadOnlyDictionary<string, Refusal> refusals) =>
        refusals.ToDictionary(r => r.Key, r => localizer.Refusal(r.Value));

    /// <summary>Times as staff read them everywhere (office time), days as dd.MM.yyyy.</summary>
    private static object Shown(object argument) => argument switch
    {
        DateTimeOffset at => OfficeClock.Format(at),
        DateOnly day => day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture),
        _ => argument,
    };
}
