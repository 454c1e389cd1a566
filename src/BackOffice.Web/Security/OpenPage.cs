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
}
