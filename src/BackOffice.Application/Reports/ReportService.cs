using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Common;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Reports;

/// <summary>Who asks for a report: the audit trail's actor and the name printed as "erstellt von".</summary>
public sealed record ReportRequester(string Actor, string DisplayName);

/// <summary>A generated file, or why there is none.</summary>
public sealed record ReportFile(byte[]? Content, string FileName, string ContentType, Refusal? Error)
{
    public static ReportFile Refused(Refusal error) => new(null, "", "", error);
}

/// <summary>
/// Generates a report as PDF or CSV: checks the request, lets the report's builder query it, audits the print (with
/// its subject: reports with personal data name the document), and renders the same model in the asked format.
/// </summary>
/// <remarks>Singleton; each call uses its own database context. The file is built in memory (a year's journal is a few MB).</remarks>
public sealed class ReportService(
    IApplicationDbContextFactory contextFactory,
    IEnumerable<IReportBuilder> builders,
    IEnumerable<IReportRenderer> renderers,
    IStaffNames staffNames,
    AuditTrail audit,
    TimeProvider timeProvider)
{
    private readonly IReadOnlyDictionary<ReportKind, IReportBuilder> _builders = builders.ToDictionary(b => b.Kind);
    private readonly IReadOnlyDictionary<ReportFileFormat, IReportRenderer> _renderers = renderers.ToDictionary(r => r.Format);

    /// <summary>Builds the report's model (no audit, no file): for tests and for the benchmark's split timing.</summary>
    public async Task<(Report? Report, Refusal? Error)> BuildAsync(ReportRequest request, ReportRequester requester, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        return await BuildAsync(db, request, requester, cancellationToken);
    }

    public async Task<ReportFile> GenerateAsync(
        ReportRequest request, ReportFileFormat format, ReportRequester requester, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var (report, error) = await BuildAsync(db, request, requester, cancellationToken);
        if (report is null)
        {
            return ReportFile.Refused(error!);
        }
        var renderer = _renderers[format];
        using var buffer = new MemoryStream();
        renderer.Render(report, buffer);

        var subject = request.DocumentId is { } documentId ? $"document:{documentId}" : $"box:{request.BoxCode}";
        var period = request.From is { } from ? $", {ReportFormatting.Period(from, request.To!.Value)}" : "";
        audit.Record(db, requester.Actor, $"report.{request.Definition.Slug}", subject, "ok", $"{format}{period}");
        await db.SaveChangesAsync(cancellationToken);
        return new ReportFile(buffer.ToArray(), report.FileName + renderer.Extension, renderer.ContentType, null);
    }

    private async Task<(Report? Report, Refusal? Error)> BuildAsync(
        IApplicationDbContext db, ReportRequest request, ReportRequester requester, CancellationToken cancellationToken)
    {
        if (request.Validate() is { } invalid)
        {
            return (null, invalid);
        }
        var definition = request.Definition;
        Domain.Boxes.Box? box = null;
        if (definition.NeedsBox)
        {
            var code = request.BoxCode!.Trim().ToUpperInvariant();
            box = await db.Boxes.AsNoTracking().FirstOrDefaultAsync(b => b.Code.ToUpper() == code, cancellationToken);
            if (box is null)
            {
                return (null, new Refusal(RefusalCode.ReportBoxUnknown, request.BoxCode!));
            }
        }
        var now = timeProvider.GetUtcNow();
        var scope = new ReportScope(db, request, box, now, await staffNames.DisplayNamesAsync(cancellationToken));
        var content = await _builders[request.Kind].BuildAsync(scope, cancellationToken);
        if (content is null)
        {
            return (null, new Refusal(RefusalCode.DocumentNotFound));
        }

        var period = content.Period
            ?? (request.From is { } from ? $"Zeitraum {ReportFormatting.Period(from, request.To!.Value)}" : $"Stand {ReportFormatting.Instant(now)}");
        var subject = content.Subject ?? $"Box {box!.Code} – {box.Name}";
        var fileName = FileName(
            definition.Title,
            box?.Code,
            (request.From ?? ReportFormatting.LocalDate(now, scope.TimeZone)).ToString(ReportRequest.DateFormat, ReportFormatting.Culture),
            request.To is { } to && to != request.From ? to.ToString(ReportRequest.DateFormat, ReportFormatting.Culture) : null,
            content.FileNameSuffix);
        return (new Report(request.Kind, definition.Title, subject, period, now, requester.DisplayName, content.Blocks, fileName), null);
    }

    /// <summary>"Ueberfaellige-Dokumente_DLZ-1_2026-11-21": ASCII only, so every browser and file system keeps it as it is.</summary>
    internal static string FileName(params string?[] parts)
    {
        var text = string.Join('_', parts.Where(p => !string.IsNullOrEmpty(p)))
            .Replace("ä", "ae", StringComparison.Ordinal).Replace("ö", "oe", StringComparison.Ordinal).Replace("ü", "ue", StringComparison.Ordinal)
            .Replace("Ä", "Ae", StringComparison.Ordinal).Replace("Ö", "Oe", StringComparison.Ordinal).Replace("Ü", "Ue", StringComparison.Ordinal)
            .Replace("ß", "ss", StringComparison.Ordinal).Replace(' ', '-');
        return new string(text.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').ToArray());
    }
}
