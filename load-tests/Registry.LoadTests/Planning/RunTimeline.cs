using System.Collections.Concurrent;
using System.Diagnostics;

namespace Registry.LoadTests.Planning;

/// <summary>A moment of the run worth seeing on its charts: a phase begun, a fault injected, a silo added.</summary>
/// <param name="Second">Seconds from the start of the run.</param>
/// <param name="Label">What happened.</param>
internal sealed record MarkedEvent(double Second, string Label);

/// <summary>The run's marked events, in the order they happened; anyone may mark one at any time.</summary>
internal sealed class RunTimeline(long origin)
{
    private readonly ConcurrentQueue<MarkedEvent> events = new();

    /// <summary>Marks <paramref name="label"/> now.</summary>
    public void Mark(string label) => events.Enqueue(new MarkedEvent(Stopwatch.GetElapsedTime(origin).TotalSeconds, label));

    public IReadOnlyList<MarkedEvent> Events => [.. events.OrderBy(static marked => marked.Second)];
}
