using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;

namespace BackOffice.Web.Components.Controls;

/// <summary>
/// What the dashboard's filters and search let through; the grid dims the other cells. Immutable: a page makes a new one
/// when a filter changes, so the grid can tell "changed" by equality and skip its render otherwise.
/// </summary>
/// <param name="States">Only cells in one of these states (empty: every state).</param>
/// <param name="Size">Only cells of this size (null: every size).</param>
/// <param name="Hit">Only this cell, the search's hit (null: no search).</param>
public sealed record CellFilter(IReadOnlySet<CellState> States, CompartmentSize? Size, Guid? Hit)
{
    public static readonly CellFilter None = new(new HashSet<CellState>(), null, null);

    public bool Matches(CompartmentCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return (States.Count == 0 || States.Contains(cell.State))
            && (Size is null || cell.Size == Size)
            && (Hit is null || cell.Id == Hit);
    }
}
