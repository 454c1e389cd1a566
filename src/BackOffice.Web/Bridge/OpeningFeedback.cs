using BackOffice.Application.Bridge;
using BackOffice.Domain.Boxes;
using Microsoft.Extensions.Localization;
using Radzen;

namespace BackOffice.Web.Bridge;

/// <summary>
/// Tells staff what becomes of an opening they asked for (<see cref="CompartmentOpenings"/>), on every page alike:
/// refused, "sent …", then open (for a retrieval: take the documents out and close the door) or why the door did not
/// open. As notifications, or as texts for a page that shows them in place.
/// </summary>
/// <remarks>Scoped (one per circuit): it notifies that circuit's user.</remarks>
internal sealed class OpeningFeedback(
    CompartmentOpenings openings, NotificationService notifications, IStringLocalizer<SharedResource> localizer)
{
    private static readonly TimeSpan RefusalDuration = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan OutcomeDuration = TimeSpan.FromSeconds(20);

    /// <summary>Starts a retrieval and reports it; true when the compartment opened.</summary>
    public Task<bool> RetrieveAsync(Guid compartmentId, string label, string actor) =>
        NotifyAsync(localizer["Retrieval.Title"], label, sent => openings.RetrieveAsync(compartmentId, actor, sent), retrieval: true);

    /// <summary>A service opening, reported under <paramref name="title"/>; true when the compartment opened.</summary>
    public Task<bool> ServiceOpenAsync(Guid compartmentId, string label, string reason, string actor, string title) =>
        NotifyAsync(title, label, sent => openings.ServiceOpenAsync(compartmentId, reason, actor, sent), retrieval: false);

    public string Sent(string label) => localizer["Unlock.Sent", label];

    /// <summary>The refusal, or what the box answered.</summary>
    public string Outcome(OpeningResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Refusal is { } refusal)
        {
            return localizer.Refusal(refusal);
        }
        var command = result.Command!;
        return command.Status switch
        {
            CommandStatus.Opened => localizer["Unlock.Opened", command.CompartmentLabel],
            CommandStatus.Failed => localizer["Unlock.Failed", command.CompartmentLabel, command.ResultDetail ?? "–"],
            CommandStatus.Expired => localizer["Unlock.Expired", command.CompartmentLabel],
            _ => localizer["Unlock.NoAnswer", command.CompartmentLabel],
        };
    }

    private async Task<bool> NotifyAsync(string title, string label, Func<Action, Task<OpeningResult>> open, bool retrieval)
    {
        var result = await open(() => notifications.Notify(NotificationSeverity.Info, title, Sent(label)));
        if (result.Refusal is not null)
        {
            notifications.Notify(NotificationSeverity.Error, title, Outcome(result), RefusalDuration);
            return false;
        }
        notifications.Notify(result.Opened ? NotificationSeverity.Success : NotificationSeverity.Error, title,
            result.Opened && retrieval ? localizer["Retrieval.TakeOut", label] : Outcome(result), OutcomeDuration);
        return result.Opened;
    }
}
