using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Registry.LoadTests.Running;

/// <summary>The registry's HTTP API at a loopback base URL (<c>--api</c>).</summary>
internal sealed class ApiTarget : ILoadTarget
{
    public const string DefaultApi = "http://127.0.0.1:8080";

    private readonly Option<string> api = new("--api")
    {
        HelpName = "url",
        Description = "Base URL of the registry API. Only loopback is accepted (127.0.0.0/8, localhost, [::1]).",
        DefaultValueFactory = static _ => DefaultApi,
    };

    public IEnumerable<Option> Options => [api];

    public string Prerequisite => "With the cluster up (`cluster-config/up.sh`)";

    public bool TryResolve(ParseResult parse, [NotNullWhen(true)] out IResolvedTarget? target, [NotNullWhen(false)] out string? problem)
    {
        target = null;
        if (!LoopbackTarget.TryParse(parse.GetRequiredValue(api), out var baseAddress, out problem))
        {
            return false;
        }

        target = new Resolved(baseAddress);
        return true;
    }

    private sealed class Resolved(Uri baseAddress) : IResolvedTarget
    {
        public string Description => $"`{baseAddress}`";

        public async Task<TargetConnection> ConnectAsync(RunSettings settings, CancellationToken cancellationToken)
        {
            var http = LoopbackTarget.CreateClient(baseAddress, settings.Concurrency, settings.RequestTimeout);
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
                }
            }
            catch
            {
                http.Dispose();
                throw;
            }

            var connection = new TargetConnection(http, null, [], () =>
            {
                http.Dispose();
                return ValueTask.CompletedTask;
            });
            return connection;
        }
    }
}
