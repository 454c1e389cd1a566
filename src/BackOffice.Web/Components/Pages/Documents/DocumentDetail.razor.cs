using BackOffice.Application.Abstractions;
using BackOffice.Domain.Documents;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Web.Components.Pages.Documents;

/// <summary>One document: its facts (number and phone masked) and its timeline.</summary>
public partial class DocumentDetail
{
    private Document? _document;
    private string _boxCode = "";
    private string? _compartmentLabel;
    private IReadOnlyList<DocumentEvent> _events = [];

    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    private IApplicationDbContextFactory ContextFactory { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        await using var db = await ContextFactory.CreateAsync();
        _document = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == Id);
        if (_document is null)
        {
            return;
        }
        _boxCode = await db.Boxes.Where(b => b.Id == _document.BoxId).Select(b => b.Code).FirstAsync();
        _compartmentLabel = _document.CompartmentId is { } compartment
            ? await db.Compartments.Where(c => c.Id == compartment).Select(c => c.Label).FirstAsync()
            : null;
        _events = await db.DocumentEvents.AsNoTracking().Where(e => e.DocumentId == Id).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync();
    }
}
