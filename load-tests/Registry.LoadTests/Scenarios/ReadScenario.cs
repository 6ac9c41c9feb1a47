using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// Read load: registers a pool of people once (set-up, not measured), then every request reads a random
/// one of them. A small pool keeps the Citizen grains hot, so this measures the read path through the
/// API and the cluster rather than PostgreSQL.
/// </summary>
internal sealed class ReadScenario(int poolSize) : ILoadScenario<ReadScenario.Worker>
{
    public const string ScenarioName = "read";

    public const string ScenarioDescription =
        "Registers a pool of people first (not measured), then each request reads a random one (GET /residents/{id}).";

    public const int DefaultPoolSize = 200;

    private readonly Lock gate = new();
    private IReadOnlyList<string> pool = [];
    private int setUpFailures;
    private RequestOutcome? firstSetUpFailure;

    public string Name => ScenarioName;

    public string Description => ScenarioDescription;

    public static Command CreateCommand()
    {
        var poolSizeOption = new Option<int>("--pool-size")
        {
            Description = "People registered before the run and read during it.",
            DefaultValueFactory = static _ => DefaultPoolSize,
        };
        ScenarioCommand.MustBeWithin(poolSizeOption, 1, 100_000);

        return ScenarioCommand.Create(
            new ApiTarget(), ScenarioName, ScenarioDescription, parse => new ReadScenario(parse.GetValue(poolSizeOption)), poolSizeOption);
    }

    public async ValueTask SetUpAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        // Stop early when the API clearly cannot register (closed port, every request rejected): the
        // message then shows the first failure instead of repeating it a few hundred times.
        var giveUpAfter = Math.Max(5, poolSize / 10);
        var registered = new ConcurrentBag<string>();
        var keys = new IdempotencyKeys(context.RunId, "pool");
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var options = new ParallelOptions { MaxDegreeOfParallelism = context.Concurrency, CancellationToken = giveUp.Token };

        try
        {
            // A load generator process, not a grain: Parallel.ForEachAsync is the plain way to bound set-up parallelism.
            await Parallel.ForEachAsync(Enumerable.Range(0, poolSize), options, async (index, token) =>
            {
                var people = new ResidentGenerator(context.RandomFor(-1 - index), ResidentGenerator.Yesterday());
                RequestOutcome outcome;
                try
                {
                    var registration = await ResidentsApi.RegisterAsync(context.Http, people.Next(), keys.Next(), token);
                    if (registration.PersonalIdNumber is { } id)
                    {
                        registered.Add(id);
                        return;
                    }

                    outcome = registration.Outcome;
                }
                catch (Exception exception) when (TransportFailure.TryClassify(exception, token, out var failure))
                {
                    outcome = failure;
                }

                lock (gate)
                {
                    firstSetUpFailure ??= outcome;
                }

                if (Interlocked.Increment(ref setUpFailures) >= giveUpAfter)
                {
                    await giveUp.CancelAsync();
                }
            });
        }
        catch (OperationCanceledException) when (giveUp.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Gave up; reported below.
        }

        if (setUpFailures >= giveUpAfter || registered.IsEmpty)
        {
            var first = firstSetUpFailure is { } f ? $"{f.Label}{(f.Detail is null ? "" : ": " + f.Detail)}" : "none recorded";
            throw new ScenarioSetUpException(string.Create(
                CultureInfo.InvariantCulture,
                $"Could not register the read pool: {setUpFailures} registrations failed, {registered.Count} succeeded (gave up after {giveUpAfter} failures). First failure: {first}"));
        }

        pool = [.. registered];
    }

    public ValueTask<Worker> CreateWorkerAsync(ScenarioContext context, int workerIndex, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new Worker(context.Http, context.RandomFor(workerIndex), pool));

    public ValueTask<RequestOutcome> IssueOneAsync(Worker worker, CancellationToken cancellationToken) =>
        ResidentsApi.GetAsync(worker.Http, worker.Pool[worker.Random.Next(worker.Pool.Count)], cancellationToken);

    public IEnumerable<KeyValuePair<string, string>> DescribeParameters() =>
    [
        new("pool", string.Create(
            CultureInfo.InvariantCulture,
            $"{poolSize:N0} requested, {pool.Count:N0} registered during set-up, {setUpFailures:N0} failed")),
        new("read choice", "uniform over the pool"),
        new("success", "200 whose personalIdNumber is the one asked for"),
    ];

    /// <summary>One worker's random source and the shared, read-only pool.</summary>
    internal sealed record Worker(HttpClient Http, Random Random, IReadOnlyList<string> Pool);
}
