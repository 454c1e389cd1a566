using System.Linq.Expressions;
using BackOffice.Domain.Documents;

namespace BackOffice.Application.Documents;

/// <summary>Which documents physically lie in a compartment: one definition for the dashboards and every report that counts them.</summary>
internal static class InCompartment
{
    public static Expression<Func<Document, bool>> Document { get; } = d =>
        d.CompartmentId != null
        && (d.State == DocumentState.Loading || d.State == DocumentState.ReadyForPickup || d.State == DocumentState.PickupOpening
            || d.State == DocumentState.Retrieving);
}
