using Registry.Contracts.Residents;
using Registry.Database.Residents;

namespace Registry.Cluster.Tests.ReadModel;

/// <summary>The duplicate check of a registration, on a real PostgreSQL.</summary>
public sealed class DuplicateCandidateTests(ReadModelDatabase database) : IClassFixture<ReadModelDatabase>, IAsyncLifetime
{
    private static readonly DateOnly Born = new(1990, 5, 17);

    private readonly ResidentDirectory _directory = database.Directory;

    /// <inheritdoc />
    public Task InitializeAsync() => database.ResetAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Candidates share the folded name, the birth date and the birth registration province; living and dead are
    /// both candidates; they come ordered by number with every field the caller needs to compare.
    /// </summary>
    [Fact]
    public async Task Same_folded_name_birth_date_and_birth_province_are_candidates()
    {
        var living = People.Snapshot("Nguyễn Thị Ánh", Born, birthProvince: "079", residenceProvince: "001");
        var dead = People.Next(People.Snapshot("NGUYEN THI ANH", Born, birthProvince: "079"),
            resident => resident with { Death = new DeathRecord(new DateOnly(2020, 1, 1), "Hà Nội", "KT-1") });
        await ProjectAsync(
            living,
            dead,
            People.Snapshot("Nguyễn Thị Ánh", Born.AddDays(1), birthProvince: "079"),
            People.Snapshot("Nguyễn Thị Ánh", Born, birthProvince: "001"),
            People.Snapshot("Nguyễn Thị Anh Thư", Born, birthProvince: "079"));

        var candidates = await _directory.FindDuplicateCandidatesAsync("nguyễn thị ánh", Born, "079");

        var expected = new[] { living.Resident, dead.Resident }
            .OrderBy(resident => resident.PersonalIdNumber.Value, StringComparer.Ordinal)
            .Select(resident => new DuplicateCandidate(
                resident.PersonalIdNumber, resident.FullName, resident.BirthDate, resident.Sex, resident.BirthRegistrationProvince, resident.PermanentResidenceProvince));
        Assert.Equal(expected, candidates);
    }

    /// <summary>A superseded number is not a candidate: the person is one under their new number.</summary>
    [Fact]
    public async Task Superseded_numbers_are_not_candidates()
    {
        var old = People.Snapshot("Trương Văn Cũ", Born, sex: Sex.Female);
        var corrected = People.Snapshot("Trương Văn Cũ", Born, sex: Sex.Male);
        await ProjectAsync(People.Next(old, resident => resident) with { SupersededBy = corrected.Resident.PersonalIdNumber }, corrected);

        var candidate = Assert.Single(await _directory.FindDuplicateCandidatesAsync("Trương Văn Cũ", Born, "079"));

        Assert.Equal(corrected.Resident.PersonalIdNumber, candidate.PersonalIdNumber);
    }

    /// <summary>Nobody shares these details: no candidates. A blank name has none either.</summary>
    [Fact]
    public async Task Unique_details_have_no_candidates()
    {
        await ProjectAsync(People.Snapshot("Lý Thị Đức", Born));

        Assert.Empty(await _directory.FindDuplicateCandidatesAsync("Lý Thị Đọc", Born, "079"));
        Assert.Empty(await _directory.FindDuplicateCandidatesAsync("   ", Born, "079"));
    }

    private async Task ProjectAsync(params ResidentSnapshot[] snapshots)
    {
        await using var projection = database.NewProjection();
        await projection.ProjectAllAsync(snapshots);
    }
}
