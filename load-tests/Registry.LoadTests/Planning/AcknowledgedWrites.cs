using System.Collections.Concurrent;

namespace Registry.LoadTests.Planning;

/// <summary>
/// Every write the registry acknowledged during the run, so the check at the end can look for each of them (a write
/// acknowledged to a caller is never lost): the people registered, and where each person moved was last acknowledged.
/// </summary>
internal sealed class AcknowledgedWrites
{
    private readonly ConcurrentQueue<string> registered = new();
    private readonly ConcurrentDictionary<string, string> movedTo = new(StringComparer.Ordinal);

    public void Registered(string personalIdNumber) => registered.Enqueue(personalIdNumber);

    public void Moved(string personalIdNumber, string province) => movedTo[personalIdNumber] = province;

    public IReadOnlyCollection<string> Registrations => registered;

    public IReadOnlyDictionary<string, string> Moves => movedTo;
}
