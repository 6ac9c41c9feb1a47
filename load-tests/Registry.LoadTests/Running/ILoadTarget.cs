using System.CommandLine;
using System.Diagnostics.CodeAnalysis;

namespace Registry.LoadTests.Running;

/// <summary>
/// How a scenario reaches the registry: the HTTP API (<see cref="ApiTarget"/>), the silos through an Orleans
/// cluster client (<see cref="ClusterTarget"/>), or PostgreSQL itself (<see cref="DatabaseTarget"/>). One instance
/// per subcommand, like its options.
/// </summary>
internal interface ILoadTarget
{
    /// <summary>The options that say where the target is (<c>--api</c>, or <c>--connection</c> and the cluster ids).</summary>
    IEnumerable<Option> Options { get; }

    /// <summary>What must run before the command, as the report's "Reproduce" section says it.</summary>
    string Prerequisite { get; }

    /// <summary>
    /// Reads and checks the target from the command line without sending anything. On refusal
    /// <paramref name="problem"/> says what was refused and why, for the user.
    /// </summary>
    bool TryResolve(ParseResult parse, [NotNullWhen(true)] out IResolvedTarget? target, [NotNullWhen(false)] out string? problem);
}

/// <summary>A target that passed the command-line checks.</summary>
internal interface IResolvedTarget
{
    /// <summary>Where the load goes, for the console and the report (never a password).</summary>
    string Description { get; }

    /// <summary>Connects and waits until the target is ready (at most <see cref="RunSettings.WaitReady"/>).</summary>
    /// <exception cref="TargetUnavailableException">Refused or not ready; nothing was loaded.</exception>
    Task<TargetConnection> ConnectAsync(RunSettings settings, CancellationToken cancellationToken);
}

/// <summary>An open connection to the target: an HTTP client, a cluster client or a database, one of them.</summary>
/// <param name="Http">The loopback-only HTTP client, for API scenarios.</param>
/// <param name="Grains">The connected cluster client, for grain scenarios.</param>
/// <param name="Parameters">What the connection found (e.g. the gateways), for the report.</param>
/// <param name="Close">Closes the connection.</param>
internal sealed record TargetConnection(
    HttpClient? Http, IClusterClient? Grains, IReadOnlyList<KeyValuePair<string, string>> Parameters, Func<ValueTask> Close)
    : IAsyncDisposable
{
    /// <summary>The loopback PostgreSQL, for scenarios that measure the read model itself.</summary>
    public Npgsql.NpgsqlDataSource? Database { get; init; }

    public ValueTask DisposeAsync() => Close();
}

/// <summary>The target was refused or did not become ready; <see cref="ExitCode"/> says which. Nothing was loaded.</summary>
internal sealed class TargetUnavailableException : Exception
{
    public TargetUnavailableException()
    {
    }

    public TargetUnavailableException(string message)
        : base(message)
    {
    }

    public TargetUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TargetUnavailableException(int exitCode, string message)
        : base(message) =>
        ExitCode = exitCode;

    /// <summary><see cref="ExitCodes.RefusedTarget"/> or <see cref="ExitCodes.NotReady"/>.</summary>
    public int ExitCode { get; } = ExitCodes.NotReady;
}
