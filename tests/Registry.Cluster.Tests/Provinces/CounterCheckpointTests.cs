using System.Globalization;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Orleans.TestingHost;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Database.Provinces;
using Registry.Grains.Provinces;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Provinces;

/// <summary>A three-silo cluster whose counter shards checkpoint every few changes, so that tests cross many checkpoints.</summary>
public sealed class CounterCheckpointClusterFixture : RegistryClusterFixture
{
    /// <summary>Changes between a shard's checkpoints in this cluster.</summary>
    public const int CheckpointEvery = 5;

    /// <inheritdoc />
    protected override void Configure(TestClusterBuilder builder) =>
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{ProvinceCounterOptions.Section}:{nameof(ProvinceCounterOptions.CheckpointEvery)}"] = CheckpointEvery.ToString(CultureInfo.InvariantCulture),
        }));
}

/// <summary>
/// A counter shard activates from its latest checkpoint plus the ledger rows after it, and what it counts is always what
/// summing its whole ledger gives: with no checkpoint, across checkpoints written while changes are in flight, for an
/// operation repeated after a checkpoint, and after deactivation. Each province code is used by one test only.
/// </summary>
public sealed class CounterCheckpointTests(CounterCheckpointClusterFixture fixture) : IClassFixture<CounterCheckpointClusterFixture>
{
    private static readonly ResidentCountReason[] Reasons =
        [ResidentCountReason.Registration, ResidentCountReason.Birth, ResidentCountReason.Arrival, ResidentCountReason.Departure, ResidentCountReason.Death];

    private readonly IClusterClient _client = fixture.Client;

    /// <summary>
    /// Random changes sent to every shard of a province at once (so checkpoints are written while others' commits are in
    /// flight), some of them repeated: each shard's totals equal the changes it accepted and the full sum of its ledger,
    /// as counted in memory, as read from its checkpoint plus the rows after it, and after it is deactivated and read again.
    /// </summary>
    [Fact]
    public async Task Totals_from_checkpoints_and_the_rows_after_them_equal_the_full_sum()
    {
        const string province = "010";
        var random = new Random(14);
        var accepted = new List<ResidentCountChange>();
        var sent = new List<ResidentCountChange>();
        var tails = 0L;
        for (var round = 0; round < 4; round++)
        {
            var changes = Enumerable.Range(0, 120).Select(_ => random.Next(10) == 0 && sent.Count > 0 ? sent[random.Next(sent.Count)] : RandomChange(province, random)).ToArray();
            sent.AddRange(changes);
            var applied = await Task.WhenAll(changes.Select(change => _client.ProvinceCounter(province, change.PersonalIdNumber).ApplyAsync(change)));
            accepted.AddRange(changes.Where((_, i) => applied[i]));
            // Each operation is counted by exactly one of the calls that sent it, in this round or an earlier one.
            Assert.Equal(sent.Select(static change => change.OperationId).Distinct().Count(), accepted.Count);

            var ledger = fixture.SiloService<ProvinceLedger>();
            var stored = await Task.WhenAll(Enumerable.Range(0, IProvinceCounterGrain.Shards).Select(shard => ledger.ReadShardAsync(province, shard)));
            for (var shard = 0; shard < IProvinceCounterGrain.Shards; shard++)
            {
                var expected = Expected(accepted.Where(change => IProvinceCounterGrain.ShardOf(change.PersonalIdNumber) == shard));
                Assert.Equal(expected, await FullSumAsync(province, shard));
                Assert.Equal(expected, Normalised(await Shard(province, shard).GetTotalsAsync()));
                Assert.Equal(expected, Normalised(stored[shard].Totals));
            }

            tails += stored.Sum(static shard => shard.ChangesAfterCheckpoint);
            await DeactivateAllAsync();
            for (var shard = 0; shard < IProvinceCounterGrain.Shards; shard++)
            {
                Assert.Equal(await FullSumAsync(province, shard), Normalised(await Shard(province, shard).GetTotalsAsync()));
            }
        }

        // The case under test did happen: checkpoints were written, and rows were read after them.
        Assert.True(await CheckpointedChangesAsync(province) > 0, "no checkpoint was written");
        Assert.True(tails > 0, "no row was read after a checkpoint");
    }

    /// <summary>A shard that has rows but no checkpoint (one never activated since the rows were written) counts them all.</summary>
    [Fact]
    public async Task A_shard_without_a_checkpoint_counts_its_whole_ledger()
    {
        const string province = "011";
        const int shard = 3;
        var random = new Random(11);
        var changes = Enumerable.Range(0, 12).Select(_ => RandomChange(province, random, shard)).ToArray();
        await InsertStraightIntoLedgerAsync(province, shard, changes);
        Assert.Equal(0, await CheckpointedChangesAsync(province));

        var totals = Normalised(await Shard(province, shard).GetTotalsAsync());

        Assert.Equal(Expected(changes), totals);
        Assert.Equal(await FullSumAsync(province, shard), totals);
        // The twelve rows it found are more than a checkpoint's worth: its activation asked for one. (What it covers depends
        // on the write transactions of the whole server then running, other tests' among them.)
        await Eventually.TrueAsync(() => CheckpointExistsAsync(province, shard), Eventually.MinimumBound, "the activation checkpoints the long tail it read");
    }

    /// <summary>An operation sent again after a checkpoint covered its first recording is refused and counted once.</summary>
    [Fact]
    public async Task An_operation_repeated_after_a_checkpoint_is_counted_once()
    {
        const string province = "012";
        const int shard = 5;
        var random = new Random(12);
        var changes = Enumerable.Range(0, CounterCheckpointClusterFixture.CheckpointEvery).Select(_ => RandomChange(province, random, shard)).ToArray();
        foreach (var change in changes)
        {
            Assert.True(await Shard(province, shard).ApplyAsync(change));
        }

        await CheckpointUntilAsync(province, shard, changes.Length);

        Assert.False(await Shard(province, shard).ApplyAsync(changes[0]));
        await DeactivateAllAsync();
        Assert.False(await Shard(province, shard).ApplyAsync(changes[0]));

        Assert.Equal(Expected(changes), Normalised(await Shard(province, shard).GetTotalsAsync()));
        Assert.Equal(Expected(changes), await FullSumAsync(province, shard));
        Assert.Equal(changes.Length, await CheckpointedChangesAsync(province));
    }

    /// <summary>
    /// A checkpoint written while a ledger insert is still uncommitted leaves that row out, though a row begun later has
    /// committed already; each is counted once: the uncommitted one after its commit, in the tail and then in a later
    /// checkpoint, never in both and never lost.
    /// </summary>
    [Fact]
    public async Task A_checkpoint_written_while_an_insert_is_uncommitted_counts_every_row_once()
    {
        const string province = "015";
        const int shard = 2;
        var random = new Random(13);
        var ledger = fixture.SiloService<ProvinceLedger>();
        var before = RandomChange(province, random, shard);
        var inFlight = RandomChange(province, random, shard);
        var after = RandomChange(province, random, shard);
        await InsertStraightIntoLedgerAsync(province, shard, [before]);

        await using (var connection = new NpgsqlConnection(fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await InsertAsync(connection, transaction, province, shard, [inFlight]);
            // Begun after the row in flight and committed before it: visible to the checkpoint, yet above its bound.
            await InsertStraightIntoLedgerAsync(province, shard, [after]);

            await ledger.WriteCheckpointAsync(province, shard);
            Assert.Equal(Expected([before, after]), Normalised((await ledger.ReadShardAsync(province, shard)).Totals));
            Assert.True(await CheckpointedChangesAsync(province) <= 1, "the checkpoint covers a row of a transaction that began after the oldest one running");
            await transaction.CommitAsync();
        }

        Assert.Equal(Expected([before, inFlight, after]), Normalised((await ledger.ReadShardAsync(province, shard)).Totals));
        await CheckpointUntilAsync(province, shard, 3);
        var checkpointed = await ledger.ReadShardAsync(province, shard);
        Assert.Equal(0, checkpointed.ChangesAfterCheckpoint);
        Assert.Equal(Expected([before, inFlight, after]), Normalised(checkpointed.Totals));
        Assert.Equal(Expected([before, inFlight, after]), await FullSumAsync(province, shard));
    }

    /// <summary>A shard deactivated and activated again has the totals it had; its deactivation left no tail to read.</summary>
    [Fact]
    public async Task A_deactivated_and_reactivated_shard_has_the_same_totals()
    {
        const string province = "014";
        const int shard = 6;
        var random = new Random(14);
        var changes = Enumerable.Range(0, CounterCheckpointClusterFixture.CheckpointEvery + 2).Select(_ => RandomChange(province, random, shard)).ToArray();
        foreach (var change in changes)
        {
            Assert.True(await Shard(province, shard).ApplyAsync(change));
        }

        var totals = Normalised(await Shard(province, shard).GetTotalsAsync());

        await DeactivateAllAsync();

        Assert.Equal(totals, Normalised(await Shard(province, shard).GetTotalsAsync()));
        Assert.Equal(Expected(changes), totals);
        Assert.True(await CheckpointExistsAsync(province, shard), "the shard wrote no checkpoint");
    }

    private IProvinceCounterGrain Shard(string province, int shard) => _client.GetGrain<IProvinceCounterGrain>(IProvinceCounterGrain.Key(province, shard));

    private async Task DeactivateAllAsync() => await _client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    // A registration, birth, arrival, departure or death of a random person of the province (in one shard when given).
    private static ResidentCountChange RandomChange(string province, Random random, int? shard = null)
    {
        var sex = random.Next(2) == 0 ? Sex.Male : Sex.Female;
        var born = new DateOnly(1930 + random.Next(95), 1 + random.Next(12), 1);
        var serial = random.Next(PersonalIdNumber.SerialsPerPrefix / IProvinceCounterGrain.Shards) * IProvinceCounterGrain.Shards + (shard ?? random.Next(IProvinceCounterGrain.Shards));
        var number = PersonalIdNumber.Create(IdNumberPrefix.For(province, sex, born), serial);
        var reason = Reasons[random.Next(Reasons.Length)];
        var delta = reason is ResidentCountReason.Departure or ResidentCountReason.Death ? -1 : +1;
        return new ResidentCountChange($"checkpoint-test:{Guid.NewGuid():N}", number, delta, reason);
    }

    // Totals in one comparable form: non-zero resident cells and changes per reason, each in order.
    private static string Expected(IEnumerable<ResidentCountChange> changes)
    {
        var list = changes.ToList();
        return Normalised(new ProvinceCounterTotals(
            [.. list.GroupBy(static change => (change.PersonalIdNumber.Sex, change.PersonalIdNumber.BirthYear))
                .Select(static cell => new ResidentCell(cell.Key.Sex, cell.Key.BirthYear, cell.Sum(static change => (long)change.Delta)))],
            [.. list.GroupBy(static change => change.Reason).Select(static reason => new ReasonCount(reason.Key, reason.LongCount()))]));
    }

    private static string Normalised(ProvinceCounterTotals totals) =>
        string.Join(' ', totals.Residents.Where(static cell => cell.Count != 0).Select(static cell => $"{cell.Sex}/{cell.BirthYear}={cell.Count}").Order(StringComparer.Ordinal))
        + " | " + string.Join(' ', totals.Changes.Where(static reason => reason.Count != 0).Select(static reason => $"{reason.Reason}={reason.Count}").Order(StringComparer.Ordinal));

    // The whole ledger of a shard summed, as activation did before checkpoints.
    private async Task<string> FullSumAsync(string province, int shard)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT sex, birth_year, reason, SUM(change)::bigint, COUNT(*)::bigint FROM registry.province_resident_change WHERE province_code = $1 AND shard = $2 GROUP BY 1, 2, 3",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = province });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)shard });
        var residents = new Dictionary<(Sex, int), long>();
        var reasons = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var cell = ((Sex)reader.GetInt16(0), (int)reader.GetInt16(1));
            residents[cell] = residents.GetValueOrDefault(cell) + reader.GetInt64(3);
            reasons[reader.GetString(2)] = reasons.GetValueOrDefault(reader.GetString(2)) + reader.GetInt64(4);
        }

        return Normalised(new ProvinceCounterTotals(
            [.. residents.Select(static cell => new ResidentCell(cell.Key.Item1, cell.Key.Item2, cell.Value))],
            [.. reasons.Select(static reason => new ReasonCount(Enum.Parse<ResidentCountReason>(reason.Key, ignoreCase: true), reason.Value))]));
    }

    // Changes the checkpoints of the province's shards cover, all shards together.
    private Task<long> CheckpointedChangesAsync(string province) =>
        TestDatabase.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT coalesce(sum(changes), 0)::bigint FROM registry.province_counter_checkpoint_cell WHERE province_code = $1", province);

    private Task<bool> CheckpointExistsAsync(string province, int shard) =>
        TestDatabase.ScalarAsync<bool>(fixture.ConnectionString,
            "SELECT EXISTS (SELECT 1 FROM registry.province_counter_checkpoint WHERE province_code = $1 AND shard = $2)", province, (short)shard);

    // Writes checkpoints of the shard until they cover the number of changes given: a checkpoint's bound stops below the
    // oldest write transaction running anywhere on the server, which other tests' may be for a moment.
    private async Task CheckpointUntilAsync(string province, int shard, long changes)
    {
        var ledger = fixture.SiloService<ProvinceLedger>();
        await Eventually.TrueAsync(async () =>
        {
            await ledger.WriteCheckpointAsync(province, shard);
            return await CheckpointedChangesAsync(province) == changes;
        }, Eventually.MinimumBound, $"checkpoints of {province}/{shard} cover {changes} change(s)");
    }

    private async Task InsertStraightIntoLedgerAsync(string province, int shard, ResidentCountChange[] changes)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await InsertAsync(connection, transaction, province, shard, changes);
        await transaction.CommitAsync();
    }

    // Rows as the ledger writes them, the transaction id left to the column's default.
    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string province, int shard, ResidentCountChange[] changes)
    {
        foreach (var change in changes)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO registry.province_resident_change (operation_id, province_code, shard, personal_id, change, reason) VALUES ($1, $2, $3, $4, $5, $6)",
                connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = change.OperationId });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = province });
            insert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)shard });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = change.PersonalIdNumber.Value });
            insert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)change.Delta });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = change.Reason.ToString().ToLowerInvariant() });
            await insert.ExecuteNonQueryAsync();
        }
    }
}
