using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Registry.Api.Tests.Hosting;
using Registry.Contracts.Provinces;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Provinces;

/// <summary>
/// <c>PUT /reorganisations/{planId}</c> refusing every bad plan with nothing changed. Plans that run are tested on a
/// cluster of their own (Registry.Cluster.Tests, ReorganisationTests): a run here would merge provinces under every
/// other API test.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class ReorganisationsApiTests(ApiFixture api)
{
    private const string Header = "code,name,kind,formed_from\n";

    /// <summary>Each bad plan is a 400 naming what is wrong, and no plan is started.</summary>
    [Theory]
    [InlineData("cycle", Header + "008,Tuyên Quang,province,008;002\n002,Hà Giang,province,002;008\n", "effectiveOn=2025-07-01")]
    [InlineData("unknown-code", Header + "008,Tuyên Quang,province,008;999\n", "effectiveOn=2025-07-01")]
    [InlineData("merged-twice", Header + "008,Tuyên Quang,province,008;002\n015,Lào Cai,province,015;002\n", "effectiveOn=2025-07-01")]
    [InlineData("bad-header", "code;name;kind;formed_from\n008;Tuyên Quang;province;008\n", "effectiveOn=2025-07-01")]
    [InlineData("no-date", Header + "008,Tuyên Quang,province,008;002\n", "")]
    [InlineData("bad-date", Header + "008,Tuyên Quang,province,008;002\n", "effectiveOn=1-7-2025")]
    public async Task A_bad_plan_is_refused_and_nothing_starts(string kind, string csv, string query)
    {
        var planId = $"test-{kind}-{Guid.NewGuid():N}"[..40];
        var before = await api.SnapshotAsync();

        using var response = await PutAsync(api.Http, planId, csv, query);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.NotEmpty(errors.EnumerateObject());
        Assert.Equal(before, await api.SnapshotAsync());
        using var progress = await api.GetAsync($"/reorganisations/{planId}");
        Assert.Equal(HttpStatusCode.NotFound, progress.StatusCode);
    }

    /// <summary>
    /// A plan id the start would refuse (blank, spaces, not ASCII, too long) is a 400 naming planId when read, as when
    /// started, and nothing starts.
    /// </summary>
    [Theory]
    [InlineData("%20")]
    [InlineData("%20%20%09")]
    [InlineData("plan%20one")]
    [InlineData("k%E1%BA%BF-ho%E1%BA%A1ch")]
    [InlineData("a-plan-id-of-one-hundred-and-one-characters-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public async Task A_plan_id_the_start_would_refuse_is_a_400_naming_it(string planId)
    {
        var before = await api.SnapshotAsync();

        using var read = await api.GetAsync($"/reorganisations/{planId}");
        using var start = await PutAsync(api.Http, planId, Header + "008,Tuyên Quang,province,008\n", "effectiveOn=2025-07-01");

        foreach (var response in new[] { read, start })
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.RequestMessage!.Method}: {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("planId", JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(error => error.Name));
        }

        Assert.Equal(before, await api.SnapshotAsync());
    }

    /// <summary>An id no plan was started under is a 404 problem, answered without activating a run for that id.</summary>
    [Fact]
    public async Task An_unknown_plan_id_is_a_404_without_activating_a_run()
    {
        var planId = $"test-unknown-{Guid.NewGuid():N}";
        var run = api.Client.GetGrain<IReorganisationGrain>(planId).GetGrainId();

        using var response = await api.GetAsync($"/reorganisations/{planId}");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var active = await api.Client.GetGrain<IManagementGrain>(0).GetActiveGrains(run.Type);
        Assert.DoesNotContain(run, active);
    }

    /// <summary>Only a central administrator starts a plan.</summary>
    [Fact]
    public async Task An_officer_may_not_start_a_plan()
    {
        using var officer = api.ClientFor(TestActors.Officer("008"));

        using var response = await PutAsync(officer, "test-officer", Header + "008,Tuyên Quang,province,008;002\n", "effectiveOn=2025-07-01");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>The start and the progress are in the OpenAPI document; reading the progress declares its 400 and 404 as problem details.</summary>
    [Fact]
    public async Task Reorganisations_are_in_the_OpenAPI_document()
    {
        var document = await (await api.GetAsync("/openapi/v1.json")).Content.ReadFromJsonAsync<JsonElement>();

        var path = document.GetProperty("paths").GetProperty("/reorganisations/{planId}");
        Assert.Equal("StartReorganisation", path.GetProperty("put").GetProperty("operationId").GetString());
        Assert.Equal("GetReorganisation", path.GetProperty("get").GetProperty("operationId").GetString());
        foreach (var status in new[] { "400", "404" })
        {
            var content = path.GetProperty("get").GetProperty("responses").GetProperty(status).GetProperty("content");
            Assert.True(content.TryGetProperty("application/problem+json", out _), $"GET declares no {status} problem");
        }
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, string planId, string csv, string query)
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        return await client.PutAsync(new Uri($"/reorganisations/{planId}?{query}", UriKind.Relative), content);
    }
}
