namespace BackOffice.Domain.Boxes;

/// <summary>The steps of a compartment's lifecycle, one per method of <see cref="Compartment"/> that changes its state.</summary>
public enum CompartmentTransition
{
    ReserveForLoading,
    ResumeLoading,
    ReleaseReservation,
    Occupy,
    Vacate,
    TakeOutOfService,
    ReturnToService,
}

/// <summary>A step the compartment's lifecycle does not allow from its state (e.g. loading into an occupied compartment).</summary>
public sealed class CompartmentTransitionException(CompartmentState from, CompartmentTransition transition, string? reason = null)
    : InvalidOperationException($"A compartment in state {from} cannot {transition}{(reason is null ? "" : $": {reason}")}.")
{
    public CompartmentState From { get; } = from;

    public CompartmentTransition Transition { get; } = transition;
}
