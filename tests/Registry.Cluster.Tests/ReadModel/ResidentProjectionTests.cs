using Npgsql;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Database.Residents;

namespace Registry.Cluster.Tests.ReadModel;

/// <summary>
/// The projection on a real PostgreSQL: at least once in, once in the table; a row only moves forward in version;
/// concurrent callers share transactions; a failed transaction fails exactly its callers.
/// </summary>
public sealed class ResidentProjectionTests(ReadModelDatabase database) : IClassFixture<ReadModelDatabase>, IAsyncLifetime
{
    private static readonly string[] Provinces = ["001", "002", "004", "006", "008", "010", "011", "012", "014", "015"];

    /// <inheritdoc />
    public Task InitializeAsync() => database.ResetAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A snapshot delivered twice leaves one row, untouched by the second delivery.</summary>
    [Fact]
    public async Task The_same_version_twice_leaves_one_unchanged_row()
    {
        await using var projection = database.NewProjection();
        var snapshot = People.Snapshot("Nguyễn Thị Ánh");
        await projection.ProjectAsync(snapshot);
        var first = await StoredAsync(snapshot.Resident.PersonalIdNumber);

        // Same event id, even with other content: the row already holds this version.
        await projection.ProjectAsync(snapshot with { Resident = snapshot.Resident with { FullName = "Lê Văn Tám" } });

        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM registry.resident"));
        Assert.Equal(first, await StoredAsync(snapshot.Resident.PersonalIdNumber));
        Assert.Equal(new StoredRow(1, "Nguyễn Thị Ánh", "nguyen thi anh", "079", true, null, null, first.ProjectedAt), first);
    }

    /// <summary>An older snapshot arriving after a newer one changes nothing.</summary>
    [Fact]
    public async Task An_older_version_after_a_newer_changes_nothing()
    {
        await using var projection = database.NewProjection();
        var registered = People.Snapshot("Trần Văn Bình", sex: Sex.Male);
        var moved = People.Next(registered, resident => resident with { PermanentResidenceProvince = "001" });
        await projection.ProjectAsync(moved);
        var newer = await StoredAsync(moved.Resident.PersonalIdNumber);

        await projection.ProjectAsync(registered);

        Assert.Equal(newer, await StoredAsync(moved.Resident.PersonalIdNumber));
        Assert.Equal((2L, "001"), (newer.Version, newer.ResidenceProvince));
    }

    /// <summary>A newer snapshot replaces every column: name, residence, death, superseding number, visibility time.</summary>
    [Fact]
    public async Task A_newer_version_replaces_the_row()
    {
        await using var projection = database.NewProjection();
        var registered = People.Snapshot("Phạm Thị Hoa");
        await projection.ProjectAsync(registered);
        var before = await StoredAsync(registered.Resident.PersonalIdNumber);
        var replacement = People.NewNumber("079", Sex.Female, new DateOnly(1991, 5, 17));
        var changed = People.Next(registered, resident => resident with
        {
            FullName = "Phạm Thị Hoà",
            PermanentResidenceProvince = "048",
            Death = new DeathRecord(new DateOnly(2026, 10, 1), "Đà Nẵng", "KT-1/2026"),
        }) with { SupersededBy = replacement };

        await projection.ProjectAsync(changed);

        var after = await StoredAsync(registered.Resident.PersonalIdNumber);
        Assert.Equal(
            new StoredRow(2, "Phạm Thị Hoà", "pham thi hoa", "048", false, new DateOnly(2026, 10, 1), replacement.Value, after.ProjectedAt),
            after);
        Assert.True(after.ProjectedAt >= before.ProjectedAt);
    }

    /// <summary>
    /// 2,000 concurrent calls are all committed, in fewer transactions than calls, none bigger than the batch bound.
    /// </summary>
    [Fact]
    public async Task Two_thousand_concurrent_snapshots_are_committed_in_shared_transactions()
    {
        await using var projection = database.NewProjection();
        var snapshots = Enumerable.Range(0, 2_000).Select(i => People.Snapshot($"Lê Thị Người {i}")).ToList();

        await projection.ProjectAllAsync(snapshots);

        var statistics = projection.Statistics;
        Assert.Equal(2_000L, await database.ScalarAsync<long>("SELECT count(*) FROM registry.resident"));
        Assert.Equal(2_000, statistics.Snapshots);
        Assert.InRange(statistics.Transactions, 2_000 / ResidentProjection.MaxBatchSize, 1_999);
        Assert.InRange(statistics.LargestBatch, 2, ResidentProjection.MaxBatchSize);
        Assert.Equal(0, statistics.FailedTransactions);
    }

    /// <summary>Several versions of one person in flight together end as the highest one, whatever the batching.</summary>
    [Fact]
    public async Task Versions_of_one_person_together_end_as_the_highest()
    {
        await using var projection = database.NewProjection();
        // Ten versions, each a move to the next province of the list.
        var versions = new List<ResidentSnapshot> { People.Snapshot("Võ Minh Khoa", sex: Sex.Male, residenceProvince: Provinces[0]) };
        foreach (var province in Provinces.Skip(1))
        {
            versions.Add(People.Next(versions[^1], resident => resident with { PermanentResidenceProvince = province }));
        }

        // Newest first as well as in order, so that batches see both arrival orders.
        await projection.ProjectAllAsync(versions.AsEnumerable().Reverse().Concat(versions));

        var stored = await StoredAsync(versions[0].Resident.PersonalIdNumber);
        Assert.Equal((10L, Provinces[^1]), (stored.Version, stored.ResidenceProvince));
    }

    /// <summary>
    /// When a batch's transaction fails, every caller in it gets the failure and nothing of it is written; the next
    /// batch is written normally.
    /// </summary>
    [Fact]
    public async Task A_failing_batch_faults_its_callers_and_the_next_batch_works()
    {
        await using var projection = database.NewProjection();
        var doomed = Enumerable.Range(0, 20).Select(i => People.Snapshot($"Đỗ Văn Hỏng {i}", sex: Sex.Male)).ToList();
        // A real failure of PostgreSQL: the table is gone while the batch is written.
        await ExecuteAsync("ALTER TABLE registry.resident RENAME TO resident_away");
        Exception?[] failures;
        try
        {
            var calls = doomed.Select(snapshot => projection.ProjectAsync(snapshot)).ToList();
            failures = await Task.WhenAll(calls.Select(call => Record.ExceptionAsync(() => call)));
        }
        finally
        {
            await ExecuteAsync("ALTER TABLE registry.resident_away RENAME TO resident");
        }

        Assert.All(failures, failure => Assert.Equal(PostgresErrorCodes.UndefinedTable, Assert.IsType<PostgresException>(failure).SqlState));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM registry.resident"));
        Assert.True(projection.Statistics.FailedTransactions >= 1);

        await projection.ProjectAllAsync(doomed);

        Assert.Equal(20L, await database.ScalarAsync<long>("SELECT count(*) FROM registry.resident"));
    }

    /// <summary>A snapshot the table would refuse fails its own caller at once and never joins a batch.</summary>
    [Fact]
    public async Task A_malformed_snapshot_fails_only_its_caller()
    {
        await using var projection = database.NewProjection();
        var good = People.Snapshot("Bùi Thị Lành");
        var bad = People.Snapshot("Bùi Thị Hư", residenceProvince: "79");

        var goodCall = projection.ProjectAsync(good);
        await Assert.ThrowsAsync<ArgumentException>(() => projection.ProjectAsync(bad));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => projection.ProjectAsync(good with { Version = -1 }));
        await goodCall;

        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM registry.resident"));
        Assert.Equal(0, projection.Statistics.FailedTransactions);
    }

    /// <summary>Disposal writes what was accepted, then refuses new snapshots.</summary>
    [Fact]
    public async Task Disposal_writes_accepted_snapshots_then_refuses_new_ones()
    {
        var projection = database.NewProjection();
        var accepted = Enumerable.Range(0, 50).Select(i => projection.ProjectAsync(People.Snapshot($"Hồ Thị Cuối {i}"))).ToList();

        await projection.DisposeAsync();

        await Task.WhenAll(accepted);
        Assert.Equal(50L, await database.ScalarAsync<long>("SELECT count(*) FROM registry.resident"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => projection.ProjectAsync(People.Snapshot("Hồ Thị Muộn")));
    }

    /// <summary>The lag columns say when the grain changed the person and when the row became visible.</summary>
    [Fact]
    public async Task Projected_at_follows_changed_at()
    {
        await using var projection = database.NewProjection();
        var snapshot = People.Snapshot("Ngô Thị Trễ") with { ChangedAt = DateTimeOffset.UtcNow.AddSeconds(-1) };

        await projection.ProjectAsync(snapshot);

        var lag = await database.ScalarAsync<double>(
            "SELECT extract(EPOCH FROM projected_at - changed_at)::float8 FROM registry.resident WHERE personal_id = $1",
            snapshot.Resident.PersonalIdNumber.Value);
        Assert.InRange(lag, 0.5, 60);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<StoredRow> StoredAsync(PersonalIdNumber number)
    {
        await using var command = database.DataSource.CreateCommand(
            """
            SELECT version, full_name, name_key, permanent_residence_province, alive, death_date, superseded_by, projected_at
            FROM registry.resident WHERE personal_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = number.Value });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"No row for {number}.");
        return new StoredRow(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetBoolean(4),
            reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetFieldValue<DateTimeOffset>(7));
    }

    /// <summary>The columns a test looks at.</summary>
    private sealed record StoredRow(
        long Version, string FullName, string NameKey, string ResidenceProvince, bool Alive, DateOnly? DeathDate, string? SupersededBy, DateTimeOffset ProjectedAt);
}
