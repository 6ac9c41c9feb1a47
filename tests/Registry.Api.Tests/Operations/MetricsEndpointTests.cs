using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Operations;

/// <summary>
/// Issue 13's metrics on the API: <c>/metrics</c> answers operators only, in Prometheus' text format, with the registry's
/// instruments beside Orleans', ASP.NET Core's and the runtime's, and never a personal ID number. The fixture's silos run
/// in this process, so the grains' counts (registrations, relocations) show here too; in production they show on the
/// silos' own <c>/metrics</c>.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed partial class MetricsEndpointTests(ApiFixture api)
{
    /// <summary>No token → 401; an officer's, an administrator's, a partner's or a citizen's → 403; an operator's → 200.</summary>
    [Fact]
    public async Task The_metrics_answer_operators_only()
    {
        using (var anonymous = api.AnonymousClient())
        {
            using var response = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        foreach (var actor in new[] { TestActors.Officer("079"), TestActors.Administrator, TestActors.Partner("ministry-of-health"), TestActors.Citizen("079190000001") })
        {
            using var client = api.ClientFor(actor);
            using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{actor.Role}: {(int)response.StatusCode}");
        }

        using var operatorClient = api.ClientFor(TestActors.Operator);
        using var allowed = await operatorClient.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("text/plain", allowed.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// A registration and a relocation raise their counters (the move under its destination province), the registration's
    /// audit row and a refused request are counted, Orleans' and the runtime's meters are there, and no
    /// personal ID number is.
    /// </summary>
    [Fact]
    public async Task A_registration_and_a_relocation_show_in_the_metrics_without_the_persons_number()
    {
        using var operatorClient = api.ClientFor(TestActors.Operator);
        var before = await ScrapeAsync(operatorClient);
        using (var commune = await api.Http.PutAsJsonAsync("/provinces/048/communes/20194", new { name = "Phường Hải Châu" }))
        {
            Assert.Equal(HttpStatusCode.OK, commune.StatusCode);
        }

        var person = await People.RegisterAsync(api, province: "079");
        using (var moved = await api.PostAsync($"/residents/{person.PersonalIdNumber}/relocations", ApiFixture.NewIdempotencyKey(),
                   """{"provinceCode":"048","communeCode":"20194","address":"1 Bạch Đằng","movedOn":"2026-03-01"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        using (var anonymous = api.AnonymousClient())
        using (var refused = await anonymous.GetAsync(new Uri($"/residents/{person.PersonalIdNumber}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // The exporter may answer a scrape from a copy it made a moment earlier: wait until the copy is fresh.
        var after = await Eventually.ValueAsync(
            () => ScrapeAsync(operatorClient),
            text => Sum(text, "registry_relocations_total", "province=\"048\"") > Sum(before, "registry_relocations_total", "province=\"048\"")
                    && Sum(text, "registry_registrations_total") > Sum(before, "registry_registrations_total")
                    && Sum(text, "registry_refusals_total", "kind=\"denied\"", "http_response_status_code=\"401\"") > Sum(before, "registry_refusals_total", "kind=\"denied\"", "http_response_status_code=\"401\"")
                    && Sum(text, "registry_audit_rows_total", "outcome=\"allowed\"") > Sum(before, "registry_audit_rows_total", "outcome=\"allowed\""),
            Eventually.MinimumBound,
            "the registration, the relocation, the refusal and the audit rows are counted");

        Assert.Contains("# TYPE registry_registrations_total counter", after, StringComparison.Ordinal);
        Assert.Contains("registry_audit_commit_duration_seconds_bucket", after, StringComparison.Ordinal);
        Assert.Matches(OrleansSeries(), after);

        // ASP.NET Core's request series are not asserted here: this test process runs many API hosts, and when another
        // one stops, its meter of the same name is disposed and OpenTelemetry drops the merged series from every host's
        // export until the next request re-creates it. A process with one host, as in production, keeps it; the silo
        // process's test (Cluster.Tests, Operations/SiloMetricsTests) asserts ASP.NET Core's series there.
        Assert.Contains("dotnet_gc_", after, StringComparison.Ordinal);
        Assert.DoesNotContain(person.PersonalIdNumber, after, StringComparison.Ordinal);
        Assert.DoesNotContain(TestActors.Administrator.Id, after, StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of the samples of <paramref name="metric"/> whose labels include every one of <paramref name="labels"/>.</summary>
    private static double Sum(string exposition, string metric, params string[] labels) =>
        exposition.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
            .Where(line => labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            // name{labels} value [timestamp]
            .Sum(line => double.Parse((line[metric.Length] == '{' ? line[(line.LastIndexOf('}') + 1)..] : line[metric.Length..]).Trim().Split(' ')[0], CultureInfo.InvariantCulture));

    [GeneratedRegex("^orleans_[a-z_]+", RegexOptions.Multiline)]
    private static partial Regex OrleansSeries();
}
