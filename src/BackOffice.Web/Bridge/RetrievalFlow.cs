using BackOffice.Application.Bridge;
using BackOffice.Application.Overdue;
using BackOffice.Domain.Boxes;
using Microsoft.Extensions.Localization;
using Radzen;

namespace BackOffice.Web.Bridge;

/// <summary>
/// Starts a retrieval and tells the clerk what happens, from the overdue list and from a document's page alike:
/// refused, sent, then "open: take the documents out and close the door" or why the door did not open.
/// </summary>
internal sealed class RetrievalFlow(
    DocumentRetrieval retrieval, BridgeCommandService commands, NotificationService notifications, IStringLocalizer<SharedResource> localizer)
{
    /// <summary>Returns true when the compartment opened.</summary>
    public async Task<bool> RunAsync(Guid compartmentId, string boxCode, string label, string actor)
    {
        var start = await retrieval.StartAsync(compartmentId, actor);
        if (!start.Started)
        {
            var text = start.Issue is { Refusal: not null } issue ? UnlockMessages.Refusal(localizer, issue, boxCode, label) : start.Refusal ?? "";
            notifications.Notify(NotificationSeverity.Error, localizer["Retrieval.Title"], text, TimeSpan.FromSeconds(15));
            return false;
        }
        notifications.Notify(NotificationSeverity.Info, localizer["Retrieval.Title"], localizer["Unlock.Sent", label]);
        var command = await commands.WaitForOutcomeAsync(start.CommandId!.Value);
        var opened = command.Status == CommandStatus.Opened;
        notifications.Notify(opened ? NotificationSeverity.Success : NotificationSeverity.Error, localizer["Retrieval.Title"],
            opened ? localizer["Retrieval.TakeOut", label] : UnlockMessages.Outcome(localizer, command), TimeSpan.FromSeconds(20));
        return opened;
    }
}
