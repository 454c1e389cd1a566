using BackOffice.Application.Abstractions;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Documents;

/// <summary>How many documents wait at the counter and in each box.</summary>
public sealed record BoxDocumentCounts(int Arrived, int ReadyForPickup);

/// <summary>Counts for the overview page; one grouped query.</summary>
/// <remarks>Singleton; every call uses its own database context.</remarks>
public sealed class DocumentCounts(IApplicationDbContextFactory contextFactory)
{
    public async Task<IReadOnlyDictionary<Guid, BoxDocumentCounts>> ByBoxAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var rows = await db.Documents
            .GroupBy(d => d.BoxId)
            .Select(g => new
            {
                BoxId = g.Key,
                Arrived = g.Count(d => d.State == DocumentState.Arrived),
                Ready = g.Count(d => d.State == DocumentState.ReadyForPickup),
            })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.BoxId, r => new BoxDocumentCounts(r.Arrived, r.Ready));
    }
}
