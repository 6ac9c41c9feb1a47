using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Events;

/// <summary><c>GET /events</c>: the events of the stream, in order, from a position; what a subscriber reads to catch up.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class EventsApiTests(ApiFixture api)
{
    /// <summary>A recorded death is read back from the position before it, with its id, kind, province and position.</summary>
    [Fact]
    public async Task A_death_is_read_back_from_the_position_before_it()
    {
        var person = await People.RegisterAsync(api, province: "079");
        using (var death = await SecondOfficials.ProposeAndApproveAsync(api, $"/residents/{person.PersonalIdNumber}/death", ApiFixture.NewIdempotencyKey(),
                   """{"date":"2026-01-03","place":"Hồ Chí Minh","documentReference":"KT-7"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, death.StatusCode);
        }

        var eventId = $"death:{person.PersonalIdNumber}";
        var position = await TestDatabase.ScalarAsync<long>(api.ConnectionString,
            "SELECT sequence FROM registry.province_resident_change WHERE operation_id = $1", eventId);

        // Events are served once they are a second old: every row before them has committed.
        var events = await Eventually.ValueAsync(
            async () => (await api.Http.GetFromJsonAsync<JsonElement>(new Uri($"/events?after={position - 1}&limit=1", UriKind.Relative))).EnumerateArray().ToArray(),
            static events => events.Length > 0, Eventually.MinimumBound, "the death appears in /events");

        var read = Assert.Single(events);
        Assert.Equal((eventId, "death", person.PersonalIdNumber, "079", position),
            (read.GetProperty("eventId").GetString(), read.GetProperty("kind").GetString(), read.GetProperty("personalIdNumber").GetString(),
             read.GetProperty("provinceCode").GetString(), read.GetProperty("position").GetInt64()));
    }

    /// <summary>A negative position or a limit out of range is a 400 naming it.</summary>
    [Theory]
    [InlineData("after=-1", "after")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    public async Task A_bad_query_is_refused_naming_the_parameter(string query, string field)
    {
        using var response = await api.GetAsync("/events?" + query);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal([field], JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(error => error.Name));
    }
}
