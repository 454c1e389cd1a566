using MudBlazor;
using MudBlazor.Services;

namespace BackOffice.Web.Components;

public static class OfficeUi
{
    /// <summary>MudBlazor's services with its texts in German, and <see cref="Notifier"/> for the pages.</summary>
    public static IServiceCollection AddOfficeUi(this IServiceCollection services)
    {
        services.AddMudServices(options =>
        {
            var snackbar = options.SnackbarConfiguration;
            // Bottom right: nothing of the page's header, form or first grid rows is covered at 1366×768.
            snackbar.PositionClass = Defaults.Classes.Position.BottomRight;
            snackbar.NewestOnTop = true;
            snackbar.ShowCloseIcon = true;
            snackbar.VisibleStateDuration = 6000;
            snackbar.SnackbarVariant = Variant.Filled;
        });
        services.AddTransient<MudLocalizer, MudBlazorGerman>();
        services.AddScoped<Notifier>();
        return services;
    }
}
