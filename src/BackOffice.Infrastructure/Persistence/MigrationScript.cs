using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace BackOffice.Infrastructure.Persistence;

/// <summary>One versioned SQL script from Persistence/Migrations, named <c>NNNN_description.sql</c>.</summary>
public sealed record MigrationScript(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the script text: an applied script that was edited afterwards is refused at start-up.</summary>
    public string Checksum => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));

    private const string ResourcePrefix = "Migrations/";

    /// <summary>All scripts embedded in this assembly, in version order.</summary>
    public static IReadOnlyList<MigrationScript> LoadEmbedded()
    {
        var assembly = typeof(MigrationScript).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Load(assembly, n))
            .OrderBy(s => s.Version)
            .ToList();

        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Two migration scripts share version {duplicate.Key}: {string.Join(", ", duplicate.Select(s => s.Name))}.");
        }
        return scripts;
    }

    private static MigrationScript Load(Assembly assembly, string resourceName)
    {
        var name = resourceName[ResourcePrefix.Length..^".sql".Length];
        var digits = new string(name.TakeWhile(char.IsAsciiDigit).ToArray());
        if (digits.Length == 0 || !int.TryParse(digits, out var version))
        {
            throw new InvalidOperationException($"Migration script '{name}' must start with its version number, e.g. 0002_boxes.sql.");
        }
        using var stream = assembly.GetManifestResourceStream(resourceName)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return new MigrationScript(version, name, reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
