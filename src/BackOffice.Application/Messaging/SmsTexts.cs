using System.Globalization;
using System.Text;
using BackOffice.Application.Common;
using BackOffice.Domain.Boxes;

namespace BackOffice.Application.Messaging;

/// <summary>A document as an SMS names it: its type in German and the holder's first name.</summary>
public sealed record SmsDocument(string Type, string FirstName);

/// <summary>
/// The German texts the citizen receives. Short and plain: they are read on a phone, often once, at the box.
/// </summary>
/// <remarks>The texts carry the PIN: hand them to <see cref="SmsOutbox.Enqueue"/> and nowhere else (no log, no audit).</remarks>
public static class SmsTexts
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    private static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    /// <summary>
    /// The documents are in the box: which ones (type and holder's first name, so two ID cards of one household are told
    /// apart), where, when the box is open, until when, the one PIN for all of them and what to bring.
    /// </summary>
    /// <param name="documents">Every document of the compartment, e.g. "Reisepass Max", "Personalausweis Erika".</param>
    /// <param name="boxName">The box's name, e.g. "Dienstleistungszentrum".</param>
    /// <param name="boxAddress">The box's address.</param>
    /// <param name="openingHours">From <see cref="OpeningHoursSummary(bool, IEnumerable{OpeningPeriod})"/>.</param>
    /// <param name="deadline">Last moment of the pickup period; shown as a date in Europe/Berlin.</param>
    /// <param name="pin">The pickup PIN in plain text.</param>
    /// <param name="authorized">The recipient is a person the holder authorised (Vollmacht), not the holder.</param>
    public static string ReadyForPickup(
        IReadOnlyList<SmsDocument> documents, string boxName, string boxAddress, string openingHours, DateTimeOffset deadline, string pin,
        bool authorized = false) =>
        (authorized
            ? $"Sie sind bevollmächtigt, {(documents.Count == 1 ? "ein neues Dokument" : "neue Dokumente")} ({List(documents)}) abzuholen: "
            : documents.Count == 1
            ? $"Ihr neues Dokument ({List(documents)}) liegt zur Abholung bereit: "
            : $"Ihre neuen Dokumente ({List(documents)}) liegen zusammen in einem Fach zur Abholung bereit: ") +
        $"Ausgabebox {boxName}, {boxAddress}. Geöffnet: {openingHours}. Abholung bis {FormatDate(deadline)}. " +
        $"PIN: {pin}{(documents.Count == 1 ? "" : " (eine PIN für alle)")}. " + WhatToBring(documents, authorized);

    /// <summary><see cref="ReadyForPickup(IReadOnlyList{SmsDocument}, string, string, string, DateTimeOffset, string, bool)"/> for a box loaded with its opening hours.</summary>
    /// <param name="documents">Every document of the compartment.</param>
    /// <param name="box">The box, with <see cref="Box.OpeningHours"/> loaded.</param>
    /// <param name="deadline">Last moment of the pickup period; shown as a date in Europe/Berlin.</param>
    /// <param name="pin">The pickup PIN in plain text.</param>
    /// <param name="authorized">The recipient is a person the holder authorised (Vollmacht), not the holder.</param>
    public static string ReadyForPickup(IReadOnlyList<SmsDocument> documents, Box box, DateTimeOffset deadline, string pin, bool authorized = false)
    {
        ArgumentNullException.ThrowIfNull(box);
        return ReadyForPickup(documents, box.Name, box.Address, OpeningHoursSummary(box), deadline, pin, authorized);
    }

    /// <summary>A clerk issued a new PIN for the compartment; the old one no longer opens it.</summary>
    /// <param name="documents">Every document of the compartment.</param>
    /// <param name="boxName">The box's name.</param>
    /// <param name="deadline">Last moment of the pickup period; shown as a date in Europe/Berlin.</param>
    /// <param name="pin">The new PIN in plain text.</param>
    /// <param name="authorized">The recipient is a person the holder authorised (Vollmacht), not the holder.</param>
    public static string PinReissued(IReadOnlyList<SmsDocument> documents, string boxName, DateTimeOffset deadline, string pin, bool authorized = false) =>
        (authorized
            ? $"Sie sind bevollmächtigt, {(documents.Count == 1 ? "ein Dokument" : "Dokumente")} ({List(documents)}) aus der Ausgabebox {boxName} abzuholen – PIN: {pin}. "
            : $"Neue PIN für {(documents.Count == 1 ? "Ihr Dokument" : "Ihre Dokumente")} ({List(documents)}) in der Ausgabebox {boxName} – PIN: {pin}. ") +
        $"Die bisherige PIN gilt nicht mehr. Abholung bis {FormatDate(deadline)}. " + WhatToBring(documents, authorized);

    /// <summary>A clerk extended the pickup deadline: the documents wait longer, the PIN still works.</summary>
    /// <param name="documents">The documents waiting in the compartment.</param>
    /// <param name="boxName">The box's name.</param>
    /// <param name="deadline">The new last moment of the pickup period; shown as a date in Europe/Berlin.</param>
    public static string DeadlineExtended(IReadOnlyList<SmsDocument> documents, string boxName, DateTimeOffset deadline) =>
        $"Die Abholfrist für {(documents.Count == 1 ? "das Dokument" : "die Dokumente")} ({List(documents)}) in der Ausgabebox {boxName} " +
        $"wurde verlängert: Abholung jetzt bis {FormatDate(deadline)}. Die PIN gilt weiter.";

    /// <summary>The deadline is near: the documents still wait in the box, the PIN from the first SMS still works.</summary>
    /// <param name="documents">The documents still waiting in the compartment.</param>
    /// <param name="boxName">The box's name.</param>
    /// <param name="deadline">Last moment of the pickup period; shown as a date in Europe/Berlin.</param>
    /// <param name="authorized">
    /// The recipient is the person the holder authorised (Vollmacht): addressed as such, with nothing of the holder the
    /// PIN SMS did not already name (the documents' types and first names).
    /// </param>
    public static string PickupReminder(IReadOnlyList<SmsDocument> documents, string boxName, DateTimeOffset deadline, bool authorized = false) =>
        authorized
            ? $"Erinnerung: Sie sind bevollmächtigt, {(documents.Count == 1 ? "ein Dokument" : "Dokumente")} ({List(documents)}) aus der Ausgabebox {boxName} abzuholen. " +
              $"Bitte holen Sie {(documents.Count == 1 ? "es" : "sie")} bis {FormatDate(deadline)} ab; die PIN aus der SMS an Sie gilt weiter. " +
              $"Danach {(documents.Count == 1 ? "liegt es" : "liegen sie")} am Schalter bereit."
            : (documents.Count == 1
                ? $"Erinnerung: Ihr neues Dokument ({List(documents)}) liegt noch in der Ausgabebox {boxName}. Bitte holen Sie es "
                : $"Erinnerung: Ihre neuen Dokumente ({List(documents)}) liegen noch in der Ausgabebox {boxName}. Bitte holen Sie sie ") +
              $"bis {FormatDate(deadline)} ab; Ihre PIN aus der ersten SMS gilt weiter. " +
              $"Danach {(documents.Count == 1 ? "liegt es" : "liegen sie")} für Sie am Schalter bereit.";

    /// <summary>A clerk took the documents back out of the box: they wait at the counter; the PIN no longer works.</summary>
    /// <param name="documents">The documents taken out of the compartment.</param>
    /// <param name="boxName">The box's name (the office that runs it has the counter).</param>
    public static string ReturnedToCounter(IReadOnlyList<SmsDocument> documents, string boxName) =>
        (documents.Count == 1
            ? $"Ihr neues Dokument ({List(documents)}) wurde aus der Ausgabebox {boxName} genommen und liegt jetzt am Schalter für Sie bereit. "
            : $"Ihre neuen Dokumente ({List(documents)}) wurden aus der Ausgabebox {boxName} genommen und liegen jetzt am Schalter für Sie bereit. ") +
        "Bitte bringen Sie den alten Ausweis mit. Die PIN gilt nicht mehr.";

    /// <summary>
    /// The third factor names the holders: the birth date or old ID of any of them opens the compartment (a child's SMS
    /// must not ask for "Ihr Geburtsdatum" when the parent reads it).
    /// </summary>
    private static string WhatToBring(IReadOnlyList<SmsDocument> documents, bool authorized = false) => authorized
        ? "An der Box brauchen Sie diese Handynummer, die PIN und Ihr eigenes Geburtsdatum (oder den alten Ausweis " +
            $"{(documents.Count == 1 ? "von" : "einer dieser Personen:")} {Names(documents)})." +
            (documents.Count == 1 ? "" : " Alle Dokumente werden zusammen ausgegeben.")
        : "An der Box brauchen Sie diese Handynummer, die PIN und den alten Ausweis oder das Geburtsdatum " +
        $"{(documents.Count == 1 ? "von" : "einer dieser Personen:")} {Names(documents)}." +
        (documents.Count == 1 ? "" : " Alle Dokumente werden zusammen ausgegeben.");

    private static string List(IReadOnlyList<SmsDocument> documents) =>
        string.Join(", ", documents.Select(d => d.FirstName.Length == 0 ? d.Type : $"{d.Type} {d.FirstName}"));

    private static string Names(IReadOnlyList<SmsDocument> documents)
    {
        var names = documents.Select(d => d.FirstName).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return names.Count switch
        {
            0 => "der Inhaberin oder des Inhabers",
            1 => names[0],
            _ => $"{string.Join(", ", names[..^1])} oder {names[^1]}",
        };
    }

    public static string OpeningHoursSummary(Box box)
    {
        ArgumentNullException.ThrowIfNull(box);
        return OpeningHoursSummary(box.OpenAroundTheClock, box.OpeningHours);
    }

    /// <summary>
    /// "Mo–Di 07:30–16:00, Mi 07:30–13:00, …": consecutive days with the same hours share one entry;
    /// "rund um die Uhr" for a box open around the clock.
    /// </summary>
    public static string OpeningHoursSummary(bool openAroundTheClock, IEnumerable<OpeningPeriod> periods)
    {
        ArgumentNullException.ThrowIfNull(periods);
        if (openAroundTheClock)
        {
            return "rund um die Uhr";
        }
        var byDay = periods.ToLookup(p => p.Day);
        var hours = Week.Select(day => string.Join(" und ", byDay[day].OrderBy(p => p.Opens)
            .Select(p => $"{p.Opens.ToString("HH:mm", German)}–{p.Closes.ToString("HH:mm", German)}"))).ToArray();

        var summary = new StringBuilder();
        for (var start = 0; start < Week.Length;)
        {
            var end = start;
            while (end + 1 < Week.Length && hours[end + 1] == hours[start])
            {
                end++;
            }
            if (hours[start].Length > 0)
            {
                summary.Append(summary.Length > 0 ? ", " : "")
                    .Append(DayName(Week[start]))
                    .Append(end > start ? $"–{DayName(Week[end])}" : "")
                    .Append(' ').Append(hours[start]);
            }
            start = end + 1;
        }
        return summary.Length > 0 ? summary.ToString() : "siehe Aushang";
    }

    // Fixed, not from the culture data: ICU versions differ ("Mo" / "Mo.").
    private static string DayName(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => "Mo",
        DayOfWeek.Tuesday => "Di",
        DayOfWeek.Wednesday => "Mi",
        DayOfWeek.Thursday => "Do",
        DayOfWeek.Friday => "Fr",
        DayOfWeek.Saturday => "Sa",
        _ => "So",
    };

    private static string FormatDate(DateTimeOffset instant) => OfficeClock.ToOfficeTime(instant).ToString("dd.MM.yyyy", German);
}
