using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Abstractions;

/// <summary>Reads the database provider's errors, so the use cases need not know the provider.</summary>
public interface IDatabaseErrors
{
    /// <summary>A unique index refused the row: someone stored the same thing a moment earlier.</summary>
    bool IsUniqueViolation(DbUpdateException exception);
}
