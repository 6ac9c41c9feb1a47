using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Playwright;
using Registry.TestSupport;
using Registry.Tokens;

namespace Registry.Browser.Tests;

/// <summary>
/// The registry as operators run it, for a browser to look at: three silo processes (each with the dashboard) and the
/// API process, started with <c>dotnet</c> from the built solution on free loopback ports, on a scratch database of the
/// suite's PostgreSQL; and headless Chromium from Debian's <c>chromium</c> package, driven by Playwright. Everything it
/// started is stopped when the tests are done or when starting fails half-way.
/// </summary>
public sealed class BrowserCluster : IAsyncLifetime
{
    /// <summary>Silos in the cluster: what the dashboard must show as active.</summary>
    public const int Silos = 3;

    /// <summary>Where Chromium is unless <c>REGISTRY_CHROMIUM</c> says otherwise: Debian's package.</summary>
    public const string DefaultChromium = "/usr/bin/chromium";

    // Three silos and the API starting on two shared cores take tens of seconds; beyond this something is broken.
    private static readonly TimeSpan Readiness = TimeSpan.FromMinutes(2);

    // Chromium otherwise reaches for the network (updates, field trials, sync, QUIC probes), which is closed here and
    // would only add waits; the sandbox needs user namespaces that containers and CI runners often lack.
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private static readonly RegistryAuthOptions Auth = new()
    {
        Issuer = "registry-browser-tests",
        Audience = "registry-api-tests",
        SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    };

    // What was started, stopped in reverse order: browser, API and silos, database.
    private readonly Stack<Func<ValueTask>> _stops = new();

    private IBrowser? _browser;

    /// <summary>The silo processes; the dashboard is on each one's HTTP port.</summary>
    public IReadOnlyList<SiloProcess> SiloProcesses { get; private set; } = [];

    /// <summary>The API process.</summary>
    public ApiProcess Api { get; private set; } = null!;

    /// <summary>Where screenshots go: the run's test results folder (<c>REGISTRY_TEST_RESULTS</c>, set by test.sh).</summary>
    public string ResultsFolder { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("REGISTRY_TEST_RESULTS") is { Length: > 0 } results ? results : Path.Combine(AppContext.BaseDirectory, "TestResults"),
        "browser");

    /// <summary>A bearer token of <paramref name="role"/>'s actor, valid for an hour on this cluster's silos and API.</summary>
    public static string TokenOf(Registry.Contracts.Access.Actor role) => new RegistryTokens(Auth, TimeProvider.System).Issue(role, TimeSpan.FromHours(1));

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            // Stop at once what did start; a later DisposeAsync finds nothing left to stop.
            await DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        List<Exception> failures = [];
        while (_stops.TryPop(out var stop))
        {
            try
            {
                await stop();
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Keep stopping the rest: a process left behind would hold ports and cores after the run.
                failures.Add(exception);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException("Stopping the browser cluster failed.", failures);
        }
    }

    /// <summary>
    /// A fresh browser context (its own cookies and storage) that sends <paramref name="bearerToken"/>, if any, on every
    /// request as <c>Authorization: Bearer</c>, as an operators' authenticating proxy would, and that lets no request
    /// leave loopback.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(string? bearerToken)
    {
        var options = new BrowserNewContextOptions { ViewportSize = new() { Width = 1400, Height = 1000 } };
        if (bearerToken is not null)
        {
            options.ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + bearerToken };
        }

        var context = await _browser!.NewContextAsync(options);
        // The pages ask for web fonts and the like from the internet; here nothing but the cluster is reachable.
        await context.RouteAsync(url => !IsLoopback(url), route => route.AbortAsync());
        return context;
    }

    /// <summary>Saves a screenshot of what <paramref name="page"/> shows in its window as <paramref name="name"/>.png in <see cref="ResultsFolder"/>.</summary>
    public async Task<string> ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        Directory.CreateDirectory(ResultsFolder);
        var path = Path.Combine(ResultsFolder, name + ".png");
        await page.ScreenshotAsync(new() { Path = path });
        return path;
    }

    private async Task StartAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("REGISTRY_CHROMIUM") is { Length: > 0 } configured ? configured : DefaultChromium;
        if (!File.Exists(chromium))
        {
            // A failure, not a skip: CI must not pass without having looked at the dashboard.
            throw new InvalidOperationException(
                $"No Chromium at {chromium}. Install Debian's chromium package (cluster-config/test.sh does when run as root or with sudo) or set REGISTRY_CHROMIUM.");
        }

        var database = await ScratchDatabase.CreateMigratedAsync("browser");
        _stops.Push(database.DisposeAsync);

        var clusterId = "browser-" + Guid.NewGuid().ToString("N")[..8];
        var auth = new Dictionary<string, string>
        {
            ["Registry__Auth__Issuer"] = Auth.Issuer!,
            ["Registry__Auth__Audience"] = Auth.Audience!,
            ["Registry__Auth__SigningKey"] = Auth.SigningKey!,
        };
        var silos = Enumerable.Range(1, Silos)
            .Select(i => SiloProcess.StartAsync("silo-" + i.ToString(CultureInfo.InvariantCulture), database.ConnectionString, clusterId, auth))
            .ToList();
        // All at once: the API keeps looking for a gateway until the silos are there, and is ready once it found one.
        var api = ApiProcess.StartAsync(database.ConnectionString, clusterId, auth, Readiness);
        try
        {
            await Task.WhenAll([.. silos, api]);
        }
        finally
        {
            // Those that did start are stopped at the end even when another failed.
            foreach (var silo in silos.Where(task => task.IsCompletedSuccessfully))
            {
                _stops.Push(silo.Result.DisposeAsync);
            }

            if (api.IsCompletedSuccessfully)
            {
                _stops.Push(api.Result.DisposeAsync);
            }
        }

        SiloProcesses = [.. silos.Select(task => task.Result)];
        Api = api.Result;

        var playwright = await Playwright.CreateAsync();
        _stops.Push(() =>
        {
            playwright.Dispose();
            return ValueTask.CompletedTask;
        });
        // Launch gives Chromium a fresh user-data folder of its own, removed when it closes: no profile carries over.
        _browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumArgs });
        _stops.Push(_browser.DisposeAsync);
    }

    private static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Scheme is "data" or "blob" or "about");
}
