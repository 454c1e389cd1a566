using BackOffice.Application.Abstractions;
using BackOffice.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Infrastructure.Reports;

/// <summary>Display names of all staff accounts, read per report (a few hundred accounts at most).</summary>
internal sealed class StaffNames(IDbContextFactory<BackOfficeDbContext> contextFactory) : IStaffNames
{
    public async Task<IReadOnlyDictionary<string, string>> DisplayNamesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking()
            .Where(u => u.UserName != null)
            .Select(u => new { UserName = u.UserName!, u.DisplayName })
            .ToListAsync(cancellationToken);
        return users.ToDictionary(u => u.UserName, u => u.DisplayName, StringComparer.OrdinalIgnoreCase);
    }
}
