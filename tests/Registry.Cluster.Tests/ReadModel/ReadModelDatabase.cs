using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Database.Residents;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.ReadModel;

/// <summary>A migrated database of its own for the read-model tests; no cluster, the read model needs none.</summary>
public sealed class ReadModelDatabase : IAsyncLifetime
{
    /// <summary>The database's connection string.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>A data source on it, as a silo or the API host registers one.</summary>
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>A new projection on the database; the test disposes it.</summary>
    public ResidentProjection NewProjection() => new(DataSource, NullLogger<ResidentProjection>.Instance);

    /// <summary>A directory on the database.</summary>
    public ResidentDirectory Directory => new(DataSource);

    /// <summary>Empties the read model; each test starts with it.</summary>
    public async Task ResetAsync()
    {
        await using var command = DataSource.CreateCommand("TRUNCATE registry.resident");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a scalar query.</summary>
    public Task<T> ScalarAsync<T>(string sql, params object[] parameters) => TestDatabase.ScalarAsync<T>(ConnectionString, sql, parameters);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateMigratedAsync("readmodel");
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }

        if (ConnectionString.Length > 0)
        {
            await TestDatabase.DropAsync(ConnectionString);
        }
    }
}

/// <summary>Snapshots of made-up people for the read-model tests.</summary>
internal static class People
{
    private static int _serial;

    /// <summary>A new number under the prefix these details call for; unique within the test run.</summary>
    public static PersonalIdNumber NewNumber(string birthProvince, Sex sex, DateOnly birthDate) =>
        PersonalIdNumber.Create(IdNumberPrefix.For(birthProvince, sex, birthDate), Interlocked.Increment(ref _serial));

    /// <summary>Version 1 of a living person with a new number.</summary>
    public static ResidentSnapshot Snapshot(
        string fullName,
        DateOnly? birthDate = null,
        Sex sex = Sex.Female,
        string birthProvince = "079",
        string residenceProvince = "079",
        long version = 1)
    {
        var born = birthDate ?? new DateOnly(1990, 5, 17);
        var record = new ResidentRecord(
            NewNumber(birthProvince, sex, born), fullName, born, sex, birthProvince, residenceProvince, new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));
        return new ResidentSnapshot(record, version, null, record.RegisteredAt);
    }

    /// <summary>The next version of <paramref name="snapshot"/>, changed by <paramref name="change"/>.</summary>
    public static ResidentSnapshot Next(ResidentSnapshot snapshot, Func<ResidentRecord, ResidentRecord> change) =>
        snapshot with { Resident = change(snapshot.Resident), Version = snapshot.Version + 1, ChangedAt = snapshot.ChangedAt.AddMinutes(1) };

    /// <summary>Projects every snapshot and waits until all are committed.</summary>
    public static async Task ProjectAllAsync(this ResidentProjection projection, IEnumerable<ResidentSnapshot> snapshots) =>
        await Task.WhenAll(snapshots.Select(snapshot => projection.ProjectAsync(snapshot)));
}
