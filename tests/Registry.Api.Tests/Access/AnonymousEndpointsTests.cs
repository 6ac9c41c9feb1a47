using System.Net;
using System.Text.Json;
using Registry.Api.Tests.Hosting;
using Xunit;

namespace Registry.Api.Tests.Access;

/// <summary>Probes and integrators need no token for health and the API reference; the reference says how to send one.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class AnonymousEndpointsTests(ApiFixture api)
{
    /// <summary>Health, the OpenAPI document and the reference page answer 200 without a token.</summary>
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/scalar")]
    [InlineData("/access-purposes")]
    public async Task Health_and_the_API_reference_need_no_token(string path)
    {
        using var anonymous = api.AnonymousClient();

        using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// The document declares an HTTP bearer scheme, requires it for the API, and documents 401 on every operation and
    /// 403 on the one that needs a writer's role and on a person's record, both as problem details.
    /// </summary>
    [Fact]
    public async Task The_OpenAPI_document_declares_the_bearer_scheme()
    {
        using var anonymous = api.AnonymousClient();

        using var document = JsonDocument.Parse(await anonymous.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        var root = document.RootElement;
        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.Contains(root.GetProperty("security").EnumerateArray(), requirement => requirement.TryGetProperty("Bearer", out _));

        var operations = root.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .Where(operation => operation.Value.TryGetProperty("operationId", out _))
            // The published purposes are public, like this document.
            .Where(operation => operation.Value.GetProperty("operationId").GetString() != "ListAccessPurposes")
            .ToDictionary(operation => operation.Value.GetProperty("operationId").GetString()!, operation => operation.Value.GetProperty("responses"));
        Assert.All(operations, operation => Assert.True(
            operation.Value.TryGetProperty("401", out var unauthorized) && unauthorized.GetProperty("content").TryGetProperty("application/problem+json", out _),
            $"{operation.Key} does not document 401 as problem details"));
        Assert.True(operations["RegisterResident"].GetProperty("403").GetProperty("content").TryGetProperty("application/problem+json", out _));
        // Who reads a person is decided per person (Readers), so the record documents the 403 too.
        Assert.True(operations["GetResident"].GetProperty("403").GetProperty("content").TryGetProperty("application/problem+json", out _));
    }
}
