using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Database.Residents;
using Registry.TestSupport;
using Xunit.Abstractions;

namespace Registry.Cluster.Tests.Resilience;

/// <summary>
/// Issue 4's second fault test: PostgreSQL restarted while relocations run on a two-silo cluster. Calls fail while it
/// is down and are repeated with the same relocation id; once it is back every acknowledged move is in place and the
/// counters agree with the read model.
/// </summary>
public sealed class DatabaseRestartTests(ITestOutputHelper output)
{
    private static readonly Actor Administrator = new("fault-test", ActorRole.CentralAdministrator, null);

    private static readonly (string Province, string Commune)[] Destinations = [("001", "00004"), ("079", "26734"), ("048", "20194")];

    /// <summary>The database restarted mid-run: no acknowledged relocation is lost, no province drifts.</summary>
    [Fact]
    [Trait("Category", "Fault")]
    public async Task The_database_restarted_mid_run_loses_no_acknowledged_relocation_and_leaves_no_drift()
    {
        await using var database = await PrivatePostgres.StartAsync();
        await using var cluster = await RegistryTestCluster.StartAsync(database.ConnectionString, silos: 2);
        var grains = cluster.Client;
        foreach (var (province, commune) in Destinations)
        {
            Assert.Null(await grains.Province(province).SetCommuneAsync(new Commune(commune, "Phường " + commune)));
        }

        var people = await Task.WhenAll(Enumerable.Range(0, 96).Select(i => RegisterAsync(grains, i)));
        var lastProvince = new Dictionary<PersonalIdNumber, string>();
        var acknowledged = new List<(PersonalIdNumber Person, string RelocationId)>();
        var failures = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var workers = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            var mine = new List<(PersonalIdNumber, string, string)>();
            for (var round = 0; clock.Elapsed < TimeSpan.FromSeconds(15); round++)
            {
                var person = people[(worker * 6) + (round % 6)].PersonalIdNumber;
                var (province, commune) = Destinations[random.Next(Destinations.Length)];
                var move = new Relocate($"restart-{worker}-{round}", Administrator, new ResidenceAddress(province, commune, $"Số {round}"), new DateOnly(2026, 5, 2), null);
                while (true)
                {
                    try
                    {
                        if (await grains.Citizen(person).RelocateAsync(move) is Changed)
                        {
                            mine.Add((person, move.IdempotencyKey, province));
                        }

                        break;
                    }
                    // While PostgreSQL is down the same relocation id is sent again.
                    catch (Exception exception) when (TransientFailures.Include(exception))
                    {
                        Interlocked.Increment(ref failures);
                        await Task.Delay(250);
                    }
                }
            }

            return mine;
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(5));
        await database.RestartAsync(down: TimeSpan.FromSeconds(2));
        foreach (var (person, relocationId, province) in (await Task.WhenAll(workers)).SelectMany(static mine => mine))
        {
            acknowledged.Add((person, relocationId));
            lastProvince[person] = province;
        }

        await Eventually.TrueAsync(
            async () => await TestDatabase.ScalarAsync<long>(database.ConnectionString, "SELECT count(*) FROM registry.unfinished_citizen") == 0,
            RegistryTestCluster.UnfinishedWorkPatience, "the sweep finishes every unfinished change after the restart");

        output.WriteLine($"{acknowledged.Count} relocations acknowledged; {failures} failed calls while PostgreSQL restarted, each repeated with its relocation id");
        Assert.True(failures > 0, "No call failed: the restart did not happen during the run.");
        foreach (var group in acknowledged.GroupBy(static pair => pair.Person))
        {
            var history = (await grains.Citizen(group.Key).GetHistoryAsync()).Select(static entry => entry.OperationId).ToHashSet();
            Assert.All(group, pair => Assert.Contains(pair.RelocationId, history));
            Assert.Equal(lastProvince[group.Key], (await grains.Citizen(group.Key).GetAsync())!.PermanentResidenceProvince);
        }

        await using var source = Npgsql.NpgsqlDataSource.Create(database.ConnectionString);
        var census = await new ResidentCensus(source).CountByProvinceAsync();
        var counted = await Task.WhenAll(ProvinceCatalog.All2024.Select(province => grains.Province(province.Code).GetCountsAsync()));
        Assert.Equal(people.Length, counted.Sum(static counts => counts.Residents));
        Assert.All(counted, counts => Assert.Equal((counts.ProvinceCode, census.GetValueOrDefault(counts.ProvinceCode)), (counts.ProvinceCode, counts.Residents)));
    }

    private static async Task<ResidentRecord> RegisterAsync(IClusterClient grains, int i)
    {
        var command = new RegisterResident($"restart-person-{i}", $"Người Khởi Động Lại {i}", new DateOnly(1985, 1 + (i % 12), 1 + (i % 28)), Sex.Male, "001")
        {
            Actor = Administrator,
            ConfirmedNotDuplicate = true,
        };
        return Assert.IsType<Registered>(await grains.Registration(command.IdempotencyKey).RegisterAsync(command)).Resident;
    }
}
