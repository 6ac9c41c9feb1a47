using System.Collections.Concurrent;

namespace Registry.LoadTests.Planning;

/// <summary>One cell of the origin–destination table: people moved from one province to another.</summary>
internal sealed record Flow(string From, string To, long People);

/// <summary>
/// Acknowledged moves counted by origin and destination province: what a planner reads as "who went where". Only
/// moves the registry acknowledged count, so the table agrees with what the invariant check looks for.
/// </summary>
internal sealed class FlowTable
{
    private readonly ConcurrentDictionary<(string From, string To), long> cells = new();

    public void Count(string from, string to, long people = 1) => cells.AddOrUpdate((from, to), people, (_, count) => count + people);

    /// <summary>Every pair with at least one person, the largest first.</summary>
    public IReadOnlyList<Flow> Flows =>
        [.. cells.Select(static cell => new Flow(cell.Key.From, cell.Key.To, cell.Value))
            .OrderByDescending(static flow => flow.People).ThenBy(static flow => flow.From, StringComparer.Ordinal).ThenBy(static flow => flow.To, StringComparer.Ordinal)];
}
