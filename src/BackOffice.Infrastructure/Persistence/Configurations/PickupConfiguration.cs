using BackOffice.Domain.Boxes;
using BackOffice.Domain.Pickup;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackOffice.Infrastructure.Persistence.Configurations;

internal sealed class PhonePickupFailuresConfiguration : IEntityTypeConfiguration<PhonePickupFailures>
{
    public void Configure(EntityTypeBuilder<PhonePickupFailures> builder)
    {
        builder.ToTable("pickup_phone_failures");
        builder.HasKey(f => f.Phone);
        builder.Property(f => f.Phone).HasMaxLength(64);
    }
}

internal sealed class PickupRequestRecordConfiguration : IEntityTypeConfiguration<PickupRequestRecord>
{
    public void Configure(EntityTypeBuilder<PickupRequestRecord> builder)
    {
        builder.ToTable("pickup_requests");
        builder.HasKey(r => new { r.BoxId, r.RequestId });
        builder.Property(r => r.Message).HasMaxLength(PickupRequestRecord.MessageMaxLength).IsRequired();
        builder.Property(r => r.Factor).HasConversion<string>().HasMaxLength(20);
        // The per-box rate limit counts the last minute's requests.
        builder.HasIndex(r => new { r.BoxId, r.At });
        builder.HasOne<Box>().WithMany().HasForeignKey(r => r.BoxId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class OldDocumentDepositConfiguration : IEntityTypeConfiguration<OldDocumentDeposit>
{
    public void Configure(EntityTypeBuilder<OldDocumentDeposit> builder)
    {
        builder.ToTable("old_document_deposits");
        builder.HasKey(d => new { d.BoxId, d.EventId });
        builder.HasIndex(d => new { d.BoxId, d.ReceivedAt });
        builder.Property(d => d.Disposition).HasConversion<string>().HasMaxLength(20);
        // Reconciliation looks up the deposit of each granted pickup.
        builder.HasIndex(d => new { d.BoxId, d.PickupRequestId });
        builder.HasOne<Box>().WithMany().HasForeignKey(d => d.BoxId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<BackOffice.Domain.Documents.Document>().WithMany().HasForeignKey(d => d.DocumentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BinEmptyingConfiguration : IEntityTypeConfiguration<BinEmptying>
{
    public void Configure(EntityTypeBuilder<BinEmptying> builder)
    {
        builder.ToTable("bin_emptyings");
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.RecordedBy).HasMaxLength(BinEmptying.StaffMaxLength).IsRequired();
        builder.Property(e => e.WitnessedBy).HasMaxLength(BinEmptying.StaffMaxLength).IsRequired();
        builder.Property(e => e.Note).HasMaxLength(BinEmptying.NoteMaxLength);
        builder.Ignore(e => e.Difference);
        builder.HasIndex(e => new { e.BoxId, e.EmptiedAt });
        builder.HasOne<Box>().WithMany().HasForeignKey(e => e.BoxId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BinFollowUpConfiguration : IEntityTypeConfiguration<BinFollowUp>
{
    public void Configure(EntityTypeBuilder<BinFollowUp> builder)
    {
        builder.ToTable("bin_follow_ups");
        builder.HasKey(f => new { f.BoxId, f.Kind, f.Reference });
        builder.Property(f => f.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(f => f.By).HasMaxLength(256).IsRequired();
        builder.Property(f => f.Note).HasMaxLength(BinFollowUp.NoteMaxLength).IsRequired();
        builder.HasOne<Box>().WithMany().HasForeignKey(f => f.BoxId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RetentionRunConfiguration : IEntityTypeConfiguration<BackOffice.Domain.Privacy.RetentionRun>
{
    public void Configure(EntityTypeBuilder<BackOffice.Domain.Privacy.RetentionRun> builder)
    {
        builder.ToTable("retention_runs");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.StartedBy).HasMaxLength(256).IsRequired();
        builder.HasIndex(r => r.StartedAt);
    }
}
