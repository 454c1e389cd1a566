using BackOffice.Domain.Boxes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackOffice.Infrastructure.Persistence.Configurations;

internal sealed class InventoryConfiguration : IEntityTypeConfiguration<Inventory>
{
    public void Configure(EntityTypeBuilder<Inventory> builder)
    {
        builder.ToTable("inventories");
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(i => i.StartedBy).HasMaxLength(256).IsRequired();
        builder.Property(i => i.PauseReason).HasMaxLength(Inventory.ReasonMaxLength);
        builder.Property(i => i.Version).IsRowVersion();
        builder.Ignore(i => i.IsOpen);
        builder.Ignore(i => i.Current);
        builder.Ignore(i => i.Next);
        // One inventory at a time per box, whatever two supervisors click: the database refuses a second open one.
        builder.HasIndex(i => i.BoxId).IsUnique().HasFilter("\"Status\" IN ('Running', 'Paused')");
        builder.HasOne<Box>().WithMany().HasForeignKey(i => i.BoxId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(i => i.Items).WithOne().HasForeignKey(i => i.InventoryId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(i => i.Items).AutoInclude();
    }
}

internal sealed class InventoryItemConfiguration : IEntityTypeConfiguration<InventoryItem>
{
    public void Configure(EntityTypeBuilder<InventoryItem> builder)
    {
        builder.ToTable("inventory_items");
        builder.Property(i => i.CompartmentLabel).HasMaxLength(Compartment.LabelMaxLength).IsRequired();
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(i => i.Finding).HasConversion<string>().HasMaxLength(15);
        builder.Property(i => i.Resolution).HasConversion<string>().HasMaxLength(15);
        builder.Property(i => i.FoundDocumentNumber).HasMaxLength(InventoryItem.NumberMaxLength);
        builder.Property(i => i.CheckedBy).HasMaxLength(256);
        builder.Property(i => i.ResolvedBy).HasMaxLength(256);
        builder.Property(i => i.Note).HasMaxLength(Inventory.ReasonMaxLength);
        builder.Ignore(i => i.IsDiscrepancy);
        builder.Property(i => i.Version).IsRowVersion();
        builder.HasIndex(i => new { i.InventoryId, i.Order }).IsUnique();
        builder.HasIndex(i => i.CompartmentId);
        builder.HasOne<Compartment>().WithMany().HasForeignKey(i => i.CompartmentId).OnDelete(DeleteBehavior.Restrict);
    }
}
