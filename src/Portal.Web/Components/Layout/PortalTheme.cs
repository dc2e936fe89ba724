using MudBlazor;

namespace Portal.Web.Components.Layout;

public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#003a70",
            Secondary = "#8a4b00",
            AppbarBackground = "#003a70",
            Success = "#1b6e33",
            Warning = "#8a5300",
            Error = "#b00020",
            Info = "#0b5cad",
        },
    };
}
