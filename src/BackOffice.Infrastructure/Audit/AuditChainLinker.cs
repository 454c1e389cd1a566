using System.Runtime.CompilerServices;
using System.Threading.Channels;
using BackOffice.Application.Abstractions;
using BackOffice.Domain.Audit;
using BackOffice.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BackOffice.Infrastructure.Audit;

/// <summary>
/// Links audit lines into the hash chain right after they were committed: woken by <see cref="AuditChainInterceptor"/>
/// when a save or commit wrote lines, and every few seconds for lines written by another instance or a tool.
/// </summary>
/// <remarks>
/// The database's <c>audit_chain_extend()</c> does the linking under one advisory lock, so instances never interleave;
/// the writers themselves take no lock (decision 0024).
/// </remarks>
internal sealed partial class AuditChainLinker(
    IDbContextFactory<BackOfficeDbContext> contextFactory, AuditLinkRequests requests, TimeProvider timeProvider, ILogger<AuditChainLinker> logger)
    : BackgroundService, IAuditChainLinker
{
    private const int BatchSize = 500;
    private static readonly TimeSpan Backstop = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a wake waits before linking: the commit that woke the linker is usually followed at once by the work the
    /// people are waiting for (an unlock being sent, a door report answered), and by more commits that one run can take
    /// along. Nothing waits for a link (verification links first), so the linker steps aside.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);

    public async Task<int> LinkPendingAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var total = 0;
        int linked;
        do
        {
            linked = await db.Database.SqlQuery<int>($"SELECT audit_chain_extend({BatchSize}) AS \"Value\"").SingleAsync(cancellationToken);
            total += linked;
        }
        while (linked == BatchSize);
        return total;
    }

    public async Task<IReadOnlyList<long>> FindUnlinkedAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Database.SqlQuery<long>($"""
            SELECT e."Id" AS "Value" FROM audit_entries e
            WHERE NOT EXISTS (SELECT 1 FROM audit_chain l WHERE l."EntryId" = e."Id")
              AND NOT EXISTS (SELECT 1 FROM audit_chain_pending p WHERE p."EntryId" = e."Id")
            ORDER BY e."Id" LIMIT {limit}
            """).ToListAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var linked = await LinkPendingAsync(stoppingToken);
                if (linked > 0)
                {
                    LogLinked(logger, linked);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The database is away or still being migrated: the lines wait in their queue, nothing is lost.
                LogFailed(logger, ex.Message);
            }

            using var backstop = new CancellationTokenSource(Backstop, timeProvider);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, backstop.Token);
            try
            {
                await requests.WaitAsync(wait.Token);
                await Task.Delay(Settle, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The backstop: look anyway.
            }
        }
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Debug, Message = "Linked {Count} audit lines into the chain.")]
    private static partial void LogLinked(ILogger logger, int count);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Warning, Message = "Audit lines could not be linked into the chain yet, retrying: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}

/// <summary>
/// Requests for a linking run, from <see cref="AuditChainInterceptor"/> to <see cref="AuditChainLinker"/> (which cannot
/// meet directly: the interceptor is part of the context factory the linker uses).
/// </summary>
internal sealed class AuditLinkRequests
{
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks for a linking run soon; many requests while one runs make one more run.</summary>
    public void Request() => _requests.Writer.TryWrite(true);

    public async Task WaitAsync(CancellationToken cancellationToken) => await _requests.Reader.ReadAsync(cancellationToken);
}

/// <summary>Wakes the <see cref="AuditChainLinker"/> once audit lines are committed: at a save outside a transaction, or at the commit.</summary>
internal sealed class AuditChainInterceptor(AuditLinkRequests requests) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly object Wrote = new();
    // Contexts whose save added audit lines not yet committed.
    private readonly ConditionalWeakTable<DbContext, object> _wroteLines = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Committed(eventData.Context, afterSave: true);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context, afterSave: true);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
        Committed(eventData.Context, afterSave: false);

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context, afterSave: false);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries<AuditEntry>().Any(e => e.State == EntityState.Added))
        {
            _wroteLines.AddOrUpdate(context, Wrote);
        }
    }

    private void Committed(DbContext? context, bool afterSave)
    {
        // A save inside the caller's transaction is not committed yet: wake the linker at the commit instead.
        if (context is null || (afterSave && context.Database.CurrentTransaction is not null) || !_wroteLines.Remove(context))
        {
            return;
        }
        requests.Request();
    }
}

/// <summary>
/// An audit line committed but not yet linked into the chain: queued by the database's insert trigger in the writer's
/// own transaction, so no committed line can be missed; removed when <c>audit_chain_extend()</c> links it.
/// </summary>
internal sealed class PendingAuditLink
{
    public long EntryId { get; set; }
}

internal sealed class PendingAuditLinkConfiguration : IEntityTypeConfiguration<PendingAuditLink>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<PendingAuditLink> builder)
    {
        builder.ToTable("audit_chain_pending");
        builder.HasKey(p => p.EntryId);
        builder.Property(p => p.EntryId).ValueGeneratedNever();
    }
}
