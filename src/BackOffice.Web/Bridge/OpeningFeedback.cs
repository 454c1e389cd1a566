using BackOffice.Application.Bridge;
using BackOffice.Domain.Boxes;
using Microsoft.Extensions.Localization;
using BackOffice.Web.Components;

namespace BackOffice.Web.Bridge;

/// <summary>
/// Tells staff what becomes of an opening they asked for (<see cref="CompartmentOpenings"/>), on every page alike:
/// refused, "sent …", then open (for a retrieval: take the documents out and close the door) or why the door did not
/// open. As notifications, or as texts for a page that shows them in place.
/// </summary>
/// <remarks>Scoped (one per circuit): it notifies that circuit's user.</remarks>
internal sealed class OpeningFeedback(
    CompartmentOpenings openings, Notifier notifier, IStringLocalizer<SharedResource> localizer)
{
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
        var result = await open(() => notifier.Info(Sent(label), title));
        if (result.Refusal is not null)
        {
            // Refusals and failures stay until closed (Notifier): the person may be at the box, not at the screen.
            notifier.Error(Outcome(result), title);
            return false;
        }
        notifier.Show(result.Opened ? NoticeKind.Success : NoticeKind.Error,
            result.Opened && retrieval ? localizer["Retrieval.TakeOut", label] : Outcome(result), title);
        return result.Opened;
    }
}
