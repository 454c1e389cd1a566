namespace BackOffice.Web;

/// <summary>
/// The folder that holds the base appsettings.json and wwwroot/. They live at the top of the repository and are
/// linked into the build output, so the app finds them next to its assembly, whatever the working directory.
/// An explicit <c>--contentRoot</c> (or ASPNETCORE_CONTENTROOT) still wins: test hosts and deployments use it.
/// </summary>
internal static class ContentRoot
{
    public static string? Locate(string[] args)
    {
        var explicitlyGiven = args.Any(a => a.Contains("contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"));
        return explicitlyGiven ? null : AppContext.BaseDirectory;
    }
}
