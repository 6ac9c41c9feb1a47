using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.Contracts.Access;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Audit;

/// <summary>
/// Every request to an endpoint with personal data leaves one audit row before its answer, allowed or not (401, 403,
/// 400 included); an answer whose row cannot be written is 503 and carries no data; the log refuses UPDATE, DELETE and
/// TRUNCATE. The row is durable before the response leaves, so each test reads it right after the answer, without waiting.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class AuditTrailTests(ApiFixture api)
{
    /// <summary>A read that is answered is recorded with who, the stated purpose, the route, the person and the outcome.</summary>
    [Fact]
    public async Task An_allowed_read_is_audited_with_its_actor_purpose_and_person()
    {
        var person = await People.RegisterAsync(api);
        var reader = new Actor($"audit-reader-{Guid.NewGuid():N}", ActorRole.CentralAdministrator, null);
        using var client = api.ClientFor(reader);
        ApiFixture.StatePurpose(client, "civil-status", "file 2026/17");

        using var response = await client.GetAsync(new Uri($"/residents/{person.PersonalIdNumber}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single(await AuditRows.ByActorAsync(api.ConnectionString, reader.Id));
        Assert.Equal(
            ("central-administrator", "civil-status", "file 2026/17", "GET /residents/{personalIdNumber}", "allowed", 200),
            (row.ActorRole, row.Purpose, row.PurposeNote, row.Endpoint, row.Outcome, row.StatusCode));
        Assert.Equal([person.PersonalIdNumber], row.PersonNumbers);
        Assert.Equal("127.0.0.1", row.Client);
    }

    /// <summary>A request without a token is refused by authentication and still recorded, as anonymous and denied, naming the person asked for.</summary>
    [Fact]
    public async Task A_read_without_a_token_is_audited_as_denied()
    {
        var person = await People.RegisterAsync(api);
        using var anonymous = api.AnonymousClient();

        using var response = await anonymous.GetAsync(new Uri($"/residents/{person.PersonalIdNumber}/history", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var row = Assert.Single(await AuditRows.ByPersonAsync(api.ConnectionString, person.PersonalIdNumber), row => row.Outcome != "allowed");
        Assert.Equal(("anonymous", (string?)null, "GET /residents/{personalIdNumber}/history", "denied", 401),
            (row.ActorId, row.ActorRole, row.Endpoint, row.Outcome, row.StatusCode));
    }

    /// <summary>A write refused by an authorization policy (a citizen registering someone) is recorded as denied, and nothing is registered.</summary>
    [Fact]
    public async Task A_write_forbidden_by_a_policy_is_audited_as_denied()
    {
        var citizen = TestActors.Citizen(NewPersonalIdNumber());
        using var client = api.ClientFor(citizen);
        var before = await api.SnapshotAsync();

        using var response = await ApiFixture.RegisterAsync(client, ApiFixture.NewIdempotencyKey(), Registrations.Valid().ToJson());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await api.SnapshotAsync());
        var row = Assert.Single(await AuditRows.ByActorAsync(api.ConnectionString, citizen.Id));
        Assert.Equal(("citizen", "POST /residents", "denied", 403), (row.ActorRole, row.Endpoint, row.Outcome, row.StatusCode));
    }

    /// <summary>A registration is recorded with the number it issued; a bad amendment is recorded as refused with the person it named.</summary>
    [Fact]
    public async Task Writes_are_audited_allowed_and_refused()
    {
        var person = await People.RegisterAsync(api);
        var registration = Assert.Single(await AuditRows.ByPersonAsync(api.ConnectionString, person.PersonalIdNumber));
        Assert.Equal(("POST /residents", "allowed", 201), (registration.Endpoint, registration.Outcome, registration.StatusCode));
        Assert.Equal(["record"], registration.Fields);

        using var refused = await api.PostAsync($"/residents/{person.PersonalIdNumber}/amendments", ApiFixture.NewIdempotencyKey(),
            new JsonObject { ["reason"] = "typo", ["documentReference"] = "doc-1", ["changes"] = new JsonObject() }.ToJsonString());
        using var amended = await api.PostAsync($"/residents/{person.PersonalIdNumber}/amendments", ApiFixture.NewIdempotencyKey(),
            new JsonObject { ["reason"] = "typo", ["documentReference"] = "doc-1", ["changes"] = new JsonObject { ["hometown"] = "Huế" } }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, amended.StatusCode);
        var rows = await AuditRows.ByPersonAsync(api.ConnectionString, person.PersonalIdNumber);
        Assert.Equal(
            [("POST /residents/{personalIdNumber}/amendments", "allowed", 200), ("POST /residents/{personalIdNumber}/amendments", "refused", 400)],
            rows.Take(2).Select(row => (row.Endpoint, row.Outcome, row.StatusCode)));
        Assert.Equal(["hometown"], rows[0].Fields);
    }

    /// <summary>
    /// No audit, no data: when the row cannot be written (a trigger refuses it, as a full disk or a lost database would)
    /// the caller gets 503 problem details and none of the record; once the log takes rows again, the same read is answered.
    /// </summary>
    [Fact]
    public async Task A_read_whose_audit_row_cannot_be_written_gets_503_and_no_data()
    {
        var person = await People.RegisterAsync(api);
        var reader = new Actor($"audit-unwritable-{Guid.NewGuid():N}", ActorRole.CentralAdministrator, null);
        using var client = api.ClientFor(reader);
        // Only this test's actor is refused, so that nothing else the host audits meanwhile is disturbed.
        await AuditRows.ExecuteAsync(api.ConnectionString,
            $"""
             CREATE FUNCTION registry.test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS
             $$ BEGIN RAISE EXCEPTION 'the audit log is unwritable for this test'; END; $$;
             CREATE TRIGGER test_refuse_audit BEFORE INSERT ON registry.audit_entry
                 FOR EACH ROW WHEN (NEW.actor_id = '{reader.Id}') EXECUTE FUNCTION registry.test_refuse_audit();
             """);
        HttpStatusCode refusedStatus;
        string refusedBody;
        string? refusedType;
        try
        {
            using var refused = await client.GetAsync(new Uri($"/residents/{person.PersonalIdNumber}", UriKind.Relative));
            (refusedStatus, refusedBody, refusedType) = (refused.StatusCode, await refused.Content.ReadAsStringAsync(), refused.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            await AuditRows.ExecuteAsync(api.ConnectionString,
                "DROP TRIGGER test_refuse_audit ON registry.audit_entry; DROP FUNCTION registry.test_refuse_audit();");
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedStatus);
        Assert.Equal("application/problem+json", refusedType);
        Assert.DoesNotContain(person.FullName, refusedBody, StringComparison.Ordinal);
        Assert.DoesNotContain(person.PersonalIdNumber, refusedBody, StringComparison.Ordinal);
        Assert.Empty(await AuditRows.ByActorAsync(api.ConnectionString, reader.Id));

        using var answered = await client.GetAsync(new Uri($"/residents/{person.PersonalIdNumber}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Contains(person.FullName, await answered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await AuditRows.ByActorAsync(api.ConnectionString, reader.Id));
    }

    /// <summary>The audit tables refuse UPDATE, DELETE and TRUNCATE, even from the role that owns them.</summary>
    [Theory]
    [InlineData("UPDATE registry.audit_entry SET actor_id = 'someone-else'")]
    [InlineData("DELETE FROM registry.audit_entry")]
    [InlineData("TRUNCATE registry.audit_entry")]
    [InlineData("UPDATE registry.audit_seal SET position = position + 1")]
    [InlineData("DELETE FROM registry.audit_seal")]
    [InlineData("TRUNCATE registry.audit_release")]
    public async Task The_audit_log_refuses_changes(string sql)
    {
        await People.RegisterAsync(api);
        var rows = await TestDatabase.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM registry.audit_entry");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => AuditRows.ExecuteAsync(api.ConnectionString, sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(rows, await TestDatabase.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM registry.audit_entry"));
    }

    /// <summary>A personal ID number of a woman born in 1990 in Hồ Chí Minh City that no test registers.</summary>
    internal static string NewPersonalIdNumber() => $"079190{Random.Shared.Next(1_000_000):000000}";
}
