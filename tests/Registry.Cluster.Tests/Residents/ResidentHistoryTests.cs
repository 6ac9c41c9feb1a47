using Orleans.Storage;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Grains;
using Registry.Grains.Residents;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Residents;

/// <summary>
/// A person's history in the append-only table (migration 0029) with a short tail in the grain state: the answers are the
/// ones the whole history in the state gave, a key older than the tail is still a replay, and an entry whose row was not
/// written when its change was stored is written by the next call or the sweep.
/// </summary>
public sealed class ResidentHistoryTests(RelocationClusterFixture fixture) : IClassFixture<RelocationClusterFixture>
{
    private const int ManyChanges = 40;
    private readonly IClusterClient _client = fixture.Client;

    /// <summary>
    /// Forty changes: the answer lists every entry once, in order, the same after the person is deactivated and read back;
    /// the state keeps only the tail and the table holds every entry.
    /// </summary>
    [Fact]
    public async Task A_long_history_is_answered_whole_and_in_order_with_only_its_tail_in_the_state()
    {
        var (person, keys) = await PersonWithChangesAsync(ManyChanges);
        var citizen = _client.Citizen(person);

        var answered = await citizen.GetHistoryAsync();
        await DeactivateAllAsync();
        var reread = await citizen.GetHistoryAsync();

        Assert.Equal(keys, answered.Select(entry => entry.OperationId));
        Assert.Equal(answered, reread);
        Assert.Equal(keys.Length, await RowsOfAsync(person));
        Assert.InRange(await StoredEntriesAsync(person), 1, CitizenState.HistoryTail + 1);
    }

    /// <summary>A relocation repeated after twenty later changes is answered as the replay it is: nothing is written anywhere.</summary>
    [Fact]
    public async Task A_replay_of_a_key_older_than_the_tail_changes_nothing()
    {
        var person = await RegisterAsync();
        var citizen = _client.Citizen(person);
        var move = Move("048", "20194", "9 Bạch Đằng");
        Assert.IsType<Changed>(await citizen.RelocateAsync(move));
        await AmendManyAsync(person, 20);
        var storage = await StorageAsync();

        var again = Assert.IsType<Changed>(await citizen.RelocateAsync(move));
        var reused = Assert.IsType<ChangeRefused>(await citizen.RelocateAsync(move with { Destination = move.Destination with { Address = "10 Bạch Đằng" } })).Refusal;

        Assert.True(again.Replayed);
        Assert.Equal((RefusalKind.Conflict, "idempotencyKey"), (reused.Kind, reused.Errors.Single().Field));
        Assert.Equal(storage, await StorageAsync());
    }

    /// <summary>
    /// A relocation followed by twenty corrections that leave the address alone can still be undone (Relocations.DecideUndo:
    /// while the person lives where it took them); the person and the counts go back once.
    /// </summary>
    [Fact]
    public async Task A_relocation_older_than_the_tail_is_undone_while_the_person_lives_there()
    {
        var person = await RegisterAsync();
        var citizen = _client.Citizen(person);
        var hanoi = (await _client.Province("001").GetCountsAsync()).Residents;
        var move = Move("048", "20194", "4 Lê Duẩn");
        Assert.IsType<Changed>(await citizen.RelocateAsync(move));
        await AmendManyAsync(person, 20);

        var undone = Assert.IsType<Changed>(await citizen.UndoRelocationAsync(move.IdempotencyKey, move.IdempotencyKey + ":undo", TestActors.Administrator));

        Assert.Equal("001", undone.Resident.PermanentResidenceProvince);
        Assert.Equal(hanoi, (await _client.Province("001").GetCountsAsync()).Residents);
    }

    /// <summary>
    /// A state stored before the history table (the whole history in its JSON, no table rows) keeps working: its entries are
    /// written to the table, the state is cut to its tail, and the answer is the one it gave.
    /// </summary>
    [Fact]
    public async Task A_state_stored_with_its_whole_history_is_written_to_the_table_and_cut()
    {
        var (person, keys) = await PersonWithChangesAsync(30);
        var whole = await _client.Citizen(person).GetHistoryAsync();
        await DeactivateAllAsync();
        var storage = fixture.SiloService<IGrainStorage>(RegistryStorage.Name);
        var stored = new GrainState<CitizenState>();
        var grainId = GrainId.Create("citizen", person.Value);
        await storage.ReadStateAsync(RegistryStorage.CitizenState, grainId, stored);
        stored.State = stored.State! with { History = whole, HistoryStart = 0, HistoryWritten = 0, EarlierOperations = Domain.Residents.EarlierOperations.None };
        await storage.WriteStateAsync(RegistryStorage.CitizenState, grainId, stored);
        // The JSON as the grain wrote it before the table: without the fields that place the tail.
        await TestDatabase.ScalarAsync<int>(fixture.ConnectionString,
            """
            WITH old AS (
                UPDATE orleansstorage
                SET payloadbinary = convert_to((convert_from(payloadbinary, 'UTF8')::jsonb - 'historyStart' - 'historyWritten' - 'earlierOperations')::text, 'UTF8')
                WHERE graintypestring = $1 AND convert_from(payloadbinary, 'UTF8')::jsonb -> 'resident' ->> 'personalIdNumber' = $2 RETURNING 1)
            SELECT count(*)::int FROM old
            """, RegistryStorage.CitizenState, person.Value);
        await TestDatabase.ScalarAsync<int>(fixture.ConnectionString,
            "WITH gone AS (DELETE FROM registry.resident_history WHERE personal_id = $1 RETURNING 1) SELECT count(*)::int FROM gone", person.Value);
        Assert.Equal(keys.Length, await StoredEntriesAsync(person));

        var moved = Move("001", "00007", "2 Tràng Tiền");
        Assert.IsType<Changed>(await _client.Citizen(person).RelocateAsync(moved));
        await DeactivateAllAsync();

        var after = await _client.Citizen(person).GetHistoryAsync();
        Assert.Equal(whole, after[..whole.Length]);
        Assert.Equal([.. keys, moved.IdempotencyKey], after.Select(entry => entry.OperationId));
        Assert.Equal(keys.Length + 1, await RowsOfAsync(person));
        Assert.InRange(await StoredEntriesAsync(person), 1, CitizenState.HistoryTail + 1);
    }

    /// <summary>
    /// A change stored whose history row could not be written (the table refused it; a crash after the state write is the
    /// same) is answered with an error; the same request again writes the row and is answered as a replay, and the entry is
    /// in the table once.
    /// </summary>
    [Fact]
    public async Task An_entry_whose_row_was_not_written_is_written_by_the_next_call()
    {
        var (person, keys) = await PersonWithChangesAsync(20);
        var move = Move("079", "26734", "1 Nguyễn Huệ");

        await using (await RefusingHistoryRowsAsync(person))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => _client.Citizen(person).RelocateAsync(move));
        }

        Assert.True(Assert.IsType<Changed>(await _client.Citizen(person).RelocateAsync(move)).Replayed);
        Assert.Equal([.. keys, move.IdempotencyKey], (await _client.Citizen(person).GetHistoryAsync()).Select(entry => entry.OperationId));
        Assert.Equal(keys.Length + 1, await RowsOfAsync(person));
    }

    /// <summary>The same, with nobody calling the person again: the sweep of unfinished work writes the row.</summary>
    [Fact]
    public async Task An_entry_whose_row_was_not_written_is_written_by_the_sweep()
    {
        var (person, keys) = await PersonWithChangesAsync(20);
        var move = Move("079", "26734", "3 Nguyễn Huệ");

        await using (await RefusingHistoryRowsAsync(person))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => _client.Citizen(person).RelocateAsync(move));
        }

        await Eventually.TrueAsync(async () => await RowsOfAsync(person) == keys.Length + 1, RegistryTestCluster.UnfinishedWorkPatience,
            "the sweep of unfinished work writes the history row the change owes");
        Assert.Equal([.. keys, move.IdempotencyKey], (await _client.Citizen(person).GetHistoryAsync()).Select(entry => entry.OperationId));
    }

    /// <summary>
    /// A person with a long history renumbered by a birth-year correction: the new number answers the whole history with the
    /// correction and the number change, holds it in the table under its own key, and recognises a key used long before.
    /// </summary>
    [Fact]
    public async Task A_renumbered_persons_history_is_whole_under_the_new_number()
    {
        var (person, keys) = await PersonWithChangesAsync(24);
        var first = Move("001", "00007", "first move");
        Assert.IsType<Changed>(await _client.Citizen(person).RelocateAsync(first));
        await AmendManyAsync(person, 20);
        var before = await _client.Citizen(person).GetHistoryAsync();
        var correction = new AmendResident("amend-" + Guid.NewGuid().ToString("N"), TestActors.Administrator, "Sai năm sinh", "TA-1/2026",
            [new FieldChange("birthDate", "2000-01-01")]);

        var renumbered = Assert.IsType<Changed>(await _client.AmendApprovedAsync(person, correction)).Resident.PersonalIdNumber;
        var history = await _client.Citizen(renumbered).GetHistoryAsync();

        Assert.NotEqual(person, renumbered);
        Assert.Equal(before, history[..before.Length]);
        Assert.Equal([ResidentChangeKind.Amendment, ResidentChangeKind.NumberChange], history[before.Length..].Select(entry => entry.Kind));
        Assert.Equal(history, await _client.Citizen(person).GetHistoryAsync());
        Assert.Equal(history.Length, await RowsOfAsync(renumbered));
        Assert.True(Assert.IsType<Changed>(await _client.Citizen(renumbered).RelocateAsync(first)).Replayed);
    }

    /// <summary>
    /// The stored state written by a change no longer grows by an entry per change: past the tail, only the filter of older
    /// keys grows, by a few bytes a change. Measured at 1, 10, 50 and 200 changes against the state as it was stored with the
    /// whole history in it. With REGISTRY_HISTORY_REPORT set to a
    /// file, the figures are written there as a Markdown table (load-tests/reports/history-bytes.md).
    /// </summary>
    [Fact]
    public async Task The_state_written_by_a_change_grows_by_its_key_filter_not_by_entries()
    {
        int[] marks = [1, 10, 50, 200];
        var person = await RegisterAsync();
        var figures = new List<(int Changes, long Before, long After, long Rows)>();
        for (var done = 1; done <= marks[^1]; done++)
        {
            if (done % 2 == 0)
            {
                await AmendAsync(person, done / 2);
            }
            else
            {
                Assert.IsType<Changed>(await _client.Citizen(person).RelocateAsync(Move("001", done % 4 == 1 ? "00004" : "00007", $"{done} Phố Huế")));
            }

            if (marks.Contains(done))
            {
                figures.Add((done, await WholeHistoryStateBytesAsync(person), await StoredStateBytesAsync(person),
                    await TestDatabase.ScalarAsync<long>(fixture.ConnectionString,
                        "SELECT coalesce(sum(pg_column_size(h.*)), 0)::bigint FROM registry.resident_history h WHERE personal_id = $1", person.Value)));
            }
        }

        if (Environment.GetEnvironmentVariable("REGISTRY_HISTORY_REPORT") is { Length: > 0 } report)
        {
            await File.WriteAllLinesAsync(report,
            [
                "# history-bytes: the citizen state written per change, whole history in the state against a tail of " + CitizenState.HistoryTail,
                "",
                $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `ResidentHistoryTests.The_state_written_by_a_change_grows_by_its_key_filter_not_by_entries` (Registry.Cluster.Tests, PostgreSQL 15).",
                "One person, changes alternating a move within Hà Nội and a correction of religion. **Before**: the state's JSON with every entry in it",
                "(the citizen state as stored before migration 0029: what every change rewrote). **After**: `octet_length(payloadbinary)` of the state",
                "the last change wrote (its tail, the filter of older keys: 2 bytes a key, base64 in the JSON). The table's rows are written once each, never again.",
                "",
                "| changes | before: state written per change | after: state written per change | ratio | history table, all rows (pg_column_size) |",
                "|---|---|---|---|---|",
                .. figures.Select(f => $"| {f.Changes:N0} | {f.Before:N0} B | {f.After:N0} B | {(double)f.Before / f.After:0.0}× | {f.Rows:N0} B ({f.Rows / f.Changes:N0} B a change) |"),
                "",
                "Reproduce: `REGISTRY_HISTORY_REPORT=$PWD/load-tests/reports/history-bytes.md cluster-config/test.sh --filter \"FullyQualifiedName~The_state_written_by_a_change\"`.",
            ]);
        }

        var (fifty, twoHundred) = (figures[2], figures[3]);
        var (grewBefore, grewAfter) = (twoHundred.Before - fifty.Before, twoHundred.After - fifty.After);
        Assert.True(grewAfter * 50 < grewBefore, $"From 50 to 200 changes the state written grew by {grewAfter} B, against {grewBefore} B with the whole history.");
        Assert.True(twoHundred.After * 5 < twoHundred.Before, $"{twoHundred.After} B written against {twoHundred.Before} B with the whole history.");
    }

    private Task<long> StoredStateBytesAsync(PersonalIdNumber person) =>
        TestDatabase.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT octet_length(payloadbinary)::bigint FROM orleansstorage WHERE graintypestring = $1 AND convert_from(payloadbinary, 'UTF8')::jsonb -> 'resident' ->> 'personalIdNumber' = $2",
            RegistryStorage.CitizenState, person.Value);

    // The state as it was stored with the whole history in it: the same state, every entry, and none of the fields that
    // place a tail, serialised by the grain storage's own serializer.
    private async Task<long> WholeHistoryStateBytesAsync(PersonalIdNumber person)
    {
        var storage = fixture.SiloService<IGrainStorage>(RegistryStorage.Name);
        var stored = new GrainState<CitizenState>();
        await storage.ReadStateAsync(RegistryStorage.CitizenState, GrainId.Create("citizen", person.Value), stored);
        var whole = stored.State! with { History = await _client.Citizen(person).GetHistoryAsync() };
        var json = System.Text.Json.Nodes.JsonNode.Parse(new Silo.Storage.JsonGrainStateSerializer().Serialize(whole).ToString())!.AsObject();
        json.Remove("historyStart");
        json.Remove("historyWritten");
        json.Remove("earlierOperations");
        return System.Text.Encoding.UTF8.GetByteCount(json.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
    }

    // A person registered and changed `changes` times (moves within and between provinces, corrections of religion), with
    // the operation id of every entry of their history, oldest first.
    private async Task<(PersonalIdNumber Person, string[] Keys)> PersonWithChangesAsync(int changes)
    {
        var registration = Guid.NewGuid().ToString("N");
        var person = await RegisterAsync(registration);
        var keys = new List<string> { registration };
        for (var i = 0; i < changes; i++)
        {
            if (i % 3 == 2)
            {
                keys.Add(await AmendAsync(person, i));
                continue;
            }

            var (province, commune) = RelocationClusterFixture.Communes[i % RelocationClusterFixture.Communes.Length];
            var move = Move(province, commune, $"{i} Đường Số {i}");
            Assert.IsType<Changed>(await _client.Citizen(person).RelocateAsync(move));
            keys.Add(move.IdempotencyKey);
        }

        return (person, [.. keys]);
    }

    private async Task AmendManyAsync(PersonalIdNumber person, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await AmendAsync(person, i);
        }
    }

    private async Task<string> AmendAsync(PersonalIdNumber person, int i)
    {
        var amendment = new AmendResident("amend-" + Guid.NewGuid().ToString("N"), TestActors.Administrator, "Khai lại", "TA-" + i,
            [new FieldChange("religion", i % 2 == 0 ? "Phật giáo" : "Không")]);
        Assert.IsType<Changed>(await _client.Citizen(person).AmendAsync(amendment));
        return amendment.IdempotencyKey;
    }

    // Until disposed, the table refuses rows of this person: their change's effects fail after its state is stored.
    private async Task<IAsyncDisposable> RefusingHistoryRowsAsync(PersonalIdNumber person)
    {
        var name = "refuse_" + person.Value;
        await ExecuteAsync(fixture.ConnectionString,
            $"""
            CREATE FUNCTION registry.{name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.personal_id = '{person.Value}' THEN RAISE EXCEPTION 'history rows of {person.Value} refused by a test'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER {name} BEFORE INSERT ON registry.resident_history FOR EACH ROW EXECUTE FUNCTION registry.{name}();
            """);
        return new Dropping(fixture.ConnectionString, name);
    }

    private Task<long> RowsOfAsync(PersonalIdNumber person) =>
        TestDatabase.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM registry.resident_history WHERE personal_id = $1", person.Value);

    private Task<int> StoredEntriesAsync(PersonalIdNumber person) =>
        TestDatabase.ScalarAsync<int>(fixture.ConnectionString,
            "SELECT jsonb_array_length(convert_from(payloadbinary, 'UTF8')::jsonb -> 'history') FROM orleansstorage WHERE graintypestring = $1 AND convert_from(payloadbinary, 'UTF8')::jsonb -> 'resident' ->> 'personalIdNumber' = $2",
            RegistryStorage.CitizenState, person.Value);

    // Every stored grain write bumps a row's version, every count is a ledger row, every projection bumps a row's version,
    // every history entry is a row.
    private async Task<(long Versions, long Ledger, long ReadModel, long History)> StorageAsync() =>
        (await TestDatabase.ScalarAsync<long>(fixture.ConnectionString, $"SELECT coalesce(sum(version), 0)::bigint FROM {TestDatabase.RequestStates}"),
         await TestDatabase.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM registry.province_resident_change"),
         await TestDatabase.ScalarAsync<long>(fixture.ConnectionString, "SELECT coalesce(sum(version), 0)::bigint FROM registry.resident"),
         await TestDatabase.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM registry.resident_history"));

    private async Task DeactivateAllAsync() =>
        await _client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    private static Relocate Move(string province, string commune, string address) =>
        new("move-" + Guid.NewGuid().ToString("N"), TestActors.Administrator, new ResidenceAddress(province, commune, address), new DateOnly(2026, 3, 1), null);

    private async Task<PersonalIdNumber> RegisterAsync(string? key = null)
    {
        var command = new RegisterResident(key ?? Guid.NewGuid().ToString("N"), "Người Lịch Sử " + Guid.NewGuid().ToString("N")[..6], new DateOnly(1999, 5, 5), Sex.Female, "001")
        {
            Actor = TestActors.Administrator,
            ConfirmedNotDuplicate = true,
        };
        return Assert.IsType<Registered>(await _client.Registration(command.IdempotencyKey).RegisterAsync(command)).Resident.PersonalIdNumber;
    }

    private sealed class Dropping(string connectionString, string name) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() =>
            await ExecuteAsync(connectionString, $"DROP TRIGGER {name} ON registry.resident_history; DROP FUNCTION registry.{name}();");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
