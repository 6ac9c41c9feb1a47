using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Registry.Api.Provinces;
using Registry.Admin.Reconciliation;
using Registry.Api.Tests.Hosting;
using Registry.TestSupport;
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

    /// <summary>A central administrator adds a commune; the province lists it, in NFC; adding it again changes nothing.</summary>
    [Fact]
    public async Task A_commune_is_added_once_and_listed()
    {
        using var first = await api.Http.PutAsJsonAsync("/provinces/046/communes/19753", new { name = "Phường Thuận Hóa" });
        using var again = await api.Http.PutAsJsonAsync("/provinces/046/communes/19753", new { name = "Phường Thuận Hóa".Normalize(System.Text.NormalizationForm.FormD) });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        var communes = await api.Http.GetFromJsonAsync<JsonElement>(new Uri("/provinces/046/communes", UriKind.Relative));
        var commune = Assert.Single(communes.EnumerateArray(), commune => commune.GetProperty("code").GetString() == "19753");
        Assert.Equal("Phường Thuận Hóa", commune.GetProperty("name").GetString());
    }

    /// <summary>Bad communes are refused naming the field; an officer may not change reference data.</summary>
    [Theory]
    [InlineData("/provinces/046/communes/1975", "{\"name\":\"Phường A\"}", HttpStatusCode.BadRequest, "communeCode")]
    [InlineData("/provinces/046/communes/19754", "{\"name\":\"  \"}", HttpStatusCode.BadRequest, "name")]
    [InlineData("/provinces/046/communes/19754", "{}", HttpStatusCode.BadRequest, "name")]
    [InlineData("/provinces/999/communes/19754", "{\"name\":\"Phường A\"}", HttpStatusCode.NotFound, null)]
    public async Task A_bad_commune_is_refused(string path, string json, HttpStatusCode status, string? field)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await api.Http.PutAsync(new Uri(path, UriKind.Relative), content);

        Assert.Equal(status, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (field is not null)
        {
            Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(error => error.Name));
        }

        var communes = await api.Http.GetFromJsonAsync<JsonElement>(new Uri("/provinces/046/communes", UriKind.Relative));
        Assert.DoesNotContain(communes.EnumerateArray(), commune => commune.GetProperty("code").GetString() is "1975" or "19754");
    }

    /// <summary>Communes and reconciliation belong to central administrators: an officer gets 403.</summary>
    [Fact]
    public async Task An_officer_may_not_add_communes_or_reconcile()
    {
        using var officer = api.ClientFor(TestActors.Officer("046"));

        using var put = await officer.PutAsJsonAsync("/provinces/046/communes/19755", new { name = "Phường B" });
        using var reconcile = await officer.GetAsync(new Uri("/provinces/reconciliation", UriKind.Relative));

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (put.StatusCode, reconcile.StatusCode));
    }

    /// <summary>
    /// Reconciliation lists every province with its counter, its read-model count and the drift; registering and
    /// moving people through the API leaves the drift of the provinces concerned as it was. (Other tests write synthetic people
    /// straight into the read model of this shared database, so its drift is not zero; the cluster tests prove zero.)
    /// </summary>
    [Fact]
    public async Task Reconciliation_reports_each_province_and_changes_through_the_api_keep_the_drift()
    {
        var before = await ReconcileAsync();
        using (var put = await api.Http.PutAsJsonAsync("/provinces/046/communes/19756", new { name = "Phường C" }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var person = await Residents.People.RegisterAsync(api, province: "004");
        using var moved = await api.PostAsync($"/residents/{person.PersonalIdNumber}/relocations", ApiFixture.NewIdempotencyKey(),
            """{"provinceCode":"046","communeCode":"19756","address":"8 Lê Duẩn","movedOn":"2026-02-02"}""");
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        var after = await ReconcileAsync();
        Assert.Equal(63, after.GetProperty("provinces").GetArrayLength());
        // Only the two provinces this test touches: batches of earlier tests may still be registering people elsewhere.
        Assert.Equal((Drift(before, "004"), Drift(before, "046")), (Drift(after, "004"), Drift(after, "046")));
        Assert.Equal(Province(before, "046").GetProperty("counted").GetInt64() + 1, Province(after, "046").GetProperty("counted").GetInt64());
    }

    /// <summary>
    /// The operators' command prints the totals and each drifting province, and says by its exit code whether any
    /// drifts; without an administrator's token it fails with its own exit code and prints nothing on stdout.
    /// </summary>
    [Fact]
    public async Task The_reconcile_command_reports_the_drift_and_says_so_by_its_exit_code()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exitCode = await ReconcileCommand.RunAsync(api.Http, output, errors);

        // This shared database holds synthetic read-model rows and other tests' changes in flight, so whether some
        // province drifts right now is not known here; what is known is that the exit code says what the lines say.
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("counted by provinces ", lines[0], StringComparison.Ordinal);
        Assert.Equal(lines.Length > 1 ? ReconcileCommand.Drift : 0, exitCode);
        Assert.All(lines.Skip(1), line => Assert.Matches(@"^  \d{3}  counted .* drift [+-][\d,]+\r?$", line));

        using var officer = api.ClientFor(TestActors.Officer("001"));
        using var refusedOutput = new StringWriter();
        Assert.Equal(ReconcileCommand.Failed, await ReconcileCommand.RunAsync(officer, refusedOutput, errors));
        Assert.Empty(refusedOutput.ToString());
        Assert.Contains("403", errors.ToString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> ReconcileAsync() =>
        await api.Http.GetFromJsonAsync<JsonElement>(new Uri("/provinces/reconciliation", UriKind.Relative));

    private static JsonElement Province(JsonElement reconciliation, string code) =>
        reconciliation.GetProperty("provinces").EnumerateArray().Single(province => province.GetProperty("provinceCode").GetString() == code);

    private static long Drift(JsonElement reconciliation, string code) => Province(reconciliation, code).GetProperty("drift").GetInt64();
}
