using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Registry.Grains.Residents;

namespace Registry.TestSupport;

/// <summary>
/// The clock proposals expire by in test silos: the system's, moved forward by <see cref="Offset"/>, so that a test puts a
/// proposal past its expiry without waiting and without moving any other grain's today. Each silo has its own; move them
/// all with <see cref="MoveAll"/>.
/// </summary>
public sealed class ProposalClock : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far ahead of the system's clock this one is.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>Puts every silo's proposal clock <paramref name="offset"/> ahead; dispose the answer to put them back.</summary>
    public static IDisposable MoveAll(TestCluster cluster, TimeSpan offset)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var clocks = cluster.Silos
            .Select(silo => (ProposalClock)cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredKeyedService<TimeProvider>(ProposalGrain.ClockKey))
            .ToArray();
        foreach (var clock in clocks)
        {
            Interlocked.Exchange(ref clock._offsetTicks, offset.Ticks);
        }

        return new Restore(clocks);
    }

    private sealed class Restore(ProposalClock[] clocks) : IDisposable
    {
        public void Dispose()
        {
            foreach (var clock in clocks)
            {
                Interlocked.Exchange(ref clock._offsetTicks, 0);
            }
        }
    }
}
