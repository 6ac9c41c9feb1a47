using System.Diagnostics;
using System.Globalization;

namespace Registry.TestSupport;

/// <summary>
/// The API host as its own operating-system process (<c>dotnet Registry.Api.dll</c>), configured as
/// <c>cluster-config/up.sh</c> configures it, on a free loopback port: what a browser reaches over real HTTP, next to
/// <see cref="SiloProcess"/> silos of the same cluster. Its output goes to a log file for diagnosis.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ApiProcess(Process process, StreamWriter log, Uri uri, string logPath)
    {
        _process = process;
        _log = log;
        Uri = uri;
        LogPath = logPath;
    }

    /// <summary>Where it answers, on loopback.</summary>
    public Uri Uri { get; }

    /// <summary>Where its standard output and error go.</summary>
    public string LogPath { get; }

    /// <summary>
    /// Starts the API of <paramref name="clusterId"/> on <paramref name="connectionString"/>; returns once it is ready,
    /// which means connected to a silo gateway and to PostgreSQL, or throws after <paramref name="patience"/>.
    /// </summary>
    /// <param name="connectionString">The database its silos use.</param>
    /// <param name="clusterId">The cluster whose gateways it connects to.</param>
    /// <param name="settings">More configuration as environment variables, e.g. the <c>Registry__Auth__…</c> its silos have.</param>
    /// <param name="patience">How long to wait for readiness.</param>
    public static async Task<ApiProcess> StartAsync(string connectionString, string clusterId, IReadOnlyDictionary<string, string> settings, TimeSpan patience)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var uri = new Uri($"http://127.0.0.1:{SiloProcess.FreePort().ToString(CultureInfo.InvariantCulture)}");
        var logPath = Path.Combine(Path.GetTempPath(), $"registry-api-{clusterId}.log");
        var start = new ProcessStartInfo("dotnet", [ApiAssembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The host's content root (appsettings.json) is its working directory, as up.sh starts it.
            WorkingDirectory = Path.GetDirectoryName(ApiAssembly)!,
        };
        start.Environment["ConnectionStrings__Registry"] = connectionString;
        start.Environment["Orleans__ClusterId"] = clusterId;
        start.Environment["Orleans__ServiceId"] = RegistryTestCluster.ServiceId;
        start.Environment["ASPNETCORE_URLS"] = uri.ToString();
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, line) => Write(log, line.Data);
        process.ErrorDataReceived += (_, line) => Write(log, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var api = new ApiProcess(process, log, uri, logPath);
        try
        {
            await api.WaitUntilReadyAsync(patience);
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }

        return api;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        return _log.DisposeAsync();
    }

    private Task WaitUntilReadyAsync(TimeSpan patience) =>
        ProcessReadiness.WaitAsync(_process, new Uri(Uri, "/health/ready"), "The API", LogPath, patience);

    private static string ApiAssembly => ProcessReadiness.BuiltAssembly("Registry.Api");

    private static void Write(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }
}
