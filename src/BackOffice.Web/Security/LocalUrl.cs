namespace BackOffice.Web.Security;

internal static class LocalUrl
{
    /// <summary>
    /// True for a path on this site ("/dokumente?x=1"); false for anything that could send the user elsewhere
    /// ("//evil.example", "/\evil.example", "https://...", "javascript:"). Guards every return URL (open redirects).
    /// </summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url)
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);

    public static string OrHome(string? url) => IsLocal(url) ? url! : "/";
}
