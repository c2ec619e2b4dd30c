using System.Globalization;
using System.Runtime.CompilerServices;

namespace EGovEdge.Office.Tests.TestSupport;

/// <summary>
/// Tests read the product's default UI language, Simplified Chinese, whatever language the test host was started in
/// (tests/run.sh sets DOTNET_CLI_UI_LANGUAGE=en for dotnet's own output, and the test host applies it to every thread).
/// </summary>
internal static class UiCulture
{
    [ModuleInitializer]
    internal static void UseChinese()
    {
        var zh = CultureInfo.GetCultureInfo("zh-CN");
        CultureInfo.DefaultThreadCurrentUICulture = zh;
        CultureInfo.CurrentUICulture = zh;
    }
}
