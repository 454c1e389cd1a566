using BackOffice.Application.Abstractions;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Infrastructure.Persistence;

internal sealed class ApplicationDbContextFactory(IDbContextFactory<BackOfficeDbContext> factory) : IApplicationDbContextFactory
{
    public async Task<IApplicationDbContext> CreateAsync(CancellationToken cancellationToken = default) =>
        await factory.CreateDbContextAsync(cancellationToken);
}
