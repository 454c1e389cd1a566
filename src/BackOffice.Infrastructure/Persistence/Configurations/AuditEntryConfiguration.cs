using BackOffice.Domain.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackOffice.Infrastructure.Persistence.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.Actor).HasMaxLength(AuditEntry.TextMaxLength).IsRequired();
        builder.Property(a => a.Action).HasMaxLength(AuditEntry.TextMaxLength).IsRequired();
        builder.Property(a => a.Subject).HasMaxLength(AuditEntry.TextMaxLength).IsRequired();
        builder.Property(a => a.Outcome).HasMaxLength(AuditEntry.TextMaxLength).IsRequired();
        builder.Property(a => a.Details).HasMaxLength(2000);
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => a.Subject);
    }
}

internal sealed class AuditChainLinkConfiguration : IEntityTypeConfiguration<AuditChainLink>
{
    public void Configure(EntityTypeBuilder<AuditChainLink> builder)
    {
        // Written by the database's audit_chain_extend() and its trigger, never by the application.
        builder.ToTable("audit_chain");
        builder.HasKey(l => l.Sequence);
        builder.Property(l => l.Sequence).ValueGeneratedNever();
        builder.Property(l => l.PreviousHash).HasMaxLength(64).IsRequired();
        builder.Property(l => l.Hash).HasMaxLength(64).IsRequired();
        builder.HasIndex(l => l.EntryId).IsUnique();
        builder.HasOne<AuditEntry>().WithOne().HasForeignKey<AuditChainLink>(l => l.EntryId).OnDelete(DeleteBehavior.Restrict);
    }
}
