using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Registry.Api.Tests.Hosting;
using Xunit;

namespace Registry.Api.Tests.Limits;

/// <summary>
/// A request body over the server's limit is refused with 413 problem details, from its Content-Length, before
/// anything is read into a command; nothing changes. The limit is Kestrel's (30,000,000 bytes) everywhere but a batch upload,
/// which sets its own.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class RequestSizeTests(ApiFixture api)
{
    private static readonly long Limit = new KestrelServerLimits().MaxRequestBodySize!.Value;

    /// <summary>A registration one byte over the limit: 413 problem details, nothing stored.</summary>
    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_and_changes_nothing()
    {
        var before = await api.SnapshotAsync();
        // A JSON document of exactly limit + 1 bytes: {"givenName":"aaa…"}.
        var opening = "{\"givenName\":\""u8.ToArray();
        var body = new byte[Limit + 1];
        opening.CopyTo(body, 0);
        Array.Fill(body, (byte)'a', opening.Length, body.Length - opening.Length - 2);
        body[^2] = (byte)'"';
        body[^1] = (byte)'}';
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/residents", UriKind.Relative)) { Content = content };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", ApiFixture.NewIdempotencyKey());
        // The server answers from the Content-Length alone and closes the connection; a client that waits for
        // "100 Continue" reads that answer instead of failing while it still writes the body.
        request.Headers.ExpectContinue = true;

        using var response = await api.Http.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"expected 413, got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(413, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(before, await api.SnapshotAsync());
    }
}
