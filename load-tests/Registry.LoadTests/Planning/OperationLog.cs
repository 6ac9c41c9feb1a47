using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;
using Registry.LoadTests.Running;
using Registry.LoadTests.Scenarios;

namespace Registry.LoadTests.Planning;

/// <summary>
/// What every kind of operation of a planner run did: the latency of its successes (an HDR histogram), its successes and
/// failures in each second of the run, and its failures by kind with the first one's detail. Workers of several
/// operations record at once; each operation has its own lock, so a read and a relocation never wait on each other.
/// </summary>
internal sealed class OperationLog(long origin)
{
    /// <summary>An hour: a planner's operation can be a whole batch of thousands of rows, far beyond one request's minute.</summary>
    public const long HighestMicros = 3_600_000_000;

    private readonly ConcurrentDictionary<string, Operation> operations = new(StringComparer.Ordinal);

    /// <summary>The Stopwatch timestamp of second 0 of the run.</summary>
    public long Origin => origin;

    /// <summary>Seconds from the start of the run to <paramref name="timestamp"/>.</summary>
    public double SecondsAt(long timestamp) => Stopwatch.GetElapsedTime(origin, timestamp).TotalSeconds;

    /// <summary>Records one operation started at <paramref name="started"/> and ended at <paramref name="ended"/> (Stopwatch timestamps).</summary>
    public void Record(string operation, long started, long ended, RequestOutcome outcome) =>
        operations.GetOrAdd(operation, static name => new Operation(name)).Record(
            (int)Math.Max(0, SecondsAt(started)), (long)Stopwatch.GetElapsedTime(started, ended).TotalMicroseconds, outcome);

    /// <summary>
    /// Counts one operation at <paramref name="second"/> of the run without a latency: a batch row, whose result the
    /// registry time-stamps but whose own latency no caller sees.
    /// </summary>
    public void CountAt(string operation, double second, RequestOutcome outcome) =>
        operations.GetOrAdd(operation, static name => new Operation(name)).Record((int)Math.Max(0, second), null, outcome);

    /// <summary>Every operation seen, in the order of their names.</summary>
    public IReadOnlyList<OperationSummary> Summarise() =>
        [.. operations.Values.OrderBy(static operation => operation.Name, StringComparer.Ordinal).Select(static operation => operation.Summarise())];

    private sealed class Operation(string name)
    {
        private readonly Lock gate = new();
        private readonly LongHistogram latency = new(1, HighestMicros, 3);
        private readonly List<long> succeeded = [];
        private readonly List<long> failed = [];
        private readonly Dictionary<string, ErrorSummary> errors = new(StringComparer.Ordinal);

        public string Name => name;

        public void Record(int second, long? micros, RequestOutcome outcome)
        {
            lock (gate)
            {
                var series = outcome.Succeeded ? succeeded : failed;
                while (series.Count <= second)
                {
                    series.Add(0);
                }

                series[second]++;
                if (outcome.Succeeded)
                {
                    if (micros is { } measured)
                    {
                        latency.RecordValue(Math.Clamp(measured, 1, HighestMicros));
                    }
                }
                else
                {
                    errors[outcome.Label] = errors.TryGetValue(outcome.Label, out var known)
                        ? known with { Count = known.Count + 1 }
                        : new ErrorSummary(outcome.Label, outcome.Kind, 1, outcome.Detail);
                }
            }
        }

        private static LongHistogram Copy(LongHistogram histogram)
        {
            var copy = new LongHistogram(1, HighestMicros, 3);
            copy.Add(histogram);
            return copy;
        }

        public OperationSummary Summarise()
        {
            lock (gate)
            {
                var seconds = Math.Max(succeeded.Count, failed.Count);
                return new OperationSummary(
                    name,
                    Copy(latency),
                    [.. Enumerable.Range(0, seconds).Select(second => second < succeeded.Count ? succeeded[second] : 0)],
                    [.. Enumerable.Range(0, seconds).Select(second => second < failed.Count ? failed[second] : 0)],
                    [.. errors.Values.OrderByDescending(static error => error.Count)]);
            }
        }
    }
}

/// <summary>One operation over the run.</summary>
/// <param name="Name">The operation, e.g. <c>relocation</c>.</param>
/// <param name="Latency">Latency of its successes, in microseconds.</param>
/// <param name="SucceededBySecond">Successes started in each second of the run.</param>
/// <param name="FailedBySecond">Failures started in each second of the run.</param>
/// <param name="Errors">Failures by kind.</param>
internal sealed record OperationSummary(
    string Name, LongHistogram Latency, long[] SucceededBySecond, long[] FailedBySecond, IReadOnlyList<ErrorSummary> Errors)
{
    public long Succeeded => SucceededBySecond.Sum();

    public long Failed => FailedBySecond.Sum();

    /// <summary>Successes per second over the seconds from its first operation to its last.</summary>
    public double SucceededPerSecond
    {
        get
        {
            var first = Array.FindIndex(SucceededBySecond, static count => count > 0);
            var last = Array.FindLastIndex(SucceededBySecond, static count => count > 0);
            return first < 0 ? 0 : Succeeded / (double)(last - first + 1);
        }
    }
}
