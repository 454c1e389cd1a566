using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BackOffice.Application.Abstractions;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Audit;

/// <summary>The outcome of walking the audit chain.</summary>
public sealed record AuditChainCheck(bool Intact, long Entries, long? BrokenAt, string Message);

/// <summary>
/// Verifies the audit trail's hash chain: every line's hash must equal SHA-256 over the previous line's hash and its
/// own fields (computed here exactly as the database's <c>audit_entry_hash</c> does), and the sequence has no gaps.
/// A line altered or deleted behind the application's back (by someone who disabled the database's guards) breaks it.
/// </summary>
public sealed class AuditChain(IApplicationDbContextFactory contextFactory)
{
    private const int BatchSize = 5_000;

    public static string ComputeHash(
        string previous, long sequence, DateTimeOffset at, string actor, string action, string subject, string outcome, string? details)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var microseconds = (at.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
        var text = new StringBuilder()
            .Append(Field(previous)).Append('|')
            .Append(sequence.ToString(CultureInfo.InvariantCulture)).Append('|')
            .Append(microseconds.ToString(CultureInfo.InvariantCulture)).Append('|')
            .Append(Field(actor)).Append('|')
            .Append(Field(action)).Append('|')
            .Append(Field(subject)).Append('|')
            .Append(Field(outcome)).Append('|')
            .Append(details is null ? "-" : Field(details))
            .ToString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public async Task<AuditChainCheck> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var previous = "";
        long expected = 1;
        while (true)
        {
            var from = expected;
            var batch = await db.AuditEntries.AsNoTracking()
                .Where(a => a.Sequence >= from)
                .OrderBy(a => a.Sequence)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var line in batch)
            {
                if (line.Sequence != expected)
                {
                    return new AuditChainCheck(false, expected - 1, expected, $"Line {expected} is missing (next is {line.Sequence}).");
                }
                if (line.PreviousHash != previous)
                {
                    return new AuditChainCheck(false, expected - 1, expected, $"Line {expected} does not point to the line before it.");
                }
                var hash = ComputeHash(previous, line.Sequence, line.At, line.Actor, line.Action, line.Subject, line.Outcome, line.Details);
                if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(line.Hash)))
                {
                    return new AuditChainCheck(false, expected - 1, expected, $"Line {expected} was altered after it was written.");
                }
                previous = line.Hash;
                expected++;
            }
            if (batch.Count < BatchSize)
            {
                return new AuditChainCheck(true, expected - 1, null,
                    $"Audit chain intact: {expected - 1} lines{(expected > 1 ? $", last hash {previous}" : "")}.");
            }
        }
    }

    private static string Field(string value) => $"{Encoding.UTF8.GetByteCount(value)}:{value}";
}
