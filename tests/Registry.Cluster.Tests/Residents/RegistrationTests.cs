using System.Collections.Concurrent;
using Orleans.Storage;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;
using Registry.Grains;
using Registry.Grains.Residents;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Residents;

/// <summary>A three-silo cluster of its own for the registration tests.</summary>
public sealed class RegistrationClusterFixture : RegistryClusterFixture;

/// <summary>Registration through grain calls on a three-silo cluster with PostgreSQL persistence.</summary>
public sealed class RegistrationTests(RegistrationClusterFixture fixture) : IClassFixture<RegistrationClusterFixture>
{
    private readonly IClusterClient _client = fixture.Client;

    /// <summary>
    /// 20,000 concurrent registrations under one prefix, spread over three silos, get 20,000 distinct numbers of the
    /// right form, and the province counts each person once.
    /// </summary>
    [Fact]
    public async Task Twenty_thousand_concurrent_registrations_under_one_prefix_get_distinct_numbers()
    {
        const int people = 20_000;
        const string province = "001";
        var birthDate = new DateOnly(1987, 3, 9);
        var before = await ResidentsAsync(province);
        var run = Guid.NewGuid().ToString("N");
        var numbers = new ConcurrentBag<PersonalIdNumber>();

        await Parallel.ForEachAsync(Enumerable.Range(0, people), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            var command = new RegisterResident($"{run}-{i}", $"Trần Văn Bình {i}", birthDate, Sex.Male, province) { Actor = TestActors.Administrator, ConfirmedNotDuplicate = true };
            var outcome = await _client.Registration(command.IdempotencyKey).RegisterAsync(command);
            numbers.Add(Assert.IsType<Registered>(outcome).Resident.PersonalIdNumber);
        });

        Assert.Equal(people, numbers.Distinct().Count());
        Assert.All(numbers, number =>
        {
            Assert.Matches("^001087[0-9]{6}$", number.Value);
            Assert.True(number.IsConsistentWith(birthDate, Sex.Male));
        });
        Assert.Equal(before + people, await ResidentsAsync(province));
    }

    /// <summary>Repeating a registration with its idempotency key returns the same person and counts them once.</summary>
    [Fact]
    public async Task Repeating_a_registration_with_its_key_registers_one_person()
    {
        var command = NewCommand("048");
        var before = await ResidentsAsync("048");

        var first = Assert.IsType<Registered>(await _client.Registration(command.IdempotencyKey).RegisterAsync(command));
        var again = Assert.IsType<Registered>(await _client.Registration(command.IdempotencyKey).RegisterAsync(command));

        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        Assert.Equal(first.Resident, again.Resident);
        Assert.Equal(first.Resident, await _client.Citizen(first.Resident.PersonalIdNumber).GetAsync());
        Assert.Equal(before + 1, await ResidentsAsync("048"));
    }

    /// <summary>The same key with other details is refused and registers nobody.</summary>
    [Fact]
    public async Task Reusing_a_key_with_other_details_is_refused_and_changes_nothing()
    {
        var command = NewCommand("048");
        Assert.IsType<Registered>(await _client.Registration(command.IdempotencyKey).RegisterAsync(command));
        var before = await ResidentsAsync("048");
        var rows = await StoredStatesAsync();

        var outcome = await _client.Registration(command.IdempotencyKey).RegisterAsync(command with { FullName = "Lê Thị Hoa" });

        var reused = Assert.IsType<RegistrationRefused>(outcome).Refusal;
        Assert.Equal((RefusalKind.Conflict, "idempotencyKey"), (reused.Kind, Assert.Single(reused.Errors).Field));
        Assert.Equal(before, await ResidentsAsync("048"));
        Assert.Equal(rows, await StoredStatesAsync());
    }

    /// <summary>Keys that differ only in leading zeros are different requests: grain keys are never read as numbers.</summary>
    [Fact]
    public async Task Keys_that_differ_only_in_leading_zeros_are_different_requests()
    {
        var suffix = Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var padded = NewCommand("048") with { IdempotencyKey = "00" + suffix };
        var plain = NewCommand("048") with { IdempotencyKey = suffix, FullName = "Phạm Minh Châu" };

        var first = Assert.IsType<Registered>(await _client.Registration(padded.IdempotencyKey).RegisterAsync(padded));
        var second = Assert.IsType<Registered>(await _client.Registration(plain.IdempotencyKey).RegisterAsync(plain));

        Assert.NotEqual(first.Resident.PersonalIdNumber, second.Resident.PersonalIdNumber);
    }

    /// <summary>Each invalid registration sent straight to the grain is rejected naming its field, and nothing is stored.</summary>
    [Theory]
    [InlineData("fullName", "", "1990-01-01", Sex.Male, "001")]
    [InlineData("fullName", "   ", "1990-01-01", Sex.Male, "001")]
    [InlineData("fullName", "Nguyễn\u0007Văn", "1990-01-01", Sex.Male, "001")]
    [InlineData("fullName", "Nguyễn\u200BVăn", "1990-01-01", Sex.Male, "001")]
    [InlineData("birthDate", "Lý Thường Kiệt", "1899-12-31", Sex.Male, "001")]
    [InlineData("birthDate", "Lý Thường Kiệt", "2999-01-01", Sex.Male, "001")]
    [InlineData("sex", "Lý Thường Kiệt", "1990-01-01", (Sex)7, "001")]
    [InlineData("birthRegistrationProvince", "Lý Thường Kiệt", "1990-01-01", Sex.Male, "999")]
    [InlineData("birthRegistrationProvince", "Lý Thường Kiệt", "1990-01-01", Sex.Male, "01")]
    public async Task Invalid_registrations_are_rejected_and_store_nothing(string field, string name, string birthDate, Sex sex, string province)
    {
        var command = new RegisterResident(Guid.NewGuid().ToString("N"), name, DateOnly.Parse(birthDate, System.Globalization.CultureInfo.InvariantCulture), sex, province) { Actor = TestActors.Administrator, ConfirmedNotDuplicate = true };
        var rows = await StoredStatesAsync();
        var ledger = await LedgerRowsAsync();

        var outcome = await _client.Registration(command.IdempotencyKey).RegisterAsync(command);

        var rejected = Assert.IsType<RegistrationRefused>(outcome).Refusal;
        Assert.Contains(rejected.Errors, error => error.Field == field);
        Assert.Equal(rows, await StoredStatesAsync());
        Assert.Equal(ledger, await LedgerRowsAsync());
    }

    /// <summary>A name over 200 characters is rejected; one of exactly 200 is accepted.</summary>
    [Fact]
    public async Task A_name_over_two_hundred_characters_is_rejected()
    {
        var tooLong = NewCommand("001") with { FullName = new string('ă', 201) };
        var longest = NewCommand("001") with { FullName = new string('ă', 200) };

        Assert.Equal(RefusalKind.Invalid, Assert.IsType<RegistrationRefused>(await _client.Registration(tooLong.IdempotencyKey).RegisterAsync(tooLong)).Refusal.Kind);
        Assert.IsType<Registered>(await _client.Registration(longest.IdempotencyKey).RegisterAsync(longest));
    }

    /// <summary>A name typed in decomposed Unicode is stored composed (NFC).</summary>
    [Fact]
    public async Task A_decomposed_name_is_stored_composed()
    {
        var composed = "Nguyễn Văn Đức";
        var command = NewCommand("001") with { FullName = composed.Normalize(System.Text.NormalizationForm.FormD) };

        var registered = Assert.IsType<Registered>(await _client.Registration(command.IdempotencyKey).RegisterAsync(command));

        Assert.Equal(composed, registered.Resident.FullName);
    }

    /// <summary>
    /// A citizen stored with its province count still pending (a crash between the two steps) is counted when it
    /// next activates, and only once however often it activates again.
    /// </summary>
    [Fact]
    public async Task A_pending_province_count_is_finished_on_activation_and_only_once()
    {
        var number = PersonalIdNumber.Create(IdNumberPrefix.For("004", Sex.Female, new DateOnly(1970, 1, 1)), Random.Shared.Next(0, 999_999));
        var record = new ResidentRecord(number, "Hoàng Thị Lan", new DateOnly(1970, 1, 1), Sex.Female, "004", "004", DateTimeOffset.UtcNow);
        var storage = fixture.SiloService<IGrainStorage>(RegistryStorage.Name);
        await storage.WriteStateAsync(RegistryStorage.CitizenState, GrainId.Create("citizen", number.Value),
            new GrainState<CitizenState>(new CitizenState
            {
                Resident = record,
                Version = 1,
                PendingCounts = [new OwedCount("004", new ResidentCountChange($"registration:{number}", number, +1, ResidentCountReason.Registration))],
            }));
        var before = await ResidentsAsync("004");

        Assert.Equal(record, await _client.Citizen(number).GetAsync());
        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(record, await _client.Citizen(number).GetAsync());

        Assert.Equal(before + 1, await ResidentsAsync("004"));
    }

    /// <summary>A province's counter shard applies a repeated change once.</summary>
    [Fact]
    public async Task A_province_counts_a_repeated_change_once()
    {
        var number = PersonalIdNumber.Create(IdNumberPrefix.For("006", Sex.Male, new DateOnly(2001, 1, 1)), Random.Shared.Next(0, 999_999));
        var change = new ResidentCountChange($"test:{Guid.NewGuid():N}", number, +1, ResidentCountReason.Registration);
        var before = await ResidentsAsync("006");

        Assert.True(await _client.ProvinceCounter("006", number).ApplyAsync(change));
        Assert.False(await _client.ProvinceCounter("006", number).ApplyAsync(change));

        Assert.Equal(before + 1, await ResidentsAsync("006"));
    }

    /// <summary>An allocator deactivated and reactivated (leases written before use) never hands out a number twice.</summary>
    [Fact]
    public async Task An_allocator_never_repeats_a_number_across_activations()
    {
        var prefix = IdNumberPrefix.For("008", Sex.Female, new DateOnly(2012, 6, 1));
        var allocator = _client.IdNumberAllocator(prefix);
        var numbers = new List<PersonalIdNumber>();

        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 150; i++)
            {
                numbers.Add(await allocator.AllocateAsync());
            }

            await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        }

        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        Assert.All(numbers, number => Assert.StartsWith(prefix.Value, number.Value, StringComparison.Ordinal));
    }

    /// <summary>
    /// A prefix whose million serials are used up refuses further numbers with a clear error, never a duplicate,
    /// and a registration under it stores nothing.
    /// </summary>
    [Fact]
    public async Task An_exhausted_prefix_refuses_with_a_clear_error_and_no_duplicate()
    {
        var birthDate = new DateOnly(1955, 4, 30);
        var prefix = IdNumberPrefix.For("010", Sex.Male, birthDate);
        var storage = fixture.SiloService<IGrainStorage>(RegistryStorage.Name);
        const int left = 150;
        await storage.WriteStateAsync(RegistryStorage.AllocatorState, GrainId.Create("idnumberallocator", prefix.Value),
            new GrainState<Grains.Identity.AllocatorState>(new Grains.Identity.AllocatorState(
                Domain.Identity.SerialPermutation.NewKey(), PersonalIdNumber.SerialsPerPrefix - left)));
        var allocator = _client.IdNumberAllocator(prefix);

        var last = new List<PersonalIdNumber>();
        for (var i = 0; i < left; i++)
        {
            last.Add(await allocator.AllocateAsync());
        }

        var refused = await Assert.ThrowsAsync<IdNumberPrefixExhaustedException>(() => allocator.AllocateAsync());
        Assert.Equal(prefix.Value, refused.Prefix);
        Assert.Contains("1,000,000", refused.Message, StringComparison.Ordinal);
        Assert.Equal(left, last.Distinct().Count());

        var command = new RegisterResident(Guid.NewGuid().ToString("N"), "Trịnh Công Sơn", birthDate, Sex.Male, "010") { Actor = TestActors.Administrator, ConfirmedNotDuplicate = true };
        var rows = await StoredStatesAsync();
        await Assert.ThrowsAsync<IdNumberPrefixExhaustedException>(() => _client.Registration(command.IdempotencyKey).RegisterAsync(command));
        Assert.Equal(rows, await StoredStatesAsync());
    }

    private static RegisterResident NewCommand(string province) =>
        new(Guid.NewGuid().ToString("N"), "Nguyễn Thị Ánh", new DateOnly(1990, 5, 17), Sex.Female, province) { Actor = TestActors.Administrator, ConfirmedNotDuplicate = true };

    private async Task<long> ResidentsAsync(string province) => (await _client.Province(province).GetCountsAsync()).Residents;

    private Task<long> StoredStatesAsync() => TestDatabase.ScalarAsync<long>(fixture.ConnectionString, $"SELECT count(*) FROM {TestDatabase.RequestStates}");

    private Task<long> LedgerRowsAsync() => TestDatabase.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM registry.province_resident_change");
}
