using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Registry.Admin.Communes;
using Registry.Api.Tests.Hosting;
using Registry.TestSupport;

namespace Registry.Api.Tests.Provinces;

/// <summary>Importing commune lists in tests, as an operator does: through <c>registry-admin communes import</c>.</summary>
internal static class CommuneLists
{
    /// <summary>Five communes of the 2024 units: two of Hà Nội (001), one each of Hà Giang (002), Tuyên Quang (008) and Hồ Chí Minh City (079).</summary>
    public static string Sample2024 => Sample("communes-2024-sample.csv");

    /// <summary>Three communes of the units after Resolution 202: one each of Hà Nội, Tuyên Quang (which took in Hà Giang) and Hồ Chí Minh City.</summary>
    public static string Sample2025 => Sample("communes-2025-sample.csv");

    /// <summary>What an import printed and its exit code.</summary>
    public sealed record Run(int ExitCode, string Output, string Errors);

    /// <summary>Runs <c>registry-admin communes import --file <paramref name="path"/></c> against the test API as a central administrator.</summary>
    public static async Task<Run> ImportAsync(ApiFixture api, string path)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exitCode = await ImportCommunesCommand.RunAsync(api.Http, new FileInfo(path), output, errors);
        return new Run(exitCode, output.ToString(), errors.ToString());
    }

    /// <summary>POSTs <paramref name="csv"/> to <c>/commune-lists</c> through <paramref name="client"/>.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string csv)
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        return await client.PostAsync(new Uri("/commune-lists", UriKind.Relative), content);
    }

    /// <summary>A page of <c>GET /provinces/{code}/addresses-to-update</c>.</summary>
    public static async Task<JsonElement> AddressesToUpdateAsync(ApiFixture api, string provinceCode) =>
        await api.Http.GetFromJsonAsync<JsonElement>(new Uri($"/provinces/{provinceCode}/addresses-to-update", UriKind.Relative));

    /// <summary>Every stored list's units, digest and rows, for "nothing changed" checks.</summary>
    public static Task<string> StoredAsync(ApiFixture api) =>
        TestDatabase.ScalarAsync<string>(api.ConnectionString,
            """
            SELECT coalesce(string_agg(l.units || ':' || l.digest || ':' || l.imported_at::text || ':' ||
                (SELECT count(*) FROM registry.commune c WHERE c.units = l.units)::text, ';' ORDER BY l.units), '')
            FROM registry.commune_list l
            """);

    private static string Sample(string fileName) => Path.Combine(AppContext.BaseDirectory, "Provinces", "Data", fileName);
}
