using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// Allocator load: every request is one <c>IIdNumberAllocatorGrain.AllocateAsync</c> call on the allocator of a
/// random prefix among a fixed set chosen at set-up. Every number seen is kept, so a number handed out twice
/// (invariant: unique for life) shows as an error, and the report says how many distinct numbers were checked.
/// </summary>
internal sealed class AllocateScenario(int prefixCount) : ILoadScenario<AllocateScenario.Worker>
{
    public const string ScenarioName = "allocate";

    public const string ScenarioDescription =
        "Each request allocates one ID number (IIdNumberAllocatorGrain.AllocateAsync) from an Orleans cluster client, on a random prefix of a fixed set; no number may be seen twice.";

    public const int DefaultPrefixCount = 64;

    private const string DuplicateLabel = "duplicate ID number";

    private readonly ConcurrentDictionary<string, byte> seen = new(StringComparer.Ordinal);
    private IdNumberPrefix[] prefixes = [];
    private long duplicates;

    public string Name => ScenarioName;

    public string Description => ScenarioDescription;

    public static Command CreateCommand()
    {
        var prefixesOption = new Option<int>("--prefixes")
        {
            Description = "Distinct prefixes (province × sex × birth year) drawn at set-up; each request picks one at random.",
            DefaultValueFactory = static _ => DefaultPrefixCount,
        };
        ScenarioCommand.MustBeWithin(prefixesOption, 1, 10_000);

        return ScenarioCommand.Create(
            new ClusterTarget(), ScenarioName, ScenarioDescription, parse => new AllocateScenario(parse.GetValue(prefixesOption)), prefixesOption);
    }

    /// <summary>Draws the prefixes: one of the 63 provinces of 2024, a sex, a birth year from 1900 to this year.</summary>
    public ValueTask SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var random = context.RandomFor(-1);
        var lastYear = ResidentGenerator.Yesterday().Year;
        var chosen = new Dictionary<string, IdNumberPrefix>(StringComparer.Ordinal);
        while (chosen.Count < prefixCount)
        {
            var province = ResidentGenerator.ProvinceCodes2024[random.Next(ResidentGenerator.ProvinceCodes2024.Count)];
            var sex = random.Next(2) == 1 ? Sex.Female : Sex.Male;
            var year = random.Next(ResidentGenerator.EarliestBirthDate.Year, lastYear + 1);
            var prefix = IdNumberPrefix.For(province, sex, new DateOnly(year, 1, 1));
            chosen.TryAdd(prefix.Value, prefix);
        }

        prefixes = [.. chosen.Values];
        return ValueTask.CompletedTask;
    }

    public ValueTask<Worker> CreateWorkerAsync(ScenarioContext context, int workerIndex, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new Worker(context.Grains, context.RandomFor(workerIndex)));

    public async ValueTask<RequestOutcome> IssueOneAsync(Worker worker, CancellationToken cancellationToken)
    {
        var prefix = prefixes[worker.Random.Next(prefixes.Length)];
        string id;
        try
        {
            // Orleans calls take no token; the client's response timeout (--timeout) bounds them.
            id = (await worker.Grains.IdNumberAllocator(prefix).AllocateAsync()).Value;
        }
        catch (IdNumberPrefixExhaustedException exception)
        {
            return RequestOutcome.ContractBreach("prefix exhausted", exception.Message);
        }

        if (!PersonalIdNumber.IsWellFormed(id) || !id.StartsWith(prefix.Value, StringComparison.Ordinal))
        {
            return RequestOutcome.ContractBreach("ID number of another prefix or malformed", $"{id}, asked for prefix {prefix.Value}");
        }

        if (!seen.TryAdd(id, 0))
        {
            Interlocked.Increment(ref duplicates);
            return RequestOutcome.ContractBreach(DuplicateLabel, id);
        }

        return RequestOutcome.Success("allocated");
    }

    public IEnumerable<KeyValuePair<string, string>> DescribeParameters() =>
    [
        new("prefixes", string.Create(
            CultureInfo.InvariantCulture,
            $"{prefixes.Length:N0} drawn at set-up from 63 provinces × 2 sexes × birth years 1900..{ResidentGenerator.Yesterday().Year}; uniform choice per request")),
        new("uniqueness check", Interlocked.Read(ref duplicates) == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{seen.Count:N0} numbers allocated (warm-up included), all distinct")
            : string.Create(CultureInfo.InvariantCulture, $"**{Interlocked.Read(ref duplicates):N0} numbers seen twice** among {seen.Count:N0} distinct (warm-up included; each counted as '{DuplicateLabel}')")),
        new("success", "a 12-digit number under the prefix asked for, never seen before in the run"),
    ];

    /// <summary>One worker's random source and the cluster client.</summary>
    internal sealed record Worker(IGrainFactory Grains, Random Random);
}
