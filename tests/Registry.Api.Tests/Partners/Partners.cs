using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Api.Access;
using Registry.Api.Tests.Hosting;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Partners;

/// <summary>Ministry partners for the tests: a policy set by an administrator, and a client stating a purpose of it.</summary>
internal static class Partners
{
    /// <summary>The purpose partner clients state unless a test says otherwise; the default policy names it.</summary>
    public const string Purpose = "banking-kyc";

    /// <summary>A partner id no other test uses.</summary>
    public static string NewId() => $"bank-{Guid.NewGuid():N}";

    /// <summary>A policy body; by default a bank verifying and reading names and birth dates, receiving deaths.</summary>
    public static JsonObject Policy(
        string[]? purposes = null, string[]? fields = null, string[]? eventKinds = null, int requestsPerMinute = 600, bool mayVerify = true) => new()
    {
        ["purposes"] = new JsonArray([.. (purposes ?? [Purpose]).Select(item => (JsonNode?)item)]),
        ["fields"] = new JsonArray([.. (fields ?? ["personalIdNumber", "fullName", "birthDate"]).Select(item => (JsonNode?)item)]),
        ["eventKinds"] = new JsonArray([.. (eventKinds ?? ["death"]).Select(item => (JsonNode?)item)]),
        ["requestsPerMinute"] = requestsPerMinute,
        ["mayVerify"] = mayVerify,
    };

    /// <summary>PUT the policy as a central administrator.</summary>
    public static Task<HttpResponseMessage> PutAsync(HttpClient client, string partnerId, JsonObject policy) =>
        client.PutAsync(new Uri($"/partner-policies/{partnerId}", UriKind.Relative), JsonContent.Create(policy));

    /// <summary>A new partner with <paramref name="policy"/> (the default one when null); returns its id.</summary>
    public static async Task<string> WithPolicyAsync(ApiFixture api, JsonObject? policy = null)
    {
        var partnerId = NewId();
        using var response = await PutAsync(api.Http, partnerId, policy ?? Policy());
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return partnerId;
    }

    /// <summary>A client of partner <paramref name="partnerId"/> stating <paramref name="purpose"/>, or no purpose when null. Dispose it.</summary>
    public static HttpClient ClientFor(ApiFixture api, string partnerId, string? purpose = Purpose)
    {
        var client = api.ClientFor(TestActors.Partner(partnerId));
        if (purpose is null)
        {
            client.DefaultRequestHeaders.Remove(PurposeHeaders.Code);
            client.DefaultRequestHeaders.Remove(PurposeHeaders.Note);
        }
        else
        {
            ApiFixture.StatePurpose(client, purpose, "customer file 2026/77");
        }

        return client;
    }

    /// <summary>POST <paramref name="body"/> to <paramref name="path"/> as JSON.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, JsonObject body) =>
        client.PostAsync(new Uri(path, UriKind.Relative), JsonContent.Create(body));

    /// <summary>The response's JSON body, after checking its status.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The fields a problem's errors name, after checking its status.</summary>
    public static async Task<string[]> ErrorFieldsAsync(HttpResponseMessage response, HttpStatusCode status) =>
        [.. (await ReadAsync(response, status)).GetProperty("errors").EnumerateObject().Select(error => error.Name)];

    /// <summary>The rows of the policy table: a refused request must leave it as it was.</summary>
    public static Task<long> StoredPoliciesAsync(ApiFixture api) =>
        TestDatabase.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM registry.partner_policy");
}
