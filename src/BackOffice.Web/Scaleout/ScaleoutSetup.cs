using Microsoft.Extensions.Options;

namespace BackOffice.Web.Scaleout;

internal static class ScaleoutSetup
{
    /// <summary>
    /// With <c>Redis:Configuration</c> set: this instance's Redis connection, the live feed, command outcomes and sign-outs between instances. The
    /// settings are returned for the hub's backplane (<see cref="Bridge.BridgeSetup"/>), which is chosen at start.
    /// </summary>
    public static RedisOptions AddScaleout(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(RedisOptions.SectionName);
        builder.Services.AddOptions<RedisOptions>().Bind(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>();
        var settings = section.Get<RedisOptions>() ?? new RedisOptions();
        if (settings.Enabled)
        {
            builder.Services.AddSingleton<RedisConnection>();
            builder.Services.AddHostedService<RedisOccupancyRelay>();
            builder.Services.AddHostedService<RedisCommandOutcomeRelay>();
            builder.Services.AddHostedService<RedisSignOutRelay>();
        }
        return settings;
    }
}
