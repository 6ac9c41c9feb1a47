using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Registry.Api.Tests.Hosting;
using Xunit;

namespace Registry.Api.Tests.Residents;

/// <summary><c>GET /residents/{personalIdNumber}</c> for numbers that are malformed or held by nobody.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class ReadingResidentsTests(ApiFixture api)
{
    /// <summary>Anything but 12 ASCII digits starting with a province code is a 400 naming personalIdNumber.</summary>
    [Theory]
    [InlineData("07919012345")]
    [InlineData("0791901234567")]
    [InlineData("079190abcdef")]
    [InlineData("079190 12345")]
    [InlineData("999190123456")]
    public async Task A_malformed_personal_id_number_is_refused_naming_it(string number)
    {
        using var response = await api.GetAsync($"/residents/{Uri.EscapeDataString(number)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["personalIdNumber"], problem.GetProperty("errors").EnumerateObject().Select(error => error.Name));
    }

    /// <summary>A well-formed number that nobody holds is a 404 problem.</summary>
    [Fact]
    public async Task A_number_nobody_holds_is_not_found()
    {
        // Cà Mau (096), female born 1999: no test registers anyone under this prefix.
        using var response = await api.GetAsync("/residents/096199000000");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }
}
