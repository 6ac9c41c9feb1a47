using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Admin.Communes;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.TestSupport;
using Xunit;

namespace Registry.Api.Tests.Provinces;

/// <summary>
/// <c>registry-admin communes import</c> and <c>POST /commune-lists</c>: a list is checked whole and stored once; once it
/// is in force, a commune must be one of the named province's in it. On a cluster and database of their own: a list in
/// force changes what every other API test may use as a commune.
/// </summary>
[Collection(CommuneListsCollectionDefinition.Name)]
public sealed class ImportingCommuneListsTests(ApiFixture api)
{
    /// <summary>
    /// The defect: <c>PUT /provinces/001/communes/26734</c> (a Hồ Chí Minh City ward) was accepted. With a list in force it
    /// is a 400 naming communeCode and nothing changes; a Hà Nội commune of the list is accepted, and the province's
    /// communes are those of the list.
    /// </summary>
    [Fact]
    public async Task A_commune_of_another_province_is_refused_once_a_list_is_in_force()
    {
        Assert.Equal(0, (await CommuneLists.ImportAsync(api, CommuneLists.Sample2024)).ExitCode);
        var before = await api.SnapshotAsync();

        using var refused = await api.Http.PutAsJsonAsync("/provinces/001/communes/26734", new { name = "Phường Tân Định" });

        await AssertRefusedAsync(refused, "communeCode", "26734");
        Assert.Equal(before, await api.SnapshotAsync());
        using var accepted = await api.Http.PutAsJsonAsync("/provinces/001/communes/00004", new { name = "Phường Trúc Bạch" });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var communes = await api.Http.GetFromJsonAsync<JsonElement>(new Uri("/provinces/001/communes", UriKind.Relative));
        Assert.Equal(["00001", "00004"], communes.EnumerateArray().Select(commune => commune.GetProperty("code").GetString()));
    }

    /// <summary>A relocation and a temporary residence must name a commune of the province in the list in force; otherwise 400 naming communeCode, nothing changed.</summary>
    [Fact]
    public async Task A_residence_must_be_in_a_commune_of_the_named_province()
    {
        Assert.Equal(0, (await CommuneLists.ImportAsync(api, CommuneLists.Sample2024)).ExitCode);
        var person = await People.RegisterAsync(api, province: "079");
        var before = await api.SnapshotAsync();

        using var elsewhere = await RelocateAsync(person.PersonalIdNumber, "001", "26734");
        using var unlisted = await RelocateAsync(person.PersonalIdNumber, "001", "00007");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        using var temporary = await api.PostAsync($"/residents/{person.PersonalIdNumber}/temporary-residence", ApiFixture.NewIdempotencyKey(),
            new JsonObject { ["provinceCode"] = "079", ["communeCode"] = "00001", ["address"] = "3 Hai Bà Trưng", ["from"] = $"{today:yyyy-MM-dd}", ["until"] = $"{today.AddMonths(6):yyyy-MM-dd}" }.ToJsonString());

        await AssertRefusedAsync(elsewhere, "communeCode", "26734");
        await AssertRefusedAsync(unlisted, "communeCode", "00007");
        await AssertRefusedAsync(temporary, "communeCode", "00001");
        Assert.Equal(before, await api.SnapshotAsync());
        using var moved = await RelocateAsync(person.PersonalIdNumber, "001", "00001");
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
    }

    /// <summary>Importing the same list again changes nothing and says so.</summary>
    [Fact]
    public async Task Importing_the_same_list_twice_changes_nothing_the_second_time()
    {
        var first = await CommuneLists.ImportAsync(api, CommuneLists.Sample2024);
        var stored = await CommuneLists.StoredAsync(api);

        var second = await CommuneLists.ImportAsync(api, CommuneLists.Sample2024);

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Equal("communes-2024-sample.csv: 5 communes of the 2024 units, unchanged; in force.\n", second.Output.ReplaceLineEndings("\n"));
        Assert.Equal(stored, await CommuneLists.StoredAsync(api));
    }

    /// <summary>A bad list is refused naming line and column, by the command (exit code 1) and the API (400); nothing is stored.</summary>
    [Fact]
    public async Task A_bad_list_is_refused_naming_line_and_column_and_nothing_is_imported()
    {
        await CommuneLists.ImportAsync(api, CommuneLists.Sample2024);
        var stored = await CommuneLists.StoredAsync(api);
        var path = Path.Combine(Path.GetTempPath(), $"communes-bad-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, CommuneListHeader + "001,001,Quận Ba Đình,00001,Phường Phúc Xá\n079,760,Quận 1,00001,Phường Tân Định\n");
        try
        {
            var run = await CommuneLists.ImportAsync(api, path);
            using var response = await CommuneLists.PostAsync(api.Http, await File.ReadAllTextAsync(path));

            Assert.Equal(ImportCommunesCommand.Refused, run.ExitCode);
            Assert.Contains("commune_code: Line 3: commune 00001 is on line 2", run.Errors, StringComparison.Ordinal);
            await AssertRefusedAsync(response, "commune_code", "Line 3");
            Assert.Equal(stored, await CommuneLists.StoredAsync(api));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A list of the 2025 units is held while the 2024 units are current: stored, not in force.</summary>
    [Fact]
    public async Task A_list_for_the_2025_units_is_held_until_they_are_current()
    {
        await CommuneLists.ImportAsync(api, CommuneLists.Sample2024);

        var run = await CommuneLists.ImportAsync(api, CommuneLists.Sample2025);

        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith("held until a reorganisation makes its units current.", run.Output.Trim(), StringComparison.Ordinal);
        // 00001 is a Hà Nội commune of 2024 only; 00691 is of Tuyên Quang in 2025 only.
        using var of2024 = await api.Http.PutAsJsonAsync("/provinces/001/communes/00001", new { name = "Phường Phúc Xá" });
        using var of2025 = await api.Http.PutAsJsonAsync("/provinces/008/communes/00691", new { name = "Phường Hà Giang 2" });
        Assert.Equal(HttpStatusCode.OK, of2024.StatusCode);
        await AssertRefusedAsync(of2025, "communeCode", "00691");
        var page = await CommuneLists.AddressesToUpdateAsync(api, "001");
        Assert.Equal("2024", page.GetProperty("communeList").GetString());
    }

    /// <summary>Only a central administrator imports a list.</summary>
    [Fact]
    public async Task An_officer_may_not_import_a_list()
    {
        using var officer = api.ClientFor(TestActors.Officer("001"));
        var stored = await CommuneLists.StoredAsync(api);

        using var response = await CommuneLists.PostAsync(officer, await File.ReadAllTextAsync(CommuneLists.Sample2024));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(stored, await CommuneLists.StoredAsync(api));
    }

    /// <summary>A malformed page request is a 400 naming the parameter.</summary>
    [Theory]
    [InlineData("/provinces/1/addresses-to-update", "code")]
    [InlineData("/provinces/001/addresses-to-update?after=12", "after")]
    [InlineData("/provinces/001/addresses-to-update?limit=0", "limit")]
    [InlineData("/provinces/001/addresses-to-update?limit=1001", "limit")]
    public async Task A_bad_page_of_addresses_to_update_is_refused(string path, string field)
    {
        using var response = await api.GetAsync(path);

        await AssertRefusedAsync(response, field, "");
    }

    /// <summary>The national lists beside the repository import whole (the 2025 one held), when they are there.</summary>
    [Fact]
    public async Task The_national_lists_import_when_present()
    {
        if (ReferenceData.Find("communes-2024.csv") is not { } list2024 || ReferenceData.Find("communes-2025.csv") is not { } list2025)
        {
            return;
        }

        var run2024 = await CommuneLists.ImportAsync(api, list2024);
        var run2025 = await CommuneLists.ImportAsync(api, list2025);

        Assert.True(run2024.ExitCode == 0, run2024.Errors);
        Assert.True(run2025.ExitCode == 0, run2025.Errors);
        Assert.Contains("10,035 communes of the 2024 units", run2024.Output, StringComparison.Ordinal);
        Assert.Contains("3,321 communes of the units after 2025-07-01-resolution-202", run2025.Output, StringComparison.Ordinal);
        Assert.Contains("in force", run2024.Output, StringComparison.Ordinal);
        Assert.Contains("held", run2025.Output, StringComparison.Ordinal);
        using var refused = await api.Http.PutAsJsonAsync("/provinces/001/communes/26734", new { name = "Phường Tân Định" });
        await AssertRefusedAsync(refused, "communeCode", "26734");
        var hanoi = await api.Http.GetFromJsonAsync<JsonElement>(new Uri("/provinces/001/communes", UriKind.Relative));
        Assert.Equal(526, hanoi.GetArrayLength());
    }

    private const string CommuneListHeader = "province_code,district_code,district_name,commune_code,commune_name\n";

    private Task<HttpResponseMessage> RelocateAsync(string number, string province, string commune) =>
        api.PostAsync($"/residents/{number}/relocations", ApiFixture.NewIdempotencyKey(),
            new JsonObject { ["provinceCode"] = province, ["communeCode"] = commune, ["address"] = "1 Tràng Tiền", ["movedOn"] = $"{DateTime.UtcNow:yyyy-MM-dd}" }.ToJsonString());

    internal static async Task AssertRefusedAsync(HttpResponseMessage response, string field, string inMessage)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var messages = JsonDocument.Parse(text).RootElement.GetProperty("errors").GetProperty(field);
        Assert.Contains(messages.EnumerateArray(), message => message.GetString()!.Contains(inMessage, StringComparison.Ordinal));
    }
}

/// <summary>The commune list tests: one <see cref="ApiFixture"/> of their own, so that the lists they import are in force for nobody else.</summary>
[CollectionDefinition(Name)]
public sealed class CommuneListsCollectionDefinition : ICollectionFixture<ApiFixture>
{
    /// <summary>Name to put in <see cref="CollectionAttribute"/>.</summary>
    public const string Name = "National commune lists";
}
