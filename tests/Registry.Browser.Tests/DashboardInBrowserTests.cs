using Microsoft.Playwright;
using Registry.TestSupport;

namespace Registry.Browser.Tests;

/// <summary>
/// Issue 13's dashboard in a real browser: Orleans' dashboard on a silo of a three-silo cluster of processes, seen
/// through headless Chromium as an operator sees it, and not at all without an operator's token (issue 11).
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardInBrowserTests(BrowserCluster cluster)
{
    // The dashboard polls the silos every CounterUpdateIntervalMs (2 s); its first figures can lag a silo's start.
    private static readonly LocatorAssertionsToHaveTextOptions WithinAMinute = new() { Timeout = 60_000 };

    /// <summary>An operator's browser, sending their bearer token, is shown the dashboard with every silo active.</summary>
    [Fact]
    public async Task The_dashboard_shows_an_operator_three_active_silos()
    {
        await using var context = await cluster.NewContextAsync(BrowserCluster.TokenOf(TestActors.Operator));
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(Dashboard(cluster.SiloProcesses[0]));

        Assert.Equal(200, response?.Status);
        var activeSilos = page.Locator(".info-box")
            .Filter(new() { Has = page.Locator(".info-box-text", new() { HasTextString = "Active Silos" }) })
            .First.Locator(".info-box-number");
        await Assertions.Expect(activeSilos).ToHaveTextAsync(BrowserCluster.Silos.ToString(System.Globalization.CultureInfo.InvariantCulture), WithinAMinute);
        Assert.True(File.Exists(await cluster.ScreenshotAsync(page, "dashboard")));
    }

    /// <summary>
    /// A browser without a token gets 401 for the page and for the figures it would load, and the page shows no dashboard:
    /// the grains' keys are personal ID numbers.
    /// </summary>
    [Fact]
    public async Task The_dashboard_shows_nothing_to_a_browser_without_a_token()
    {
        await using var context = await cluster.NewContextAsync(bearerToken: null);
        var page = await context.NewPageAsync();

        // Chromium shows its own error page for a 401 without a body, and Playwright reports that navigation as failed
        // (net::ERR_HTTP_RESPONSE_CODE_FAILURE); what the browser received is the answer to check.
        var answer = page.WaitForResponseAsync(Dashboard(cluster.SiloProcesses[0]));
        await Record.ExceptionAsync(() => page.GotoAsync(Dashboard(cluster.SiloProcesses[0])));
        var response = await answer;

        Assert.Equal(401, response.Status);
        Assert.Equal(0, await page.Locator(".info-box").CountAsync());
        Assert.DoesNotContain("Active Silos", await page.ContentAsync(), StringComparison.Ordinal);
        var figures = await context.APIRequest.GetAsync(new Uri(cluster.SiloProcesses[0].HttpUri, "/dashboard/ClusterStats").ToString());
        Assert.Equal(401, figures.Status);
    }

    private static string Dashboard(SiloProcess silo) => new Uri(silo.HttpUri, "/dashboard/").ToString();
}
