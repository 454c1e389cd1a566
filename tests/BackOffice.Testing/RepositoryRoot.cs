namespace BackOffice.Testing;

/// <summary>The repository's root folder (where BackOffice.sln is), found from the running build output.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "BackOffice.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("BackOffice.sln not found above " + AppContext.BaseDirectory);
    }
}
