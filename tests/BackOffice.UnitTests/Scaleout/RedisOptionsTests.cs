using BackOffice.Web.Scaleout;

namespace BackOffice.UnitTests.Scaleout;

public class RedisOptionsTests
{
    [Fact]
    public void WithoutConfiguration_TheAppIsOneInstance_AndValid()
    {
        var options = new RedisOptions();

        Assert.False(options.Enabled);
        Assert.True(new RedisOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("127.0.0.1:6379", "backoffice", true)]
    [InlineData("redis.intern:6379,password=geheim,ssl=true", "stadt-prod", true)]
    [InlineData("127.0.0.1:6379", "", false)]
    [InlineData("127.0.0.1:6379", "with space", false)]
    [InlineData("127.0.0.1:6379,noSuchOption=1", "backoffice", false)]
    public void Validation(string configuration, string prefix, bool valid) =>
        Assert.Equal(valid, new RedisOptionsValidator().Validate(null, new RedisOptions { Configuration = configuration, ChannelPrefix = prefix }).Succeeded);
}
