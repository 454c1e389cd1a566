using BackOffice.Domain.Operations;

namespace BackOffice.Application.Operations;

/// <summary>The alarm e-mail in German (like <c>SmsTexts</c>, it leaves the app, so it is written here, not in the UI's resources).</summary>
public static class AlarmMailTexts
{
    public static string Title(AlarmKind kind) => kind switch
    {
        AlarmKind.DoorOpen => "Fachtür zu lange offen",
        AlarmKind.BoxOffline => "Ausgabebox nicht erreichbar",
        AlarmKind.BinFull => "Altausweis-Behälter fast voll",
        AlarmKind.CompartmentFault => "Störung an einem Fach",
        AlarmKind.PickupRefusals => "Viele abgelehnte Abholversuche",
        AlarmKind.SmsFailed => "SMS nicht zustellbar",
        _ => kind.ToString(),
    };

    public static string Subject(AlarmKind kind, string? boxCode, string subject) =>
        $"[Ausgabebox{(boxCode is null ? "" : " " + boxCode)}] Alarm: {Title(kind)} ({subject})";

    public static string Body(AlarmKind kind, string? boxCode, string subject, string raisedAt, int doorOpenMinutes) =>
        $"""
        Alarm der Ausgabebox{(boxCode is null ? "" : " " + boxCode)}: {Title(kind)}

        {Detail(kind, subject, doorOpenMinutes)}
        Ausgelöst: {raisedAt}

        Bitte im Back Office unter "Alarme" bestätigen oder erledigen. Der Alarm erledigt sich selbst, sobald die Ursache behoben ist.
        """;

    private static string Detail(AlarmKind kind, string subject, int doorOpenMinutes) => kind switch
    {
        AlarmKind.DoorOpen => $"Die Tür von Fach {subject} ist seit mehr als {doorOpenMinutes} Minuten offen.",
        AlarmKind.BoxOffline => $"Die Box {subject} sendet keine Lebenszeichen mehr.",
        AlarmKind.BinFull => $"Der Behälter für alte Ausweise ist zu {subject} gefüllt.",
        AlarmKind.CompartmentFault => $"Die Box meldet eine Störung an Fach {subject}.",
        AlarmKind.PickupRefusals => $"{subject} Abholversuche wurden in kurzer Zeit abgelehnt.",
        AlarmKind.SmsFailed => $"Eine SMS (Nr. {subject}) konnte nicht zugestellt werden.",
        _ => subject,
    };
}
