using System.Globalization;
using System.Text;
using BackOffice.Application.Common;
using BackOffice.Domain.Boxes;

namespace BackOffice.Application.Messaging;

/// <summary>
/// The German texts the citizen receives. Short and plain: they are read on a phone, often once, at the box.
/// </summary>
/// <remarks>The texts carry the PIN: hand them to <see cref="SmsOutbox.Enqueue"/> and nowhere else (no log, no audit).</remarks>
public static class SmsTexts
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    private static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    /// <summary>The document is in the box: where, when the box is open, until when, the PIN and what to bring.</summary>
    /// <param name="documentType">Display name of the document type, e.g. "Reisepass".</param>
    /// <param name="boxName">The box's name, e.g. "Dienstleistungszentrum".</param>
    /// <param name="boxAddress">The box's address.</param>
    /// <param name="openingHours">From <see cref="OpeningHoursSummary(bool, IEnumerable{OpeningPeriod})"/>.</param>
    /// <param name="deadline">Last moment of the pickup period; shown as a date in Europe/Berlin.</param>
    /// <param name="pin">The pickup PIN in plain text.</param>
    public static string ReadyForPickup(
        string documentType, string boxName, string boxAddress, string openingHours, DateTimeOffset deadline, string pin) =>
        $"Ihr neues Dokument ({documentType}) liegt zur Abholung bereit: Ausgabebox {boxName}, {boxAddress}. " +
        $"Geöffnet: {openingHours}. Abholung bis {FormatDate(deadline)}. PIN: {pin}. " +
        "An der Box brauchen Sie diese Handynummer, die PIN und Ihren alten Ausweis oder Ihr Geburtsdatum.";

    /// <summary><see cref="ReadyForPickup(string, string, string, string, DateTimeOffset, string)"/> for a box loaded with its opening hours.</summary>
    /// <param name="documentType">Display name of the document type, e.g. "Reisepass".</param>
    /// <param name="box">The box, with <see cref="Box.OpeningHours"/> loaded.</param>
    /// <param name="deadline">Last moment of the pickup period; shown as a date in Europe/Berlin.</param>
    /// <param name="pin">The pickup PIN in plain text.</param>
    public static string ReadyForPickup(string documentType, Box box, DateTimeOffset deadline, string pin)
    {
        ArgumentNullException.ThrowIfNull(box);
        return ReadyForPickup(documentType, box.Name, box.Address, OpeningHoursSummary(box), deadline, pin);
    }

    /// <summary>A clerk issued a new PIN; the old one no longer opens the compartment.</summary>
    /// <param name="documentType">Display name of the document type, e.g. "Reisepass".</param>
    /// <param name="boxName">The box's name.</param>
    /// <param name="deadline">Last moment of the pickup period; shown as a date in Europe/Berlin.</param>
    /// <param name="pin">The new PIN in plain text.</param>
    public static string PinReissued(string documentType, string boxName, DateTimeOffset deadline, string pin) =>
        $"Neue PIN für Ihr Dokument ({documentType}) in der Ausgabebox {boxName} – PIN: {pin}. Die bisherige PIN gilt nicht mehr. " +
        $"Abholung bis {FormatDate(deadline)}. " +
        "An der Box brauchen Sie diese Handynummer, die PIN und Ihren alten Ausweis oder Ihr Geburtsdatum.";

    /// <summary>The deadline is near: the document still waits in the box, the PIN from the first SMS still works.</summary>
    /// <param name="documentType">Display name of the document type, e.g. "Reisepass".</param>
    /// <param name="boxName">The box's name.</param>
    /// <param name="deadline">Last moment of the pickup period; shown as a date in Europe/Berlin.</param>
    public static string PickupReminder(string documentType, string boxName, DateTimeOffset deadline) =>
        $"Erinnerung: Ihr neues Dokument ({documentType}) liegt noch in der Ausgabebox {boxName}. " +
        $"Bitte holen Sie es bis {FormatDate(deadline)} ab; Ihre PIN aus der ersten SMS gilt weiter. " +
        "Danach liegt es für Sie am Schalter bereit.";

    /// <summary>A clerk took the document back out of the box: it waits at the counter; the PIN no longer works.</summary>
    /// <param name="documentType">Display name of the document type, e.g. "Reisepass".</param>
    /// <param name="boxName">The box's name (the office that runs it has the counter).</param>
    public static string ReturnedToCounter(string documentType, string boxName) =>
        $"Ihr neues Dokument ({documentType}) wurde aus der Ausgabebox {boxName} genommen und liegt jetzt am Schalter für Sie bereit. " +
        "Bitte bringen Sie Ihren alten Ausweis mit. Die PIN gilt nicht mehr.";

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
