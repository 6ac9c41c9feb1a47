using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Registry.Api.Provinces;
using Registry.Api.Tests.Hosting;
using Xunit;

namespace Registry.Api.Tests.Provinces;

/// <summary><c>GET /provinces/{code}</c>.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class ReadingProvincesTests(ApiFixture api)
{
    /// <summary>A province code of 2024 answers with the province's name and resident count.</summary>
    [Fact]
    public async Task A_province_answers_with_its_name_and_count()
    {
        using var response = await api.GetAsync("/provinces/079");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var province = await response.Content.ReadFromJsonAsync<ProvinceResponse>();
        Assert.NotNull(province);
        Assert.Equal("079", province.Code);
        Assert.Equal("Hồ Chí Minh", province.Name);
        Assert.True(province.Residents >= 0);
    }

    /// <summary>Three digits that are not a province code are a 404 problem.</summary>
    [Fact]
    public async Task An_unknown_province_is_not_found()
    {
        using var response = await api.GetAsync("/provinces/999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    /// <summary>A code that is not three digits is a 400 naming the code.</summary>
    [Fact]
    public async Task A_malformed_province_code_is_refused_naming_it()
    {
        using var response = await api.GetAsync("/provinces/7a9");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["code"], problem.GetProperty("errors").EnumerateObject().Select(error => error.Name));
    }
}
