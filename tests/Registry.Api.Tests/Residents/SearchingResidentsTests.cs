using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Registry.Api.Residents;
using Registry.Api.Tests.Hosting;
using Xunit;

namespace Registry.Api.Tests.Residents;

/// <summary><c>GET /residents</c>: the read model answers searches, and every acknowledged change is already in it.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class SearchingResidentsTests(ApiFixture api)
{
    /// <summary>A registration is found the moment it is acknowledged, by a prefix of its name without accents or case.</summary>
    [Fact]
    public async Task An_acknowledged_registration_is_found_at_once_by_its_folded_name()
    {
        var person = await People.RegisterAsync(api, province: "046", birthDate: "1977-07-07");
        var prefix = person.FullName.Replace("Nguyễn Thị", "nguyen thi", StringComparison.Ordinal)[..18];

        var found = await SearchAsync($"name={Uri.EscapeDataString(prefix)}&birthYear=1977&province=046");

        Assert.Equal([person.PersonalIdNumber], found.Residents.Select(resident => resident.PersonalIdNumber));
        Assert.Empty((await SearchAsync($"name={Uri.EscapeDataString(prefix)}&birthYear=1978")).Residents);
    }

    /// <summary>After an acknowledged correction, the new name is found and the old one is not.</summary>
    [Fact]
    public async Task An_acknowledged_correction_is_found_at_once()
    {
        var person = await People.RegisterAsync(api, province: "046");
        var corrected = People.UniqueName();

        using var response = await api.PostAsync($"/residents/{person.PersonalIdNumber}/amendments", ApiFixture.NewIdempotencyKey(),
            AmendingResidentsTests.Amendment("Sai tên", "QĐ-2/2026", ("fullName", corrected)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([person.PersonalIdNumber], (await SearchAsync($"name={Uri.EscapeDataString(corrected)}")).Residents.Select(resident => resident.PersonalIdNumber));
        Assert.Empty((await SearchAsync($"name={Uri.EscapeDataString(person.FullName)}")).Residents);
    }

    /// <summary>A number replaced by a correction is left out of searches; the person is found under the new one.</summary>
    [Fact]
    public async Task A_replaced_number_is_left_out_of_searches()
    {
        var person = await People.RegisterAsync(api, province: "046", birthDate: "1970-01-01");

        using var response = await api.PostAsync($"/residents/{person.PersonalIdNumber}/amendments", ApiFixture.NewIdempotencyKey(),
            AmendingResidentsTests.Amendment("Sai năm sinh", "TA-7/2026", ("birthDate", "1971-01-01")));
        var renumbered = (await response.Content.ReadFromJsonAsync<ResidentResponse>())!;

        var found = await SearchAsync($"name={Uri.EscapeDataString(person.FullName)}");
        Assert.Equal([renumbered.PersonalIdNumber], found.Residents.Select(resident => resident.PersonalIdNumber));
    }

    /// <summary>Bad queries are refused with 400 naming the parameter.</summary>
    [Theory]
    [InlineData("", "name")]
    [InlineData("name=n", "name")]
    [InlineData("name=nguyen&birthYear=abc", "birthYear")]
    [InlineData("name=nguyen&limit=0", "limit")]
    [InlineData("name=nguyen&limit=101", "limit")]
    [InlineData("province=999", "province")]
    [InlineData("name=nguyen&after=not-a-cursor", "after")]
    public async Task Bad_queries_are_refused_naming_the_parameter(string query, string field)
    {
        using var response = await api.GetAsync($"/residents?{query}");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
    }

    private async Task<ResidentSearchResponse> SearchAsync(string query) =>
        (await api.Http.GetFromJsonAsync<ResidentSearchResponse>(new Uri($"/residents?{query}", UriKind.Relative)))!;
}
