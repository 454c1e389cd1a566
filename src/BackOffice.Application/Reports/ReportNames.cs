using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Messaging;

namespace BackOffice.Application.Reports;

/// <summary>German names of states and sizes as reports print them (the UI has its own in the web resources).</summary>
public static class ReportNames
{
    public static IReadOnlyDictionary<DocumentState, string> DocumentStates { get; } = new Dictionary<DocumentState, string>
    {
        [DocumentState.Arrived] = "eingegangen",
        [DocumentState.Loading] = "wird eingelegt",
        [DocumentState.ReadyForPickup] = "abholbereit",
        [DocumentState.PickupOpening] = "wird abgeholt",
        [DocumentState.PickedUp] = "abgeholt",
        [DocumentState.Retrieving] = "wird zurückgeholt",
        [DocumentState.BackAtCounter] = "am Schalter",
        [DocumentState.Missing] = "vermisst",
    };

    public static IReadOnlyDictionary<CompartmentState, string> CompartmentStates { get; } = new Dictionary<CompartmentState, string>
    {
        [CompartmentState.Free] = "frei",
        [CompartmentState.ReservedForLoading] = "reserviert zum Einlegen",
        [CompartmentState.Occupied] = "belegt",
        [CompartmentState.OutOfService] = "außer Betrieb",
    };

    public static IReadOnlyDictionary<CompartmentSize, string> CompartmentSizes { get; } = new Dictionary<CompartmentSize, string>
    {
        [CompartmentSize.S] = "S",
        [CompartmentSize.M] = "M",
        [CompartmentSize.L] = "L",
    };

    /// <summary>What happened to a document, as a timeline line's kind (the note says it in full).</summary>
    public static IReadOnlyDictionary<DocumentEventKind, string> EventKinds { get; } = new Dictionary<DocumentEventKind, string>
    {
        [DocumentEventKind.Note] = "Notiz",
        [DocumentEventKind.Registered] = "erfasst",
        [DocumentEventKind.LoadStarted] = "Einlegen begonnen",
        [DocumentEventKind.LoadAborted] = "Einlegen abgebrochen",
        [DocumentEventKind.Loaded] = "eingelegt",
        [DocumentEventKind.PickupStarted] = "Abholung begonnen",
        [DocumentEventKind.PickupNotOpened] = "Fach nicht geöffnet",
        [DocumentEventKind.PickedUp] = "abgeholt",
        [DocumentEventKind.LockedAfterFailures] = "gesperrt nach Fehlversuchen",
        [DocumentEventKind.LockLifted] = "Sperre aufgehoben",
        [DocumentEventKind.PinReissued] = "PIN neu vergeben",
        [DocumentEventKind.Blocked] = "gesperrt",
        [DocumentEventKind.Unblocked] = "Sperre aufgehoben",
        [DocumentEventKind.ReminderSent] = "Erinnerung versendet",
        [DocumentEventKind.RetrievalStarted] = "Zurückholen begonnen",
        [DocumentEventKind.RetrievalAborted] = "Zurückholen abgebrochen",
        [DocumentEventKind.Retrieved] = "zurückgeholt",
        [DocumentEventKind.PersonalDataErased] = "Personendaten gelöscht",
        [DocumentEventKind.JoinedHousehold] = "zum Haushalt hinzugefügt",
        [DocumentEventKind.PickupRefused] = "Abholversuch abgelehnt",
        [DocumentEventKind.AuthorizationRecorded] = "Vollmacht erfasst",
        [DocumentEventKind.AuthorizationRevoked] = "Vollmacht widerrufen",
        [DocumentEventKind.DeadlineExtended] = "Abholfrist verlängert",
        [DocumentEventKind.ReportedMissing] = "als vermisst gemeldet",
        [DocumentEventKind.ReturnedToCounter] = "nach Inventur am Schalter",
        [DocumentEventKind.FoundAgain] = "wiedergefunden, am Schalter",
    };

    public static IReadOnlyDictionary<SmsPurpose, string> SmsPurposes { get; } = new Dictionary<SmsPurpose, string>
    {
        [SmsPurpose.ReadyForPickup] = "Abholbereit",
        [SmsPurpose.PinReissued] = "Neue PIN",
        [SmsPurpose.PickupReminder] = "Erinnerung an die Abholung",
        [SmsPurpose.ReturnedToCounter] = "Zurück an den Schalter",
        [SmsPurpose.DeadlineExtended] = "Abholfrist verlängert",
    };

    public static IReadOnlyDictionary<SmsStatus, string> SmsStatuses { get; } = new Dictionary<SmsStatus, string>
    {
        [SmsStatus.Pending] = "wartet auf Versand",
        [SmsStatus.Sent] = "versendet",
        [SmsStatus.Failed] = "nicht zustellbar",
    };

    /// <summary>
    /// Who did it, as a person reads it: staff by display name, boxes by code. <paramref name="staffNames"/> maps user
    /// names to display names; an unknown user name is printed as it is.
    /// </summary>
    public static string Actor(string actor, IReadOnlyDictionary<string, string> staffNames)
    {
        var separator = actor.IndexOf(':', StringComparison.Ordinal);
        var (kind, name) = separator < 0 ? (actor, "") : (actor[..separator], actor[(separator + 1)..]);
        return kind switch
        {
            "staff" => staffNames.TryGetValue(name, out var display) && display.Length > 0 ? display : name,
            "box" => $"Box {name}",
            "api" => "Registrierungssoftware",
            "system" => "System",
            _ => actor,
        };
    }
}
