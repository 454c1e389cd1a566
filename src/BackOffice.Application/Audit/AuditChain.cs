using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BackOffice.Application.Abstractions;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Audit;

/// <summary>The outcome of walking the audit chain.</summary>
public sealed record AuditChainCheck(bool Intact, long Entries, long? BrokenAt, string Message);

/// <summary>
/// Verifies the audit trail's hash chain: every link's hash must equal SHA-256 over the previous link's hash, its
/// position and its line's fields (computed here exactly as the database's <c>audit_entry_hash</c> does), positions
/// have no gaps, and every committed line is linked or waiting to be. A line altered or deleted behind the database's
/// guards (by someone who disabled them) breaks it.
/// </summary>
public sealed class AuditChain(IApplicationDbContextFactory contextFactory, IAuditChainLinker linker)
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
        // Lines committed a moment ago may not be linked yet: link them, so the check covers everything written so far.
        await linker.LinkPendingAsync(cancellationToken);
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var previous = "";
        long expected = 1;
        while (true)
        {
            var start = expected;
            var batch = await (
                    from link in db.AuditChain.AsNoTracking()
                    where link.Sequence >= start
                    join entry in db.AuditEntries.AsNoTracking() on link.EntryId equals entry.Id into entries
                    from line in entries.DefaultIfEmpty()
                    orderby link.Sequence
                    select new { Link = link, Line = line })
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var (link, line) in batch.Select(b => (b.Link, b.Line)))
            {
                if (link.Sequence != expected)
                {
                    return new AuditChainCheck(false, expected - 1, expected, $"Line {expected} is missing (next is {link.Sequence}).");
                }
                if (line is null)
                {
                    return new AuditChainCheck(false, expected - 1, expected, $"Line {expected} was deleted.");
                }
                if (link.PreviousHash != previous)
                {
                    return new AuditChainCheck(false, expected - 1, expected, $"Line {expected} does not point to the line before it.");
                }
                var hash = ComputeHash(previous, link.Sequence, line.At, line.Actor, line.Action, line.Subject, line.Outcome, line.Details);
                if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(link.Hash)))
                {
                    return new AuditChainCheck(false, expected - 1, expected, $"Line {expected} was altered after it was written.");
                }
                previous = link.Hash;
                expected++;
            }
            if (batch.Count < BatchSize)
            {
                break;
            }
        }
        if (await linker.FindUnlinkedAsync(1, cancellationToken) is [var unlinked, ..])
        {
            return new AuditChainCheck(false, expected - 1, null, $"The line with id {unlinked} was taken out of the chain.");
        }
        return new AuditChainCheck(true, expected - 1, null,
            $"Audit chain intact: {expected - 1} lines{(expected > 1 ? $", last hash {previous}" : "")}.");
    }

    private static string Field(string value) => $"{Encoding.UTF8.GetByteCount(value)}:{value}";
}
