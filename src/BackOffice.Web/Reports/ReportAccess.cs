using BackOffice.Application.Reports;
using BackOffice.Web.Security;

namespace BackOffice.Web.Reports;

/// <summary>
/// Who may print which report (docs/decisions/0012-report-access.md): the operational reports with masked data
/// any staff member; the Vorgangsauszug, with personal data, counter staff (the people who may open the document);
/// the Vernichtungsprotokoll and the Bestandsprotokoll supervisors and admins. Supervisors may print every report.
/// </summary>
internal static class ReportAccess
{
    public static string PolicyFor(ReportKind kind) => kind switch
    {
        ReportKind.DailyJournal or ReportKind.Occupancy or ReportKind.OverdueDocuments => AuthorizationPolicies.Staff,
        ReportKind.DocumentHistory => AuthorizationPolicies.CounterWork,
        ReportKind.DestructionProtocol or ReportKind.InventoryProtocol => AuthorizationPolicies.Supervision,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
