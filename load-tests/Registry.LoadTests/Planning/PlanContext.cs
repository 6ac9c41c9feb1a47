using System.Diagnostics;
using Npgsql;
using Registry.LoadTests.Running;
using Registry.LoadTests.Scenarios;

namespace Registry.LoadTests.Planning;

/// <summary>What a planner scenario works with: the API and the database, and the run's records.</summary>
/// <param name="Api">The loopback API, with the administrator's bearer token and a stated purpose.</param>
/// <param name="Database">The registry's loopback PostgreSQL: the read model to choose people from, and the plain baseline's tables.</param>
/// <param name="RunId">Unique per run; prefixes idempotency keys and batch ids.</param>
/// <param name="Concurrency">Requests in flight at once for the main traffic.</param>
/// <param name="Seed">Seed of everything drawn at random.</param>
/// <param name="Cancellation">The run's cancellation (Ctrl+C).</param>
internal sealed record PlanContext(HttpClient Api, NpgsqlDataSource Database, string RunId, int Concurrency, int Seed, CancellationToken Cancellation)
{
    public required OperationLog Operations { get; init; }

    public required RunTimeline Timeline { get; init; }

    public FlowTable Flows { get; } = new();

    public AcknowledgedWrites Acknowledged { get; } = new();

    /// <summary>Performs one operation and records it under <paramref name="operation"/>; whatever it throws is counted as "no answer" of its kind.</summary>
    public async Task<RequestOutcome> TimeAsync(string operation, Func<CancellationToken, Task<RequestOutcome>> perform)
    {
        var started = Stopwatch.GetTimestamp();
        RequestOutcome outcome;
        try
        {
            outcome = await perform(Cancellation);
        }
        catch (Exception exception) when (TransportFailure.TryClassify(exception, Cancellation, out var failure))
        {
            outcome = failure;
        }

        Operations.Record(operation, started, Stopwatch.GetTimestamp(), outcome);
        return outcome;
    }

    /// <summary>A random source for <paramref name="stream"/>, reproducible from the seed.</summary>
    public Random RandomFor(int stream) => new(unchecked((Seed * 31) + stream));
}
