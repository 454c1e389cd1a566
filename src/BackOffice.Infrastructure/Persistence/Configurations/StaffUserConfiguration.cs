using BackOffice.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BackOffice.Infrastructure.Persistence.Configurations;

internal sealed class StaffUserConfiguration : IEntityTypeConfiguration<StaffUser>
{
    public void Configure(EntityTypeBuilder<StaffUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(100).IsRequired();
        builder.Property(u => u.DirectoryId).HasMaxLength(256);
        builder.HasIndex(u => u.DirectoryId).IsUnique().HasFilter("\"DirectoryId\" IS NOT NULL");
    }
}

internal sealed class EndedSignInConfiguration : IEntityTypeConfiguration<EndedSignIn>
{
    public void Configure(EntityTypeBuilder<EndedSignIn> builder)
    {
        builder.ToTable("ended_sign_ins");
        builder.Property(e => e.Id).HasMaxLength(EndedSignIn.IdMaxLength);
        builder.HasIndex(e => e.EndedAt);
    }
}
