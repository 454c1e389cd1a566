using System.Runtime.CompilerServices;
using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BackOffice.Infrastructure.Persistence;

/// <summary>
/// After a unit of work is saved, tells the dashboards which compartments and boxes it touched: one place that sees
/// every change made through EF Core (loading, pickup, retrieval, a clerk's action, administration), so no use case
/// has to remember to announce its changes.
/// </summary>
internal sealed class OccupancyChangeInterceptor(OccupancyChanges changes) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, Touched> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Publish(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Publish(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            _pending.Remove(context);
        }
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        var touched = new Touched();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            switch (entry.Entity)
            {
                case Compartment compartment:
                    touched.Compartments.Add(compartment.Id);
                    break;
                case Document document:
                    AddIfSet(touched, document.CompartmentId);
                    if (entry.State == EntityState.Modified)
                    {
                        AddIfSet(touched, entry.Property(nameof(Document.CompartmentId)).OriginalValue as Guid?);
                    }
                    break;
                case CompartmentLoad load:
                    touched.Compartments.Add(load.CompartmentId);
                    break;
                case Box box:
                    touched.Boxes.Add(box.Id);
                    break;
            }
        }
        if (touched.Compartments.Count > 0 || touched.Boxes.Count > 0)
        {
            _pending.AddOrUpdate(context, touched);
        }
    }

    private void Publish(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var touched))
        {
            return;
        }
        _pending.Remove(context);
        foreach (var id in touched.Compartments)
        {
            changes.CompartmentChanged(id);
        }
        foreach (var id in touched.Boxes)
        {
            changes.BoxChanged(id);
        }
    }

    private static void AddIfSet(Touched touched, Guid? compartmentId)
    {
        if (compartmentId is { } id)
        {
            touched.Compartments.Add(id);
        }
    }

    private sealed class Touched
    {
        public HashSet<Guid> Compartments { get; } = [];

        public HashSet<Guid> Boxes { get; } = [];
    }
}
