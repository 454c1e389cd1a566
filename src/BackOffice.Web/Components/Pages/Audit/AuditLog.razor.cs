using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Common;
using BackOffice.Domain.Audit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Radzen;
using Radzen.Blazor;

namespace BackOffice.Web.Components.Pages.Audit;

/// <summary>The audit trail for supervisors: search by period, actor, action and subject, newest first; check the chain.</summary>
public partial class AuditLog
{
    private RadzenDataGrid<AuditEntry>? _grid;
    // Null until the first LoadData: the grid asks for data only while it has none.
    private IReadOnlyList<AuditEntry>? _rows;
    private int _count;
    private bool _loading;
    private bool _verifying;
    private DateOnly? _from;
    private DateOnly? _to;
    private string? _actor;
    private string? _action;
    private string? _subject;
    private AuditChainCheck? _check;

    [Inject]
    private IApplicationDbContextFactory ContextFactory { get; set; } = default!;

    [Inject]
    private AuditChain Chain { get; set; } = default!;

    private async Task SearchAsync()
    {
        if (_grid is not null)
        {
            await _grid.FirstPage(forceReload: true);
        }
    }

    private async Task VerifyAsync()
    {
        _verifying = true;
        try
        {
            _check = await Chain.VerifyAsync();
        }
        finally
        {
            _verifying = false;
        }
    }

    private async Task LoadAsync(LoadDataArgs args)
    {
        _loading = true;
        await using var db = await ContextFactory.CreateAsync();
        var query = db.AuditEntries.AsNoTracking();
        if (_from is { } from)
        {
            var start = OfficeClock.StartOfDay(from);
            query = query.Where(a => a.At >= start);
        }
        if (_to is { } to)
        {
            var end = OfficeClock.StartOfDay(to.AddDays(1));
            query = query.Where(a => a.At < end);
        }
        if (Pattern(_actor) is { } actor)
        {
            query = query.Where(a => EF.Functions.ILike(a.Actor, actor, "\\"));
        }
        if (Pattern(_action) is { } action)
        {
            query = query.Where(a => EF.Functions.ILike(a.Action, action, "\\"));
        }
        if (Pattern(_subject) is { } subject)
        {
            query = query.Where(a => EF.Functions.ILike(a.Subject, subject, "\\"));
        }
        _count = await query.CountAsync();
        _rows = await query.OrderByDescending(a => a.Sequence).Skip(args.Skip ?? 0).Take(args.Top ?? 50).ToListAsync();
        _loading = false;
    }

    /// <summary>"contains" as an ILIKE pattern, with the user's own % and _ taken literally.</summary>
    private static string? Pattern(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : $"%{EscapeLike(text.Trim())}%";

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
