using Registry.Contracts;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Database.Residents;
using Registry.Domain.Provinces;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Provinces;

/// <summary>A three-silo cluster and a database of its own: a reorganisation changes the units for everything on it.</summary>
public sealed class ReorganisationClusterFixture : RegistryClusterFixture;

/// <summary>
/// A merger plan run through grains while relocations go on: absorbed provinces stop taking people, every living
/// resident's address moves to the surviving code with their number unchanged, counters follow, old codes resolve.
/// </summary>
public sealed class ReorganisationTests(ReorganisationClusterFixture fixture) : IClassFixture<ReorganisationClusterFixture>
{
    private static readonly DateOnly EffectiveOn = new(2025, 7, 1);

    private readonly IClusterClient _client = fixture.Client;

    /// <summary>
    /// Hà Giang (002) into Tuyên Quang (008), as in Resolution 202, with relocations into and out of Hà Giang running
    /// meanwhile: afterwards nobody lives in 002, everybody it had lives in 008 under the same number with the move in
    /// their history, the counters agree with the read model, and 002 refuses new residents naming 008.
    /// </summary>
    [Fact]
    public async Task A_merger_moves_every_resident_of_the_absorbed_province_and_keeps_their_numbers()
    {
        await AddCommuneAsync("002", "00100");
        await AddCommuneAsync("008", "00200");
        await AddCommuneAsync("001", "00004");
        var hagiang = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => RegisterAsync("002", i)));
        var tuyenquang = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => RegisterAsync("008", i)));
        var hanoi = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => RegisterAsync("001", i)));
        var plan = Plan("test-merger-" + Guid.NewGuid().ToString("N")[..8], "008,Tuyên Quang,province,008;002");

        // Traffic during the run: people from Hà Nội moving to Hà Giang (before it is absorbed they land there and are
        // moved on; after, they are refused) and people of Hà Giang moving to Hà Nội.
        var traffic = Task.WhenAll(
            Task.WhenAll(hanoi.Select(person => _client.Citizen(person.PersonalIdNumber).RelocateAsync(Move("002", "00100")))),
            Task.WhenAll(hagiang.Take(5).Select(person => _client.Citizen(person.PersonalIdNumber).RelocateAsync(Move("001", "00004")))));
        var started = Assert.IsType<ReorganisationStarted>(await _client.GetGrain<IReorganisationGrain>(plan.Id).StartAsync(plan, TestActors.Administrator));
        var outcomes = (await traffic).SelectMany(static batch => batch).ToArray();
        var progress = await WaitUntilCompletedAsync(plan.Id);

        Assert.Equal(plan.Id, started.Progress.PlanId);
        Assert.Equal(("002", "008", true), (progress.Provinces.Single().Code, progress.Provinces.Single().Into, progress.Provinces.Single().Done));
        await using (var source = Npgsql.NpgsqlDataSource.Create(fixture.ConnectionString))
        {
            Assert.Empty(await new ResidentCensus(source).ListLivingResidentsAsync("002", null, 10));
        }

        foreach (var person in hagiang.Skip(5))
        {
            var now = (await _client.Citizen(person.PersonalIdNumber).GetAsync())!;
            Assert.Equal(("008", person.PersonalIdNumber), (now.PermanentResidenceProvince, now.PersonalIdNumber));
            var entry = (await _client.Citizen(person.PersonalIdNumber).GetHistoryAsync()).Last();
            Assert.Equal((ResidentChangeKind.Reorganisation, $"reorganisation:{plan.Id}:{person.PersonalIdNumber}"), (entry.Kind, entry.OperationId));
        }

        Assert.All(outcomes, outcome => Assert.True(outcome is Changed or ChangeRefused { Refusal.Errors: [{ Field: "destination.provinceCode" }] }, outcome.ToString()));
        Assert.Equal(0, (await _client.Province("002").GetCountsAsync()).Residents);
        Assert.True((await _client.Province("008").GetCountsAsync()).Residents >= hagiang.Length - 5 + tuyenquang.Length);
        await AssertNoDriftAsync();

        var refused = Assert.IsType<ChangeRefused>(await _client.Citizen(tuyenquang[0].PersonalIdNumber).RelocateAsync(Move("002", "00100"))).Refusal;
        Assert.Equal("destination.provinceCode", refused.Errors.Single().Field);
        Assert.Contains("008", refused.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Contains(await _client.Province("008").GetCommunesAsync(), commune => commune.Code == "00100");
        Assert.Equal("008", (await RegisterAsync("002", 99)).PermanentResidenceProvince);
    }

    /// <summary>The same plan again answers with its progress; another plan under its id is a conflict; absorbing an absorbed code is refused.</summary>
    [Fact]
    public async Task A_plan_runs_once_and_a_plan_that_does_not_fit_is_refused()
    {
        var plan = Plan("test-once-" + Guid.NewGuid().ToString("N")[..8], "019,Thái Nguyên,province,019;006");
        var run = _client.GetGrain<IReorganisationGrain>(plan.Id);
        Assert.IsType<ReorganisationStarted>(await run.StartAsync(plan, TestActors.Administrator));
        await WaitUntilCompletedAsync(plan.Id);

        Assert.IsType<ReorganisationStarted>(await run.StartAsync(plan, TestActors.Administrator));
        Assert.Equal(RefusalKind.Conflict, Assert.IsType<ReorganisationRefused>(await run.StartAsync(plan with { EffectiveOn = EffectiveOn.AddDays(1) }, TestActors.Administrator)).Refusal.Kind);
        var again = Plan("test-again-" + Guid.NewGuid().ToString("N")[..8], "020,Lạng Sơn,province,020;006");
        var refused = Assert.IsType<ReorganisationRefused>(await _client.GetGrain<IReorganisationGrain>(again.Id).StartAsync(again, TestActors.Administrator));
        Assert.Equal(RefusalKind.Invalid, refused.Refusal.Kind);
        Assert.NotEmpty(refused.Refusal.Errors);
        Assert.Null(await _client.GetGrain<IReorganisationGrain>(again.Id).GetProgressAsync());
    }

    private static ReorganisationPlan Plan(string id, string line)
    {
        var units = ProvinceUnits.Of2024;
        var (plan, errors) = ReorganisationPlans.Parse(id, EffectiveOn, new StringReader("code,name,kind,formed_from\n" + line + "\n"), units.Current);
        Assert.Empty(errors);
        return plan!;
    }

    private async Task<ReorganisationProgress> WaitUntilCompletedAsync(string planId) =>
        (await Eventually.ValueAsync(_client.GetGrain<IReorganisationGrain>(planId).GetProgressAsync,
            static progress => progress?.Status == ReorganisationStatus.Completed,
            Eventually.Within(RegistryTestCluster.ReorganisationReminderPeriod), $"the run of {planId} completes"))!;

    private async Task AssertNoDriftAsync()
    {
        await using var source = Npgsql.NpgsqlDataSource.Create(fixture.ConnectionString);
        var census = await new ResidentCensus(source).CountByProvinceAsync();
        var counted = await Task.WhenAll(ProvinceCatalog.All2024.Select(province => _client.Province(province.Code).GetCountsAsync()));
        Assert.All(counted, counts => Assert.Equal((counts.ProvinceCode, census.GetValueOrDefault(counts.ProvinceCode)), (counts.ProvinceCode, counts.Residents)));
    }

    private async Task AddCommuneAsync(string province, string commune) =>
        Assert.Null(await _client.Province(province).SetCommuneAsync(new Commune(commune, "Xã " + commune)));

    private static Relocate Move(string province, string commune) =>
        new("move-" + Guid.NewGuid().ToString("N"), TestActors.Administrator, new ResidenceAddress(province, commune, "Thôn " + Guid.NewGuid().ToString("N")[..4]), new DateOnly(2026, 3, 1), null);

    private async Task<ResidentRecord> RegisterAsync(string province, int i)
    {
        var command = new RegisterResident(Guid.NewGuid().ToString("N"), $"Người Hợp Nhất {province} {i}", new DateOnly(1970 + (i % 40), 2, 3), Sex.Male, province)
        {
            Actor = TestActors.Administrator,
            ConfirmedNotDuplicate = true,
        };
        return Assert.IsType<Registered>(await _client.Registration(command.IdempotencyKey).RegisterAsync(command)).Resident;
    }
}
