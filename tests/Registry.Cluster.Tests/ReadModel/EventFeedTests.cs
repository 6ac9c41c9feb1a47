using Microsoft.Extensions.Logging.Abstractions;
using Registry.Contracts.Events;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Database.Events;
using Registry.Database.Provinces;

namespace Registry.Cluster.Tests.ReadModel;

/// <summary>
/// The event feed on a real PostgreSQL: a move between provinces is two ledger rows that the ledger writes with one move
/// id, and the feed reads them as one event identified by it.
/// </summary>
public sealed class EventFeedTests(ReadModelDatabase database) : IClassFixture<ReadModelDatabase>, IAsyncLifetime
{
    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await using var command = database.DataSource.CreateCommand("TRUNCATE registry.province_resident_change");
        await command.ExecuteNonQueryAsync();
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// A relocation's halves are one event with their move id, from the province left to the one entered; so are the
    /// halves of a count a citizen stored before move ids existed, by the move its operation ids name.
    /// </summary>
    [Fact]
    public async Task A_move_recorded_by_the_ledger_is_one_event_with_its_move_id()
    {
        var moved = Number("014190000008");
        var movedEarlier = Number("012190000009");
        await using (var ledger = new ProvinceLedger(database.DataSource, NullLogger<ProvinceLedger>.Instance))
        {
            var move = $"relocation:{moved}:key-1";
            Assert.True(await ledger.TryRecordAsync("014", 0, new ResidentCountChange($"{move}:departure", moved, -1, ResidentCountReason.Departure, move)));
            Assert.True(await ledger.TryRecordAsync("011", 0, new ResidentCountChange($"{move}:arrival", moved, +1, ResidentCountReason.Arrival, move)));
            // Stored before migration 0016: no move id; its key has colons, as a batch row's has.
            var earlier = $"relocation:{movedEarlier}:batch:b-7:12";
            Assert.True(await ledger.TryRecordAsync("012", 0, new ResidentCountChange($"{earlier}:departure", movedEarlier, -1, ResidentCountReason.Departure)));
            Assert.True(await ledger.TryRecordAsync("015", 0, new ResidentCountChange($"{earlier}:arrival", movedEarlier, +1, ResidentCountReason.Arrival)));
        }

        // The feed leaves rows younger than a second for its next read; these are settled.
        await using (var settle = database.DataSource.CreateCommand(
            "UPDATE registry.province_resident_change SET recorded_at = recorded_at - interval '1 minute'"))
        {
            await settle.ExecuteNonQueryAsync();
        }

        var (events, _) = await new EventFeed(database.DataSource).ReadAsync(0, 10);

        Assert.Equal(
            [($"relocation:{moved}:key-1", RegistryEventKind.Relocation, "014", "011"),
             ($"relocation:{movedEarlier}:batch:b-7:12", RegistryEventKind.Relocation, "012", "015")],
            events.Select(static read => (read.EventId, read.Kind, read.ProvinceCode, read.ToProvinceCode)));
    }

    private static PersonalIdNumber Number(string digits) =>
        PersonalIdNumber.TryParse(digits, out var number, out var error) ? number : throw new ArgumentException(error, nameof(digits));
}
