using MudBlazor;

namespace BackOffice.Web.Components.Layout;

/// <summary>
/// The office's one MudBlazor theme: its blue and yellow (the logo's, wwwroot/favicon.svg), and status colours dark
/// enough for white text at WCAG AA contrast (4.5:1), which MudBlazor's defaults for success, info and warning are not.
/// </summary>
public static class OfficeTheme
{
    public const string Brand = "#1b4f8a";
    public const string Accent = "#f2b705";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = Brand,
            PrimaryContrastText = "#ffffff",
            Secondary = Accent,
            SecondaryContrastText = "#1d1d1d",
            Tertiary = "#5b2a86",
            Info = "#1565c0",
            Success = "#2e7d32",
            Warning = "#a33f00",
            Error = "#b3261e",
            TextPrimary = "#1d1d1d",
            TextSecondary = "#5b6470",
            Background = "#f6f7f9",
            Surface = "#ffffff",
            AppbarBackground = Brand,
            AppbarText = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "#1d1d1d",
            DrawerIcon = Brand,
            LinesDefault = "#e3e6ea",
            TableLines = "#e3e6ea",
            Divider = "#e3e6ea",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Roboto", "DejaVu Sans", "Helvetica", "Arial", "sans-serif"] },
            // German words are long: buttons keep their case rather than shout in capitals.
            Button = new ButtonTypography { TextTransform = "none" },
        },
        LayoutProperties = new LayoutProperties
        {
            // The clerk's 1366 px screen: a narrower menu leaves the page 1,140 px.
            DrawerWidthLeft = "226px",
            AppbarHeight = "56px",
        },
    };
}
