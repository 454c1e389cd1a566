using BackOffice.Infrastructure.Persistence;

namespace BackOffice.UnitTests;

public class MigrationScriptTests
{
    [Fact]
    public void LoadEmbedded_FindsScriptsInVersionOrderStartingAtOne()
    {
        var scripts = MigrationScript.LoadEmbedded();

        Assert.NotEmpty(scripts);
        Assert.Equal(Enumerable.Range(1, scripts.Count), scripts.Select(s => s.Version));
    }

    [Fact]
    public void Checksum_ChangesWithTheText()
    {
        var original = new MigrationScript(1, "0001_x", "CREATE TABLE a (id int);");
        var edited = original with { Sql = "CREATE TABLE a (id bigint);" };

        Assert.NotEqual(original.Checksum, edited.Checksum);
    }
}
