using Registry.Contracts.Residents;
using Registry.Database.Residents;
using Registry.Domain.Residents;

namespace Registry.Cluster.Tests.ReadModel;

/// <summary>Searching people in the read model on a real PostgreSQL.</summary>
public sealed class ResidentSearchTests(ReadModelDatabase database) : IClassFixture<ReadModelDatabase>, IAsyncLifetime
{
    private readonly ResidentDirectory _directory = database.Directory;

    /// <inheritdoc />
    public Task InitializeAsync() => database.ResetAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The start of a name typed without accents, in any case and spacing, finds the person with them.</summary>
    [Theory]
    [InlineData("nguyen thi a")]
    [InlineData("NGUYỄN THỊ")]
    [InlineData("  Nguyen   Thi Anh ")]
    [InlineData("nguyễn thị ánh")]
    [InlineData("ng")]
    public async Task A_folded_prefix_finds_the_accented_name(string name)
    {
        await ProjectAsync(People.Snapshot("Nguyễn Thị Ánh"), People.Snapshot("Trần Thị Ánh"), People.Snapshot("Nguyễn Văn Ánh", sex: Sex.Male));

        var page = await _directory.SearchAsync(new ResidentQuery(name, null, null));

        Assert.Contains(page.Residents, resident => resident.FullName == "Nguyễn Thị Ánh");
        Assert.DoesNotContain(page.Residents, resident => resident.FullName == "Trần Thị Ánh");
    }

    /// <summary>A prefix matches whole characters: "nguyen thi anh" does not find "Nguyễn Thị An", and vice versa only by prefix.</summary>
    [Fact]
    public async Task A_prefix_matches_only_names_that_start_with_it()
    {
        await ProjectAsync(People.Snapshot("Nguyễn Thị An"), People.Snapshot("Nguyễn Thị Anh"), People.Snapshot("Nguyễn Thị Ánh Dương"));

        Assert.Equal(["Nguyễn Thị Anh", "Nguyễn Thị Ánh Dương"], await NamesAsync(new ResidentQuery("nguyen thi anh", null, null)));
        Assert.Equal(["Nguyễn Thị An", "Nguyễn Thị Anh", "Nguyễn Thị Ánh Dương"], await NamesAsync(new ResidentQuery("nguyen thi an", null, null)));
    }

    /// <summary>A birth year keeps only people born in it, January 1 and December 31 included.</summary>
    [Fact]
    public async Task A_birth_year_keeps_only_people_born_in_it()
    {
        await ProjectAsync(
            People.Snapshot("Lê Thị Mai", new DateOnly(1987, 1, 1)),
            People.Snapshot("Lê Thị Mai", new DateOnly(1987, 12, 31)),
            People.Snapshot("Lê Thị Mai", new DateOnly(1986, 12, 31)),
            People.Snapshot("Lê Thị Mai", new DateOnly(1988, 1, 1)));

        var page = await _directory.SearchAsync(new ResidentQuery("le thi mai", 1987, null));

        Assert.Equal([new DateOnly(1987, 1, 1), new DateOnly(1987, 12, 31)], page.Residents.Select(resident => resident.BirthDate).Order());
    }

    /// <summary>The province is where the person lives permanently, not where their birth was registered.</summary>
    [Fact]
    public async Task A_province_matches_the_permanent_residence()
    {
        await ProjectAsync(
            People.Snapshot("Phạm Văn Nam", sex: Sex.Male, birthProvince: "001", residenceProvince: "079"),
            People.Snapshot("Phạm Văn Nam", sex: Sex.Male, birthProvince: "079", residenceProvince: "001"));

        var page = await _directory.SearchAsync(new ResidentQuery("pham van", null, "079"));

        var found = Assert.Single(page.Residents);
        Assert.Equal(("001", "079"), (found.BirthRegistrationProvince, found.PermanentResidenceProvince));
    }

    /// <summary>A province alone lists its residents by name; a one-letter name is enough with a province.</summary>
    [Fact]
    public async Task A_province_alone_lists_its_residents_by_name()
    {
        await ProjectAsync(
            People.Snapshot("Vũ Thị Yến", residenceProvince: "048"),
            People.Snapshot("Đặng Văn An", sex: Sex.Male, residenceProvince: "048"),
            People.Snapshot("Bùi Thị Lan", residenceProvince: "048"),
            People.Snapshot("Bùi Thị Lan", residenceProvince: "049"));

        Assert.Equal(["Bùi Thị Lan", "Đặng Văn An", "Vũ Thị Yến"], await NamesAsync(new ResidentQuery(null, null, "048")));
        Assert.Equal(["Bùi Thị Lan"], await NamesAsync(new ResidentQuery("b", null, "048")));
    }

    /// <summary>
    /// Pages follow each other without gaps or repeats, in (folded name, number) order, and the last one has no
    /// cursor; people registered meanwhile before the cursor do not shift the next page.
    /// </summary>
    [Fact]
    public async Task Pages_cover_every_match_once_in_order()
    {
        var snapshots = Enumerable.Range(0, 45)
            .Select(i => People.Snapshot(i % 3 == 0 ? "Hoàng Thị Thu" : $"Hoàng Thị Thu {(char)('A' + i % 26)}"))
            .ToList();
        await ProjectAsync([.. snapshots]);

        var first = await _directory.SearchAsync(new ResidentQuery("hoang thi thu", null, null, 20));
        // Someone who sorts before everything already listed must not push a row of page 1 onto page 2.
        await ProjectAsync(People.Snapshot("Hoàng Thị Thu"));
        var second = await _directory.SearchAsync(new ResidentQuery("hoang thi thu", null, null, 20, first.Next));
        var third = await _directory.SearchAsync(new ResidentQuery("hoang thi thu", null, null, 20, second.Next));

        Assert.Equal((20, 20, 5), (first.Residents.Count, second.Residents.Count, third.Residents.Count));
        Assert.NotNull(first.Next);
        Assert.NotNull(second.Next);
        Assert.Null(third.Next);
        var listed = first.Residents.Concat(second.Residents).Concat(third.Residents).ToList();
        var expected = snapshots
            .OrderBy(snapshot => NameFolding.Fold(snapshot.Resident.FullName), StringComparer.Ordinal)
            .ThenBy(snapshot => snapshot.Resident.PersonalIdNumber.Value, StringComparer.Ordinal)
            .Select(snapshot => snapshot.Resident.PersonalIdNumber);
        Assert.Equal(expected, listed.Select(resident => resident.PersonalIdNumber));
    }

    /// <summary>A page that ends exactly with the last match says so: no cursor to an empty page.</summary>
    [Fact]
    public async Task A_full_last_page_has_no_cursor()
    {
        await ProjectAsync([.. Enumerable.Range(0, 5).Select(_ => People.Snapshot("Mai Thị Đủ"))]);

        var page = await _directory.SearchAsync(new ResidentQuery("mai thi du", null, null, 5));

        Assert.Equal(5, page.Residents.Count);
        Assert.Null(page.Next);
    }

    /// <summary>A number replaced by a corrected one is not listed; the person is found under the new one.</summary>
    [Fact]
    public async Task Superseded_numbers_are_left_out()
    {
        var old = People.Snapshot("Tạ Thị Sửa", new DateOnly(1990, 5, 17));
        var corrected = People.Snapshot("Tạ Thị Sửa", new DateOnly(1991, 5, 17));
        await ProjectAsync(old, corrected);
        await ProjectAsync(People.Next(old, resident => resident) with { SupersededBy = corrected.Resident.PersonalIdNumber });

        var found = Assert.Single((await _directory.SearchAsync(new ResidentQuery("ta thi sua", null, null))).Residents);

        Assert.Equal(corrected.Resident.PersonalIdNumber, found.PersonalIdNumber);
    }

    /// <summary>Dead people are listed, marked as such.</summary>
    [Fact]
    public async Task The_dead_are_listed_as_not_alive()
    {
        var registered = People.Snapshot("Cao Văn Mất", sex: Sex.Male);
        await ProjectAsync(People.Next(registered, resident => resident with { Death = new DeathRecord(new DateOnly(2020, 2, 2), "Huế", "KT-9") }));

        var found = Assert.Single((await _directory.SearchAsync(new ResidentQuery("cao van mat", null, null))).Residents);

        Assert.False(found.Alive);
    }

    /// <summary>Characters that are wildcards to LIKE (% _ \) are matched literally.</summary>
    [Theory]
    [InlineData("lam van_", "Lâm Văn_An")]
    [InlineData("lam van%", "Lâm Văn%An")]
    [InlineData(@"lam van\", @"Lâm Văn\An")]
    public async Task LIKE_wildcards_in_the_input_are_plain_characters(string name, string only)
    {
        await ProjectAsync(
            People.Snapshot("Lâm Văn_An", sex: Sex.Male),
            People.Snapshot("Lâm Văn%An", sex: Sex.Male),
            People.Snapshot(@"Lâm Văn\An", sex: Sex.Male),
            People.Snapshot("Lâm Văn An", sex: Sex.Male),
            People.Snapshot("Lâm VănXAn", sex: Sex.Male));

        Assert.Equal([only], await NamesAsync(new ResidentQuery(name, null, null)));
        Assert.Empty(await NamesAsync(new ResidentQuery("l%", null, null)));
        Assert.Empty(await NamesAsync(new ResidentQuery("__", null, null)));
    }

    /// <summary>Prefixes ending in the highest code points still bound the range correctly.</summary>
    [Fact]
    public async Task Prefixes_ending_in_high_code_points_match_exactly()
    {
        await ProjectAsync(
            People.Snapshot("Kim \uD7FF", sex: Sex.Male),
            People.Snapshot("Kim \uE000", sex: Sex.Male),
            People.Snapshot("Kim \U0010FFFF", sex: Sex.Male),
            People.Snapshot("Kim \U0010FFFFz", sex: Sex.Male),
            People.Snapshot("Kin", sex: Sex.Male));

        Assert.Equal(["Kim \uD7FF"], await NamesAsync(new ResidentQuery("kim \uD7FF", null, null)));
        Assert.Equal(["Kim \U0010FFFF", "Kim \U0010FFFFz"], await NamesAsync(new ResidentQuery("kim \U0010FFFF", null, null)));
    }

    /// <summary>An invalid query is refused before it reaches PostgreSQL.</summary>
    [Fact]
    public async Task An_invalid_query_is_refused() =>
        await Assert.ThrowsAsync<ArgumentException>(() => _directory.SearchAsync(new ResidentQuery("a", null, null)));

    private async Task ProjectAsync(params ResidentSnapshot[] snapshots)
    {
        await using var projection = database.NewProjection();
        await projection.ProjectAllAsync(snapshots);
    }

    private async Task<string[]> NamesAsync(ResidentQuery query) =>
        [.. (await _directory.SearchAsync(query)).Residents.Select(resident => resident.FullName)];
}
