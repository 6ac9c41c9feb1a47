using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Registry.Api.Residents;
using Registry.Api.Tests.Batches;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.Contracts;
using Registry.Contracts.Residents;
using Registry.Domain.Batches;
using Xunit;

namespace Registry.Api.Tests.Errors;

/// <summary>A silo's database that fails a grain call under load (exhausted pool, too many clients).</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class DatabaseFailureTests(ApiFixture api) : IAsyncLifetime
{
    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        foreach (var (province, commune, name) in new[] { ("079", "26734", "Phường Bến Nghé"), ("001", "00004", "Phường Ba Đình") })
        {
            using var response = await api.Http.PutAsJsonAsync($"/provinces/{province}/communes/{commune}", new { name });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// A batch row whose registration the database failed is left pending and registered in a later round, once, never
    /// rejected: the failure says nothing of whether the registration was stored.
    /// </summary>
    [Fact]
    public async Task A_batch_row_the_database_failed_is_registered_later_not_rejected()
    {
        var batchId = BatchUploads.NewId("database-failure");
        var residentsBefore = await api.ResidentsInAsync("048");
        DatabaseFaults.FailNext(api.Client.Registration(BatchIds.RowOperationId(batchId, 1)).GetGrainId(), nameof(IRegistrationGrain.RegisterAsync),
            DatabaseFault.TooManyClients);

        using var response = await BatchUploads.UploadAsync(api.Http, batchId, BatchUploads.Ndjson,
            BatchUploads.Registration(BatchUploads.UniqueName("Năm")) + "\n", province: "048");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var progress = await BatchUploads.WaitUntilCompletedAsync(api.Http, batchId);
        Assert.Equal(1, progress.GetProperty("rows").GetProperty("applied").GetInt64());
        Assert.Equal(0, progress.GetProperty("rows").GetProperty("rejected").GetInt64());
        Assert.Equal(residentsBefore + 1, await api.ResidentsInAsync("048"));
    }

    /// <summary>
    /// The caller gets 503 problem details saying the database did not answer and to retry with the same key, with
    /// Retry-After and none of the database's words; nothing changed; the same request with the same key later moves
    /// the person once.
    /// </summary>
    [Theory]
    [InlineData(DatabaseFault.PoolExhausted)]
    [InlineData(DatabaseFault.TooManyClients)]
    public async Task A_relocation_the_database_failed_is_a_503_to_retry_with_the_same_key(DatabaseFault fault)
    {
        var person = await People.RegisterAsync(api, province: "079");
        var key = ApiFixture.NewIdempotencyKey();
        var before = await api.SnapshotAsync();
        DatabaseFaults.FailNext(api.Client.GetGrain<ICitizenGrain>(person.PersonalIdNumber).GetGrainId(), nameof(ICitizenGrain.RelocateAsync), fault);

        using var failed = await RelocateAsync(person.PersonalIdNumber, key);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        Assert.True(failed.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 503 says when to retry");
        var body = await failed.Content.ReadAsStringAsync();
        var problem = System.Text.Json.JsonSerializer.Deserialize<ProblemDetails>(body, System.Text.Json.JsonSerializerOptions.Web)!;
        Assert.Equal(503, problem.Status);
        Assert.Contains("database did not answer", problem.Title, StringComparison.Ordinal);
        Assert.Contains("Retry with the same Idempotency-Key", problem.Title, StringComparison.Ordinal);
        Assert.DoesNotContain("pool", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("too many clients", body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await api.SnapshotAsync());
        Assert.Equal(person.Version, (await api.Http.GetFromJsonAsync<ResidentResponse>(new Uri($"/residents/{person.PersonalIdNumber}", UriKind.Relative)))!.Version);

        using var retried = await RelocateAsync(person.PersonalIdNumber, key);
        using var again = await RelocateAsync(person.PersonalIdNumber, key);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (retried.StatusCode, again.StatusCode));
        Assert.False(retried.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(["true"], again.Headers.GetValues("Idempotent-Replayed"));
        var moved = (await retried.Content.ReadFromJsonAsync<ResidentResponse>())!;
        Assert.Equal(("001", person.Version + 1), (moved.PermanentResidenceProvince, moved.Version));
    }

    private Task<HttpResponseMessage> RelocateAsync(string number, string key) =>
        api.PostAsync($"/residents/{number}/relocations", key,
            new JsonObject { ["provinceCode"] = "001", ["communeCode"] = "00004", ["address"] = "9 Tràng Tiền", ["movedOn"] = "2026-03-01" }.ToJsonString());
}
