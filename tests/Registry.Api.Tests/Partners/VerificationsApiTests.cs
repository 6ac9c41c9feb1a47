using System.Net;
using System.Text.Json.Nodes;
using Registry.Api.Residents;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Partners;

/// <summary>
/// <c>POST /verifications</c>: a partner whose policy allows it learns match, noMatch or locked and nothing else; a
/// partner without a policy, without leave to verify, stating no purpose or one outside its policy is refused.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class VerificationsApiTests(ApiFixture api)
{
    /// <summary>The person's own details match, also written without diacritics; the answer holds the result alone.</summary>
    [Fact]
    public async Task The_persons_details_answer_match()
    {
        var person = await People.RegisterAsync(api);
        using var partner = Partners.ClientFor(api, await Partners.WithPolicyAsync(api));

        Assert.Equal("match", await VerifyAsync(partner, Details(person)));
        Assert.Equal("match", await VerifyAsync(partner, Details(person, fullName: person.FullName.Replace("Nguyễn Thị", "nguyen thi", StringComparison.Ordinal))));
    }

    /// <summary>A wrong detail, or a number nobody holds, answers noMatch, never which detail differed.</summary>
    [Fact]
    public async Task A_wrong_detail_or_an_unknown_number_answers_noMatch()
    {
        var person = await People.RegisterAsync(api);
        using var partner = Partners.ClientFor(api, await Partners.WithPolicyAsync(api));

        Assert.Equal("noMatch", await VerifyAsync(partner, Details(person, birthDate: "1990-05-18")));
        Assert.Equal("noMatch", await VerifyAsync(partner, Details(person, sex: "male")));
        Assert.Equal("noMatch", await VerifyAsync(partner, Details(person) with { PersonalIdNumber = "079001999999" }));
    }

    /// <summary>A record its person locked answers locked; unlocked, it matches again.</summary>
    [Fact]
    public async Task A_locked_record_answers_locked()
    {
        var person = await People.RegisterAsync(api);
        using var partner = Partners.ClientFor(api, await Partners.WithPolicyAsync(api));
        using var citizen = api.ClientFor(TestActors.Citizen(person.PersonalIdNumber));

        await RecordLockApiTests.SetAsync(citizen, new JsonObject { ["state"] = "locked" }, HttpStatusCode.OK);
        Assert.Equal("locked", await VerifyAsync(partner, Details(person)));
        Assert.Equal("locked", await VerifyAsync(partner, Details(person, birthDate: "1990-05-18")));

        await RecordLockApiTests.SetAsync(citizen, new JsonObject { ["state"] = "unlocked" }, HttpStatusCode.OK);
        Assert.Equal("match", await VerifyAsync(partner, Details(person)));
    }

    /// <summary>A partner without a policy, or whose policy does not allow verifications, is refused with 403.</summary>
    [Fact]
    public async Task A_partner_without_a_policy_or_leave_to_verify_is_refused()
    {
        var person = await People.RegisterAsync(api);
        using var stranger = Partners.ClientFor(api, Partners.NewId());
        using var reader = Partners.ClientFor(api, await Partners.WithPolicyAsync(api, Partners.Policy(mayVerify: false)));

        using var withoutPolicy = await Partners.PostAsync(stranger, "/verifications", Details(person).ToJson());
        using var withoutLeave = await Partners.PostAsync(reader, "/verifications", Details(person).ToJson());

        Assert.Equal(["partnerId"], await Partners.ErrorFieldsAsync(withoutPolicy, HttpStatusCode.Forbidden));
        Assert.Equal(["partnerId"], await Partners.ErrorFieldsAsync(withoutLeave, HttpStatusCode.Forbidden));
    }

    /// <summary>No purpose is a 400 and a purpose outside the policy a 403, both naming Access-Purpose.</summary>
    [Fact]
    public async Task No_purpose_is_400_and_a_purpose_outside_the_policy_403()
    {
        var person = await People.RegisterAsync(api);
        var partnerId = await Partners.WithPolicyAsync(api);
        using var silent = Partners.ClientFor(api, partnerId, purpose: null);
        using var elsewhere = Partners.ClientFor(api, partnerId, purpose: "tax");

        using var withoutPurpose = await Partners.PostAsync(silent, "/verifications", Details(person).ToJson());
        using var otherPurpose = await Partners.PostAsync(elsewhere, "/verifications", Details(person).ToJson());

        Assert.Equal(["Access-Purpose"], await Partners.ErrorFieldsAsync(withoutPurpose, HttpStatusCode.BadRequest));
        Assert.Equal(["Access-Purpose"], await Partners.ErrorFieldsAsync(otherPurpose, HttpStatusCode.Forbidden));
    }

    /// <summary>A detail beyond the core that the policy does not name is a 403 naming it: each compared detail leaks one bit of it.</summary>
    [Fact]
    public async Task A_detail_outside_the_policy_is_refused_naming_it()
    {
        var person = await People.RegisterAsync(api);
        using var partner = Partners.ClientFor(api, await Partners.WithPolicyAsync(api));

        using var response = await Partners.PostAsync(partner, "/verifications", (Details(person) with { Hometown = "Huế" }).ToJson());

        Assert.Equal(["hometown"], await Partners.ErrorFieldsAsync(response, HttpStatusCode.Forbidden));
    }

    /// <summary>A missing or malformed detail is a 400 naming it.</summary>
    [Fact]
    public async Task A_bad_request_is_refused_naming_the_field()
    {
        var person = await People.RegisterAsync(api);
        using var partner = Partners.ClientFor(api, await Partners.WithPolicyAsync(api));

        using var response = await Partners.PostAsync(partner, "/verifications",
            (Details(person) with { PersonalIdNumber = "12345", Sex = null }).ToJson());

        Assert.Equal(["personalIdNumber", "sex"], await Partners.ErrorFieldsAsync(response, HttpStatusCode.BadRequest));
    }

    /// <summary>Officers, administrators and citizens do not verify: 403.</summary>
    [Fact]
    public async Task Other_roles_are_refused()
    {
        var person = await People.RegisterAsync(api);
        foreach (var actor in new[] { TestActors.Officer("079"), TestActors.Administrator, TestActors.Citizen(person.PersonalIdNumber) })
        {
            using var client = api.ClientFor(actor);
            using var response = await Partners.PostAsync(client, "/verifications", Details(person).ToJson());
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    private static async Task<string?> VerifyAsync(HttpClient partner, Declared details)
    {
        using var response = await Partners.PostAsync(partner, "/verifications", details.ToJson());
        var answer = await Partners.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal(["result"], answer.EnumerateObject().Select(member => member.Name));
        return answer.GetProperty("result").GetString();
    }

    private static Declared Details(ResidentResponse person, string? fullName = null, string? birthDate = null, string? sex = null) =>
        new(person.PersonalIdNumber, fullName ?? person.FullName, birthDate ?? "1990-05-17", sex ?? person.Sex);

    private sealed record Declared(string? PersonalIdNumber, string? FullName, string? BirthDate, string? Sex, string? Hometown = null)
    {
        public JsonObject ToJson()
        {
            var body = new JsonObject { ["personalIdNumber"] = PersonalIdNumber, ["fullName"] = FullName, ["birthDate"] = BirthDate, ["sex"] = Sex };
            if (Hometown is not null)
            {
                body["hometown"] = Hometown;
            }

            return body;
        }
    }
}
