using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Registry.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Registry.Api.Tests.Hosting;

/// <summary>
/// The OpenAPI document the API serves passes a standard linter (Redocly CLI, recommended rules) with no error. The
/// linter is pinned in <c>cluster-config/tools/openapi-lint</c> and installed there by <c>cluster-config/test.sh</c>;
/// it runs offline: telemetry and update notices are off, and a guard loaded before it refuses and reports any
/// connection off the machine.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class OpenApiLintTests(ApiFixture api, ITestOutputHelper output)
{
    private const string GuardMarker = "offline-guard: refused";

    private static readonly TimeSpan LintTimeout = TimeSpan.FromMinutes(2);

    private static string Tools => Path.Combine(SiloProcess.RepositoryRoot(), "cluster-config", "tools", "openapi-lint");

    /// <summary>The served document has 0 lint errors, and the linter tried no connection off the machine.</summary>
    [Fact]
    public async Task The_OpenAPI_document_passes_the_linter_without_errors()
    {
        using var response = await api.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = Path.Combine(Path.GetTempPath(), $"registry-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(document, await response.Content.ReadAsStringAsync());
        try
        {
            var cli = Path.Combine(Tools, "node_modules", "@redocly", "cli", "bin", "cli.js");
            Assert.True(File.Exists(cli), $"{cli} is missing: run `npm ci` in {Tools} (cluster-config/test.sh does).");

            var (exitCode, stdout, stderr) = await NodeAsync(cli, "lint", document, "--format=json", "--config", Path.Combine(Tools, "redocly.yaml"));

            var totals = ParseTotals(stdout);
            if (totals is not { Errors: 0 } || stderr.Contains(GuardMarker, StringComparison.Ordinal))
            {
                output.WriteLine($"redocly lint exited {exitCode}");
                output.WriteLine(stdout);
                output.WriteLine(stderr);
            }

            Assert.DoesNotContain(GuardMarker, stderr, StringComparison.Ordinal);
            var found = totals is null ? "redocly lint gave no JSON report" : $"redocly lint found {totals.Errors} errors";
            Assert.True(totals is { Errors: 0 }, $"{found} (exit {exitCode}): {Problems(stdout)}\n{stderr}");
            Assert.Equal(0, exitCode);
            output.WriteLine($"{totals!.Warnings} warnings: {Problems(stdout)}");
        }
        finally
        {
            File.Delete(document);
        }
    }

    /// <summary>The guard the linter runs under does catch a connection off the machine (to a documentation-only address, RFC 5737).</summary>
    [Fact]
    public async Task The_offline_guard_reports_a_connection_off_the_machine()
    {
        var (_, _, stderr) = await NodeAsync("-e", "require('node:net').connect(9, '192.0.2.1').on('error', () => {})");

        Assert.Contains($"{GuardMarker} a connection to 192.0.2.1:9", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> NodeAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Tools, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--require");
        start.ArgumentList.Add(Path.Combine(Tools, "offline.cjs"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Redocly sends usage data and looks for a newer version unless told not to; the guard proves it obeyed.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment.Remove("NODE_OPTIONS");
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(LintTimeout);
        await node.WaitForExitAsync(timeout.Token);
        return (node.ExitCode, await stdout, await stderr);
    }

    private static LintTotals? ParseTotals(string stdout)
    {
        try
        {
            var totals = JsonDocument.Parse(stdout).RootElement.GetProperty("totals");
            return new LintTotals(totals.GetProperty("errors").GetInt32(), totals.GetProperty("warnings").GetInt32());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // One line per problem: severity, rule, where, and what.
    private static string Problems(string stdout)
    {
        try
        {
            return string.Concat(JsonDocument.Parse(stdout).RootElement.GetProperty("problems").EnumerateArray().Select(problem =>
                $"\n{problem.GetProperty("severity").GetString()} {problem.GetProperty("ruleId").GetString()} " +
                $"{problem.GetProperty("location")[0].GetProperty("pointer").GetString()}: {problem.GetProperty("message").GetString()}"));
        }
        catch (JsonException)
        {
            return stdout;
        }
    }

    private sealed record LintTotals(int Errors, int Warnings);
}
