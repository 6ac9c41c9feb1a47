using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Registry.Database.Residents;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// The projection that feeds the read model, as a silo runs it: one <see cref="ResidentProjection"/>, and every
/// request is one <c>ProjectAsync</c> call that completes when its snapshot is committed. Concurrent workers are
/// the grains of one silo; their snapshots share transactions (group commit), which the report counts.
/// </summary>
internal sealed class ProjectScenario : ILoadScenario<ProjectScenario.Worker>, IAsyncDisposable
{
    public const string ScenarioName = "project";

    public const string ScenarioDescription =
        "Each request projects one citizen snapshot into registry.resident through ResidentProjection.ProjectAsync (group commit, upsert by event id) and waits for its commit; mostly new people, some a later version of a person the worker projected before.";

    private const string NewPerson = "new person (version 1)";
    private const string NextVersion = "next version (a move)";

    /// <summary>Out of 10 requests, how many project a later version of someone already projected.</summary>
    private const int NextVersionsInTen = 2;

    /// <summary>People a worker remembers to send later versions of.</summary>
    private const int Remembered = 1_000;

    private ResidentProjection? projection;

    public string Name => ScenarioName;

    public string Description => ScenarioDescription;

    public static Command CreateCommand() =>
        ScenarioCommand.Create(new DatabaseTarget(), ScenarioName, ScenarioDescription, _ => new ProjectScenario());

    public ValueTask SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        projection = new ResidentProjection(context.Database, NullLogger<ResidentProjection>.Instance);
        return ValueTask.CompletedTask;
    }

    public ValueTask<Worker> CreateWorkerAsync(ScenarioContext context, int workerIndex, CancellationToken cancellationToken)
    {
        var random = context.RandomFor(workerIndex);
        // A stream of its own per run and worker, so workers (and the seed data) do not make the same numbers.
        return ValueTask.FromResult(new Worker(random, new SyntheticPeople(random, unchecked((context.Seed * 31) + workerIndex))));
    }

    public async ValueTask<RequestOutcome> IssueOneAsync(Worker worker, CancellationToken cancellationToken)
    {
        if (worker.Projected.Count > 0 && worker.Random.Next(10) < NextVersionsInTen)
        {
            var index = worker.Random.Next(worker.Projected.Count);
            var (person, version) = worker.Projected[index];
            var moved = person with
            {
                ResidenceProvince = ResidentGenerator.ProvinceCodes2024[worker.Random.Next(ResidentGenerator.ProvinceCodes2024.Count)],
                ChangedAt = DateTimeOffset.UtcNow,
            };
            await projection!.ProjectAsync(moved.ToSnapshot(version + 1), cancellationToken);
            worker.Projected[index] = (moved, version + 1);
            return RequestOutcome.Success(NextVersion);
        }

        var born = worker.People.Next() with { ChangedAt = DateTimeOffset.UtcNow };
        await projection!.ProjectAsync(born.ToSnapshot(1), cancellationToken);
        if (worker.Projected.Count < Remembered)
        {
            worker.Projected.Add((born, 1));
        }
        else
        {
            worker.Projected[worker.Random.Next(Remembered)] = (born, 1);
        }

        return RequestOutcome.Success(NewPerson);
    }

    public IEnumerable<KeyValuePair<string, string>> DescribeParameters()
    {
        var statistics = projection?.Statistics ?? default;
        return
        [
            new("request mix", $"{(10 - NextVersionsInTen) * 10} % new people, {NextVersionsInTen * 10} % a later version of one of the worker's last {Remembered:N0} (a move to another province)"),
            new("projection", string.Create(CultureInfo.InvariantCulture,
                $"{statistics.Snapshots:N0} snapshots committed in {statistics.Transactions:N0} transactions ({(statistics.Transactions == 0 ? 0 : (double)statistics.Snapshots / statistics.Transactions):N1} a transaction, largest {statistics.LargestBatch:N0}, bound {ResidentProjection.MaxBatchSize}); {statistics.FailedTransactions:N0} failed; warm-up included")),
            new("success", "ProjectAsync completed: the snapshot's transaction committed"),
        ];
    }

    public async ValueTask DisposeAsync()
    {
        if (projection is not null)
        {
            await projection.DisposeAsync();
        }
    }

    /// <summary>One worker's random source, the people it makes up, and those it projected with their version.</summary>
    internal sealed record Worker(Random Random, SyntheticPeople People)
    {
        public List<(SyntheticPerson Person, long Version)> Projected { get; } = [];
    }
}
