using System.Net;
using System.Text.Json.Nodes;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Partners;

/// <summary><c>POST /ekyc</c>: exactly the fields asked, each of which the partner's policy must give; locked alone for a locked record.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class EkycApiTests(ApiFixture api)
{
    /// <summary>The answer holds exactly the fields asked, with the record's values, and nothing else of the record.</summary>
    [Fact]
    public async Task The_fields_asked_are_returned_and_nothing_else()
    {
        var person = await People.RegisterAsync(api);
        using var partner = Partners.ClientFor(api, await Partners.WithPolicyAsync(api, Partners.Policy(fields: ["fullName", "birthDate", "alive", "religion"])));

        using var response = await Partners.PostAsync(partner, "/ekyc", Ask(person.PersonalIdNumber, "fullName", "alive"));

        var answer = await Partners.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal(["result", "fields"], answer.EnumerateObject().Select(member => member.Name));
        Assert.Equal("found", answer.GetProperty("result").GetString());
        var fields = answer.GetProperty("fields");
        Assert.Equal(["fullName", "alive"], fields.EnumerateObject().Select(field => field.Name));
        Assert.Equal((person.FullName, true), (fields.GetProperty("fullName").GetString(), fields.GetProperty("alive").GetBoolean()));
    }

    /// <summary>A field outside the policy is a 403 naming it, even beside fields the policy gives.</summary>
    [Fact]
    public async Task A_field_outside_the_policy_is_refused_naming_it()
    {
        var person = await People.RegisterAsync(api);
        using var partner = Partners.ClientFor(api, await Partners.WithPolicyAsync(api));

        using var response = await Partners.PostAsync(partner, "/ekyc", Ask(person.PersonalIdNumber, "fullName", "religion", "permanentAddress"));

        Assert.Equal(["religion", "permanentAddress"], await Partners.ErrorFieldsAsync(response, HttpStatusCode.Forbidden));
    }

    /// <summary>No purpose is a 400, a purpose outside the policy a 403, a partner without a policy a 403.</summary>
    [Fact]
    public async Task No_purpose_a_purpose_outside_the_policy_and_no_policy_are_refused()
    {
        var person = await People.RegisterAsync(api);
        var partnerId = await Partners.WithPolicyAsync(api);
        using var silent = Partners.ClientFor(api, partnerId, purpose: null);
        using var elsewhere = Partners.ClientFor(api, partnerId, purpose: "elections");
        using var stranger = Partners.ClientFor(api, Partners.NewId());

        using var withoutPurpose = await Partners.PostAsync(silent, "/ekyc", Ask(person.PersonalIdNumber, "fullName"));
        using var otherPurpose = await Partners.PostAsync(elsewhere, "/ekyc", Ask(person.PersonalIdNumber, "fullName"));
        using var withoutPolicy = await Partners.PostAsync(stranger, "/ekyc", Ask(person.PersonalIdNumber, "fullName"));

        Assert.Equal(["Access-Purpose"], await Partners.ErrorFieldsAsync(withoutPurpose, HttpStatusCode.BadRequest));
        Assert.Equal(["Access-Purpose"], await Partners.ErrorFieldsAsync(otherPurpose, HttpStatusCode.Forbidden));
        Assert.Equal(["partnerId"], await Partners.ErrorFieldsAsync(withoutPolicy, HttpStatusCode.Forbidden));
    }

    /// <summary>A locked record answers locked and nothing of the record.</summary>
    [Fact]
    public async Task A_locked_record_answers_locked_alone()
    {
        var person = await People.RegisterAsync(api);
        using var partner = Partners.ClientFor(api, await Partners.WithPolicyAsync(api));
        using var citizen = api.ClientFor(TestActors.Citizen(person.PersonalIdNumber));
        await RecordLockApiTests.SetAsync(citizen, new JsonObject { ["state"] = "locked" }, HttpStatusCode.OK);

        using var response = await Partners.PostAsync(partner, "/ekyc", Ask(person.PersonalIdNumber, "fullName"));

        var answer = await Partners.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal(["result"], answer.EnumerateObject().Select(member => member.Name));
        Assert.Equal("locked", answer.GetProperty("result").GetString());
    }

    /// <summary>An unknown field, or no field, is a 400 naming it.</summary>
    [Fact]
    public async Task An_unknown_or_missing_field_is_refused_naming_it()
    {
        var person = await People.RegisterAsync(api);
        using var partner = Partners.ClientFor(api, await Partners.WithPolicyAsync(api));

        using var unknown = await Partners.PostAsync(partner, "/ekyc", Ask(person.PersonalIdNumber, "fullName", "bloodType"));
        using var none = await Partners.PostAsync(partner, "/ekyc", Ask(person.PersonalIdNumber));

        Assert.Equal(["fields[1]"], await Partners.ErrorFieldsAsync(unknown, HttpStatusCode.BadRequest));
        Assert.Equal(["fields"], await Partners.ErrorFieldsAsync(none, HttpStatusCode.BadRequest));
    }

    private static JsonObject Ask(string personalIdNumber, params string[] fields) =>
        new() { ["personalIdNumber"] = personalIdNumber, ["fields"] = new JsonArray([.. fields.Select(field => (JsonNode?)field)]) };
}
