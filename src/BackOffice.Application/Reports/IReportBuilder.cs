using BackOffice.Application.Abstractions;
using BackOffice.Domain.Boxes;

namespace BackOffice.Application.Reports;

/// <summary>Queries one report's data and lays it out as blocks. One class per report; rendering is not its business.</summary>
/// <remarks>Singletons; everything a call needs comes in its <see cref="ReportScope"/>.</remarks>
public interface IReportBuilder
{
    ReportKind Kind { get; }

    /// <summary>The report's content, or null when its subject (e.g. the document) does not exist.</summary>
    Task<ReportContent?> BuildAsync(ReportScope scope, CancellationToken cancellationToken);
}

/// <summary>What a builder produced. Subject, period and file name default to the box and period of the request.</summary>
public sealed record ReportContent(IReadOnlyList<ReportBlock> Blocks, string? Subject = null, string? Period = null, string? FileNameSuffix = null);

/// <summary>One report generation: the request, its box and period resolved, a database context, the time it runs.</summary>
public sealed class ReportScope
{
    private readonly Box? _box;
    private readonly IReadOnlyDictionary<string, string> _staffNames;

    public ReportScope(IApplicationDbContext db, ReportRequest request, Box? box, DateTimeOffset now, IReadOnlyDictionary<string, string> staffNames)
    {
        Db = db;
        Request = request;
        Now = now;
        _box = box;
        _staffNames = staffNames;
        TimeZone = box is null ? Common.OfficeClock.OfficeTimeZone : TimeZoneInfo.FindSystemTimeZoneById(box.TimeZoneId);
    }

    public IApplicationDbContext Db { get; }

    public ReportRequest Request { get; }

    /// <summary>The box, for reports that need one.</summary>
    public Box Box => _box ?? throw new InvalidOperationException($"{Request.Kind} has no box.");

    public DateTimeOffset Now { get; }

    /// <summary>The box's time zone (the office's when the report has no box): periods and "today" are its days.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Today at the box.</summary>
    public DateOnly Today => ReportFormatting.LocalDate(Now, TimeZone);

    /// <summary>Start of the period's first day, as an instant (included).</summary>
    public DateTimeOffset PeriodStart => ReportFormatting.StartOf(Request.From!.Value, TimeZone);

    /// <summary>Start of the day after the period's last day, as an instant (excluded).</summary>
    public DateTimeOffset PeriodEnd => ReportFormatting.StartOf(Request.To!.Value.AddDays(1), TimeZone);

    /// <summary>Who did something, as a person reads it (staff by display name).</summary>
    public string Actor(string actor) => ReportNames.Actor(actor, _staffNames);

    /// <summary>Who did it, and the second person who confirmed it (four-eyes loading): "Anna Berg, bestätigt von Jan Ott".</summary>
    public string ActorWithWitness(string actor, string? confirmedBy) =>
        confirmedBy is null ? Actor(actor) : $"{Actor(actor)}, bestätigt von {Actor(confirmedBy)}";

    /// <summary>A staff member recorded by user name alone, by display name.</summary>
    public string StaffMember(string userName) => ReportNames.Actor(Audit.AuditTrail.Staff(userName), _staffNames);
}
