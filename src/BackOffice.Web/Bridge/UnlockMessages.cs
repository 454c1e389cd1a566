using BackOffice.Application.Bridge;
using BackOffice.Application.Common;
using BackOffice.Domain.Boxes;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Bridge;

/// <summary>What staff read when an unlock is refused or ends: one place for the German texts' arguments.</summary>
internal static class UnlockMessages
{
    public static string Refusal(IStringLocalizer localizer, UnlockIssue issue, string boxCode, string label) => issue.Refusal switch
    {
        UnlockRefusal.BoxOffline when issue.LastHeartbeatAt is { } last => localizer["Unlock.BoxOffline", boxCode, OfficeClock.Format(last)],
        UnlockRefusal.BoxOffline => localizer["Unlock.BoxNeverOnline", boxCode],
        UnlockRefusal.CompartmentOutOfService => localizer["Unlock.OutOfService", label],
        UnlockRefusal.ReasonRequired => localizer["Unlock.ReasonRequired"],
        _ => localizer["Unlock.UnknownCompartment"],
    };

    public static string Outcome(IStringLocalizer localizer, BridgeCommand command) => command.Status switch
    {
        CommandStatus.Opened => localizer["Unlock.Opened", command.CompartmentLabel],
        CommandStatus.Failed => localizer["Unlock.Failed", command.CompartmentLabel, command.ResultDetail ?? "–"],
        CommandStatus.Expired => localizer["Unlock.Expired", command.CompartmentLabel],
        _ => localizer["Unlock.NoAnswer", command.CompartmentLabel],
    };
}
