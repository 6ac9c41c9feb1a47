namespace Registry.LoadTests.Running;

/// <summary>
/// Counts of one block of the measured window. Each worker fills its own (no locks on the hot path);
/// the runner adds them up at the end.
/// </summary>
internal sealed class BlockStats
{
    public long Requests { get; private set; }

    public long Failed { get; private set; }

    /// <summary>Sum of latencies of successful requests, for the block's mean.</summary>
    public long SucceededLatencyMicros { get; private set; }

    public long MaxLatencyMicros { get; private set; }

    /// <summary>Failures by outcome label (status code or transport failure).</summary>
    public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    public long Succeeded => Requests - Failed;

    public double MeanLatencyMicros => Succeeded == 0 ? 0 : (double)SucceededLatencyMicros / Succeeded;

    public void Record(bool succeeded, string label, long latencyMicros)
    {
        Requests++;
        MaxLatencyMicros = Math.Max(MaxLatencyMicros, latencyMicros);
        if (succeeded)
        {
            SucceededLatencyMicros += latencyMicros;
        }
        else
        {
            Failed++;
            Errors[label] = Errors.GetValueOrDefault(label) + 1;
        }
    }

    public void Add(BlockStats other)
    {
        Requests += other.Requests;
        Failed += other.Failed;
        SucceededLatencyMicros += other.SucceededLatencyMicros;
        MaxLatencyMicros = Math.Max(MaxLatencyMicros, other.MaxLatencyMicros);
        foreach (var (label, count) in other.Errors)
        {
            Errors[label] = Errors.GetValueOrDefault(label) + count;
        }
    }
}
