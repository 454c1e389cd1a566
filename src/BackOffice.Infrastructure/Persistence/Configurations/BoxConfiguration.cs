using BackOffice.Domain.Boxes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackOffice.Infrastructure.Persistence.Configurations;

internal sealed class BoxConfiguration : IEntityTypeConfiguration<Box>
{
    public void Configure(EntityTypeBuilder<Box> builder)
    {
        builder.ToTable("boxes");
        builder.Property(b => b.Code).HasMaxLength(Box.CodeMaxLength).IsRequired();
        builder.HasIndex(b => b.Code).IsUnique();
        builder.Property(b => b.Name).HasMaxLength(Box.NameMaxLength).IsRequired();
        builder.Property(b => b.Address).HasMaxLength(Box.AddressMaxLength).IsRequired();
        builder.Property(b => b.TimeZoneId).HasMaxLength(64).IsRequired();
        builder.Property(b => b.BridgeKeyHash).HasMaxLength(64);
        builder.HasIndex(b => b.BridgeKeyHash).IsUnique();
        builder.Property(b => b.BridgeSoftwareVersion).HasMaxLength(200);
        builder.Property(b => b.Version).IsRowVersion();
        builder.HasMany(b => b.OpeningHours).WithOne().HasForeignKey(p => p.BoxId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(b => b.Compartments).WithOne().HasForeignKey(c => c.BoxId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class OpeningPeriodConfiguration : IEntityTypeConfiguration<OpeningPeriod>
{
    public void Configure(EntityTypeBuilder<OpeningPeriod> builder)
    {
        builder.ToTable("box_opening_periods");
        builder.Property(p => p.Day).HasConversion<string>().HasMaxLength(10);
        builder.HasIndex(p => p.BoxId);
    }
}

internal sealed class CompartmentConfiguration : IEntityTypeConfiguration<Compartment>
{
    public void Configure(EntityTypeBuilder<Compartment> builder)
    {
        builder.ToTable("compartments");
        builder.Property(c => c.Label).HasMaxLength(Compartment.LabelMaxLength).IsRequired();
        builder.HasIndex(c => new { c.BoxId, c.Label }).IsUnique();
        builder.HasIndex(c => new { c.BoxId, c.Module, c.Row }).IsUnique();
        builder.Property(c => c.Size).HasConversion<string>().HasMaxLength(2);
        builder.Property(c => c.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.DoorState).HasConversion<string>().HasMaxLength(10);
        builder.Property(c => c.OutOfServiceReason).HasMaxLength(Compartment.ReasonMaxLength);
        builder.Property(c => c.CheckReason).HasMaxLength(Compartment.ReasonMaxLength);
        builder.Ignore(c => c.NeedsCheck);
        builder.Property(c => c.Version).IsRowVersion();
    }
}

internal sealed class BridgeCommandConfiguration : IEntityTypeConfiguration<BridgeCommand>
{
    public void Configure(EntityTypeBuilder<BridgeCommand> builder)
    {
        builder.ToTable("bridge_commands");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.CompartmentLabel).HasMaxLength(Compartment.LabelMaxLength).IsRequired();
        builder.Property(c => c.Purpose).HasConversion<string>().HasMaxLength(10);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(c => c.ResultDetail).HasMaxLength(BridgeCommand.DetailMaxLength);
        builder.Property(c => c.RequestedBy).HasMaxLength(256).IsRequired();
        builder.Property(c => c.Reason).HasMaxLength(BridgeCommand.DetailMaxLength);
        builder.Property(c => c.Version).IsRowVersion();
        builder.Ignore(c => c.IsFinished);
        // The expiry sweep and Hello look for open commands of a box.
        builder.HasIndex(c => new { c.BoxId, c.Status, c.ExpiresAt });
        builder.HasOne<Box>().WithMany().HasForeignKey(c => c.BoxId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Compartment>().WithMany().HasForeignKey(c => c.CompartmentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DoorEventConfiguration : IEntityTypeConfiguration<DoorEvent>
{
    public void Configure(EntityTypeBuilder<DoorEvent> builder)
    {
        builder.ToTable("door_events");
        builder.HasKey(e => new { e.BoxId, e.EventId });
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(10);
        builder.HasIndex(e => new { e.CompartmentId, e.At });
        builder.HasOne<Box>().WithMany().HasForeignKey(e => e.BoxId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Compartment>().WithMany().HasForeignKey(e => e.CompartmentId).OnDelete(DeleteBehavior.Restrict);
    }
}
