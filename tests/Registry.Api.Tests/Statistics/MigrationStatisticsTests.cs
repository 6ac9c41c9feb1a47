using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Xunit;

namespace Registry.Api.Tests.Statistics;

/// <summary>
/// <c>GET /statistics/migration</c>: the origin–destination matrix of a period. The moves here are between three
/// provinces no other API test moves people between (011, 012, 014), so other tests' moves do not show.
/// </summary>
[Collection(ApiCollectionDefinition.Name)]
public sealed class MigrationStatisticsTests(ApiFixture api)
{
    private static readonly string[] Provinces = ["011", "012", "014"];

    /// <summary>Today's moves between the three provinces are in today's matrix, with inbound, outbound and net; yesterday's matrix has none of them.</summary>
    [Fact]
    public async Task The_matrix_of_a_period_counts_its_moves_by_origin_and_destination()
    {
        foreach (var (province, commune) in new[] { ("011", "03101"), ("012", "03201"), ("014", "03301") })
        {
            using var put = await api.Http.PutAsJsonAsync($"/provinces/{province}/communes/{commune}", new { name = "Xã " + commune });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var before = await MatrixAsync(Today, Today.AddDays(1));
        var people = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => People.RegisterAsync(api, province: "011")));
        await MoveAsync(people[0].PersonalIdNumber, "012", "03201");
        await MoveAsync(people[1].PersonalIdNumber, "014", "03301");
        await MoveAsync(people[2].PersonalIdNumber, "012", "03201");
        await MoveAsync(people[0].PersonalIdNumber, "014", "03301");

        var after = await MatrixAsync(Today, Today.AddDays(1));
        var earlier = await MatrixAsync(Today.AddDays(-1), Today);

        Assert.Equal(2, Flow(after, "011", "012") - Flow(before, "011", "012"));
        Assert.Equal(1, Flow(after, "011", "014") - Flow(before, "011", "014"));
        Assert.Equal(1, Flow(after, "012", "014") - Flow(before, "012", "014"));
        Assert.Equal((0L, 3L), Change(before, after, "011"));
        Assert.Equal((2L, 1L), Change(before, after, "012"));
        Assert.Equal((2L, 0L), Change(before, after, "014"));
        Assert.All(Provinces, origin => Assert.All(Provinces, destination => Assert.Equal(0, Flow(earlier, origin, destination))));
        var net = after.GetProperty("provinces").EnumerateArray().Single(province => province.GetProperty("code").GetString() == "014");
        Assert.Equal(net.GetProperty("inbound").GetInt64() - net.GetProperty("outbound").GetInt64(), net.GetProperty("net").GetInt64());
    }

    /// <summary>Bad periods are 400s naming the parameter.</summary>
    [Theory]
    [InlineData("to=2026-02-01", "from")]
    [InlineData("from=2026-02-01", "to")]
    [InlineData("from=2026-02-01&to=2026-01-01", "to")]
    [InlineData("from=2026-02-01&to=2026-02-01", "to")]
    [InlineData("from=1-2-2026&to=2026-03-01", "from")]
    [InlineData("from=2024-01-01&to=2026-01-01", "to")]
    public async Task A_bad_period_is_refused_naming_the_parameter(string query, string field)
    {
        using var response = await api.GetAsync("/statistics/migration?" + query);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal([field], JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(error => error.Name));
    }

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));

    private async Task MoveAsync(string number, string province, string commune)
    {
        using var response = await api.PostAsync($"/residents/{number}/relocations", ApiFixture.NewIdempotencyKey(),
            $$"""{"provinceCode":"{{province}}","communeCode":"{{commune}}","address":"1 Đường {{province}}","movedOn":"{{Text(Today)}}"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonElement> MatrixAsync(DateOnly from, DateOnly to) =>
        await api.Http.GetFromJsonAsync<JsonElement>(new Uri($"/statistics/migration?from={Text(from)}&to={Text(to)}", UriKind.Relative));

    private static long Flow(JsonElement matrix, string from, string to) =>
        matrix.GetProperty("matrix").EnumerateArray()
            .Where(flow => flow.GetProperty("from").GetString() == from && flow.GetProperty("to").GetString() == to)
            .Sum(flow => flow.GetProperty("moves").GetInt64());

    private static (long Inbound, long Outbound) Change(JsonElement before, JsonElement after, string code) =>
        (Count(after, code, "inbound") - Count(before, code, "inbound"), Count(after, code, "outbound") - Count(before, code, "outbound"));

    private static long Count(JsonElement matrix, string code, string property) =>
        matrix.GetProperty("provinces").EnumerateArray().Where(province => province.GetProperty("code").GetString() == code)
            .Sum(province => province.GetProperty(property).GetInt64());

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
