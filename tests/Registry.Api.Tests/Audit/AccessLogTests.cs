using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Registry.Api.Tests.Access;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.Contracts.Access;
using Registry.Database.Audit;
using Registry.Domain.Access;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Audit;

/// <summary>
/// The data tracker: a citizen sees who read or changed their record, when, why and which fields; accesses for a covert
/// investigation stay out of it until a central administrator releases them or their hiding period passes, and never
/// show their note.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class AccessLogTests(ApiFixture api)
{
    /// <summary>A read and a change by an administrator appear in the person's log, newest first, with purpose, note and fields.</summary>
    [Fact]
    public async Task A_citizen_sees_who_read_and_changed_their_record()
    {
        var person = await People.RegisterAsync(api);
        var official = new Actor($"tracker-admin-{Guid.NewGuid():N}", ActorRole.CentralAdministrator, null);
        using var client = api.ClientFor(official);
        ApiFixture.StatePurpose(client, "civil-status", "marriage file 2026/88");
        using var read = await client.GetAsync(new Uri($"/residents/{person.PersonalIdNumber}", UriKind.Relative));
        using var amended = await ApiFixture.PostAsync(client, $"/residents/{person.PersonalIdNumber}/amendments", ApiFixture.NewIdempotencyKey(),
            new JsonObject { ["reason"] = "marriage", ["documentReference"] = "doc-88", ["changes"] = new JsonObject { ["hometown"] = "Huế" } }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, amended.StatusCode);

        var entries = (await LogOfAsync(person.PersonalIdNumber)).Where(entry => entry.Institution == official.Id).ToList();

        Assert.Equal(["change", "read"], entries.Select(entry => entry.Action));
        Assert.All(entries, entry =>
        {
            Assert.Equal("central-administrator", entry.Role);
            Assert.Equal("civil-status", entry.Purpose?.Code);
            Assert.Equal("marriage file 2026/88", entry.Note);
        });
        Assert.Equal(["hometown"], entries[0].Fields);
    }

    /// <summary>A covert access is hidden until released; released, it shows without its note. The release is audited.</summary>
    [Fact]
    public async Task A_covert_access_shows_only_after_its_release_and_without_its_note()
    {
        var person = await People.RegisterAsync(api);
        var investigator = new Actor($"tracker-investigator-{Guid.NewGuid():N}", ActorRole.CentralAdministrator, null);
        var caseNote = $"case {Guid.NewGuid():N}";
        using var client = api.ClientFor(investigator);
        ApiFixture.StatePurpose(client, AccessPurposes.CovertInvestigation.Code, caseNote);
        using var read = await client.GetAsync(new Uri($"/residents/{person.PersonalIdNumber}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);

        Assert.DoesNotContain(await LogOfAsync(person.PersonalIdNumber), entry => entry.Institution == investigator.Id);

        using var released = await api.PostAsync("/audit/releases", null, new JsonObject { ["purposeNote"] = caseNote }.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, released.StatusCode);

        var entry = Assert.Single(await LogOfAsync(person.PersonalIdNumber), entry => entry.Institution == investigator.Id);
        Assert.Equal((AccessPurposes.CovertInvestigation.Code, (string?)null), (entry.Purpose?.Code, entry.Note));
        Assert.Contains(await AuditRows.ByActorAsync(api.ConnectionString, TestActors.Administrator.Id), row => row.Endpoint == "POST /audit/releases" && row.Outcome == "allowed");
    }

    /// <summary>
    /// A covert access shows, unreleased, once its hiding period has passed: the log's query asked as at a year and a
    /// day later shows it, as at a day short of a year does not (time is the query's argument; nothing waits).
    /// </summary>
    [Fact]
    public async Task A_covert_access_shows_once_its_hiding_period_has_passed()
    {
        var person = await People.RegisterAsync(api);
        using var client = api.ClientFor(TestActors.Administrator);
        ApiFixture.StatePurpose(client, AccessPurposes.CovertInvestigation.Code, $"case {Guid.NewGuid():N}");
        using var read = await client.GetAsync(new Uri($"/residents/{person.PersonalIdNumber}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        await using var database = NpgsqlDataSource.Create(api.ConnectionString);
        var log = new AccessLog(database);
        var covert = new[] { AccessPurposes.CovertInvestigation.Code };
        var period = CovertDisclosure.DefaultHidingPeriod;

        async Task<bool> ShownAtAsync(DateTimeOffset now) =>
            (await log.ReadAsync(person.PersonalIdNumber, covert, CovertDisclosure.ShownWithoutReleaseUpTo(now, period), now, null, AccessLog.MaxLimit))
            .Any(entry => entry.Purpose == AccessPurposes.CovertInvestigation.Code);

        Assert.False(await ShownAtAsync(DateTimeOffset.UtcNow.AddDays(364)));
        Assert.True(await ShownAtAsync(DateTimeOffset.UtcNow.AddDays(366)));
    }

    /// <summary>The log is paged newest first: a page of one names the next, which holds the entry after it.</summary>
    [Fact]
    public async Task The_log_is_paged()
    {
        var person = await People.RegisterAsync(api);
        using var read = await api.GetAsync($"/residents/{person.PersonalIdNumber}");
        using var citizen = api.ClientFor(TestActors.Citizen(person.PersonalIdNumber));

        var first = await citizen.GetFromJsonAsync<JsonElement>(new Uri("/me/access-log?limit=1", UriKind.Relative));
        var next = first.GetProperty("next").GetString()!;
        var second = await citizen.GetFromJsonAsync<JsonElement>(new Uri(next, UriKind.Relative));

        Assert.Equal(1, first.GetProperty("entries").GetArrayLength());
        Assert.Equal(1, second.GetProperty("entries").GetArrayLength());
        Assert.True(first.GetProperty("entries")[0].GetProperty("at").GetDateTimeOffset() >= second.GetProperty("entries")[0].GetProperty("at").GetDateTimeOffset());
    }

    /// <summary>A malformed page position or size is refused naming the parameter.</summary>
    [Theory]
    [InlineData("/me/access-log?before=not-a-position", "before")]
    [InlineData("/me/access-log?limit=0", "limit")]
    [InlineData("/me/access-log?limit=201", "limit")]
    public async Task A_bad_page_is_refused_naming_the_parameter(string path, string field)
    {
        using var citizen = api.ClientFor(TestActors.Citizen(AuditTrailTests.NewPersonalIdNumber()));

        using var response = await citizen.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    /// <summary>Only citizens have an access log here; an official asking is refused, and the refusal is audited.</summary>
    [Fact]
    public async Task An_official_has_no_access_log()
    {
        var officer = new Actor($"tracker-officer-{Guid.NewGuid():N}", ActorRole.ProvincialOfficer, "079");
        using var client = api.ClientFor(officer);

        using var response = await client.GetAsync(new Uri("/me/access-log", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("needs the role citizen", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("denied", Assert.Single(await AuditRows.ByActorAsync(api.ConnectionString, officer.Id)).Outcome);
    }

    /// <summary>A release needs the note; without one it is refused naming purposeNote, and no release is stored.</summary>
    [Theory]
    [InlineData("{}")]
    [InlineData("{\"purposeNote\":\"  \"}")]
    [InlineData("{\"purposeNote\":\"a\\u0000b\"}")]
    public async Task A_release_without_a_usable_note_is_refused(string body)
    {
        var releases = await TestDatabase.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM registry.audit_release");

        using var response = await api.PostAsync("/audit/releases", null, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("purposeNote", out _), problem.ToString());
        Assert.Equal(releases, await TestDatabase.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM registry.audit_release"));
    }

    /// <summary>Only a central administrator releases: an officer is refused and no release is stored.</summary>
    [Fact]
    public async Task An_officer_cannot_release()
    {
        var releases = await TestDatabase.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM registry.audit_release");
        using var officer = api.ClientFor(TestActors.Officer("079"));

        using var response = await ApiFixture.PostAsync(officer, "/audit/releases", null, new JsonObject { ["purposeNote"] = "case 1" }.ToJsonString());

        await AccessAssert.ForbiddenAsync(response);
        Assert.Equal(releases, await TestDatabase.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM registry.audit_release"));
    }

    private async Task<List<LogEntry>> LogOfAsync(string personalIdNumber)
    {
        using var citizen = api.ClientFor(TestActors.Citizen(personalIdNumber));
        using var response = await citizen.GetAsync(new Uri($"/me/access-log?limit={AccessLog.MaxLimit}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. page.GetProperty("entries").EnumerateArray().Select(entry => entry.Deserialize<LogEntry>(JsonSerializerOptions.Web)!)];
    }

    private sealed record LogEntry(DateTimeOffset At, string Institution, string? Role, string Action, LogPurpose? Purpose, string? Note, string[] Fields);

    private sealed record LogPurpose(string Code, string Description);
}
