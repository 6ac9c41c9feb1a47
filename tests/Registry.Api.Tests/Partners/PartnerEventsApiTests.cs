using System.Net;
using System.Text.Json;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Partners;

/// <summary><c>GET /events</c> read by a ministry partner: only the kinds of event and the fields its policy gives.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class PartnerEventsApiTests(ApiFixture api)
{
    /// <summary>
    /// A partner receiving deaths with the number reads a death with its id and number and without provinces; a partner
    /// receiving births only does not read it, and its page goes on past it.
    /// </summary>
    [Fact]
    public async Task A_partner_reads_only_the_kinds_and_fields_of_its_policy()
    {
        var person = await People.RegisterAsync(api, province: "079");
        using (var recorded = await SecondOfficials.ProposeAndApproveAsync(api, $"/residents/{person.PersonalIdNumber}/death", ApiFixture.NewIdempotencyKey(),
                   """{"date":"2026-01-03","place":"Hồ Chí Minh","documentReference":"KT-9"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        }

        var position = await TestDatabase.ScalarAsync<long>(api.ConnectionString,
            "SELECT sequence FROM registry.province_resident_change WHERE operation_id = $1", $"death:{person.PersonalIdNumber}");
        using var insurer = Partners.ClientFor(api, await Partners.WithPolicyAsync(api, Partners.Policy(fields: ["personalIdNumber", "fullName"], eventKinds: ["death"])));
        using var maternity = Partners.ClientFor(api, await Partners.WithPolicyAsync(api, Partners.Policy(fields: ["personalIdNumber"], eventKinds: ["birth"])));

        // Events are served once they are a second old: every row before them has committed.
        var read = await Eventually.ValueAsync(() => EventsAsync(insurer, position - 1), static events => events.Length > 0, Eventually.MinimumBound, "the death appears in /events");

        var death = Assert.Single(read);
        Assert.Equal(["kind", "recordedAt", "position", "eventId", "personalIdNumber"], death.EnumerateObject().Select(member => member.Name));
        Assert.Equal(("death", person.PersonalIdNumber, position),
            (death.GetProperty("kind").GetString(), death.GetProperty("personalIdNumber").GetString(), death.GetProperty("position").GetInt64()));
        Assert.All(await EventsAsync(maternity, position - 1, limit: 1000), other => Assert.Equal("birth", other.GetProperty("kind").GetString()));
    }

    /// <summary>A partner without a policy is refused with 403, one stating no purpose with 400.</summary>
    [Fact]
    public async Task A_partner_without_a_policy_or_a_purpose_is_refused()
    {
        using var stranger = Partners.ClientFor(api, Partners.NewId());
        using var silent = Partners.ClientFor(api, await Partners.WithPolicyAsync(api), purpose: null);

        using var withoutPolicy = await stranger.GetAsync(new Uri("/events?after=0", UriKind.Relative));
        using var withoutPurpose = await silent.GetAsync(new Uri("/events?after=0", UriKind.Relative));

        Assert.Equal(["partnerId"], await Partners.ErrorFieldsAsync(withoutPolicy, HttpStatusCode.Forbidden));
        Assert.Equal(["Access-Purpose"], await Partners.ErrorFieldsAsync(withoutPurpose, HttpStatusCode.BadRequest));
    }

    private static async Task<JsonElement[]> EventsAsync(HttpClient partner, long after, int limit = 1)
    {
        using var response = await partner.GetAsync(new Uri($"/events?after={after}&limit={limit}", UriKind.Relative));
        return [.. (await Partners.ReadAsync(response, HttpStatusCode.OK)).EnumerateArray()];
    }
}
