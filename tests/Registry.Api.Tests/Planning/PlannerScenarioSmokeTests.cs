using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Registry.Api.Tests.Hosting;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Planning;

/// <summary>
/// The planners' scenarios of the load generator, run as its users run them (one command each, a process of its own)
/// at tiny sizes against this suite's own cluster and API: each ends with the invariant check passed and leaves its
/// report — Markdown, JSON and the charts the Markdown embeds.
/// </summary>
[Collection(PlannerScenariosCollectionDefinition.Name)]
public sealed class PlannerScenarioSmokeTests(ApiFixture api) : IDisposable
{
    private static readonly TimeSpan CommandBound = TimeSpan.FromSeconds(150);

    private readonly string _folder = Directory.CreateTempSubdirectory("planner-scenarios-").FullName;

    /// <summary>Seeding 200 people and moving 20 of them leaves two passing reports with their charts.</summary>
    [Fact]
    public async Task Seed_then_mass_migration_at_tiny_sizes_pass_their_checks_and_write_reports_with_charts()
    {
        var seed = Path.Combine(_folder, "seed");
        await RunAsync("seed", "--people", "200", "--batch-rows", "50", "--batches-at-once", "8", "--report", seed);
        var seeded = AssertReport(seed, "throughput.png", "latency.png");
        Assert.Contains(seeded.GetProperty("invariants").EnumerateArray(), static invariant =>
            invariant.GetProperty("name").GetString()!.Contains("registration is in the read model", StringComparison.Ordinal)
            && invariant.GetProperty("detail").GetString() == "all 200 found");

        var keyFile = Path.Combine(_folder, "signing-key");
        await File.WriteAllTextAsync(keyFile, api.Auth.SigningKey!);
        var migration = Path.Combine(_folder, "mass-migration");
        await RunAsync("mass-migration", "--moves", "20", "--window", "60", "--cards", "2", "--reads-per-second", "5", "--verifications-per-second", "5",
            "--signing-key-file", keyFile, "--token-issuer", api.Auth.Issuer!, "--token-audience", api.Auth.Audience!, "--report", migration);
        var migrated = AssertReport(migration, "throughput.png", "latency.png", "flows.png");
        Assert.Equal(20, migrated.GetProperty("flows").EnumerateArray().Sum(static flow => flow.GetProperty("people").GetInt64()));
        Assert.Contains(migrated.GetProperty("comparisons").EnumerateArray(), static comparison => comparison.GetProperty("name").GetString() == "ratio registry ÷ plain");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The report's files exist, the Markdown embeds each chart, and the JSON says the run passed; returns the JSON.</summary>
    internal static JsonElement AssertReport(string folder, params string[] charts)
    {
        var markdown = File.ReadAllText(Path.Combine(folder, "report.md"));
        foreach (var chart in charts)
        {
            Assert.True(new FileInfo(Path.Combine(folder, chart)).Length > 1000, $"{chart} is missing or empty");
            Assert.Contains($"]({chart})", markdown, StringComparison.Ordinal);
        }

        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json"))).RootElement.Clone();
        Assert.True(report.GetProperty("passed").GetBoolean(), markdown);
        Assert.All(report.GetProperty("invariants").EnumerateArray(), static invariant => Assert.True(invariant.GetProperty("passed").GetBoolean(), invariant.ToString()));
        return report;
    }

    /// <summary>Runs the load generator with <paramref name="arguments"/> against this suite's API and database, and asserts exit code 0.</summary>
    private Task RunAsync(params string[] arguments) => RunAsync(api, _folder, arguments);

    /// <summary>Runs the load generator with <paramref name="arguments"/> against <paramref name="api"/>'s API and database, in <paramref name="folder"/>, and asserts exit code 0.</summary>
    internal static async Task RunAsync(ApiFixture api, string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(LoadGenerator());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Everything named, so that nothing is taken from a local cluster's files (.local/run) or the environment.
        foreach (var argument in new[]
        {
            "--api", api.Http.BaseAddress!.ToString(), "--token", api.Tokens.Issue(TestActors.Administrator, TimeSpan.FromHours(1)),
            "--connection", api.ConnectionString, "--pids", "test-host=" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            "--concurrency", "4", "--check-within", "60", "--seed", "11",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(CommandBound);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"{arguments[0]} exited with {process.ExitCode}:\n{await output}\n{await errors}");
    }

    /// <summary>The load generator built beside this test assembly, in the same configuration.</summary>
    private static string LoadGenerator()
    {
        // bin/<configuration>/<framework>/ of this assembly.
        var configuration = Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)))!;
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var dll = Path.Combine(folder.FullName, "load-tests", "Registry.LoadTests", "bin", configuration, "net10.0", "Registry.LoadTests.dll");
            if (File.Exists(dll))
            {
                return dll;
            }
        }

        throw new FileNotFoundException("Registry.LoadTests.dll is not built beside the tests.");
    }
}

/// <summary>The planner scenarios: a cluster and database of their own, since seeding and moving people changes every province's counts.</summary>
[CollectionDefinition(Name)]
public sealed class PlannerScenariosCollectionDefinition : ICollectionFixture<ApiFixture>
{
    /// <summary>Name to put in <see cref="CollectionAttribute"/>.</summary>
    public const string Name = "Planner scenarios";
}
