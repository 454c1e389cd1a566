using BackOffice.Application.Boxes;
using BackOffice.Application.Overdue;
using BackOffice.Web.Bridge;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace BackOffice.Web.Components.Pages.Overdue;

/// <summary>Documents past their pickup deadline, in walking order (box, compartment), each with its retrieval.</summary>
public partial class OverdueList
{
    private IReadOnlyList<BoxSummary> _boxes = [];
    private IReadOnlyList<OverdueDocument>? _documents;
    private Guid? _boxId;
    private bool _busy;

    [Inject]
    private OverdueDocuments Overdue { get; set; } = default!;

    [Inject]
    private BoxAdministration Boxes { get; set; } = default!;

    [Inject]
    private OpeningFeedback Openings { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _boxes = await Boxes.ListAsync();
        await LoadAsync();
    }

    private Task BoxAsync(Guid? boxId)
    {
        _boxId = boxId;
        return LoadAsync();
    }

    private async Task LoadAsync() => _documents = await Overdue.ListAsync(_boxId);

    private async Task RetrieveAsync(OverdueDocument document)
    {
        _busy = true;
        try
        {
            await Openings.RetrieveAsync(document.CompartmentId, document.CompartmentLabel, await AuthenticationState.ActorAsync());
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
