using System.Globalization;

namespace Registry.LoadTests.Scenarios;

/// <summary>
/// Fresh idempotency keys: <c>{runId}-{stream}-{sequence}</c>. The run id makes keys unique across runs
/// (a repeated key would be answered from the first request's result, invariant 3, and measure nothing);
/// the stream (worker or set-up) keeps them readable in the API's logs. Well under the 100-character limit.
/// </summary>
internal sealed class IdempotencyKeys
{
    private readonly string prefix;
    private long sequence;

    public IdempotencyKeys(string runId, string stream)
    {
        prefix = runId + "-" + stream + "-";

        // Keys must be printable ASCII of at most 100 characters; leave room for a long sequence number.
        if (prefix.Length > 80 || !prefix.All(static c => c is >= '!' and <= '~'))
        {
            throw new ArgumentException($"'{prefix}' cannot prefix an idempotency key.", nameof(runId));
        }
    }

    /// <summary>The next key; safe to call from several tasks.</summary>
    public string Next() =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}{Interlocked.Increment(ref sequence)}");
}
