using BackOffice.Domain.Audit;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Pickup;
using BackOffice.Domain.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace BackOffice.Application.Abstractions;

/// <summary>The database as the use cases see it. Short-lived: one per operation, from <see cref="IApplicationDbContextFactory"/>.</summary>
public interface IApplicationDbContext : IAsyncDisposable
{
    DbSet<Box> Boxes { get; }

    DbSet<OpeningPeriod> OpeningPeriods { get; }

    DbSet<Compartment> Compartments { get; }

    DbSet<BridgeCommand> BridgeCommands { get; }

    DbSet<DoorEvent> DoorEvents { get; }

    DbSet<AuditEntry> AuditEntries { get; }

    DbSet<OutgoingSms> OutgoingSms { get; }

    DbSet<Document> Documents { get; }

    DbSet<DocumentEvent> DocumentEvents { get; }

    DbSet<CompartmentLoad> CompartmentLoads { get; }

    DbSet<PhonePickupFailures> PhonePickupFailures { get; }

    DbSet<PickupRequestRecord> PickupRequests { get; }

    DbSet<OldDocumentDeposit> OldDocumentDeposits { get; }

    DbSet<BinEmptying> BinEmptyings { get; }

    DbSet<BinFollowUp> BinFollowUps { get; }

    DbSet<BackOffice.Domain.Privacy.RetentionRun> RetentionRuns { get; }

    DatabaseFacade Database { get; }

    /// <summary>Change tracking of one entity, e.g. to set the concurrency token the user's edit started from.</summary>
    Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<TEntity> Entry<TEntity>(TEntity entity) where TEntity : class;

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}

/// <summary>Creates a fresh <see cref="IApplicationDbContext"/>; singletons and Blazor circuits use it instead of holding a context.</summary>
public interface IApplicationDbContextFactory
{
    Task<IApplicationDbContext> CreateAsync(CancellationToken cancellationToken = default);
}
