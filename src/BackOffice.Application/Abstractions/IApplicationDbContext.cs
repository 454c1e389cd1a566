using BackOffice.Domain.Audit;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Pickup;
using BackOffice.Domain.Messaging;
using Microsoft.EntityFrameworkCore;
using System.Linq.Expressions;

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
    DbSet<AuditChainLink> AuditChain { get; }

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

    DbSet<BackOffice.Domain.Operations.Alarm> Alarms { get; }

    DbSet<BackOffice.Domain.Operations.AlarmMail> AlarmMails { get; }

    DbSet<BackOffice.Domain.Operations.WebhookDelivery> WebhookDeliveries { get; }

    DbSet<Inventory> Inventories { get; }

    DbSet<InventoryItem> InventoryItems { get; }

    /// <summary>
    /// Starts a transaction that the following saves and bulk updates of this context join; it rolls back when disposed
    /// uncommitted.
    /// </summary>
    Task<IDatabaseTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the next save check <paramref name="token"/> against the value the user's edit started from, so an edit made on
    /// a stale copy is refused (<see cref="DbUpdateConcurrencyException"/>) instead of overwriting someone else's.
    /// </summary>
    void ExpectConcurrencyToken<TEntity, TToken>(TEntity entity, Expression<Func<TEntity, TToken>> token, TToken original)
        where TEntity : class;

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves the pending changes as one batch without an explicit transaction: one round trip instead of two (BEGIN and
    /// the statements, then COMMIT), still all or nothing. For a few rows on a waiting path (an unlock); not inside
    /// <see cref="BeginTransactionAsync"/>.
    /// </summary>
    Task<int> SaveChangesInOneRoundTripAsync(CancellationToken cancellationToken = default);
}

/// <summary>A database transaction of one <see cref="IApplicationDbContext"/>.</summary>
public interface IDatabaseTransaction : IAsyncDisposable
{
    Task CommitAsync(CancellationToken cancellationToken = default);
}

/// <summary>Creates a fresh <see cref="IApplicationDbContext"/>; singletons and Blazor circuits use it instead of holding a context.</summary>
public interface IApplicationDbContextFactory
{
    Task<IApplicationDbContext> CreateAsync(CancellationToken cancellationToken = default);
}
