using Npgsql;
using Registry.Database.Statistics;

namespace Registry.Cluster.Tests.ReadModel;

/// <summary>
/// Migration statistics on a real PostgreSQL: a move is a departure paired with its arrival by move id, counted in
/// the period of its departure; rows that are not both halves of a move count for nothing.
/// </summary>
public sealed class MigrationStatisticsTests(ReadModelDatabase database) : IClassFixture<ReadModelDatabase>, IAsyncLifetime
{
    private static readonly DateTimeOffset From = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private MigrationStatistics Statistics => new(database.DataSource);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await using var command = database.DataSource.CreateCommand("TRUNCATE registry.province_resident_change");
        await command.ExecuteNonQueryAsync();
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Pairs of the period make the matrix; the start is included, the end excluded; each province gets inbound, outbound and net.</summary>
    [Fact]
    public async Task Moves_of_the_period_are_paired_and_summed_by_province()
    {
        await MoveAsync("011190000001", "first", "011", "012", From);
        // A key with colons, as a batch row's is.
        await MoveAsync("011190000002", "batch:b-7:12", "011", "012", From.AddDays(3));
        await MoveAsync("012190000003", "third", "012", "014", To.AddTicks(-10));
        await MoveAsync("012190000004", "before", "012", "011", From.AddTicks(-10));
        await MoveAsync("012190000005", "after", "012", "011", To);
        await RowAsync("registration:014190000006", "014", "014190000006", +1, "registration", From.AddDays(1));
        await RowAsync("death:014190000007", "014", "014190000007", -1, "death", From.AddDays(1));

        var matrix = await Statistics.ReadAsync(From, To);

        Assert.Equal([new MigrationFlow("011", "012", 2), new MigrationFlow("012", "014", 1)], matrix.Flows);
        Assert.Equal(3L, matrix.TotalMoves);
        Assert.Equal(
            [new ProvinceMigration("011", 0, 2), new ProvinceMigration("012", 2, 1), new ProvinceMigration("014", 1, 0)],
            matrix.Provinces);
        Assert.Equal([-2L, 1L, 1L], matrix.Provinces.Select(province => province.Net));
    }

    /// <summary>A departure whose arrival is not written yet is not a move until it is; then it counts in its departure's period.</summary>
    [Fact]
    public async Task A_move_in_flight_counts_once_its_arrival_is_written()
    {
        await RowAsync("relocation:014190000008:late:departure", "014", "014190000008", -1, "departure", From.AddDays(2), "relocation:014190000008:late");

        Assert.Equal(0L, (await Statistics.ReadAsync(From, To)).TotalMoves);

        await RowAsync("relocation:014190000008:late:arrival", "011", "014190000008", +1, "arrival", To.AddDays(5), "relocation:014190000008:late");

        Assert.Equal([new MigrationFlow("014", "011", 1)], (await Statistics.ReadAsync(From, To)).Flows);
        Assert.Equal(0L, (await Statistics.ReadAsync(To, To.AddDays(30))).TotalMoves);
    }

    /// <summary>A province filter keeps the moves out of and into it, and only its own totals.</summary>
    [Fact]
    public async Task A_province_filter_keeps_its_moves_and_its_totals()
    {
        await MoveAsync("011190000009", "a", "011", "012", From.AddDays(1));
        await MoveAsync("012190000010", "b", "012", "014", From.AddDays(1));
        await MoveAsync("014190000011", "c", "014", "015", From.AddDays(1));

        var matrix = await Statistics.ReadAsync(From, To, "014", CancellationToken.None);

        Assert.Equal([new MigrationFlow("012", "014", 1), new MigrationFlow("014", "015", 1)], matrix.Flows);
        Assert.Equal([new ProvinceMigration("014", 1, 1)], matrix.Provinces);
        Assert.Equal([new ProvinceMigration("010", 0, 0)], (await Statistics.ReadAsync(From, To, "010", CancellationToken.None)).Provinces);
    }

    /// <summary>A reversed, empty or too long period, or an unknown province, is refused before any query.</summary>
    [Fact]
    public async Task A_bad_period_or_province_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Statistics.ReadAsync(To, From));
        await Assert.ThrowsAsync<ArgumentException>(() => Statistics.ReadAsync(From, From));
        await Assert.ThrowsAsync<ArgumentException>(() => Statistics.ReadAsync(From, From.AddDays(MigrationStatistics.MaxPeriodDays + 1)));
        await Assert.ThrowsAsync<ArgumentException>(() => Statistics.ReadAsync(From, To, "999", CancellationToken.None));
    }

    // The two rows a relocation between provinces writes, as CitizenGrain.RelocateAsync names them, 3 ms apart.
    private async Task MoveAsync(string number, string key, string from, string to, DateTimeOffset at)
    {
        var move = $"relocation:{number}:{key}";
        await RowAsync($"{move}:departure", from, number, -1, "departure", at, move);
        await RowAsync($"{move}:arrival", to, number, +1, "arrival", at.AddMilliseconds(3), move);
    }

    private async Task RowAsync(string operationId, string province, string number, short change, string reason, DateTimeOffset at, string? moveId = null)
    {
        await using var command = database.DataSource.CreateCommand(
            """
            INSERT INTO registry.province_resident_change (operation_id, province_code, personal_id, change, reason, recorded_at, move_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = operationId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = province });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = number });
        command.Parameters.Add(new NpgsqlParameter<short> { TypedValue = change });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reason });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)moveId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Varchar });
        await command.ExecuteNonQueryAsync();
    }
}
