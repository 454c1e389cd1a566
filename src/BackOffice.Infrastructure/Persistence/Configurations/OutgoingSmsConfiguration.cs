using BackOffice.Domain.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackOffice.Infrastructure.Persistence.Configurations;

internal sealed class OutgoingSmsConfiguration : IEntityTypeConfiguration<OutgoingSms>
{
    public void Configure(EntityTypeBuilder<OutgoingSms> builder)
    {
        builder.ToTable("outgoing_sms");
        builder.Property(m => m.Id).ValueGeneratedNever();
        // Encrypted at rest like the documents' numbers (see PersonalDataModel), hence wider than the number.
        builder.Property(m => m.Recipient).HasMaxLength(300).IsRequired();
        builder.Property(m => m.Purpose).HasConversion<string>().HasMaxLength(30);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(m => m.LastError).HasMaxLength(OutgoingSms.ErrorMaxLength);
        builder.Property(m => m.GatewayMessageId).HasMaxLength(200);
        builder.Property(m => m.Version).IsRowVersion();
        // The dispatcher's question: which pending messages are due?
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
        builder.HasIndex(m => m.DocumentId);
        builder.HasOne<BackOffice.Domain.Documents.Document>().WithMany().HasForeignKey(m => m.DocumentId).OnDelete(DeleteBehavior.Restrict);
    }
}
