using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackOffice.Infrastructure.Persistence.Configurations;

internal sealed class DocumentConfiguration : IEntityTypeConfiguration<Document>
{
    public void Configure(EntityTypeBuilder<Document> builder)
    {
        builder.ToTable("documents");
        builder.Property(d => d.Type).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.DocumentNumber).HasMaxLength(9).IsRequired();
        // A document number exists once: an import or API call can never create a second record for it.
        builder.HasIndex(d => d.DocumentNumber).IsUnique();
        // Encrypted at rest (see PersonalDataModel): the columns hold ciphertext, hence wider than the values.
        builder.Property(d => d.HolderName).HasMaxLength(1000).IsRequired();
        builder.Property(d => d.DateOfBirth).HasMaxLength(300);
        builder.Property(d => d.MobileNumber).HasMaxLength(300).IsRequired();
        builder.Property(d => d.MobileNumberHash).HasMaxLength(64);
        builder.HasIndex(d => d.MobileNumberHash);
        builder.Property(d => d.HouseholdId).HasMaxLength(64);
        builder.Property(d => d.AuthorizedName).HasMaxLength(1000);
        builder.Property(d => d.AuthorizedDateOfBirth).HasMaxLength(300);
        builder.Property(d => d.AuthorizedMobileNumber).HasMaxLength(300);
        builder.Property(d => d.AuthorizedMobileNumberHash).HasMaxLength(64);
        builder.HasIndex(d => d.AuthorizedMobileNumberHash);
        builder.Property(d => d.AuthorizationProof).HasConversion<string>().HasMaxLength(40);
        builder.Ignore(d => d.PinRecipient);
        // Defaults in the database too, so rows written by SQL alone (a DBA, an old script) stay valid.
        builder.Property(d => d.DeadlineExtensions).HasDefaultValue(0);
        builder.Property(d => d.PickedUpByAuthorizedPerson).HasDefaultValue(false);
        builder.Property(d => d.ApplicationReference).HasMaxLength(Document.ReferenceMaxLength).IsRequired();
        builder.HasIndex(d => d.ApplicationReference).IsUnique();
        builder.Property(d => d.PinHash).HasMaxLength(200);
        builder.Property(d => d.BlockedReason).HasMaxLength(200);
        builder.Property(d => d.Version).IsRowVersion();
        builder.HasIndex(d => new { d.BoxId, d.State });
        builder.HasOne<Box>().WithMany().HasForeignKey(d => d.BoxId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Compartment>().WithMany().HasForeignKey(d => d.CompartmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CompartmentLoad>().WithMany().HasForeignKey(d => d.LoadId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DocumentEventConfiguration : IEntityTypeConfiguration<DocumentEvent>
{
    public void Configure(EntityTypeBuilder<DocumentEvent> builder)
    {
        builder.ToTable("document_events");
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(e => e.CompartmentLabel).HasMaxLength(Compartment.LabelMaxLength);
        builder.Property(e => e.Actor).HasMaxLength(200).IsRequired();
        builder.Property(e => e.Note).HasMaxLength(500).IsRequired();
        builder.Property(e => e.ConfirmedBy).HasMaxLength(256);
        builder.HasIndex(e => new { e.DocumentId, e.At });
        // Reports select a period's events of one kind (the day journal).
        builder.HasIndex(e => new { e.At, e.Kind });
        builder.HasOne<Document>().WithMany().HasForeignKey(e => e.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CompartmentLoadConfiguration : IEntityTypeConfiguration<CompartmentLoad>
{
    public void Configure(EntityTypeBuilder<CompartmentLoad> builder)
    {
        builder.ToTable("compartment_loads");
        builder.Property(l => l.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(l => l.StartedBy).HasMaxLength(256).IsRequired();
        builder.Property(l => l.AbortReason).HasMaxLength(CompartmentLoad.ReasonMaxLength);
        builder.Property(l => l.AbortedBy).HasMaxLength(256);
        builder.Property(l => l.ConfirmedBy).HasMaxLength(256);
        builder.Property(l => l.Version).IsRowVersion();
        builder.Ignore(l => l.IsActive);
        // The database itself refuses a second active loading of one compartment, whatever the code does.
        builder.HasIndex(l => l.CompartmentId).IsUnique().HasFilter("\"Status\" IN ('Opening', 'DoorOpen')");
        builder.HasIndex(l => l.CommandId);
        builder.HasOne<Box>().WithMany().HasForeignKey(l => l.BoxId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Compartment>().WithMany().HasForeignKey(l => l.CompartmentId).OnDelete(DeleteBehavior.Restrict);
    }
}
