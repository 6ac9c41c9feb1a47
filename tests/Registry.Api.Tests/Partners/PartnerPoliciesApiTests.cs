using System.Net;
using Registry.Api.Tests.Hosting;
using Registry.Contracts.Access;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Partners;

/// <summary><c>/partner-policies</c>: central administrators set and read partners' policies; bad ones and other roles are refused, storing nothing.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class PartnerPoliciesApiTests(ApiFixture api)
{
    /// <summary>A policy is created (201), replaced (200), read back and listed as stored.</summary>
    [Fact]
    public async Task A_policy_is_set_replaced_and_read_back()
    {
        var partnerId = Partners.NewId();
        using (var created = await Partners.PutAsync(api.Http, partnerId, Partners.Policy()))
        {
            await Partners.ReadAsync(created, HttpStatusCode.Created);
        }

        using (var replaced = await Partners.PutAsync(api.Http, partnerId,
                   Partners.Policy(purposes: ["health-care", "health-insurance"], fields: ["fullName", "alive"], eventKinds: ["birth", "death"], requestsPerMinute: 1200, mayVerify: false)))
        {
            await Partners.ReadAsync(replaced, HttpStatusCode.OK);
        }

        using var read = await api.GetAsync($"/partner-policies/{partnerId}");
        var policy = await Partners.ReadAsync(read, HttpStatusCode.OK);
        Assert.Equal(
            (partnerId, "health-care,health-insurance", "fullName,alive", "birth,death", 1200, false),
            (policy.GetProperty("partnerId").GetString(), Joined(policy, "purposes"), Joined(policy, "fields"), Joined(policy, "eventKinds"),
             policy.GetProperty("requestsPerMinute").GetInt32(), policy.GetProperty("mayVerify").GetBoolean()));

        using var list = await api.GetAsync("/partner-policies");
        Assert.Contains((await Partners.ReadAsync(list, HttpStatusCode.OK)).EnumerateArray(), listed => listed.GetProperty("partnerId").GetString() == partnerId);
    }

    /// <summary>An unknown purpose, field or event kind, or a rate out of range, is a 400 naming it, and nothing is stored.</summary>
    [Theory]
    [InlineData("purposes[0]", "purposes", "curiosity")]
    [InlineData("fields[1]", "fields", "religionOfMother")]
    [InlineData("eventKinds[0]", "eventKinds", "marriage")]
    [InlineData("requestsPerMinute", "requestsPerMinute", "0")]
    [InlineData("requestsPerMinute", "requestsPerMinute", "1000000")]
    public async Task A_bad_policy_is_refused_naming_the_field_and_nothing_is_stored(string field, string member, string value)
    {
        var policy = Partners.Policy();
        if (member == "requestsPerMinute")
        {
            policy[member] = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (member == "fields")
        {
            policy[member] = new System.Text.Json.Nodes.JsonArray("fullName", value);
        }
        else
        {
            policy[member] = new System.Text.Json.Nodes.JsonArray(value);
        }

        var partnerId = Partners.NewId();
        var before = await Partners.StoredPoliciesAsync(api);

        using var response = await Partners.PutAsync(api.Http, partnerId, policy);

        Assert.Equal([field], await Partners.ErrorFieldsAsync(response, HttpStatusCode.BadRequest));
        Assert.Equal(before, await Partners.StoredPoliciesAsync(api));
        using var read = await api.GetAsync($"/partner-policies/{partnerId}");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    /// <summary>Only central administrators set, read or list policies: every other role gets 403 and nothing is stored.</summary>
    [Theory]
    [InlineData(ActorRole.ProvincialOfficer)]
    [InlineData(ActorRole.MinistryPartner)]
    [InlineData(ActorRole.Citizen)]
    [InlineData(ActorRole.Operator)]
    public async Task Other_roles_cannot_manage_policies(ActorRole role)
    {
        var existing = await Partners.WithPolicyAsync(api);
        using var client = api.ClientFor(role switch
        {
            ActorRole.ProvincialOfficer => TestActors.Officer("079"),
            ActorRole.MinistryPartner => TestActors.Partner(existing),
            ActorRole.Citizen => TestActors.Citizen("001090000001"),
            _ => TestActors.Operator,
        });
        var before = await Partners.StoredPoliciesAsync(api);

        using var put = await Partners.PutAsync(client, Partners.NewId(), Partners.Policy(purposes: ["tax"]));
        using var get = await client.GetAsync(new Uri($"/partner-policies/{existing}", UriKind.Relative));
        using var list = await client.GetAsync(new Uri("/partner-policies", UriKind.Relative));

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (put.StatusCode, get.StatusCode, list.StatusCode));
        Assert.Equal(before, await Partners.StoredPoliciesAsync(api));
    }

    private static string Joined(System.Text.Json.JsonElement policy, string member) =>
        string.Join(',', policy.GetProperty(member).EnumerateArray().Select(item => item.GetString()));
}
