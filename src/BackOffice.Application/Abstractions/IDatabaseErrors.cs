using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Abstractions;

/// <summary>Reads the database provider's errors, so the use cases need not know the provider.</summary>
public interface IDatabaseErrors
{
    /// <summary>A unique index refused the row: someone stored the same thing a moment earlier.</summary>
    bool IsUniqueViolation(DbUpdateException exception);

    /// <summary>
    /// The database could not be reached or is not taking writes right now (stopped, restarting, being switched to the
    /// standby): the same request can succeed in a few seconds. Anything else, a bug or a refused row, is not this.
    /// </summary>
    bool IsUnavailable(Exception exception);
}
