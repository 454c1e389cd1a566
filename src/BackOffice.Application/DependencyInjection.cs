using BackOffice.Application.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace BackOffice.Application;

public static class DependencyInjection
{
    /// <summary>Use cases and the services they share.</summary>
    public static IHostApplicationBuilder AddApplication(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OfficeClock>();
        return builder;
    }
}
