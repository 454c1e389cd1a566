using MudBlazor;

namespace BackOffice.Web.Components.Dialogs;

/// <summary>The office's dialogs, opened the same way from every page.</summary>
public static class OfficeDialogs
{
    /// <summary>How the office's dialogs open: at most <paramref name="maxWidth"/> wide, filling it.</summary>
    /// <remarks>
    /// A dialog whose field has AutoFocus sets <c>DefaultFocus="DefaultFocus.None"</c> on its <c>MudDialog</c> (the
    /// options' DefaultFocus is not read; the component's parameter is). Otherwise MudBlazor's focus trap, once set up (a
    /// server round trip after the dialog rendered), focuses an empty element of its own: it took the cursor from the
    /// field, lost the keys of a clerk who had started typing, and flagged the untouched mandatory field as missing.
    /// Dialogs without such a field (a yes/no question, a choice) keep the default, so the focus still moves into them.
    /// </remarks>
    public static DialogOptions Options(MaxWidth maxWidth = MaxWidth.Small) => new() { MaxWidth = maxWidth, FullWidth = true };

    /// <summary>Asks for a mandatory reason (typed, or picked from <paramref name="choices"/>); null when cancelled.</summary>
    public static async Task<string?> AskReasonAsync(this IDialogService dialogs, string title, string text,
        IReadOnlyList<KeyValuePair<string, string>>? choices = null, int maxLength = 200)
    {
        ArgumentNullException.ThrowIfNull(dialogs);
        var parameters = new DialogParameters<ReasonDialog>
        {
            { d => d.Text, text },
            { d => d.Choices, choices },
            { d => d.MaxLength, maxLength },
        };
        var dialog = await dialogs.ShowAsync<ReasonDialog>(title, parameters, Options());
        var result = await dialog.Result;
        return result is { Canceled: false, Data: string reason } ? reason : null;
    }

    /// <summary>Asks to confirm an action; true only when the user chose <paramref name="confirmText"/>.</summary>
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string text, string confirmText, string cancelText)
    {
        ArgumentNullException.ThrowIfNull(dialogs);
        var answer = await dialogs.ShowMessageBoxAsync(title, text, yesText: confirmText, cancelText: cancelText,
            options: Options());
        return answer == true;
    }

    /// <summary>Shows a freshly issued bridge key once, with a copy button.</summary>
    public static async Task ShowBridgeKeyAsync(this IDialogService dialogs, string title, string key)
    {
        ArgumentNullException.ThrowIfNull(dialogs);
        var dialog = await dialogs.ShowAsync<BridgeKeyDialog>(title, new DialogParameters<BridgeKeyDialog> { { d => d.Key, key } },
            Options(MaxWidth.Medium));
        await dialog.Result;
    }

    /// <summary>Asks for a new account's e-mail address, name and role; null when cancelled.</summary>
    public static async Task<NewAccountDialog.NewAccountInput?> AskNewAccountAsync(this IDialogService dialogs, string title)
    {
        ArgumentNullException.ThrowIfNull(dialogs);
        var dialog = await dialogs.ShowAsync<NewAccountDialog>(title, Options());
        var result = await dialog.Result;
        return result is { Canceled: false, Data: NewAccountDialog.NewAccountInput input } ? input : null;
    }

    /// <summary>Shows a one-time password once.</summary>
    public static async Task ShowOneTimePasswordAsync(this IDialogService dialogs, string title, string account, string password)
    {
        ArgumentNullException.ThrowIfNull(dialogs);
        var dialog = await dialogs.ShowAsync<OneTimePasswordDialog>(title,
            new DialogParameters<OneTimePasswordDialog> { { d => d.Password, password }, { d => d.Account, account } },
            Options());
        await dialog.Result;
    }
}
