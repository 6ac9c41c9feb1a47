using Orleans.Storage;
using Registry.Grains;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Persistence;

/// <summary>A cluster of its own for the grain storage tests.</summary>
public sealed class StorageClusterFixture : RegistryClusterFixture;

/// <summary>
/// Grain state goes through the silo's real ADO.NET storage provider into our PostgreSQL queries: stored as
/// readable JSON, and a concurrent writer is refused rather than silently overwriting the other.
/// </summary>
public sealed class GrainStorageTests(StorageClusterFixture fixture) : IClassFixture<StorageClusterFixture>
{
    private const string StateName = "storageProbe";

    private readonly IGrainStorage _storage = fixture.SiloService<IGrainStorage>(RegistryStorage.Name);

    /// <summary>A state written is read back equal, and the stored bytes are JSON naming no CLR type.</summary>
    [Fact]
    public async Task State_round_trips_as_json_without_type_names()
    {
        var grain = NewGrainId();
        var written = new GrainState<ProbeState>(new ProbeState("Nguyễn Thị Ánh", 3));
        await _storage.WriteStateAsync(StateName, grain, written);

        var read = new GrainState<ProbeState>();
        await _storage.ReadStateAsync(StateName, grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.State, read.State);
        Assert.Equal(written.ETag, read.ETag);
        var json = await TestDatabase.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT convert_from(payloadbinary, 'UTF8') FROM orleansstorage WHERE graintypestring = $1 AND grainidextensionstring = $2",
            StateName, grain.Key.ToString()!);
        Assert.Equal("""{"name":"Nguyễn Thị Ánh","count":3}""", json);
    }

    /// <summary>Two writers that read the same version: the second write is a conflict and the first one's data stays.</summary>
    [Fact]
    public async Task A_write_from_a_stale_version_is_a_conflict_not_a_lost_update()
    {
        var grain = NewGrainId();
        await _storage.WriteStateAsync(StateName, grain, new GrainState<ProbeState>(new ProbeState("first", 1)));
        var readerA = new GrainState<ProbeState>();
        var readerB = new GrainState<ProbeState>();
        await _storage.ReadStateAsync(StateName, grain, readerA);
        await _storage.ReadStateAsync(StateName, grain, readerB);

        readerA.State = new ProbeState("A", 2);
        await _storage.WriteStateAsync(StateName, grain, readerA);
        readerB.State = new ProbeState("B", 2);
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, grain, readerB));

        var final = new GrainState<ProbeState>();
        await _storage.ReadStateAsync(StateName, grain, final);
        Assert.Equal(new ProbeState("A", 2), final.State);
    }

    /// <summary>Two first writes racing for a state never written: exactly one wins and exactly one row exists.</summary>
    [Fact]
    public async Task Racing_first_writes_leave_one_winner_and_one_row()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var grain = NewGrainId();
            var writes = Enumerable.Range(0, 4)
                .Select(i => _storage.WriteStateAsync(StateName, grain, new GrainState<ProbeState>(new ProbeState($"writer {i}", i))))
                .ToArray();

            var outcome = await Task.WhenAll(writes.Select(async write =>
            {
                try
                {
                    await write;
                    return true;
                }
                catch (InconsistentStateException)
                {
                    return false;
                }
            }));

            Assert.Equal(1, outcome.Count(won => won));
            Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(fixture.ConnectionString,
                "SELECT count(*) FROM orleansstorage WHERE graintypestring = $1 AND grainidextensionstring = $2",
                StateName, grain.Key.ToString()!));
        }
    }

    /// <summary>Clearing keeps counting versions, so a writer holding the version from before the clear is refused.</summary>
    [Fact]
    public async Task Clearing_a_state_refuses_writers_from_before_the_clear()
    {
        var grain = NewGrainId();
        var owner = new GrainState<ProbeState>(new ProbeState("kept", 1));
        await _storage.WriteStateAsync(StateName, grain, owner);
        var stale = new GrainState<ProbeState>();
        await _storage.ReadStateAsync(StateName, grain, stale);

        await _storage.ClearStateAsync(StateName, grain, owner);
        stale.State = new ProbeState("stale", 2);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, grain, stale));
        var read = new GrainState<ProbeState>();
        await _storage.ReadStateAsync(StateName, grain, read);
        Assert.False(read.RecordExists);
    }

    /// <summary>The same key under two state names is two rows: grain types never overwrite each other.</summary>
    [Fact]
    public async Task The_same_key_under_two_state_names_is_two_states()
    {
        var grain = NewGrainId();
        await _storage.WriteStateAsync(StateName, grain, new GrainState<ProbeState>(new ProbeState("one", 1)));
        await _storage.WriteStateAsync(StateName + "Other", grain, new GrainState<ProbeState>(new ProbeState("two", 2)));

        var one = new GrainState<ProbeState>();
        await _storage.ReadStateAsync(StateName, grain, one);
        Assert.Equal(new ProbeState("one", 1), one.State);
    }

    private static GrainId NewGrainId() => GrainId.Create("storageprobe", "probe-" + Guid.NewGuid().ToString("N"));

    /// <summary>State used only by these tests.</summary>
    public sealed record ProbeState(string Name, int Count)
    {
        /// <summary>Empty state.</summary>
        public ProbeState() : this("", 0)
        {
        }
    }
}
