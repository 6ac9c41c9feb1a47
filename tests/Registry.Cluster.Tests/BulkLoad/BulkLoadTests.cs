using System.Globalization;
using Npgsql;
using Registry.Admin.BulkLoad;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Grains;
using Registry.Grains.Identity;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.BulkLoad;

/// <summary>
/// The national bulk load (issue 14, item 7) leaves what the registry's own registration leaves: a citizen the grains
/// read with their first history entry, a read-model row, one count in their province; numbers kept are never handed out
/// again; bad rows are refused with reasons and leave nothing; a file loaded twice, or resumed after being cut short,
/// registers every row once. Each test loads into a database of its own with no silo running, then starts one.
/// </summary>
public sealed class BulkLoadTests
{
    private static readonly DateOnly Born = new(1990, 5, 17);

    /// <summary>Loaded people are readable through the grains and the read model, with their history entry, and counted once.</summary>
    [Fact]
    public async Task A_loaded_person_is_readable_through_the_grains_and_the_read_model_and_counted_once()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(BulkLoadTests));
        await using var database = NpgsqlDataSource.Create(scratch.ConnectionString);
        var kept = Kept(1);
        var file = await FileAsync(
            Registration("Nguyễn Thị Ánh", issued: kept),
            Registration("Trần Văn Bình"),
            Registration("Lê Thị Cúc", province: "001", mother: kept));

        await LoadAsync(database, file);

        var applied = await AppliedAsync(database);
        Assert.Equal(3, applied.Count);
        Assert.Contains(kept, applied);
        await using var cluster = await RegistryTestCluster.StartAsync(scratch.ConnectionString, silos: 1);
        var anh = await cluster.Client.Citizen(kept).GetAsync();
        Assert.Equal("Nguyễn Thị Ánh", anh!.FullName);
        Assert.Equal("079", anh.PermanentResidenceProvince);
        var cuc = applied.Single(number => number.BirthRegistrationProvince == "001");
        Assert.Equal(kept, (await cluster.Client.Citizen(cuc).GetAsync())!.Family.Mother);
        var history = Assert.Single(await cluster.Client.Citizen(kept).GetHistoryAsync());
        Assert.Equal(ResidentChangeKind.Registration, history.Kind);
        Assert.Equal("operator-1", history.Actor.Id);
        Assert.Equal(2L, (await cluster.Client.Province("079").GetCountsAsync()).Residents);
        Assert.Equal(1L, (await cluster.Client.Province("001").GetCountsAsync()).Residents);
        Assert.Equal(3L, await ScalarAsync(database, "SELECT count(*) FROM registry.resident WHERE version = 1"));
        Assert.Equal(3L, await ScalarAsync(database, "SELECT sum(change) FROM registry.province_resident_change"));
        Assert.Equal(3L, await ScalarAsync(database, "SELECT count(*) FROM registry.resident_history WHERE seq = 0"));
        Assert.Equal(0L, await ScalarAsync(database, "SELECT count(*) FROM registry.unfinished_citizen"));

        // A change through the grains goes on from the loaded state: version 2 in the read model.
        var amended = await cluster.Client.Citizen(kept).AmendAsync(new AmendResident("amend-1", TestActors.Administrator, "Sai sót", "QĐ-1",
            [new FieldChange("hometown", "Huế")]));
        Assert.IsType<Changed>(amended);
        await Eventually.TrueAsync(async () => await ScalarAsync(database, $"SELECT version FROM registry.resident WHERE personal_id = '{kept}'") == 2L,
            Eventually.Within(TimeSpan.FromSeconds(1)), "the amendment is projected over the loaded row");
    }

    /// <summary>The identity columns the load computes for grain storage are those of a row a silo wrote.</summary>
    [Fact]
    public async Task The_loads_grain_keys_are_those_a_silo_writes()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(BulkLoadTests));
        await using var database = NpgsqlDataSource.Create(scratch.ConnectionString);
        await using var cluster = await RegistryTestCluster.StartAsync(scratch.ConnectionString, silos: 1);
        var command = new RegisterResident("key-check", "Phạm Văn Mẫu", Born, Sex.Male, "079") { Actor = TestActors.Administrator, ConfirmedNotDuplicate = true };
        var number = Assert.IsType<Registered>(await cluster.Client.Registration(command.IdempotencyKey).RegisterAsync(command)).Resident.PersonalIdNumber;

        foreach (var (key, stateName) in new[] { (number.Value, RegistryStorage.CitizenState), (number.Prefix.Value, RegistryStorage.AllocatorState) })
        {
            var expected = StoredGrainKey.For(key);
            await using var read = database.CreateCommand(
                "SELECT grainidhash, graintypehash, grainidextensionstring FROM orleansstorage WHERE graintypestring = $1 AND grainidn0 = 0 AND grainidn1 = $2");
            read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
            read.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected.N1 });
            await using var reader = await read.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), $"the {stateName} row of {key}");
            Assert.Equal(expected.IdHash, reader.GetInt32(0));
            Assert.Equal(StoredGrainKey.StateNameHash(stateName), reader.GetInt32(1));
            Assert.True(reader.IsDBNull(2));
        }
    }

    /// <summary>
    /// A number kept in the load is skipped by the load's own allocation and by the allocator grain afterwards: the grain's
    /// next number, taken by a loaded person, makes the registration go on to the one after.
    /// </summary>
    [Fact]
    public async Task A_kept_number_is_never_allocated_afterwards()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(BulkLoadTests));
        await using var database = NpgsqlDataSource.Create(scratch.ConnectionString);
        var prefix = IdNumberPrefix.For("079", Sex.Male, Born);
        await LoadAsync(database, await FileAsync(Registration("Người Thứ Nhất")));
        var next = new PrefixDraw(prefix, await AllocatorAsync(database, prefix)).Take(3);

        // The first of the next three is kept by a person in the file; the other row of the file draws after it.
        await LoadAsync(database, await FileAsync(Registration("Người Giữ Số", issued: next[0]), Registration("Người Được Cấp")));
        var applied = await AppliedAsync(database);
        Assert.Contains(next[0], applied);
        Assert.Contains(next[1], applied);

        // The allocator grain now starts at next[2]; a person loaded under it makes the grain skip it.
        await LoadAsync(database, await FileAsync(Registration("Người Giữ Số Sau", issued: next[2])));
        await using var cluster = await RegistryTestCluster.StartAsync(scratch.ConnectionString, silos: 1);
        var command = new RegisterResident("after-load", "Người Đăng Ký Sau", Born, Sex.Male, "079") { Actor = TestActors.Administrator, ConfirmedNotDuplicate = true };
        var registered = Assert.IsType<Registered>(await cluster.Client.Registration(command.IdempotencyKey).RegisterAsync(command)).Resident;

        Assert.DoesNotContain(registered.PersonalIdNumber, next);
        Assert.Equal("Người Giữ Số Sau", (await cluster.Client.Citizen(next[2]).GetAsync())!.FullName);
    }

    /// <summary>Bad rows get their reasons, as batch rows do, and nothing of them is written.</summary>
    [Fact]
    public async Task Bad_rows_are_refused_with_reasons_and_nothing_of_them_is_written()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(BulkLoadTests));
        await using var database = NpgsqlDataSource.Create(scratch.ConnectionString);
        var good = Registration("Đỗ Văn Tốt", issued: Kept(2));
        var file = await FileAsync(
            good,
            "not json",
            """{"kind":"registration","birthDate":"1990-05-17","sex":"male","birthRegistrationProvince":"079"}""",
            """{"kind":"amendment","personalIdNumber":"079190000002","field":"hometown","value":"Huế","reason":"r","documentReference":"d"}""",
            Registration("Đỗ Văn Sai Số", issued: Kept(3, sexCentury: 1)),
            Registration("Đỗ Văn Mồ Côi", mother: Kept(4)),
            good,
            Registration("Đỗ Văn Tốt", confirmed: false));

        await LoadAsync(database, file);

        Assert.Equal(
            [("applied", null), ("rejected", "row"), ("rejected", "fullName"), ("rejected", "kind"), ("rejected", "issuedNumber"), ("rejected", "mother"),
                ("rejected", "row"), ("duplicateCandidate", null)],
            await ResultsAsync(database));
        Assert.Equal(1L, await ScalarAsync(database, "SELECT count(*) FROM orleansstorage WHERE graintypestring = 'citizen'"));
        Assert.Equal(1L, await ScalarAsync(database, "SELECT count(*) FROM registry.resident"));
        Assert.Equal(1L, await ScalarAsync(database, "SELECT count(*) FROM registry.province_resident_change"));
    }

    /// <summary>The same file loaded again changes nothing.</summary>
    [Fact]
    public async Task Loading_the_same_file_twice_changes_nothing()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(BulkLoadTests));
        await using var database = NpgsqlDataSource.Create(scratch.ConnectionString);
        var file = await FileAsync(Registration("Hồ Văn Một", issued: Kept(5)), Registration("Hồ Văn Hai"), Registration("Hồ Văn Ba"));
        await LoadAsync(database, file);
        var first = await SnapshotAsync(database);

        await LoadAsync(database, file);

        Assert.Equal(first, await SnapshotAsync(database));
        Assert.Equal(3L, first.Citizens);
    }

    /// <summary>A load cut short between chunks, run again, ends with every row registered once.</summary>
    [Fact]
    public async Task A_load_cut_short_between_chunks_resumes_and_registers_every_row_once()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(BulkLoadTests));
        await using var database = NpgsqlDataSource.Create(scratch.ConnectionString);
        var file = await FileAsync([.. Enumerable.Range(1, 7).Select(i => Registration($"Người Số {i}")), Registration("Người Giữ Số", issued: Kept(6))]);
        using var cut = new CancellationTokenSource();
        var load = new NationalLoad(database, new NationalLoadSettings(RegistryTestCluster.ServiceId, "operator-1", ChunkRows: 2), TimeProvider.System);
        await load.LoadFileAsync(file, LoadPass.KeptNumbers, null, CancellationToken.None);
        var interrupted = load.LoadFileAsync(file, LoadPass.Allocated, new SynchronousProgress(p =>
        {
            if (p.RowsDone > 0)
            {
                cut.Cancel();
            }
        }), cut.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => interrupted);
        Assert.InRange(await ScalarAsync(database, "SELECT count(*) FROM registry.resident"), 2L, 7L);

        await LoadAsync(database, file);

        Assert.Equal(8L, await ScalarAsync(database, "SELECT count(*) FROM registry.resident"));
        Assert.Equal(8L, await ScalarAsync(database, "SELECT count(*) FROM registry.province_resident_change"));
        Assert.Equal(8L, await ScalarAsync(database, "SELECT count(*) FROM registry.resident_history"));
        Assert.Equal(8L, await ScalarAsync(database, "SELECT count(DISTINCT row_number) FROM registry.bulk_load_row WHERE status = 'applied'"));
        Assert.Equal(8L, await ScalarAsync(database, "SELECT count(*) FROM orleansstorage WHERE graintypestring = 'citizen'"));
    }

    /// <summary>The command refuses to load while a silo runs on the database, and writes nothing.</summary>
    [Fact]
    public async Task The_command_refuses_a_database_with_running_silos()
    {
        await using var scratch = await ScratchDatabase.CreateMigratedAsync(nameof(BulkLoadTests));
        await using var database = NpgsqlDataSource.Create(scratch.ConnectionString);
        var file = await FileAsync(Registration("Vũ Văn Chờ"));
        await using var cluster = await RegistryTestCluster.StartAsync(scratch.ConnectionString, silos: 1);

        var exit = await BulkLoadCommand.Create().Parse(["--connection", scratch.ConnectionString, "--subject", "operator-1", "--service-id", RegistryTestCluster.ServiceId, file])
            .InvokeAsync();

        Assert.Equal(BulkLoadCommand.Unsafe, exit);
        Assert.Equal(0L, await ScalarAsync(database, "SELECT count(*) FROM registry.bulk_load"));
        Assert.Equal(0L, await ScalarAsync(database, "SELECT count(*) FROM registry.resident"));
    }

    private static async Task LoadAsync(NpgsqlDataSource database, string file)
    {
        var load = new NationalLoad(database, new NationalLoadSettings(RegistryTestCluster.ServiceId, "operator-1", ChunkRows: 3), TimeProvider.System);
        foreach (var pass in Enum.GetValues<LoadPass>())
        {
            Assert.True((await load.LoadFileAsync(file, pass, null, CancellationToken.None)).Completed);
        }
    }

    private static PersonalIdNumber Kept(int serial, int sexCentury = 0) =>
        PersonalIdNumber.TryParse(string.Create(CultureInfo.InvariantCulture, $"079{sexCentury}90{serial:000000}"), out var number, out var error)
            ? number : throw new ArgumentException(error);

    private static string Registration(string name, PersonalIdNumber? issued = null, string province = "079", PersonalIdNumber? mother = null, bool confirmed = true) =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"kind":"registration","fullName":"{{name}}","birthDate":"1990-05-17","sex":"male","birthRegistrationProvince":"{{province}}"{{(issued is { } n ? $",\"issuedNumber\":\"{n}\"" : "")}}{{(mother is { } m ? $",\"mother\":\"{m}\"" : "")}},"confirmedNotDuplicate":{{(confirmed ? "true" : "false")}}}""");

    private static async Task<string> FileAsync(params string[] rows)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bulk-load-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllLinesAsync(path, rows);
        return path;
    }

    private static async Task<List<PersonalIdNumber>> AppliedAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("SELECT personal_id FROM registry.bulk_load_row WHERE status = 'applied'");
        var numbers = new List<PersonalIdNumber>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            numbers.Add(PersonalIdNumber.TryParse(reader.GetString(0), out var number, out _) ? number : default);
        }

        return numbers;
    }

    private static async Task<List<(string Status, string? Field)>> ResultsAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand(
            "SELECT status, result::jsonb -> 'errors' -> 0 ->> 'field' FROM registry.bulk_load_row ORDER BY row_number");
        var results = new List<(string, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            results.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return results;
    }

    private static async Task<AllocatorState?> AllocatorAsync(NpgsqlDataSource database, IdNumberPrefix prefix)
    {
        await using var command = database.CreateCommand("SELECT payloadbinary FROM orleansstorage WHERE graintypestring = $1 AND grainidn1 = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RegistryStorage.AllocatorState });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoredGrainKey.For(prefix.Value).N1 });
        return await command.ExecuteScalarAsync() is byte[] payload ? StoredStateJson.Deserialize<AllocatorState>(payload) : null;
    }

    private sealed record DatabaseSnapshot(long Citizens, long Residents, long LedgerRows, long ResultRows, string Allocators);

    private static async Task<DatabaseSnapshot> SnapshotAsync(NpgsqlDataSource database) => new(
        await ScalarAsync(database, "SELECT count(*) FROM orleansstorage WHERE graintypestring = 'citizen'"),
        await ScalarAsync(database, "SELECT count(*) FROM registry.resident"),
        await ScalarAsync(database, "SELECT count(*) FROM registry.province_resident_change"),
        await ScalarAsync(database, "SELECT count(*) FROM registry.bulk_load_row"),
        await TextAsync(database, "SELECT string_agg(version::text || md5(payloadbinary), ',') FROM orleansstorage WHERE graintypestring = 'idNumberAllocator'"));

    private static async Task<long> ScalarAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<string> TextAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        return (await command.ExecuteScalarAsync()) as string ?? "";
    }

    // Progress<T> posts to the thread pool; the test needs the cancellation before the next chunk starts.
    private sealed class SynchronousProgress(Action<FileLoadProgress> report) : IProgress<FileLoadProgress>
    {
        public void Report(FileLoadProgress value) => report(value);
    }
}
