using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Api.Residents;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.Domain.Provinces;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Provinces;

/// <summary>
/// The 2025 reorganisation brings the held list of the 2025 units into force. On a cluster of its own: the run merges
/// provinces for good.
/// </summary>
[Collection(CommuneListsAfterReorganisationCollectionDefinition.Name)]
public sealed class CommuneListsAfterReorganisationTests(ApiFixture api)
{
    // Bounds the waits on the read model and the run: each is a few seconds on a quiet machine.
    private static readonly TimeSpan Patience = Eventually.Within(RegistryTestCluster.ReorganisationReminderPeriod) * 2;

    /// <summary>
    /// A resident of a 2024 commune keeps it on their record when the 2025 list comes into force (an old commune was often
    /// split, so the new one cannot be derived), and is on their province's list of addresses to update; a new residence
    /// must use a code of the 2025 list, after which they are no longer listed.
    /// </summary>
    [Fact]
    public async Task The_2025_list_comes_into_force_with_the_reorganisation_and_old_communes_are_listed_to_update()
    {
        Assert.Equal(0, (await CommuneLists.ImportAsync(api, CommuneLists.Sample2024)).ExitCode);
        var person = await People.RegisterAsync(api, province: "002");
        using (var moved = await RelocateAsync(person.PersonalIdNumber, "002", "00688"))
        {
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        Assert.Contains("held", (await CommuneLists.ImportAsync(api, CommuneLists.Sample2025)).Output, StringComparison.Ordinal);
        // The run moves the residents the read model knows: wait until it knows this one's commune.
        await WaitUntilAsync(async () => await CommuneOfAsync(person.PersonalIdNumber) == "00688", "the read model shows the commune");

        using (var content = new StringContent(ReorganisationPlans.ToCsv(ReorganisationPlans.Resolution202), Encoding.UTF8, "text/csv"))
        using (var started = await api.Http.PutAsync(new Uri($"/reorganisations/{ReorganisationPlans.Resolution202Id}?effectiveOn=2025-07-01", UriKind.Relative), content))
        {
            Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        }

        await WaitUntilAsync(async () =>
            (await api.Http.GetFromJsonAsync<JsonElement>(new Uri($"/reorganisations/{ReorganisationPlans.Resolution202Id}", UriKind.Relative)))
                .GetProperty("status").GetString() == "completed", "the run completes");
        await WaitUntilAsync(async () => await ProvinceOfAsync(person.PersonalIdNumber) == "008", "the read model shows the move to 008");

        var record = await api.Http.GetFromJsonAsync<ResidentResponse>(new Uri($"/residents/{person.PersonalIdNumber}", UriKind.Relative));
        Assert.Equal(("008", "00688"), (record!.PermanentResidenceProvince, record.PermanentResidenceCommune));
        var page = await CommuneLists.AddressesToUpdateAsync(api, "008");
        Assert.Equal(ReorganisationPlans.Resolution202Id, page.GetProperty("communeList").GetString());
        Assert.Contains(page.GetProperty("residents").EnumerateArray(),
            resident => resident.GetProperty("personalIdNumber").GetString() == person.PersonalIdNumber && resident.GetProperty("communeCode").GetString() == "00688");

        using var old = await RelocateAsync(person.PersonalIdNumber, "008", "02200");
        await ImportingCommuneListsTests.AssertRefusedAsync(old, "communeCode", "02200");
        using var updated = await RelocateAsync(person.PersonalIdNumber, "008", "00691");
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        await WaitUntilAsync(async () => await CommuneOfAsync(person.PersonalIdNumber) == "00691", "the read model shows the new commune");
        Assert.DoesNotContain((await CommuneLists.AddressesToUpdateAsync(api, "008")).GetProperty("residents").EnumerateArray(),
            resident => resident.GetProperty("personalIdNumber").GetString() == person.PersonalIdNumber);
    }

    private Task<HttpResponseMessage> RelocateAsync(string number, string province, string commune) =>
        api.PostAsync($"/residents/{number}/relocations", ApiFixture.NewIdempotencyKey(),
            new JsonObject { ["provinceCode"] = province, ["communeCode"] = commune, ["address"] = "5 Nguyễn Trãi", ["movedOn"] = $"{DateTime.UtcNow:yyyy-MM-dd}" }.ToJsonString());

    private Task<string?> CommuneOfAsync(string number) => ColumnOfAsync("permanent_residence_commune", number);

    private Task<string?> ProvinceOfAsync(string number) => ColumnOfAsync("permanent_residence_province", number);

    private async Task<string?> ColumnOfAsync(string column, string number)
    {
        await using var connection = new Npgsql.NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"SELECT {column}::text FROM registry.resident WHERE personal_id = $1", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = number });
        return await command.ExecuteScalarAsync() as string;
    }

    // The run goes on in pages on its own timer, with its reminder as the safety net; it moves all 29 absorbed provinces.
    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => Eventually.TrueAsync(condition, Patience, what);
}

/// <summary>The reorganisation test of the commune lists: a cluster and database of its own.</summary>
[CollectionDefinition(Name)]
public sealed class CommuneListsAfterReorganisationCollectionDefinition : ICollectionFixture<ApiFixture>
{
    /// <summary>Name to put in <see cref="CollectionAttribute"/>.</summary>
    public const string Name = "National commune lists after the 2025 reorganisation";
}
