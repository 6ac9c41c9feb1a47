using System.Diagnostics;
using System.Globalization;
using Registry.LoadTests.Running;

namespace Registry.LoadTests.Planning;

/// <summary>
/// A fault injected into the local cluster of <c>cluster-config/up.sh</c> mid-run, and the repair an operator would make:
/// <c>kill-silo</c> sends SIGKILL to one silo process (its pid in <c>.local/run/silo-N.pid</c>) and later runs
/// <c>up.sh --no-build</c>, which starts what is missing; <c>add-silo</c> runs <c>SILOS=4 up.sh --no-build</c>;
/// <c>restart-postgres</c> stops and starts up.sh's database (<c>postgres.sh stop</c>, <c>start</c>). Each step is marked
/// on the run's time line, so the throughput chart shows it.
/// </summary>
internal sealed class ClusterFault(string kind, int silo, TimeSpan repairAfter)
{
    public const string None = "none";

    public static readonly string[] Kinds = [None, "kill-silo", "add-silo", "restart-postgres"];

    public string Kind => kind;

    /// <summary>When the fault was injected, in seconds of the run; null before.</summary>
    public double? InjectedAt { get; private set; }

    public string Description => kind switch
    {
        "kill-silo" => string.Create(CultureInfo.InvariantCulture, $"kill -9 of silo {silo}, restarted by up.sh --no-build {repairAfter.TotalSeconds:N0} s later"),
        "add-silo" => "a fourth silo started (SILOS=4 up.sh --no-build)",
        "restart-postgres" => "PostgreSQL stopped and started again (postgres.sh stop; postgres.sh start)",
        _ => "none",
    };

    /// <summary>Injects the fault and makes the repair, marking both; throws when a step fails, since the run would not be what it says.</summary>
    public async Task InjectAsync(PlanContext context, RunTimeline timeline)
    {
        InjectedAt = context.Operations.SecondsAt(Stopwatch.GetTimestamp());
        switch (kind)
        {
            case "kill-silo":
                var pidFile = ApiTarget.FindUpwards($".local/run/silo-{silo}.pid") ?? throw new InvalidOperationException($".local/run/silo-{silo}.pid not found: is up.sh's cluster running?");
                var pid = int.Parse((await File.ReadAllTextAsync(pidFile, context.Cancellation)).Trim(), CultureInfo.InvariantCulture);
                using (var process = Process.GetProcessById(pid))
                {
                    // Process.Kill is SIGKILL on Linux: the silo gets no chance to leave the cluster.
                    process.Kill();
                }

                timeline.Mark(string.Create(CultureInfo.InvariantCulture, $"fault: kill -9 silo {silo}"));
                await Task.Delay(repairAfter, context.Cancellation);
                await RunScriptAsync("up.sh", ["--no-build"], [], context.Cancellation);
                timeline.Mark(string.Create(CultureInfo.InvariantCulture, $"silo {silo} restarted"));
                break;
            case "add-silo":
                timeline.Mark("fault: silo 4 starting");
                await RunScriptAsync("up.sh", ["--no-build"], [new("SILOS", "4")], context.Cancellation);
                timeline.Mark("silo 4 up");
                break;
            case "restart-postgres":
                timeline.Mark("fault: PostgreSQL stops");
                await RunScriptAsync("postgres.sh", ["stop"], [], context.Cancellation);
                await RunScriptAsync("postgres.sh", ["start"], [], context.Cancellation);
                timeline.Mark("PostgreSQL started");
                break;
            default:
                throw new InvalidOperationException($"Unknown fault {kind}.");
        }
    }

    private static async Task RunScriptAsync(string script, string[] arguments, KeyValuePair<string, string>[] environment, CancellationToken cancellationToken)
    {
        var path = ApiTarget.FindUpwards(Path.Combine("cluster-config", script)) ?? throw new InvalidOperationException($"cluster-config/{script} not found from here.");
        var start = new ProcessStartInfo(path) { WorkingDirectory = Path.GetDirectoryName(Path.GetDirectoryName(path))!, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"cluster-config/{script} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await errors} {await output}");
        }
    }
}
