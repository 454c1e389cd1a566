using BackOffice.Application.Audit;
using BackOffice.Application.Reports;
using BackOffice.Domain.Documents;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Pages.Audit;

/// <summary>
/// The audit trail's codes as a supervisor reads them: German names for actions and outcomes (resource keys
/// <c>AuditAction.&lt;code&gt;</c> and <c>AuditOutcome.&lt;code&gt;</c>), subjects by what people call them. A code
/// without a name is shown as it is, so a line written by a newer version is never hidden.
/// </summary>
public static class AuditTexts
{
    /// <summary>Every action the back office writes, except the timeline's and the reports' (named from their enums).</summary>
    public static IReadOnlyList<string> PlainActions { get; } =
    [
        "staff.signin", "staff.signout", "staff.locked", "staff.lockout_lifted", "staff.created",
        "staff.role_changed", "staff.disabled", "staff.enabled", "staff.password_reset", "staff.password_changed", "staff.change_refused",
        "staff.two_factor_enabled", "staff.two_factor_disabled", "staff.two_factor_reset", "staff.recovery_codes",
        "staff.witness_signin",
        "document.registered", "documents.imported", "document.blocked", "document.unblocked", "document.pin_reissued",
        "document.lock_lifted", "document.household_joined", "document.mobile_changed",
        "document.authorization_recorded", "document.authorization_revoked", "document.deadline_extended",
        "document.found",
        "load.started", "load.resumed", "load.completed", "load.aborted", "load.resolved", "load.confirmed", "load.witness_refused",
        "pickup.granted", "pickup.refused", "pickup.handed_over", "pickup.resolved",
        "retrieval.started", "retrieval.completed",
        "compartment.checked", "compartment.check_required", "compartment.out_of_service", "compartment.in_service",
        "bridge.hello", "bridge.door", "bridge.command.issued", "bridge.command.result", "bridge.command.refused",
        "bridge.command.expired", "bridge.refused",
        "bin.deposit", "bin.emptied", "bin.emptying.witness_refused", "bin.followed_up", "bin.handed_back",
        "inventory.started", "inventory.checked", "inventory.not_opened", "inventory.paused", "inventory.resumed", "inventory.cancelled",
        "inventory.finished", "inventory.resolved",
        "box.created", "box.updated", "box.module.added", "box.key.issued", "box.key.rotated",
        "sms.sent", "sms.failed", "sms.retry",
        "alarm.raised", "alarm.acknowledged", "alarm.resolved", "alarm.mail.sent", "alarm.mail.failed",
        "webhook.delivered", "webhook.retry",
        "privacy.retention", "privacy.export",
        "config.set", "dataprotection.key.created", "dataprotection.key.revoked",
    ];

    /// <summary>Every action with its German name, sorted by name: the choices of the action filter.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Choices(IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        return PlainActions
            .Concat(Enum.GetValues<DocumentEventKind>().Select(kind => AuditTrail.TimelinePrefix + kind))
            .Concat(ReportCatalog.All.Select(report => ReportPrefix + report.Slug))
            .Select(code => new KeyValuePair<string, string>(code, Action(localizer, code)))
            .OrderBy(choice => choice.Value, StringComparer.CurrentCulture)
            .ToList();
    }

    public static string Action(IStringLocalizer localizer, string code)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        ArgumentNullException.ThrowIfNull(code);
        if (code.StartsWith(ReportPrefix, StringComparison.Ordinal)
            && ReportCatalog.All.FirstOrDefault(r => r.Slug == code[ReportPrefix.Length..]) is { } report)
        {
            return localizer["AuditAction.report", localizer[$"ReportKind.{report.Kind}"]];
        }
        return Named(localizer, $"AuditAction.{code}") ?? code;
    }

    /// <summary>An outcome; a timeline line's outcome is the document's state after it.</summary>
    public static string Outcome(IStringLocalizer localizer, string code)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        ArgumentNullException.ThrowIfNull(code);
        return Named(localizer, $"AuditOutcome.{code}")
            ?? (Enum.TryParse<DocumentState>(code, out var state) && Enum.IsDefined(state) ? localizer[$"DocumentState.{state}"] : code);
    }

    /// <summary>What the line is about, in words: "Dokument C01X00T47", "Fach 01-03 (DLZ-1)", "Box DLZ-1", "Konto Jana Neumann".</summary>
    public static string Subject(IStringLocalizer localizer, AuditLine line)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        ArgumentNullException.ThrowIfNull(line);
        var separator = line.Subject.IndexOf(':', StringComparison.Ordinal);
        if (separator < 0)
        {
            // The retention run's subject: all documents.
            return line.Subject == "documents" ? localizer["AuditSubject.Documents"] : line.Subject;
        }
        var (kind, key) = (line.Subject[..separator], line.Subject[(separator + 1)..]);
        switch (kind)
        {
            case "document":
                return line.SubjectName is { } number ? localizer["AuditSubject.Document", number] : localizer["AuditSubject.DocumentErased"];
            case "compartment" when key.Split('/') is [var box, var label]:
                return localizer["AuditSubject.Compartment", label, box];
            case "box":
                return localizer["AuditSubject.Box", key];
            case "user":
                return localizer["AuditSubject.User", line.SubjectName ?? key];
            case "sms":
                return localizer["AuditSubject.Sms"];
            case "load":
                return localizer["AuditSubject.Load"];
            case "command":
                return localizer["AuditSubject.Command"];
            case "setting":
                return localizer["AuditSubject.Setting", key];
            case "dataprotection-key":
                return localizer["AuditSubject.DataProtectionKey"];
            default:
                return line.Subject;
        }
    }

    private const string ReportPrefix = "report.";

    private static string? Named(IStringLocalizer localizer, string key) => localizer[key] is { ResourceNotFound: false } text ? text.Value : null;
}
