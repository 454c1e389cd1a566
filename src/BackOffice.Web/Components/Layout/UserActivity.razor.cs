using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace BackOffice.Web.Components.Layout;

/// <summary>Lives in the main layout; once the page runs interactively, the browser reports input to <see cref="IdleSession"/>.</summary>
public sealed partial class UserActivity : IAsyncDisposable
{
    private IJSObjectReference? _module;
    private IJSObjectReference? _watch;
    private DotNetObjectReference<UserActivity>? _self;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private IdleSession Idle { get; set; } = default!;

    /// <summary>Called by <c>wwwroot/js/activity.js</c> when the person typed, clicked or moved the pointer.</summary>
    [JSInvokable]
    public void RecordInput() => Idle.RecordInput();

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }
        try
        {
            _self = DotNetObjectReference.Create(this);
            _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/activity.js");
            _watch = await _module.InvokeAsync<IJSObjectReference>(
                "watch", _self, (int)Idle.ReportInterval.TotalMilliseconds, AccountEndpoints.KeepAlivePath);
        }
        catch (JSDisconnectedException)
        {
            // The circuit is already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_watch is not null)
            {
                await _watch.InvokeVoidAsync("dispose");
                await _watch.DisposeAsync();
            }
            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone; nothing to unhook.
        }
        _self?.Dispose();
    }
}
