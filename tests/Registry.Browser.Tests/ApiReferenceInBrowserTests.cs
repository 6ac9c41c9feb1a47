using Microsoft.Playwright;

namespace Registry.Browser.Tests;

/// <summary>
/// Issue 13's API reference in a real browser: the API process serves its OpenAPI reference page (Scalar) to anyone, and
/// the page, rendered by Chromium from the API's own document, lists the registry's operations.
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
[Trait("Category", "Browser")]
public sealed class ApiReferenceInBrowserTests(BrowserCluster cluster)
{
    // The page renders in the browser from /openapi/v1.json: a script of a few megabytes to run on a busy machine.
    private static readonly LocatorAssertionsToBeVisibleOptions WithinAMinute = new() { Timeout = 60_000 };

    /// <summary>
    /// The reference page, opened without a token, shows the API's title and its groups of operations; a reader who opens
    /// the residents' group finds the registration, POST /residents.
    /// </summary>
    [Fact]
    public async Task The_API_reference_lists_the_registry_operations()
    {
        await using var context = await cluster.NewContextAsync(bearerToken: null);
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(new Uri(cluster.Api.Uri, "/scalar").ToString());

        Assert.Equal(200, response?.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "National Population Registry API" }).First).ToBeVisibleAsync(WithinAMinute);
        await page.GetByRole(AriaRole.Link, new() { Name = "Residents", Exact = true }).ClickAsync();
        // The operation in the sidebar by its summary, and in the residents' list of endpoints by its method and path.
        var sidebar = page.GetByRole(AriaRole.Complementary);
        await Assertions.Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = "Register a person and issue their personal ID number" })).ToBeVisibleAsync(WithinAMinute);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "post /residents", Exact = true })).ToBeVisibleAsync(WithinAMinute);
        Assert.True(File.Exists(await cluster.ScreenshotAsync(page, "api-reference")));
    }
}
