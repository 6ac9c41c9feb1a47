using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Registry.Api.Statistics;
using Registry.Api.Tests.Hosting;
using Registry.Api.Tests.Residents;
using Registry.Database.Statistics;
using Registry.Domain;
using Xunit;

namespace Registry.Api.Tests.Statistics;

/// <summary>
/// <c>GET /statistics/migration</c>: the moves made through the API, paired and summed by province, in the period of
/// Vietnam's calendar days asked for; every bad parameter refused naming it.
/// </summary>
/// <remarks>
/// The database is shared by every API test. The moves here are between Điện Biên (011), Lai Châu (012) and Sơn La
/// (014), which no other API test moves anyone into or out of, so the matrix's entries touching them are exactly
/// this class's moves.
/// </remarks>
[Collection(ApiCollectionDefinition.Name)]
public sealed class MigrationStatisticsApiTests(ApiFixture api) : IAsyncLifetime
{
    private static readonly string[] Ours = ["011", "012", "014"];

    private static readonly (string Province, string Commune, string Name)[] Communes =
    [
        ("011", "03127", "Phường Mường Thanh"),
        ("012", "03388", "Phường Tân Phong"),
        ("012", "03390", "Phường Đông Phong"),
        ("014", "03646", "Phường Chiềng Lề"),
    ];

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        foreach (var (province, commune, name) in Communes)
        {
            using var response = await api.Http.PutAsJsonAsync($"/provinces/{province}/communes/{commune}", new { name });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Four moves between three provinces make the matrix of a period around now, a repeated request counts once, a
    /// move within a province not at all; a province filter keeps its moves and totals; an earlier period has none of them.
    /// </summary>
    [Fact]
    public async Task The_matrix_holds_the_moves_between_provinces_of_the_period()
    {
        var first = await People.RegisterAsync(api, province: "011");
        var second = await People.RegisterAsync(api, province: "011");
        var third = await People.RegisterAsync(api, province: "012");
        var fourth = await People.RegisterAsync(api, province: "014");
        var local = await People.RegisterAsync(api, province: "012");
        var repeated = ApiFixture.NewIdempotencyKey();
        await RelocateAsync(first.PersonalIdNumber, "012", "03388", repeated);
        await RelocateAsync(first.PersonalIdNumber, "012", "03388", repeated);
        await RelocateAsync(second.PersonalIdNumber, "014", "03646");
        await RelocateAsync(third.PersonalIdNumber, "014", "03646");
        await RelocateAsync(fourth.PersonalIdNumber, "011", "03127");
        await RelocateAsync(local.PersonalIdNumber, "012", "03388");
        await RelocateAsync(local.PersonalIdNumber, "012", "03390");
        // Days in Vietnam, as the endpoint reads them; yesterday to the day after tomorrow holds now whatever the hour.
        var today = VietnamCalendar.Today(TimeProvider.System);

        var all = await ReadAsync($"from={Day(today.AddDays(-1))}&to={Day(today.AddDays(2))}");

        Assert.Equal((today.AddDays(-1), today.AddDays(2)), (all.Period.From, all.Period.To));
        Assert.Equal(new DateTimeOffset(today.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(7)), all.Period.StartsAt);
        Assert.Equal(TimeSpan.Zero, all.Period.StartsAt.Offset);
        Assert.Equal(
            [new MigrationFlow("011", "012", 1), new MigrationFlow("011", "014", 1), new MigrationFlow("012", "014", 1), new MigrationFlow("014", "011", 1)],
            all.Matrix.Where(flow => Ours.Contains(flow.From) || Ours.Contains(flow.To)));
        Assert.Equal(
            [new ProvinceMigration("011", 1, 2), new ProvinceMigration("012", 1, 1), new ProvinceMigration("014", 2, 1)],
            all.Provinces.Where(province => Ours.Contains(province.Code)));
        Assert.Equal(all.Matrix.Sum(flow => flow.Moves), all.TotalMoves);
        using (var raw = await api.GetAsync($"/statistics/migration?from={Day(today.AddDays(-1))}&to={Day(today.AddDays(2))}&province=011"))
        {
            var json = await raw.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(-1, json.GetProperty("provinces")[0].GetProperty("net").GetInt64());
        }

        var sonLa = await ReadAsync($"from={Day(today.AddDays(-1))}&to={Day(today.AddDays(2))}&province=014");

        Assert.Equal("014", sonLa.Province);
        Assert.Equal(3L, sonLa.TotalMoves);
        Assert.Equal([new MigrationFlow("011", "014", 1), new MigrationFlow("012", "014", 1), new MigrationFlow("014", "011", 1)], sonLa.Matrix);
        Assert.Equal([new ProvinceMigration("014", 2, 1)], sonLa.Provinces);

        var before = await ReadAsync($"from={Day(today.AddDays(-40))}&to={Day(today.AddDays(-1))}");

        Assert.DoesNotContain(before.Matrix, flow => Ours.Contains(flow.From) || Ours.Contains(flow.To));
        Assert.DoesNotContain(before.Provinces, province => Ours.Contains(province.Code));
    }

    /// <summary>Every bad parameter is a 400 with problem details naming it.</summary>
    [Theory]
    [InlineData("to=2026-02-01", "from")]
    [InlineData("from=&to=2026-02-01", "from")]
    [InlineData("from=2026-01-01", "to")]
    [InlineData("from=2026-02-01&to=2026-01-01", "to")]
    [InlineData("from=2026-01-01&to=2026-01-01", "to")]
    [InlineData("from=2026-1-1&to=2026-02-01", "from")]
    [InlineData("from=2026-02-30&to=2026-03-01", "from")]
    [InlineData("from=01/01/2026&to=2026-02-01", "from")]
    [InlineData("from=0001-01-01&to=2026-02-01", "from")]
    [InlineData("from=2026-01-01&to=2026-02-01T00:00:00Z", "to")]
    [InlineData("from=2025-01-01&to=2026-01-03", "to")]
    [InlineData("from=2026-01-01&to=2026-02-01&province=999", "province")]
    [InlineData("from=2026-01-01&to=2026-02-01&province=79", "province")]
    public async Task A_bad_parameter_is_a_400_naming_it(string query, string field)
    {
        using var response = await api.GetAsync($"/statistics/migration?{query}");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(error => error.Name));
    }

    /// <summary>The longest period, 366 days, is accepted.</summary>
    [Fact]
    public async Task A_period_of_366_days_is_accepted()
    {
        var year = await ReadAsync("from=2028-01-01&to=2029-01-01");

        Assert.Equal((0L, 366), (year.TotalMoves, year.Period.To.DayNumber - year.Period.From.DayNumber));
    }

    /// <summary>The endpoint is in the OpenAPI document under Statistics, its dates documented as dates.</summary>
    [Fact]
    public async Task The_migration_statistics_are_in_the_OpenAPI_document()
    {
        var document = await (await api.GetAsync("/openapi/v1.json")).Content.ReadFromJsonAsync<JsonElement>();

        var operation = document.GetProperty("paths").GetProperty("/statistics/migration").GetProperty("get");
        Assert.Equal("GetMigrationStatistics", operation.GetProperty("operationId").GetString());
        Assert.Equal(["Statistics"], operation.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()));
        var parameters = operation.GetProperty("parameters").EnumerateArray().ToDictionary(parameter => parameter.GetProperty("name").GetString()!);
        Assert.Equal(["from", "to", "province"], parameters.Keys);
        Assert.All(["from", "to"], name =>
        {
            Assert.Equal("date", parameters[name].GetProperty("schema").GetProperty("format").GetString());
            Assert.True(parameters[name].GetProperty("required").GetBoolean());
        });
        Assert.True(operation.GetProperty("responses").TryGetProperty("400", out _));
    }

    // The address is the same for a person's every move, so a repeated request has the same body as the first.
    private async Task RelocateAsync(string number, string province, string commune, string? key = null)
    {
        var body = $$"""{"provinceCode":"{{province}}","communeCode":"{{commune}}","address":"{{number[^3..]}} Trần Đăng Ninh","movedOn":"2026-03-01"}""";
        using var response = await api.PostAsync($"/residents/{number}/relocations", key ?? ApiFixture.NewIdempotencyKey(), body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<MigrationStatisticsResponse> ReadAsync(string query)
    {
        using var response = await api.GetAsync($"/statistics/migration?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<MigrationStatisticsResponse>())!;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
