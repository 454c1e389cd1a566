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
        // Written by the database's chain trigger, never by the application.
        builder.Property(a => a.PreviousHash).HasMaxLength(64).IsRequired();
        builder.Property(a => a.Hash).HasMaxLength(64).IsRequired();
        builder.HasIndex(a => a.Sequence).IsUnique();
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => a.Subject);
    }
}
