namespace BackOffice.Web.Security;

/// <summary>
/// This open page's id: one per circuit (scoped), sent by the page's sign-out form. The sign-out then ends the sign-in's
/// other open pages but not this one, which is already on its way to the sign-in page (or through the directory's own
/// sign-out): sending it there as well would cut that navigation short.
/// </summary>
public sealed class OpenPage
{
    /// <summary>The sign-out form's field that carries <see cref="Id"/>.</summary>
    public const string FormField = "page";

    public string Id { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The page id a form sent, if it is one (anything else is ignored: the sign-out then ends every open page).</summary>
    public static string? FromForm(string? value) => Guid.TryParseExact(value, "N", out var id) ? id.ToString("N") : null;
}
