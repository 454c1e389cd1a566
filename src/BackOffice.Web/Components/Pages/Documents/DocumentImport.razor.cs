using BackOffice.Application.Documents;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Pages.Documents;

/// <summary>Imports the registration software's CSV export and reports every row it did not take, with the reason.</summary>
public partial class DocumentImport
{
    private ImportReport? _report;
    private string? _fileError;
    private bool _busy;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private DocumentRegistration Registration { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    private async Task ImportAsync(InputFileChangeEventArgs args)
    {
        _report = null;
        _fileError = null;
        if (args.FileCount == 0)
        {
            // The selection was cleared (or the file dialog cancelled): nothing to import, and args.File would throw.
            return;
        }
        if (args.File.Size > DocumentRegistration.MaxImportBytes)
        {
            _fileError = Localizer["Import.TooLarge", DocumentRegistration.MaxImportBytes / 1024 / 1024];
            return;
        }
        _busy = true;
        try
        {
            // Read into memory first: the browser stream must not stay open across the database work.
            using var buffer = new MemoryStream();
            await using (var upload = args.File.OpenReadStream(DocumentRegistration.MaxImportBytes))
            {
                await upload.CopyToAsync(buffer);
            }
            buffer.Position = 0;
            _report = await Registration.ImportCsvAsync(buffer, await AuthenticationState.ActorAsync());
            _fileError = _report.FileError is { } refused ? Localizer.Refusal(refused) : null;
        }
        finally
        {
            _busy = false;
        }
    }
}
