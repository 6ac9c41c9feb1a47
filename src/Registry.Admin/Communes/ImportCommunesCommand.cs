using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Registry.Admin.Communes;

/// <summary>
/// <c>registry-admin communes import --file communes-2024.csv</c>: sends a national commune list to the API, which checks
/// it whole and stores it for the units it is for (held until they are current), and prints what was done. Exit code 0
/// when the list is stored (or was already), <see cref="Refused"/> when the file was refused (each error on stderr,
/// naming line and column; nothing stored), <see cref="Failed"/> when the API could not be asked.
/// </summary>
public static class ImportCommunesCommand
{
    /// <summary>Exit code when the list was refused.</summary>
    public const int Refused = 1;

    /// <summary>Exit code when the file could not be read or the API could not be asked.</summary>
    public const int Failed = 2;

    /// <summary>The <c>communes</c> command and its <c>import</c> subcommand.</summary>
    public static Command Create()
    {
        var file = new Option<FileInfo>("--file")
        {
            Description = "The list as CSV: province_code,district_code,district_name,commune_code,commune_name (the 2024 units) " +
                          "or province_code,commune_code,commune_name (the units after the 2025 reorganisation).",
            Required = true,
        };
        var api = ApiConnection.Api();
        var token = ApiConnection.Token();
        var import = new Command("import", "Import a national commune list; importing the same list again changes nothing.") { file, api, token };
        import.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(token) is not { Length: > 0 } bearer)
            {
                await Console.Error.WriteLineAsync("A central administrator's token is required: --token or $REGISTRY_TOKEN.");
                return Failed;
            }

            using var client = new HttpClient { BaseAddress = parse.GetRequiredValue(api), Timeout = TimeSpan.FromMinutes(5) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            return await RunAsync(client, parse.GetRequiredValue(file), Console.Out, Console.Error, cancellationToken);
        });
        return new Command("communes", "The national commune lists.") { import };
    }

    /// <summary>Sends <paramref name="file"/> to <paramref name="api"/> and prints what it did.</summary>
    public static async Task<int> RunAsync(HttpClient api, FileInfo file, TextWriter output, TextWriter errors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file.FullName, Encoding.UTF8, cancellationToken);
        }
        catch (IOException exception)
        {
            await errors.WriteLineAsync($"{file.Name} could not be read: {exception.Message}");
            return Failed;
        }

        try
        {
            using var content = new StringContent(text, Encoding.UTF8, "text/csv");
            using var response = await api.PostAsync(new Uri("commune-lists", UriKind.Relative), content, cancellationToken);
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                await errors.WriteLineAsync($"{file.Name} was refused; nothing was imported.");
                foreach (var field in problem.GetProperty("errors").EnumerateObject())
                {
                    foreach (var message in field.Value.EnumerateArray())
                    {
                        await errors.WriteLineAsync($"  {field.Name}: {message.GetString()}");
                    }
                }

                return Refused;
            }

            if (!response.IsSuccessStatusCode)
            {
                await errors.WriteLineAsync($"The API answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                return Failed;
            }

            var imported = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var units = imported.GetProperty("units").GetString();
            var forUnits = units == "2024" ? "the 2024 units" : $"the units after {units}";
            var state = imported.GetProperty("inForce").GetBoolean() ? "in force" : "held until a reorganisation makes its units current";
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{file.Name}: {imported.GetProperty("communes").GetInt32():N0} communes of {forUnits}, {imported.GetProperty("outcome").GetString()}; {state}."));
            return 0;
        }
        catch (HttpRequestException exception)
        {
            await errors.WriteLineAsync($"The API at {api.BaseAddress} could not be reached: {exception.Message}");
            return Failed;
        }
    }
}
