using System.Linq.Expressions;
using BackOffice.Application.Abstractions;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Pickup;
using BackOffice.Domain.Messaging;
using BackOffice.Infrastructure.Identity;
using BackOffice.Infrastructure.Privacy;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace BackOffice.Infrastructure.Persistence;

/// <summary>The back office's one database.</summary>
/// <remarks>
/// Short-lived: Blazor components create one per operation through <see cref="IDbContextFactory{TContext}"/>; a circuit
/// never holds one. The schema follows the model through EF Core migrations (Persistence/Migrations; docs/decisions/0020).
/// </remarks>
public sealed class BackOfficeDbContext(DbContextOptions<BackOfficeDbContext> options)
    : IdentityDbContext<StaffUser, StaffRole, Guid>(options), IApplicationDbContext
{
    public DbSet<Box> Boxes => Set<Box>();

    public DbSet<OpeningPeriod> OpeningPeriods => Set<OpeningPeriod>();

    public DbSet<Compartment> Compartments => Set<Compartment>();

    public DbSet<BridgeCommand> BridgeCommands => Set<BridgeCommand>();

    public DbSet<DoorEvent> DoorEvents => Set<DoorEvent>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<AuditChainLink> AuditChain => Set<AuditChainLink>();

    public DbSet<OutgoingSms> OutgoingSms => Set<OutgoingSms>();

    public DbSet<Document> Documents => Set<Document>();

    public DbSet<DocumentEvent> DocumentEvents => Set<DocumentEvent>();

    public DbSet<CompartmentLoad> CompartmentLoads => Set<CompartmentLoad>();

    public DbSet<PhonePickupFailures> PhonePickupFailures => Set<PhonePickupFailures>();

    public DbSet<PickupRequestRecord> PickupRequests => Set<PickupRequestRecord>();

    public DbSet<OldDocumentDeposit> OldDocumentDeposits => Set<OldDocumentDeposit>();

    public DbSet<BinEmptying> BinEmptyings => Set<BinEmptying>();

    public DbSet<BinFollowUp> BinFollowUps => Set<BinFollowUp>();

    public DbSet<BackOffice.Domain.Privacy.RetentionRun> RetentionRuns => Set<BackOffice.Domain.Privacy.RetentionRun>();

    public DbSet<BackOffice.Domain.Operations.Alarm> Alarms => Set<BackOffice.Domain.Operations.Alarm>();

    public DbSet<BackOffice.Domain.Operations.AlarmMail> AlarmMails => Set<BackOffice.Domain.Operations.AlarmMail>();

    public DbSet<BackOffice.Domain.Operations.WebhookDelivery> WebhookDeliveries => Set<BackOffice.Domain.Operations.WebhookDelivery>();

    public DbSet<Inventory> Inventories => Set<Inventory>();

    public DbSet<InventoryItem> InventoryItems => Set<InventoryItem>();

    public DbSet<EndedSignIn> EndedSignIns => Set<EndedSignIn>();

    async Task<IDatabaseTransaction> IApplicationDbContext.BeginTransactionAsync(CancellationToken cancellationToken) =>
        new DatabaseTransaction(await Database.BeginTransactionAsync(cancellationToken));

    async Task<int> IApplicationDbContext.SaveChangesInOneRoundTripAsync(CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("A save in one round trip cannot be part of an explicit transaction.");
        }
        // PostgreSQL runs the statements Npgsql sends up to one Sync as one implicit transaction, and EF Core sends a
        // save's statements as one batch: without EF's own transaction the save is still atomic, and no COMMIT round trip
        // follows it. Only while the save fits one batch; otherwise (not what this is for) EF's transaction.
        var statements = ChangeTracker.Entries().Count(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);
        if (statements > OneRoundTripLimit || statements > (RelationalOptionsExtension.Extract(this.GetService<IDbContextOptions>()).MaxBatchSize ?? int.MaxValue))
        {
            return await SaveChangesAsync(cancellationToken);
        }
        Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        try
        {
            return await SaveChangesAsync(cancellationToken);
        }
        finally
        {
            Database.AutoTransactionBehavior = AutoTransactionBehavior.WhenNeeded;
        }
    }

    /// <summary>A save in one round trip is for a few rows on a waiting path, far below any batch size.</summary>
    private const int OneRoundTripLimit = 20;

    void IApplicationDbContext.ExpectConcurrencyToken<TEntity, TToken>(TEntity entity, Expression<Func<TEntity, TToken>> token, TToken original) =>
        Entry(entity).Property(token).OriginalValue = original;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(BackOfficeDbContext).Assembly);
        PersonalDataModel.Configure(builder, PersonalDataModel.ProtectionOf(this));
    }
}

/// <summary>EF Core's transaction behind the application's <see cref="IDatabaseTransaction"/>.</summary>
internal sealed class DatabaseTransaction(IDbContextTransaction transaction) : IDatabaseTransaction
{
    public Task CommitAsync(CancellationToken cancellationToken = default) => transaction.CommitAsync(cancellationToken);

    public ValueTask DisposeAsync() => transaction.DisposeAsync();
}
