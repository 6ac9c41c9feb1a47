namespace Registry.LoadTests.Running;

/// <summary>Process exit codes, so a script can tell a refused target from a run that saw errors.</summary>
internal static class ExitCodes
{
    /// <summary>The run completed and every measured request succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The command line is invalid; System.CommandLine uses the same code for what it rejects itself.</summary>
    public const int InvalidArguments = 1;

    /// <summary>The base URL is not loopback (or not a URL); nothing was sent.</summary>
    public const int RefusedTarget = 2;

    /// <summary>The API never became ready, or the scenario's set-up failed; no load was sent.</summary>
    public const int NotReady = 3;

    /// <summary>The run completed but some measured requests failed, or none was measured.</summary>
    public const int RequestsFailed = 4;

    /// <summary>Interrupted (Ctrl+C); a partial report is still written.</summary>
    public const int Cancelled = 130;
}
