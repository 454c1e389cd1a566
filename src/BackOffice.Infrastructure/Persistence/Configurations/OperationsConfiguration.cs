using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackOffice.Infrastructure.Persistence.Configurations;

internal sealed class AlarmConfiguration : IEntityTypeConfiguration<Alarm>
{
    public void Configure(EntityTypeBuilder<Alarm> builder)
    {
        builder.ToTable("alarms");
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(a => a.Key).HasMaxLength(Alarm.KeyMaxLength).IsRequired();
        builder.Property(a => a.Subject).HasMaxLength(Alarm.SubjectMaxLength).IsRequired();
        builder.Property(a => a.AcknowledgedBy).HasMaxLength(Alarm.ActorMaxLength);
        builder.Property(a => a.ResolvedBy).HasMaxLength(Alarm.ActorMaxLength);
        builder.Property(a => a.Version).IsRowVersion();
        builder.Ignore(a => a.IsOpen);
        // One alarm per cause while the cause lasts, even with several app instances evaluating.
        builder.HasIndex(a => a.Key).IsUnique().HasFilter("\"CauseActive\"");
        // The badge and the list: open alarms, newest first.
        builder.HasIndex(a => new { a.ResolvedAt, a.RaisedAt });
        builder.HasOne<Box>().WithMany().HasForeignKey(a => a.BoxId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AlarmMailConfiguration : IEntityTypeConfiguration<AlarmMail>
{
    public void Configure(EntityTypeBuilder<AlarmMail> builder)
    {
        builder.ToTable("alarm_mails");
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Recipient).HasMaxLength(AlarmMail.RecipientMaxLength).IsRequired();
        builder.Property(m => m.Subject).HasMaxLength(AlarmMail.SubjectMaxLength).IsRequired();
        builder.Property(m => m.Body).IsRequired();
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(m => m.LastError).HasMaxLength(AlarmMail.ErrorMaxLength);
        builder.Property(m => m.Version).IsRowVersion();
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
        builder.HasOne<Alarm>().WithMany().HasForeignKey(m => m.AlarmId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.Property(w => w.ApplicationReference).HasMaxLength(WebhookDelivery.ReferenceMaxLength).IsRequired();
        builder.Property(w => w.Event).HasConversion<string>().HasMaxLength(30);
        builder.Property(w => w.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(w => w.LastError).HasMaxLength(WebhookDelivery.ErrorMaxLength);
        builder.Property(w => w.Version).IsRowVersion();
        // The dispatcher's claim: pending rows that are due, oldest first.
        builder.HasIndex(w => new { w.Status, w.NextAttemptAt });
        builder.HasIndex(w => w.DocumentId);
        builder.HasOne<Document>().WithMany().HasForeignKey(w => w.DocumentId).OnDelete(DeleteBehavior.Restrict);
    }
}
