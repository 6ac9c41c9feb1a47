using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Registry.Api.Tests.Hosting;

/// <summary>What operators and integrators read: health, the OpenAPI document and the reference page.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class ServiceEndpointsTests(ApiFixture api)
{
    /// <summary>Liveness and readiness answer 200 with a JSON status of Healthy while the cluster is up.</summary>
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_report_healthy(string path)
    {
        using var response = await api.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
    }

    /// <summary>The OpenAPI document is JSON naming and summarising every operation, with server URLs without a trailing slash, and documents each 404 as problem details.</summary>
    [Fact]
    public async Task The_OpenAPI_document_names_and_summarises_every_operation()
    {
        using var response = await api.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .Select(operation => operation.Value)
            .Where(operation => operation.TryGetProperty("operationId", out _))
            .ToDictionary(operation => operation.GetProperty("operationId").GetString()!);
        foreach (var name in new[] { "RegisterResident", "GetResident", "GetProvince", "UploadBatch", "GetBatch", "GetBatchRows" })
        {
            Assert.True(operations.TryGetValue(name, out var operation), $"{name} is not in the document");
            Assert.True(
                operation.TryGetProperty("summary", out var summary) && !string.IsNullOrWhiteSpace(summary.GetString()),
                $"{name} has no summary");
        }

        // Operation paths start with '/': a server URL ending in one would make clients call "//residents".
        Assert.All(document.RootElement.GetProperty("servers").EnumerateArray(), server => Assert.False(server.GetProperty("url").GetString()!.EndsWith('/'), server.ToString()));
        foreach (var name in new[] { "GetResident", "GetProvince", "GetBatch", "GetBatchRows" })
        {
            var notFound = operations[name].GetProperty("responses").GetProperty("404").GetProperty("content");
            Assert.True(notFound.TryGetProperty("application/problem+json", out _), $"{name} does not document 404 as problem details");
        }
    }

    /// <summary>The API reference page answers with HTML, following the redirect to its canonical address if there is one.</summary>
    [Fact]
    public async Task The_API_reference_page_is_served()
    {
        using var response = await api.GetAsync("/scalar");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
