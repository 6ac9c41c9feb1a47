using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Registry.Admin.Reconciliation;

/// <summary>
/// <c>registry-admin reconcile</c>: asks the API to recompute every province's resident count from the read model and
/// prints the provinces whose counters drift from it. Exit code 0 when every drift is zero, 3 when some is not, 2 when
/// the API could not be asked.
/// </summary>
public static class ReconcileCommand
{
    /// <summary>Exit code when some province drifts.</summary>
    public const int Drift = 3;

    /// <summary>Exit code when the API refused or could not be reached.</summary>
    public const int Failed = 2;

    /// <summary>The command line definition.</summary>
    public static Command Create()
    {
        var api = ApiConnection.Api();
        var token = ApiConnection.Token();
        var command = new Command("reconcile", "Recompute resident counts from the read model and report each province's drift from its counters.") { api, token };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(token) is not { Length: > 0 } bearer)
            {
                await Console.Error.WriteLineAsync("A central administrator's token is required: --token or $REGISTRY_TOKEN.");
                return Failed;
            }

            using var client = new HttpClient { BaseAddress = parse.GetRequiredValue(api) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            return await RunAsync(client, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>Asks <paramref name="api"/> for the reconciliation and prints it.</summary>
    /// <returns>0 when no province drifts, <see cref="Drift"/> when some does, <see cref="Failed"/> when the API could not be asked.</returns>
    public static async Task<int> RunAsync(HttpClient api, TextWriter output, TextWriter errors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        JsonElement report;
        try
        {
            using var response = await api.GetAsync(new Uri("provinces/reconciliation", UriKind.Relative), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                await errors.WriteLineAsync($"The API answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                return Failed;
            }

            report = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            await errors.WriteLineAsync($"The API at {api.BaseAddress} could not be reached: {exception.Message}");
            return Failed;
        }

        var drifting = report.GetProperty("provinces").EnumerateArray().Where(static province => province.GetProperty("drift").GetInt64() != 0).ToArray();
        var culture = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(culture,
            $"counted by provinces {report.GetProperty("counted").GetInt64():N0}, in the read model {report.GetProperty("inReadModel").GetInt64():N0}, provinces drifting {drifting.Length}"));
        foreach (var province in drifting)
        {
            await output.WriteLineAsync(string.Create(culture,
                $"  {province.GetProperty("provinceCode").GetString()}  counted {province.GetProperty("counted").GetInt64(),12:N0}  read model {province.GetProperty("inReadModel").GetInt64(),12:N0}  drift {province.GetProperty("drift").GetInt64():+#,0;-#,0}"));
        }

        return drifting.Length == 0 ? 0 : Drift;
    }
}
