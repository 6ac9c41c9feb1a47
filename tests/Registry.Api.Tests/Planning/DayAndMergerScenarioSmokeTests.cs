using Registry.Api.Tests.Hosting;
using Xunit;

namespace Registry.Api.Tests.Planning;

/// <summary>
/// The planners' scenarios daily-batches, read-mix and merger at tiny sizes, run as their users run them (one command each)
/// against a cluster of their own: the merger changes the provinces for good, so it must not share a database with the
/// scenarios that draw among the 63 provinces of 2024.
/// </summary>
[Collection(DayAndMergerScenariosCollectionDefinition.Name)]
public sealed class DayAndMergerScenarioSmokeTests(ApiFixture api) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("planner-scenarios-").FullName;

    /// <summary>
    /// Every province's day file at once, then reads by number, search and the three ways of presenting a card, then the
    /// 2025 merger while people move and register (last: after it the absorbed provinces take no more files or moves);
    /// each leaves a passing report with its charts.
    /// </summary>
    [Fact]
    public async Task Daily_batches_read_mix_and_merger_at_tiny_sizes_pass_their_checks_and_write_reports_with_charts()
    {
        var batches = Path.Combine(_folder, "daily-batches");
        await PlannerScenarioSmokeTests.RunAsync(api, _folder, "daily-batches", "--rows", "300", "--report", batches);
        var day = PlannerScenarioSmokeTests.AssertReport(batches, "throughput.png", "latency.png");
        Assert.Contains(day.GetProperty("invariants").EnumerateArray(), static invariant =>
            invariant.GetProperty("name").GetString()!.Contains("registration is in the read model", StringComparison.Ordinal)
            && invariant.GetProperty("detail").GetString()!.StartsWith("all ", StringComparison.Ordinal));

        var keyFile = Path.Combine(_folder, "signing-key");
        await File.WriteAllTextAsync(keyFile, api.Auth.SigningKey!);
        var reads = Path.Combine(_folder, "read-mix");
        await PlannerScenarioSmokeTests.RunAsync(api, _folder, "read-mix", "--duration", "5", "--cards", "2", "--mix", "lookup=2,search=2,number=1,mrz=1,qr=1",
            "--signing-key-file", keyFile, "--token-issuer", api.Auth.Issuer!, "--token-audience", api.Auth.Audience!, "--report", reads);
        var mixed = PlannerScenarioSmokeTests.AssertReport(reads, "throughput.png", "latency.png");
        var operations = mixed.GetProperty("operations").EnumerateArray().Select(static operation => operation.GetProperty("name").GetString()).ToArray();
        Assert.Subset(operations.ToHashSet(), new HashSet<string?> { "lookup", "search", "verify by number", "verify by MRZ", "verify by QR" });

        var merger = Path.Combine(_folder, "merger");
        await PlannerScenarioSmokeTests.RunAsync(api, _folder, "merger", "--duration", "5", "--merger-at", "1", "--registrations-per-second", "2", "--report", merger);
        var merged = PlannerScenarioSmokeTests.AssertReport(merger, "throughput.png", "latency.png");
        Assert.Contains(merged.GetProperty("invariants").EnumerateArray(), static invariant =>
            invariant.GetProperty("name").GetString()!.StartsWith("the absorbed provinces hold nobody", StringComparison.Ordinal));
        Assert.Contains(merged.GetProperty("events").EnumerateArray(), static marked => marked.GetProperty("label").GetString() == "merger completed");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

/// <summary>A cluster and database of their own for the merger and the scenarios before it.</summary>
[CollectionDefinition(Name)]
public sealed class DayAndMergerScenariosCollectionDefinition : ICollectionFixture<ApiFixture>
{
    /// <summary>Name to put in <see cref="CollectionAttribute"/>.</summary>
    public const string Name = "Planner scenarios: the day and the merger";
}
