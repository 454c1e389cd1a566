using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BackOffice.Web.Components;

/// <summary>What kind of result a <see cref="Notifier"/> message reports.</summary>
public enum NoticeKind
{
    Success,
    Info,
    Warning,
    Error,
}

/// <summary>
/// Tells the person at the screen the result of what they just did, as a MudBlazor snackbar (the layout's
/// <c>MudSnackbarProvider</c>): successes and hints fade after a few seconds, warnings and errors stay until closed so
/// nobody misses them. Screen readers hear errors at once (<c>role="alert"</c>), everything else politely.
/// </summary>
/// <remarks>Scoped: one per circuit, like the <see cref="ISnackbar"/> it wraps. Call it from the circuit's thread.</remarks>
public sealed class Notifier(ISnackbar snackbar)
{
    public void Success(string text, string? title = null) => Show(NoticeKind.Success, text, title);

    public void Info(string text, string? title = null) => Show(NoticeKind.Info, text, title);

    public void Warning(string text, string? title = null) => Show(NoticeKind.Warning, text, title);

    public void Error(string text, string? title = null) => Show(NoticeKind.Error, text, title);

    /// <summary>The common case of an action that returns an error text or <c>null</c>.</summary>
    public void Result(string? error, string success, string? title = null)
    {
        if (error is null)
        {
            Success(success, title);
        }
        else
        {
            Error(error, title);
        }
    }

    public void Show(NoticeKind kind, string text, string? title = null)
    {
        var severity = kind switch
        {
            NoticeKind.Success => Severity.Success,
            NoticeKind.Info => Severity.Info,
            NoticeKind.Warning => Severity.Warning,
            _ => Severity.Error,
        };
        var urgent = kind is NoticeKind.Warning or NoticeKind.Error;
        snackbar.Add(Message(text, title, urgent), severity, options =>
        {
            options.RequireInteraction = urgent;
            options.SnackbarTypeClass = $"app-notice app-notice-{kind.ToString().ToLowerInvariant()}";
        });
    }

    private static RenderFragment Message(string text, string? title, bool urgent) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "role", urgent ? "alert" : "status");
        builder.AddAttribute(2, "data-testid", "notice");
        if (title is not null)
        {
            builder.OpenElement(3, "strong");
            builder.AddAttribute(4, "class", "app-notice-title");
            builder.AddContent(5, title);
            builder.CloseElement();
            builder.AddContent(6, " ");
        }
        builder.OpenElement(7, "span");
        builder.AddContent(8, text);
        builder.CloseElement();
        builder.CloseElement();
    };
}
