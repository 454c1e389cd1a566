using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;

namespace BackOffice.Web.Components.Pages.Occupancy;

/// <summary>How far an opening asked for on the dashboard has come, shown in place beside the compartment.</summary>
public enum OpeningStage
{
    /// <summary>Sent to the box, no answer yet.</summary>
    Sent,

    /// <summary>Refused, or the box did not open it.</summary>
    Failed,

    /// <summary>The box opened it; the door is (or may still be) open.</summary>
    Open,

    /// <summary>The door closed again after the opening.</summary>
    Closed,
}

/// <summary>
/// Follows one opening from the dashboard through the box's answer to the door closing again, from the live cell
/// updates: "Fach 01-03 ist offen." must not stay on screen after the door closed. The door may open and close before
/// the command's answer arrives (the live feed is faster than the wait for the answer), so it remembers having seen
/// the door open.
/// </summary>
/// <param name="compartmentId">The compartment being opened.</param>
/// <param name="label">Its label, for the texts.</param>
/// <param name="retrieval">A retrieval (documents back to the counter) rather than a service opening.</param>
/// <param name="doorSinceBefore">The door report the page knew when the opening was asked for: a later report that says
/// "closed" means the door opened and closed again, even if the open state never reached the page (both in one update,
/// or replayed together after an outage).</param>
public sealed class OpeningWatch(Guid compartmentId, string label, bool retrieval, DateTimeOffset? doorSinceBefore = null)
{
    private bool _sawOpen;

    public Guid CompartmentId { get; } = compartmentId;

    public string Label { get; } = label;

    /// <summary>A retrieval (documents back to the counter) rather than a service opening.</summary>
    public bool Retrieval { get; } = retrieval;

    public OpeningStage Stage { get; private set; } = OpeningStage.Sent;

    /// <summary>The refusal or failure text, when <see cref="Stage"/> is <see cref="OpeningStage.Failed"/>.</summary>
    public string? Failure { get; private set; }

    /// <summary>The box's answer; <paramref name="current"/> is the cell as the page shows it now.</summary>
    public void Answered(bool opened, string? failure, CompartmentCell? current)
    {
        if (!opened)
        {
            Stage = OpeningStage.Failed;
            Failure = failure;
            return;
        }
        Stage = OpeningStage.Open;
        if (current is not null)
        {
            See(current);
        }
    }

    /// <summary>A live update of any cell; true when it changed what the watch shows.</summary>
    public bool See(CompartmentCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell.Id != CompartmentId || Stage is OpeningStage.Failed or OpeningStage.Closed)
        {
            return false;
        }
        if (cell.Door == DoorState.Open)
        {
            _sawOpen = true;
            return false;
        }
        // Both times are the box's own clock, so they compare.
        if (cell.DoorSince is { } since && (doorSinceBefore is null || since > doorSinceBefore))
        {
            _sawOpen = true;
        }
        if (Stage == OpeningStage.Open && _sawOpen && cell.Door == DoorState.Closed)
        {
            Stage = OpeningStage.Closed;
            return true;
        }
        return false;
    }
}
