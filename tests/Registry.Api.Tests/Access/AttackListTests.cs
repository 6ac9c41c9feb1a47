using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using Registry.Api.Residents;
using Registry.Api.Tests.Audit;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.Contracts.Access;
using Registry.TestSupport;
using Registry.Tokens;
using Xunit;

namespace Registry.Api.Tests.Access;

/// <summary>
/// The attack list of issue 11, each tried as an attacker would and each answered the same three ways: refused with the
/// status the issue names, recorded in the audit log (the row is durable before the answer leaves, so it is read right
/// after), and nothing changed. The attacks needing a host or database of their own are beside it: a flood
/// (<c>Limits/RateLimitsTests</c>), a body over the size limit (<c>Limits/RequestSizeTests</c>) and tampering with the
/// audit log (<c>Audit/AuditVerifyTests</c>); the README's attack table names the test of each.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class AttackListTests(ApiFixture api)
{
    private const string Death = """{"date":"2026-11-01","place":"Bệnh viện Chợ Rẫy","documentReference":"KT-13/2026"}""";

    /// <summary>
    /// No token, an expired one, one signed with a foreign key, <c>alg: none</c>, HS384 or HS512 with the real key, and a
    /// lifetime over the maximum: 401, audited as an anonymous denial naming the person asked for, nothing changed.
    /// </summary>
    [Theory]
    [InlineData("no token")]
    [InlineData("expired")]
    [InlineData("foreign key")]
    [InlineData("alg none")]
    [InlineData("HS384 with the real key")]
    [InlineData("HS512 with the real key")]
    [InlineData("lifetime over the maximum")]
    public async Task A_bad_token_is_refused_with_401_and_audited(string attack)
    {
        var person = await People.RegisterAsync(api);
        var claims = ActorClaims.ToClaims(TestActors.Administrator).ToDictionary();
        var hour = TimeSpan.FromHours(1);
        var token = attack switch
        {
            "no token" => null,
            "expired" => new RegistryTokens(api.Auth, new TestTokens.StoppedClock(DateTimeOffset.UtcNow - 2 * hour)).Issue(TestActors.Administrator, hour),
            "foreign key" => new RegistryTokens(TestTokens.NewSettings(api.Auth.Issuer!, api.Auth.Audience!), TimeProvider.System).Issue(TestActors.Administrator, hour),
            "alg none" => TestTokens.Forge(api.Auth, claims, sign: false),
            "HS384 with the real key" => TestTokens.SignWithOtherHmac(api.Auth, claims, SecurityAlgorithms.HmacSha384),
            "HS512 with the real key" => TestTokens.SignWithOtherHmac(api.Auth, claims, SecurityAlgorithms.HmacSha512),
            "lifetime over the maximum" => TestTokens.Forge(api.Auth, claims, lifetime: TimeSpan.FromDays(3653)),
            _ => throw new ArgumentOutOfRangeException(nameof(attack), attack, null),
        };
        var before = await api.SnapshotAsync();
        using var attacker = api.ClientWithToken(token);

        using var read = await attacker.GetAsync(new Uri($"/residents/{person.PersonalIdNumber}", UriKind.Relative));
        using var death = await ApiFixture.PostAsync(attacker, $"/residents/{person.PersonalIdNumber}/death", ApiFixture.NewIdempotencyKey(), Death);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (read.StatusCode, death.StatusCode));
        var denials = (await AuditRows.ByPersonAsync(api.ConnectionString, person.PersonalIdNumber)).Where(row => row.StatusCode == 401).ToList();
        Assert.Equal(2, denials.Count);
        Assert.All(denials, row => Assert.Equal(("anonymous", "denied"), (row.ActorId, row.Outcome)));
        Assert.Equal(before, await api.SnapshotAsync());
        Assert.True((await ResidentAsync(person.PersonalIdNumber)).Alive);
    }

    /// <summary>A citizen reading, searching or listing another person, or reading the event feed: 403 each, audited as denied.</summary>
    [Theory]
    [InlineData("/residents/{n}")]
    [InlineData("/residents/{n}/history")]
    [InlineData("/residents/{n}/numbers")]
    [InlineData("/residents?name=nguyen")]
    [InlineData("/events?after=0&limit=10")]
    public async Task A_citizen_reading_anyone_else_is_refused_with_403_and_audited(string path)
    {
        var victim = await People.RegisterAsync(api);
        var snooper = await People.RegisterAsync(api);
        using var citizen = api.ClientFor(TestActors.Citizen(snooper.PersonalIdNumber));

        await AssertDeniedAsync(citizen, snooper.PersonalIdNumber, path.Replace("{n}", victim.PersonalIdNumber, StringComparison.Ordinal), HttpStatusCode.Forbidden);
    }

    /// <summary>A partner reading a record, its history or a search: 403, audited; a partner reads only through verification and eKYC.</summary>
    [Theory]
    [InlineData("/residents/{n}")]
    [InlineData("/residents/{n}/history")]
    [InlineData("/residents?name=nguyen")]
    public async Task A_partner_reading_a_record_is_refused_with_403_and_audited(string path)
    {
        var person = await People.RegisterAsync(api);
        var partnerId = await Partners.Partners.WithPolicyAsync(api);
        using var partner = Partners.Partners.ClientFor(api, partnerId);

        await AssertDeniedAsync(partner, partnerId, path.Replace("{n}", person.PersonalIdNumber, StringComparison.Ordinal), HttpStatusCode.Forbidden);
    }

    /// <summary>A partner asking eKYC for a field outside its policy (403), or without a purpose (400): refused, audited, nothing returned.</summary>
    [Theory]
    [InlineData("religion", Partners.Partners.Purpose, HttpStatusCode.Forbidden)]
    [InlineData("fullName", null, HttpStatusCode.BadRequest)]
    public async Task A_partner_asking_beyond_its_policy_is_refused_and_audited(string field, string? purpose, HttpStatusCode status)
    {
        var person = await People.RegisterAsync(api);
        var partnerId = await Partners.Partners.WithPolicyAsync(api, Partners.Partners.Policy(fields: ["fullName", "birthDate"]));
        using var partner = Partners.Partners.ClientFor(api, partnerId, purpose);

        using var response = await Partners.Partners.PostAsync(partner, "/ekyc",
            new JsonObject { ["personalIdNumber"] = person.PersonalIdNumber, ["fields"] = new JsonArray(field) });

        Assert.Equal(status, response.StatusCode);
        Assert.DoesNotContain(person.FullName, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var row = Assert.Single(await AuditRows.ByActorAsync(api.ConnectionString, partnerId));
        Assert.Equal(("POST /ekyc", (int)status), (row.Endpoint, row.StatusCode));
        Assert.NotEqual("allowed", row.Outcome);
    }

    /// <summary>An officer reading a resident of another province (living, staying and born elsewhere): 403, audited with the person's number.</summary>
    [Fact]
    public async Task An_officer_reading_outside_their_jurisdiction_is_refused_with_403_and_audited()
    {
        var person = await People.RegisterAsync(api, province: "079");
        var officer = new Actor($"attack-officer-{Guid.NewGuid():N}", ActorRole.ProvincialOfficer, "001");
        using var client = api.ClientFor(officer);

        await AssertDeniedAsync(client, officer.Id, $"/residents/{person.PersonalIdNumber}", HttpStatusCode.Forbidden);
        var row = Assert.Single(await AuditRows.ByActorAsync(api.ConnectionString, officer.Id));
        Assert.Equal([person.PersonalIdNumber], row.PersonNumbers);
    }

    /// <summary>
    /// The two-call takeover: an officer of 001 moves a resident of 079 into 001, records their death and approves it
    /// alone. The death stays an open proposal, the self-approval is 403 and audited, and the person is alive.
    /// </summary>
    [Fact]
    public async Task The_takeover_ends_as_an_unapproved_proposal_and_self_approval_is_refused_and_audited()
    {
        await ProposingChangesTests.EnsureCommuneAsync(api);
        var person = await People.RegisterAsync(api, province: "079");
        var number = person.PersonalIdNumber;
        var officer = new Actor($"attack-officer-{Guid.NewGuid():N}", ActorRole.ProvincialOfficer, "001");
        using var client = api.ClientFor(officer);
        using (var moved = await ApiFixture.PostAsync(client, $"/residents/{number}/relocations", ApiFixture.NewIdempotencyKey(),
                   """{"provinceCode":"001","communeCode":"00004","address":"1 Hùng Vương","movedOn":"2026-03-01"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        using var proposed = await ApiFixture.PostAsync(client, $"/residents/{number}/death", ApiFixture.NewIdempotencyKey(), Death);
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);
        var proposal = (await proposed.Content.ReadFromJsonAsync<ProposalResponse>())!;
        var before = await api.SnapshotAsync();

        using var selfApproval = await ApiFixture.PostAsync(client, $"/proposals/{proposal.Id}/approval", null, "{}");

        Assert.Equal(HttpStatusCode.Forbidden, selfApproval.StatusCode);
        Assert.Equal(before, await api.SnapshotAsync());
        Assert.True((await ResidentAsync(number)).Alive);
        var rows = await AuditRows.ByActorAsync(api.ConnectionString, officer.Id);
        Assert.Contains(rows, row => row.Endpoint == "POST /proposals/{proposalId}/approval" && row.StatusCode == 403 && row.Outcome == "denied");
        Assert.Contains(rows, row => row.Endpoint == "POST /residents/{personalIdNumber}/death" && row.StatusCode == 202);
    }

    private async Task AssertDeniedAsync(HttpClient client, string actorId, string path, HttpStatusCode status)
    {
        var before = await api.SnapshotAsync();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var row = Assert.Single(await AuditRows.ByActorAsync(api.ConnectionString, actorId), row => row.StatusCode == (int)status);
        Assert.Equal("denied", row.Outcome);
        Assert.Equal(before, await api.SnapshotAsync());
    }

    private async Task<ResidentResponse> ResidentAsync(string number)
    {
        using var response = await api.GetAsync($"/residents/{number}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ResidentResponse>())!;
    }
}
