using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Registry.LoadTests.Scenarios;

namespace Registry.LoadTests.Running;

/// <summary>The registry's HTTP API at a loopback base URL (<c>--api</c>), called with a bearer token (<c>--token</c>).</summary>
internal sealed class ApiTarget : ILoadTarget
{
    public const string DefaultApi = "http://127.0.0.1:8080";

    /// <summary>Environment variable holding a token, used when <c>--token</c> is not given.</summary>
    public const string TokenVariable = "REGISTRY_TOKEN";

    /// <summary>Where <c>cluster-config/up.sh</c> writes a central administrator's token, relative to the repository root.</summary>
    public const string TokenFile = ".local/run/token-central-administrator";

    private readonly Option<string> api = new("--api")
    {
        HelpName = "url",
        Description = "Base URL of the registry API. Only loopback is accepted (127.0.0.0/8, localhost, [::1]).",
        DefaultValueFactory = static _ => DefaultApi,
    };

    private readonly Option<string?> token = new("--token")
    {
        HelpName = "jwt",
        Description = $"Bearer token sent with every request (never written to the report). Default: ${TokenVariable}, else the central administrator's token that cluster-config/up.sh writes to {TokenFile}.",
    };

    public IEnumerable<Option> Options => [api, token];

    public string Prerequisite => "With the cluster up (`cluster-config/up.sh`)";

    public bool TryResolve(ParseResult parse, [NotNullWhen(true)] out IResolvedTarget? target, [NotNullWhen(false)] out string? problem)
    {
        target = null;
        if (!LoopbackTarget.TryParse(parse.GetRequiredValue(api), out var baseAddress, out problem))
        {
            return false;
        }

        if (!TryFindToken(parse.GetValue(token), out var bearer, out var source))
        {
            problem = $"No bearer token: every API request needs one. Pass --token, set {TokenVariable}, or start the cluster with cluster-config/up.sh, which writes {TokenFile}. Nothing was sent.";
            return false;
        }

        target = new Resolved(baseAddress, bearer, source);
        return true;
    }

    /// <summary>The token from the option, else the environment, else up.sh's file; and where it came from, for the report.</summary>
    internal static bool TryFindToken(string? given, [NotNullWhen(true)] out string? bearer, [NotNullWhen(true)] out string? source)
    {
        (bearer, source) = (given?.Trim(), "--token");
        if (string.IsNullOrEmpty(bearer))
        {
            (bearer, source) = (Environment.GetEnvironmentVariable(TokenVariable)?.Trim(), $"${TokenVariable}");
        }

        if (string.IsNullOrEmpty(bearer) && FindUpwards(TokenFile) is { } file)
        {
            (bearer, source) = (File.ReadAllText(file).Trim(), file);
        }

        return !string.IsNullOrEmpty(bearer);
    }

    /// <summary>
    /// <paramref name="relativePath"/> under the nearest folder that has it, looking up from the current folder and then
    /// from the program's own, so that <c>dotnet run</c> from anywhere in the repository finds up.sh's files.
    /// </summary>
    internal static string? FindUpwards(string relativePath)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, relativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// States the purpose every read of a person's data by an official needs (the API's <c>PurposeHeaders</c>): a load
    /// test reads as a data-quality check would, and says so in the note.
    /// </summary>
    public static void StatePurpose(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.DefaultRequestHeaders.Add("Access-Purpose", "data-quality");
        http.DefaultRequestHeaders.Add("Access-Purpose-Note", "load-test");
    }

    private sealed class Resolved(Uri baseAddress, string bearer, string tokenSource) : IResolvedTarget
    {
        public string Description => $"`{baseAddress}`";

        public async Task<TargetConnection> ConnectAsync(RunSettings settings, CancellationToken cancellationToken)
        {
            var http = LoopbackTarget.CreateClient(baseAddress, settings.Concurrency, settings.RequestTimeout);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            StatePurpose(http);
            try
            {
                if (settings.WaitReady > TimeSpan.Zero)
                {
                    var (ready, lastProblem) = await ReadinessProbe.WaitAsync(http, settings.WaitReady, cancellationToken);
                    if (!ready)
                    {
                        throw new TargetUnavailableException(ExitCodes.NotReady, string.Create(
                            CultureInfo.InvariantCulture,
                            $"The API at {baseAddress} is not ready: GET health/ready gave no 200 within {settings.WaitReady.TotalSeconds:F0} s (last: {lastProblem}). Start the cluster with cluster-config/up.sh, or pass --wait-ready 0 to send load anyway."));
                    }

                    await CheckTokenAsync(http, cancellationToken);
                }
            }
            catch
            {
                http.Dispose();
                throw;
            }

            var connection = new TargetConnection(http, null, [new("bearer token from", tokenSource)], () =>
            {
                http.Dispose();
                return ValueTask.CompletedTask;
            });
            return connection;
        }

        /// <summary>
        /// One read with the token before any load: a token that is expired or signed with another key would otherwise
        /// turn the whole run into a measurement of 401 answers.
        /// </summary>
        private async Task CheckTokenAsync(HttpClient http, CancellationToken cancellationToken)
        {
            using var response = await http.GetAsync("provinces/001", cancellationToken);
            if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            {
                return;
            }

            var detail = await DetailOfAsync(response, cancellationToken);
            throw new TargetUnavailableException(ExitCodes.NotReady,
                $"The API refused the bearer token from {tokenSource} ({RequestOutcome.StatusLabel(response.StatusCode)}{(detail is null ? "" : ": " + detail)}). " +
                $"Run cluster-config/up.sh for fresh tokens in {TokenFile}, or pass another with --token. No load was sent.");
        }

        private static async Task<string?> DetailOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            try
            {
                using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                return problem.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
