namespace BackOffice.Testing;

/// <summary>The tests' Redis (started by infra/test.sh through infra/lib/redis.sh), for tests of several app instances.</summary>
public static class TestRedis
{
    /// <summary>Set by infra/test.sh; the default matches its server, so a test run from an IDE works after one test.sh.</summary>
    public static string Configuration { get; } =
        Environment.GetEnvironmentVariable("BACKOFFICE_TEST_REDIS") ?? "127.0.0.1:55479";

    /// <summary>A channel and key prefix of its own, so test classes sharing the server never hear each other.</summary>
    public static string NewPrefix() => $"test-{Guid.NewGuid():N}";
}
