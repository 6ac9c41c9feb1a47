using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Registry.Api.Tests.Hosting;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Batches;

/// <summary>Uploads of batches as a province's system sends them, and what the API says about them afterwards.</summary>
internal static class BatchUploads
{
    /// <summary>The NDJSON media type.</summary>
    public const string Ndjson = "application/x-ndjson";

    /// <summary>The CSV media type.</summary>
    public const string Csv = "text/csv";

    /// <summary>A batch id no other test uses.</summary>
    public static string NewId(string purpose) => $"{purpose}-{Guid.NewGuid():N}";

    /// <summary>A name no other test uses, so that no duplicate candidate is found unless a test wants one.</summary>
    public static string UniqueName(string given) => $"Nguyễn Văn {given} {Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>An NDJSON registration row.</summary>
    public static string Registration(string fullName, string province = "048", string birthDate = "1990-05-17", string sex = "male", bool confirmed = false) =>
        JsonSerializer.Serialize(new { kind = "registration", fullName, birthDate, sex, birthRegistrationProvince = province, confirmedNotDuplicate = confirmed });

    /// <summary>PUT /batches/{batchId} with <paramref name="body"/> as the given media type.</summary>
    public static Task<HttpResponseMessage> UploadAsync(HttpClient client, string batchId, string mediaType, string body, string? province = null) =>
        UploadAsync(client, batchId, new ByteArrayContent(Encoding.UTF8.GetBytes(body)), mediaType, province);

    /// <summary>PUT /batches/{batchId} with <paramref name="content"/> (its type set to <paramref name="mediaType"/>).</summary>
    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string batchId, HttpContent content, string mediaType, string? province = null)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        var path = $"/batches/{Uri.EscapeDataString(batchId)}" + (province is null ? "" : $"?province={province}");
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(path, UriKind.Relative)) { Content = content };
        return await client.SendAsync(request);
    }

    /// <summary>GET a JSON document from <paramref name="path"/>, expecting 200.</summary>
    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Polls the batch's progress until it is completed; returns the last progress seen.</summary>
    public static Task<JsonElement> WaitUntilCompletedAsync(HttpClient client, string batchId, TimeSpan? patience = null) =>
        Eventually.ValueAsync(() => GetJsonAsync(client, $"/batches/{Uri.EscapeDataString(batchId)}"),
            static progress => progress.GetProperty("status").GetString() == "completed",
            patience ?? Eventually.Within(RegistryTestCluster.BatchReminderPeriod), $"batch {batchId} completes");

    /// <summary>Every row's result, following the pages.</summary>
    public static async Task<List<JsonElement>> RowsAsync(HttpClient client, string batchId, string? status = null)
    {
        var rows = new List<JsonElement>();
        string? next = $"/batches/{Uri.EscapeDataString(batchId)}/rows?limit=2" + (status is null ? "" : $"&status={status}");
        while (next is not null)
        {
            var page = await GetJsonAsync(client, next);
            rows.AddRange(page.GetProperty("rows").EnumerateArray());
            next = page.GetProperty("next").GetString();
        }

        return rows;
    }

    /// <summary>The fields a rejected row's errors name.</summary>
    public static string[] ErrorFields(JsonElement row) =>
        [.. row.GetProperty("result").GetProperty("errors").EnumerateArray().Select(error => error.GetProperty("field").GetString()!)];

    /// <summary>The first error message of a rejected row.</summary>
    public static string? FirstError(JsonElement row) =>
        row.GetProperty("result").GetProperty("errors")[0].GetProperty("message").GetString();

    /// <summary>Rows of the batch tables for <paramref name="batchId"/>: the batch itself and its rows.</summary>
    public static async Task<(long Batches, long Rows)> StoredAsync(ApiFixture api, string batchId) => (
        await TestDatabase.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM registry.batch WHERE batch_id = $1", batchId),
        await TestDatabase.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM registry.batch_row WHERE batch_id = $1", batchId));
}
