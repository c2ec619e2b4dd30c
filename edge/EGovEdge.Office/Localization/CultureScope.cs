using System.Globalization;

namespace EGovEdge.Office.Localization;

/// <summary>
/// Re-applies a component's UI culture inside timer and event callbacks: those run on other threads, where the user's
/// language (chosen for the circuit) is not set, so a refresh would otherwise render in the default language.
/// </summary>
public static class CultureScope
{
    public static IDisposable Use(CultureInfo culture)
    {
        var (ui, current) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = culture;
        CultureInfo.CurrentCulture = culture;
        return new Restore(ui, current);
    }

    private sealed class Restore(CultureInfo ui, CultureInfo current) : IDisposable
    {
        public void Dispose()
        {
            CultureInfo.CurrentUICulture = ui;
            CultureInfo.CurrentCulture = current;
        }
    }
}
