using System.Text;
using Registry.Contracts.Access;
using Registry.Grains.Residents;
using Registry.Silo.Storage;

namespace Registry.Unit.Tests.Storage;

/// <summary>A person's lock is stored with their state as plain JSON, and a state stored before locks existed reads as never locked.</summary>
public sealed class RecordLockStorageTests
{
    private static readonly JsonGrainStateSerializer Serializer = new();

    /// <summary>An open window round-trips with its end and the instant it was set, its state as a word.</summary>
    [Fact]
    public void A_lock_round_trips_with_the_citizen_state()
    {
        var set = new DateTimeOffset(2026, 11, 28, 4, 0, 0, TimeSpan.Zero);
        var state = new CitizenState { Version = 2, Lock = new RecordLock(RecordLockState.Open, set.AddHours(3), set) };

        var bytes = Serializer.Serialize(state);
        var back = Serializer.Deserialize<CitizenState>(bytes);

        Assert.Equal(state.Lock, back.Lock);
        Assert.Contains("\"lock\":{\"state\":\"open\"", Encoding.UTF8.GetString(bytes.ToArray()), StringComparison.Ordinal);
    }

    /// <summary>A state stored before locks existed has no lock member: its person never locked their record.</summary>
    [Fact]
    public void A_state_stored_before_locks_reads_as_never_locked() =>
        Assert.Equal(RecordLock.Never, Serializer.Deserialize<CitizenState>(new BinaryData(Encoding.UTF8.GetBytes("""{"version":1}"""))).Lock);
}
