using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Registry.Api.Residents;
using Registry.Api.Tests.Hosting;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Database.Residents;
using Registry.Domain.Residents;
using Xunit;

namespace Registry.Api.Tests.Residents;

/// <summary>
/// <c>GET /residents</c> over HTTP: every acknowledged change is already in the read model, and searches page through
/// people the projection wrote. Each test's people carry a name no one else has, so other tests' rows never show up.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class SearchingResidentsTests(ApiFixture api)
{
    private static int _serial = 900_000;

    /// <summary>A registration is found the moment it is acknowledged, by a prefix of its name without accents or case.</summary>
    [Fact]
    public async Task An_acknowledged_registration_is_found_at_once_by_its_folded_name()
    {
        var person = await People.RegisterAsync(api, province: "046", birthDate: "1977-07-07");
        var prefix = person.FullName.Replace("Nguyễn Thị", "nguyen thi", StringComparison.Ordinal)[..18];

        var found = await SearchTypedAsync($"name={Uri.EscapeDataString(prefix)}&birthYear=1977&province=046");

        Assert.Equal([person.PersonalIdNumber], found.Residents.Select(resident => resident.PersonalIdNumber));
        Assert.Empty((await SearchTypedAsync($"name={Uri.EscapeDataString(prefix)}&birthYear=1978")).Residents);
    }

    /// <summary>After an acknowledged correction, the new name is found and the old one is not.</summary>
    [Fact]
    public async Task An_acknowledged_correction_is_found_at_once()
    {
        var person = await People.RegisterAsync(api, province: "046");
        var corrected = People.UniqueName();

        using var response = await SecondOfficials.ProposeAndApproveAsync(api, $"/residents/{person.PersonalIdNumber}/amendments", ApiFixture.NewIdempotencyKey(),
            AmendingResidentsTests.Amendment("Sai tên", "QĐ-2/2026", ("fullName", corrected)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([person.PersonalIdNumber], (await SearchTypedAsync($"name={Uri.EscapeDataString(corrected)}")).Residents.Select(resident => resident.PersonalIdNumber));
        Assert.Empty((await SearchTypedAsync($"name={Uri.EscapeDataString(person.FullName)}")).Residents);
    }

    /// <summary>A number replaced by a correction is left out of searches; the person is found under the new one.</summary>
    [Fact]
    public async Task A_replaced_number_is_left_out_of_searches()
    {
        var person = await People.RegisterAsync(api, province: "046", birthDate: "1970-01-01");

        using var response = await SecondOfficials.ProposeAndApproveAsync(api, $"/residents/{person.PersonalIdNumber}/amendments", ApiFixture.NewIdempotencyKey(),
            AmendingResidentsTests.Amendment("Sai năm sinh", "TA-7/2026", ("birthDate", "1971-01-01")));
        var renumbered = await SecondOfficials.AppliedAsync(response);

        var found = await SearchTypedAsync($"name={Uri.EscapeDataString(person.FullName)}");
        Assert.Equal([renumbered.PersonalIdNumber], found.Residents.Select(resident => resident.PersonalIdNumber));
    }

    /// <summary>A folded prefix finds the accented names, as JSON with every listed field, ordered by name.</summary>
    [Fact]
    public async Task A_folded_prefix_lists_the_people_it_starts()
    {
        var family = NewFamilyName();
        await ProjectAsync(
            Person($"{family} Thị Ánh", Sex.Female, new DateOnly(1990, 5, 17), "079", "001"),
            Person($"{family} Văn An", Sex.Male, new DateOnly(1987, 3, 9), "001", "001"),
            Person($"{family} Thị Bình", Sex.Female, new DateOnly(1990, 1, 1), "048", "048"));

        var page = await SearchAsync($"?name={Uri.EscapeDataString(NameFolding.Fold(family).ToUpperInvariant() + " THI A")}");

        var resident = Assert.Single(page.GetProperty("residents").EnumerateArray());
        Assert.Equal($"{family} Thị Ánh", resident.GetProperty("fullName").GetString());
        Assert.Equal("1990-05-17", resident.GetProperty("birthDate").GetString());
        Assert.Equal("female", resident.GetProperty("sex").GetString());
        Assert.Equal(("079", "001"), (resident.GetProperty("birthRegistrationProvince").GetString(), resident.GetProperty("permanentResidenceProvince").GetString()));
        Assert.True(resident.GetProperty("alive").GetBoolean());
        Assert.Matches("^079190[0-9]{6}$", resident.GetProperty("personalIdNumber").GetString());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
    }

    /// <summary>Birth year and province narrow the search; 'next' leads through every page and ends with null.</summary>
    [Fact]
    public async Task Filters_narrow_and_next_pages_through_every_match()
    {
        var family = NewFamilyName();
        await ProjectAsync([.. Enumerable.Range(0, 7).Select(i => Person($"{family} Văn {(char)('A' + i)}", Sex.Male, new DateOnly(1987, 1, 1 + i), "001", "079"))]);
        await ProjectAsync(
            Person($"{family} Văn Z", Sex.Male, new DateOnly(1988, 1, 1), "001", "079"),
            Person($"{family} Văn Y", Sex.Male, new DateOnly(1987, 1, 1), "001", "001"));
        var key = Uri.EscapeDataString(NameFolding.Fold(family));

        var names = new List<string>();
        var pages = 0;
        string? next = null;
        do
        {
            var page = await SearchAsync($"?name={key}&birthYear=1987&province=079&limit=3{(next is null ? "" : "&after=" + Uri.EscapeDataString(next))}");
            names.AddRange(page.GetProperty("residents").EnumerateArray().Select(resident => resident.GetProperty("fullName").GetString()!));
            next = page.GetProperty("next").GetString();
            pages++;
        }
        while (next is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"{family} Văn {(char)('A' + i)}"), names);
    }

    /// <summary>Invariant 5: a bad search is a 400 problem naming the field.</summary>
    [Theory]
    [InlineData("", "name")]
    [InlineData("?name=a", "name")]
    [InlineData("?name=%20%20", "name")]
    [InlineData("?name=nguyen&birthYear=abc", "birthYear")]
    [InlineData("?name=nguyen&birthYear=1899", "birthYear")]
    [InlineData("?name=nguyen&province=999", "province")]
    [InlineData("?province=79", "province")]
    [InlineData("?name=nguyen&limit=0", "limit")]
    [InlineData("?name=nguyen&limit=101", "limit")]
    [InlineData("?name=nguyen&limit=ten", "limit")]
    [InlineData("?name=nguyen&after=not-a-cursor", "after")]
    public async Task A_bad_search_is_refused_naming_the_field(string queryString, string field)
    {
        using var response = await api.GetAsync("/residents" + queryString);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(error => error.Name));
    }

    /// <summary>The OpenAPI document describes the search, its numeric parameters as integers.</summary>
    [Fact]
    public async Task The_search_is_in_the_OpenAPI_document()
    {
        var document = await (await api.GetAsync("/openapi/v1.json")).Content.ReadFromJsonAsync<JsonElement>();

        var operation = document.GetProperty("paths").GetProperty("/residents").GetProperty("get");
        Assert.Equal("SearchResidents", operation.GetProperty("operationId").GetString());
        var parameters = operation.GetProperty("parameters").EnumerateArray().ToDictionary(parameter => parameter.GetProperty("name").GetString()!);
        Assert.Equal(["name", "birthYear", "province", "limit", "after"], parameters.Keys);
        Assert.Equal("integer", parameters["birthYear"].GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal("integer", parameters["limit"].GetProperty("schema").GetProperty("type").GetString());
    }

    private async Task<ResidentSearchResponse> SearchTypedAsync(string query) =>
        (await api.Http.GetFromJsonAsync<ResidentSearchResponse>(new Uri($"/residents?{query}", UriKind.Relative)))!;

    private async Task<JsonElement> SearchAsync(string queryString)
    {
        using var response = await api.GetAsync("/residents" + queryString);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task ProjectAsync(params ResidentSnapshot[] snapshots)
    {
        await using var database = NpgsqlDataSource.Create(api.ConnectionString);
        await using var projection = new ResidentProjection(database, NullLogger<ResidentProjection>.Instance);
        await Task.WhenAll(snapshots.Select(snapshot => projection.ProjectAsync(snapshot)));
    }

    // Letters only, so that it folds to itself and sorts nowhere near the names other tests register.
    private static string NewFamilyName() =>
        "Thử" + string.Concat(Guid.NewGuid().ToString("N").Where(char.IsAsciiLetter).Take(8));

    private static ResidentSnapshot Person(string name, Sex sex, DateOnly birthDate, string birthProvince, string residenceProvince)
    {
        var number = PersonalIdNumber.Create(IdNumberPrefix.For(birthProvince, sex, birthDate), Interlocked.Increment(ref _serial));
        var record = new ResidentRecord(number, name, birthDate, sex, birthProvince, residenceProvince, DateTimeOffset.UtcNow);
        return new ResidentSnapshot(record, 1, null, record.RegisteredAt);
    }
}
