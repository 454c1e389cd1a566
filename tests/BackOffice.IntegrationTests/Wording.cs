using BackOffice.Application.Common;
using BackOffice.Web;
using Microsoft.Extensions.Localization;

namespace BackOffice.IntegrationTests;

/// <summary>Refusals worded as the pages and endpoints word them: the app's own German resources.</summary>
internal static class Wording
{
    public static string Words(this IServiceProvider services, Refusal? refusal) =>
        refusal is null ? "" : services.GetRequiredService<IStringLocalizer<SharedResource>>().Refusal(refusal);

    public static string Words(this IServiceProvider services, IEnumerable<Refusal> refusals) =>
        string.Join(" ", refusals.Select(r => services.Words(r)));
}
