using System.Diagnostics;
using Registry.Database.Schema;

namespace Registry.TestSupport;

/// <summary>
/// A PostgreSQL server of a test's own, started with the project's <c>cluster-config/postgres.sh</c> on a free loopback
/// port in a temporary folder: the shared test server must never be restarted, this one may be.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly string _directory;

    private PrivatePostgres(string directory, Dictionary<string, string> environment, string connectionString)
    {
        _directory = directory;
        _environment = environment;
        ConnectionString = connectionString;
    }

    /// <summary>The application's connection string to the server's migrated database.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates, starts and migrates a server.</summary>
    public static async Task<PrivatePostgres> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("registry-private-pg-").FullName;
        // The server runs as the postgres OS user, which must reach its data directory (postgres.sh runs on Unix only).
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("cluster-config/postgres.sh runs on Linux.");
        }

        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var environment = new Dictionary<string, string>
        {
            ["REGISTRY_PG_DIR"] = Path.Combine(directory, "pg"),
            ["REGISTRY_PG_PORT"] = SiloProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REGISTRY_DB"] = "registry_private",
            ["REGISTRY_PG_MIGRATE"] = "0",
            ["REGISTRY_PG_FAST"] = "1",
        };
        await RunAsync(environment, "start");
        var connectionString = (await RunAsync(environment, "url")).Trim();
        SchemaMigrator.Apply(connectionString);
        return new PrivatePostgres(directory, environment, connectionString);
    }

    /// <summary>Stops the server (fast shutdown: sessions are cut) and starts it again.</summary>
    public async Task RestartAsync(TimeSpan down)
    {
        await RunAsync(_environment, "stop");
        await Task.Delay(down);
        await RunAsync(_environment, "start");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await RunAsync(_environment, "purge");
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<string> RunAsync(Dictionary<string, string> environment, string command)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(SiloProcess.RepositoryRoot(), "cluster-config", "postgres.sh"), command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"postgres.sh {command} failed ({process.ExitCode}): {await errors}");
    }
}
