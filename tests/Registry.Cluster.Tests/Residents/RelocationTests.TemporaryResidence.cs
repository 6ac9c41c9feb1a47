using Registry.Contracts;
using Registry.Contracts.Residents;
using Registry.Grains.ResidenceSweep;
using Registry.Grains.PagedWork;
using Registry.TestSupport;

namespace Registry.Cluster.Tests.Residents;

/// <summary>Temporary residence, temporary absence and the residence sweep, on the relocation tests' cluster and communes.</summary>
public sealed partial class RelocationTests
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));

    /// <summary>A temporary residence is registered, then extended at the same address; both are in the history.</summary>
    [Fact]
    public async Task A_temporary_residence_is_registered_and_extended()
    {
        var person = await RegisterAsync("001");
        var citizen = _client.Citizen(person.PersonalIdNumber);
        var address = new ResidenceAddress("079", "26734", "9 Nguyễn Trãi");

        var registered = Assert.IsType<Changed>(await citizen.RegisterTemporaryResidenceAsync(Temporary(address, Today.AddDays(-40), Today.AddYears(1))));
        var extended = Assert.IsType<Changed>(await citizen.RegisterTemporaryResidenceAsync(Temporary(address, Today.AddDays(-40), Today.AddYears(2))));

        Assert.Equal(Today.AddYears(1), registered.Resident.TemporaryResidence!.Until);
        Assert.Equal(Today.AddYears(2), extended.Resident.TemporaryResidence!.Until);
        Assert.Equal("001", extended.Resident.PermanentResidenceProvince);
        var entries = (await citizen.GetHistoryAsync()).Where(entry => entry.Kind == ResidentChangeKind.TemporaryResidence).ToArray();
        Assert.Equal(["Registration of a temporary residence", "Extension of the temporary residence"], entries.Select(entry => entry.Reason));
    }

    /// <summary>Every bad temporary residence or absence is refused naming the field, and nothing is written.</summary>
    [Fact]
    public async Task Bad_temporary_residences_and_absences_are_refused_and_nothing_changes()
    {
        var person = await RegisterAsync("001");
        var citizen = _client.Citizen(person.PersonalIdNumber);
        Assert.IsType<Changed>(await citizen.RelocateAsync(Move("001", "00004", "5 Hàng Gai")));
        var dead = await RegisterAsync("001");
        Assert.IsType<Changed>(await _client.RecordApprovedDeathAsync(dead.PersonalIdNumber,
            new RecordDeath("death-" + Guid.NewGuid().ToString("N"), TestActors.Administrator, new DateOnly(2026, 1, 2), "Hà Nội", "KT-3")));
        var elsewhere = new ResidenceAddress("079", "26734", "9 Nguyễn Trãi");
        var storage = await StorageAsync();

        (ChangeOutcome Outcome, RefusalKind Kind, string Field)[] refused =
        [
            (await citizen.RegisterTemporaryResidenceAsync(Temporary(elsewhere, Today.AddMonths(-3), Today.AddDays(-1))), RefusalKind.Invalid, "until"),
            (await citizen.RegisterTemporaryResidenceAsync(Temporary(elsewhere, Today, Today.AddYears(2).AddDays(1))), RefusalKind.Invalid, "until"),
            (await citizen.RegisterTemporaryResidenceAsync(Temporary(elsewhere, Today.AddDays(2), Today.AddYears(1))), RefusalKind.Invalid, "from"),
            (await citizen.RegisterTemporaryResidenceAsync(Temporary(elsewhere with { CommuneCode = "00004" }, Today, Today.AddYears(1))), RefusalKind.Invalid, "address.communeCode"),
            (await citizen.RegisterTemporaryResidenceAsync(Temporary(new ResidenceAddress("001", "00004", "5 Hàng Gai"), Today, Today.AddYears(1))), RefusalKind.Invalid, "address"),
            (await citizen.RegisterTemporaryResidenceAsync(Temporary(elsewhere, Today, Today.AddYears(1)) with { Actor = TestActors.Officer("001") }), RefusalKind.Forbidden, "actor"),
            (await _client.Citizen(dead.PersonalIdNumber).RegisterTemporaryResidenceAsync(Temporary(elsewhere, Today, Today.AddYears(1))), RefusalKind.Conflict, "record"),
            (await citizen.DeclareTemporaryAbsenceAsync(Absence(Today.AddDays(1), null)), RefusalKind.Invalid, "from"),
            (await citizen.DeclareTemporaryAbsenceAsync(Absence(Today, Today.AddDays(-1))), RefusalKind.Invalid, "until"),
        ];

        Assert.All(refused, expected =>
        {
            var refusal = Assert.IsType<ChangeRefused>(expected.Outcome).Refusal;
            Assert.Equal((expected.Kind, expected.Field), (refusal.Kind, refusal.Errors.Single().Field));
        });
        Assert.Equal(storage, await StorageAsync());
    }

    /// <summary>
    /// The residence sweep of a province and day flags those whose registration away ended more than 12 months before,
    /// once, and nobody else; registering again clears the flag.
    /// </summary>
    [Fact]
    public async Task The_residence_sweep_flags_those_away_12_months_after_their_registration_ended()
    {
        var away = await RegisterAsync("046");
        var renewed = await RegisterAsync("046");
        var declared = await RegisterAsync("046");
        var elsewhere = new ResidenceAddress("079", "26734", "3 Hai Bà Trưng");
        Assert.IsType<Changed>(await _client.Citizen(away.PersonalIdNumber).RegisterTemporaryResidenceAsync(Temporary(elsewhere, Today, Today.AddMonths(1))));
        Assert.IsType<Changed>(await _client.Citizen(renewed.PersonalIdNumber).RegisterTemporaryResidenceAsync(Temporary(elsewhere, Today, Today.AddYears(2))));
        Assert.IsType<Changed>(await _client.Citizen(declared.PersonalIdNumber).DeclareTemporaryAbsenceAsync(Absence(Today, null)));
        // The day a little over 12 months after the first registration ends; the sweep of a day is its own grain.
        var day = Today.AddMonths(13).AddDays(2);
        var sweep = _client.GetGrain<IResidenceSweepGrain>(ResidenceSweepGrain.Key("046", day));

        await sweep.StartAsync();
        Assert.Equal(new ResidenceSweepProgress(true, 1), await WaitUntilSweptAsync(sweep));
        Assert.Equal(new ResidenceSweepProgress(true, 1), await sweep.StartAsync());

        Assert.Equal(day, (await _client.Citizen(away.PersonalIdNumber).GetAsync())!.PermanentResidenceDeletionFlaggedOn);
        Assert.Null((await _client.Citizen(renewed.PersonalIdNumber).GetAsync())!.PermanentResidenceDeletionFlaggedOn);
        Assert.Null((await _client.Citizen(declared.PersonalIdNumber).GetAsync())!.PermanentResidenceDeletionFlaggedOn);
        Assert.Equal(ResidentChangeKind.ResidenceFlag, (await _client.Citizen(away.PersonalIdNumber).GetHistoryAsync()).Last().Kind);
        var cleared = Assert.IsType<Changed>(await _client.Citizen(away.PersonalIdNumber).RegisterTemporaryResidenceAsync(Temporary(elsewhere, Today, Today.AddYears(1))));
        Assert.Null(cleared.Resident.PermanentResidenceDeletionFlaggedOn);
    }

    // The sweep goes on in pages, one per tick of its timer; a few residents take one page.
    private static Task<ResidenceSweepProgress> WaitUntilSweptAsync(IResidenceSweepGrain sweep) =>
        Eventually.ValueAsync(sweep.GetProgressAsync, static progress => progress.Done, Eventually.Within(PagedRun.ShortPause), "the residence sweep finishes");

    private static RegisterTemporaryResidence Temporary(ResidenceAddress address, DateOnly from, DateOnly until) =>
        new("temporary-" + Guid.NewGuid().ToString("N"), TestActors.Administrator, address, from, until);

    private static DeclareTemporaryAbsence Absence(DateOnly from, DateOnly? until) =>
        new("absence-" + Guid.NewGuid().ToString("N"), TestActors.Administrator, from, until, "Đi làm ở Đà Nẵng");
}
