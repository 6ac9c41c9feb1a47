using System.Globalization;
using System.Net;
using Registry.Api.Tests.Hosting;
using Registry.Domain;
using Xunit;

namespace Registry.Api.Tests.Residents;

/// <summary><c>POST /residents/{n}/death</c>: the record closes except for corrections, and counts follow.</summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class RecordingDeathsTests(ApiFixture api)
{
    /// <summary>A death leaves the province count once; a dead person's address cannot be amended; facts still can.</summary>
    [Fact]
    public async Task A_death_is_counted_once_and_closes_the_address()
    {
        var person = await People.RegisterAsync(api, province: "008");
        var before = await api.ResidentsInAsync("008");
        var key = ApiFixture.NewIdempotencyKey();
        const string death = """{"date":"2026-11-01","place":"Bệnh viện Đa khoa tỉnh Tuyên Quang","documentReference":"KT-12/2026"}""";

        using var recorded = await SecondOfficials.ProposeAndApproveAsync(api, $"/residents/{person.PersonalIdNumber}/death", key, death);
        using var again = await SecondOfficials.ProposeAndApproveAsync(api, $"/residents/{person.PersonalIdNumber}/death", key, death);

        var dead = await SecondOfficials.AppliedAsync(recorded);
        Assert.Equal((false, new DateOnly(2026, 11, 1)), (dead.Alive, dead.Death!.Date));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(["true"], again.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal(before - 1, await api.ResidentsInAsync("008"));

        var snapshot = await api.SnapshotAsync();
        await AmendingResidentsTests.RefusedAsync(api.Http, $"/residents/{person.PersonalIdNumber}/amendments",
            AmendingResidentsTests.Amendment("Chuyển nhà", "XN-1", ("permanentAddress", "5 Lý Thái Tổ")), HttpStatusCode.Conflict, "permanentAddress");
        await AmendingResidentsTests.RefusedAsync(api.Http, $"/residents/{person.PersonalIdNumber}/death", death, HttpStatusCode.Conflict, "date");
        Assert.Equal(snapshot, await api.SnapshotAsync());

        using var corrected = await api.PostAsync($"/residents/{person.PersonalIdNumber}/amendments", ApiFixture.NewIdempotencyKey(),
            AmendingResidentsTests.Amendment("Sai ngày mất", "KT-12/2026-bs", ("deathDate", "2026-10-31")));
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.Equal(before - 1, await api.ResidentsInAsync("008"));
    }

    /// <summary>A death in the future, before birth, without place or date is refused naming the field, and nothing changes.</summary>
    [Fact]
    public async Task Bad_deaths_are_refused_naming_the_field()
    {
        var person = await People.RegisterAsync(api, province: "008");
        var path = $"/residents/{person.PersonalIdNumber}/death";
        var future = VietnamCalendar.Today(TimeProvider.System).AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var before = await api.SnapshotAsync();

        await AmendingResidentsTests.RefusedAsync(api.Http, path, $$"""{"date":"{{future}}","place":"Hà Nội","documentReference":"KT-1"}""", HttpStatusCode.BadRequest, "date");
        await AmendingResidentsTests.RefusedAsync(api.Http, path, """{"date":"1980-01-01","place":"Hà Nội","documentReference":"KT-1"}""", HttpStatusCode.BadRequest, "date");
        await AmendingResidentsTests.RefusedAsync(api.Http, path, """{"date":"2026-01-01","documentReference":"KT-1"}""", HttpStatusCode.BadRequest, "place");
        await AmendingResidentsTests.RefusedAsync(api.Http, path, """{"place":"Hà Nội","documentReference":"KT-1"}""", HttpStatusCode.BadRequest, "date");

        Assert.Equal(before, await api.SnapshotAsync());
    }
}
