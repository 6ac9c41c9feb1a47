using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Registry.TestSupport;

/// <summary>
/// A silo as its own operating-system process (<c>dotnet Registry.Silo.dll</c>), configured as
/// <c>cluster-config/up.sh</c> configures one, on free loopback ports: what a fault test kills with SIGKILL, which an
/// in-process test cluster cannot do. Its output goes to a log file for diagnosis.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private SiloProcess(Process process, StreamWriter log, string name, Uri httpUri, string logPath)
    {
        _process = process;
        _log = log;
        Name = name;
        HttpUri = httpUri;
        HealthUri = new Uri(httpUri, "/health/ready");
        LogPath = logPath;
    }

    /// <summary>The silo's name in the membership table.</summary>
    public string Name { get; }

    /// <summary>Its HTTP port (health, dashboard), on loopback.</summary>
    public Uri HttpUri { get; }

    /// <summary>Its readiness endpoint.</summary>
    public Uri HealthUri { get; }

    /// <summary>Where its standard output and error go.</summary>
    public string LogPath { get; }

    /// <summary>Starts a silo process of <paramref name="clusterId"/> on <paramref name="connectionString"/>; returns once it is ready.</summary>
    /// <param name="name">Silo name.</param>
    /// <param name="connectionString">A migrated database.</param>
    /// <param name="clusterId">The cluster to join.</param>
    /// <param name="settings">
    /// More configuration, as environment variables (e.g. <c>Orleans__Membership__ProbeTimeout</c>). Token settings with a
    /// random key are given unless these name others (<c>Registry__Auth__…</c>): a silo checks tokens at its dashboard.
    /// </param>
    public static async Task<SiloProcess> StartAsync(string name, string connectionString, string clusterId, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // A port found free is released before the silo binds it, and on a busy machine the kernel may hand it to another
        // socket meanwhile (an outgoing connection takes ephemeral ports too): the silo then exits at start. Fresh ports,
        // a few times, rather than a test failing for a port it never chose.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(name, connectionString, clusterId, settings);
            }
            catch (PortTakenException) when (attempt < 3)
            {
            }
        }
    }

    private static async Task<SiloProcess> StartOnceAsync(string name, string connectionString, string clusterId, IReadOnlyDictionary<string, string> settings)
    {
        var (siloPort, gatewayPort, httpPort) = (FreePort(), FreePort(), FreePort());
        var logPath = Path.Combine(Path.GetTempPath(), $"registry-silo-{clusterId}-{name}.log");
        var start = new ProcessStartInfo("dotnet", [SiloAssembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ConnectionStrings__Registry"] = connectionString;
        start.Environment["Orleans__ClusterId"] = clusterId;
        start.Environment["Orleans__ServiceId"] = RegistryTestCluster.ServiceId;
        start.Environment["Silo__Name"] = name;
        start.Environment["Silo__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Silo__GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Silo__HttpPort"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Registry__Auth__Issuer"] = "registry-tests";
        start.Environment["Registry__Auth__Audience"] = "registry-api-tests";
        start.Environment["Registry__Auth__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
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
        var silo = new SiloProcess(process, log, name, new Uri($"http://127.0.0.1:{httpPort}"), logPath);
        try
        {
            await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        }
        catch
        {
            // A silo that never became ready is nobody's to stop otherwise: the caller has no handle on it.
            await silo.DisposeAsync();
            if (File.ReadAllText(logPath).Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                throw new PortTakenException();
            }

            throw;
        }

        return silo;
    }

    /// <summary>Kills the process with SIGKILL: no shutdown, no goodbye to the cluster, as when a machine dies.</summary>
    public void Kill()
    {
        // Process.Kill sends SIGKILL on Unix.
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        // Exited or killed: its output has ended, and the log can close.
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        return _log.DisposeAsync();
    }

    private Task WaitUntilReadyAsync(TimeSpan patience) =>
        ProcessReadiness.WaitAsync(_process, HealthUri, $"Silo {Name}", LogPath, patience);

    private static string SiloAssembly => ProcessReadiness.BuiltAssembly("Registry.Silo");

    /// <summary>The repository holding this test build: the nearest folder above it with <c>Cluster.sln</c>.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cluster.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Cluster.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>A TCP port free on loopback now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

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

    // A port of the silo was taken by another socket between being found free and being bound.
    private sealed class PortTakenException : Exception;
}
