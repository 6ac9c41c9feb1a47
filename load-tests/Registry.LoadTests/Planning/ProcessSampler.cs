using System.Globalization;
using Npgsql;

namespace Registry.LoadTests.Planning;

/// <summary>A registry process to watch: a silo, the API, or PostgreSQL (its postmaster and every backend it forked).</summary>
/// <param name="Name">What it is, e.g. <c>silo-1</c>.</param>
/// <param name="Pid">Its process id; for PostgreSQL the postmaster's.</param>
/// <param name="WithChildren">True for PostgreSQL: the children's CPU and memory count too, exited backends included.</param>
internal sealed record WatchedProcess(string Name, int Pid, bool WithChildren);

/// <summary>One watched process over the run: CPU in cores and memory in MiB, once a second.</summary>
internal sealed record ProcessSeries(WatchedProcess Process, double[] Seconds, double[] Cores, double[] MemoryMiB, double CpuSeconds, string? Problem)
{
    public double AverageCores => Seconds.Length < 2 ? 0 : CpuSeconds / (Seconds[^1] - Seconds[0]);

    public double PeakCores => Cores.Length == 0 ? 0 : Cores.Max();

    public double PeakMemoryMiB => MemoryMiB.Length == 0 ? 0 : MemoryMiB.Max();
}

/// <summary>
/// Samples the CPU time and memory of the registry's processes from <c>/proc</c> once a second while the run lasts.
/// A silo's or the API's CPU is its own user and system time; PostgreSQL's is the postmaster's own, the time of the
/// backends it has reaped (<c>cutime</c>, <c>cstime</c> of its <c>stat</c>: a backend that served one request and
/// exited is counted there) and the time of the backends still alive. Memory is the resident set of a single
/// process, and the proportional set size (<c>smaps_rollup</c>'s Pss) summed over PostgreSQL's processes, which
/// counts the shared buffers once instead of once per backend.
/// </summary>
internal sealed class ProcessSampler : IAsyncDisposable
{
    /// <summary>USER_HZ: <c>/proc</c> counts CPU time in 1/100 s on every Linux architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<WatchedProcess> processes;
    private readonly OperationLog clock;
    private readonly List<(double Second, double[] Cpu, double[] Memory)> samples = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;

    public ProcessSampler(IReadOnlyList<WatchedProcess> processes, OperationLog clock)
    {
        (this.processes, this.clock) = (processes, clock);
        sampling = SampleAsync(stop.Token);
    }

    /// <summary>
    /// The processes to watch: those named by <c>--pids</c> (<c>name=pid</c> or a bare pid), else the silos and API whose
    /// pid files <c>cluster-config/up.sh</c> left in <c>.local/run</c> and that are still running; and PostgreSQL's
    /// postmaster, the parent of the backend that answers <c>pg_backend_pid()</c> (so on this machine only).
    /// </summary>
    public static async Task<IReadOnlyList<WatchedProcess>> FindAsync(string? pids, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var found = new List<WatchedProcess>();
        if (!string.IsNullOrWhiteSpace(pids))
        {
            foreach (var entry in pids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var at = entry.IndexOf('=', StringComparison.Ordinal);
                var (name, pid) = at < 0 ? ("pid " + entry, entry) : (entry[..at], entry[(at + 1)..]);
                if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && Directory.Exists($"/proc/{number}"))
                {
                    found.Add(new WatchedProcess(name, number, false));
                }
            }
        }
        else if (FindRunFolder() is { } run)
        {
            foreach (var file in Directory.GetFiles(run, "*.pid").Order(StringComparer.Ordinal))
            {
                // A pid file outlives its process and the number may be reused: only a live process of ours counts.
                if (int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && ReadCommandLine(pid) is { } commandLine && commandLine.Contains("Registry.", StringComparison.Ordinal))
                {
                    found.Add(new WatchedProcess(Path.GetFileNameWithoutExtension(file), pid, false));
                }
            }
        }

        await using var command = database.CreateCommand("SELECT pg_backend_pid()");
        var backend = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (ReadStat(backend) is { } stat)
        {
            found.Add(new WatchedProcess("PostgreSQL (postmaster and backends)", stat.ParentPid, true));
        }

        return found;
    }

    /// <summary>Stops sampling and returns each process's series.</summary>
    public async Task<IReadOnlyList<ProcessSeries>> StopAsync()
    {
        await stop.CancelAsync();
        await sampling;
        lock (samples)
        {
            return [.. processes.Select((process, index) => Series(process, index))];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
    }

    private ProcessSeries Series(WatchedProcess process, int index)
    {
        var valid = samples.Where(sample => !double.IsNaN(sample.Cpu[index])).ToList();
        if (valid.Count < 2)
        {
            return new ProcessSeries(process, [], [], [], 0, "fewer than two samples (the process ended or /proc was unreadable)");
        }

        var seconds = valid.Skip(1).Select(static sample => sample.Second).ToArray();
        var cores = valid.Skip(1).Select((sample, at) => (sample.Cpu[index] - valid[at].Cpu[index]) / (sample.Second - valid[at].Second)).ToArray();
        var memory = valid.Skip(1).Select(sample => sample.Memory[index]).ToArray();
        return new ProcessSeries(process, seconds, cores, memory, valid[^1].Cpu[index] - valid[0].Cpu[index], null);
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            var second = clock.SecondsAt(System.Diagnostics.Stopwatch.GetTimestamp());
            var cpu = new double[processes.Count];
            var memory = new double[processes.Count];
            for (var index = 0; index < processes.Count; index++)
            {
                (cpu[index], memory[index]) = Measure(processes[index]);
            }

            lock (samples)
            {
                samples.Add((second, cpu, memory));
            }
        }
        while (await Tick(timer, cancellationToken));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>CPU seconds so far and memory in MiB; NaN when the process is gone.</summary>
    internal static (double Cpu, double MemoryMiB) Measure(WatchedProcess process)
    {
        if (ReadStat(process.Pid) is not { } stat)
        {
            return (double.NaN, double.NaN);
        }

        if (!process.WithChildren)
        {
            return ((stat.User + stat.System) / TicksPerSecond, stat.ResidentPages * Environment.SystemPageSize / 1048576d);
        }

        var ticks = stat.User + stat.System + stat.ReapedChildren;
        var memoryKiB = ProportionalKiB(process.Pid) ?? (stat.ResidentPages * Environment.SystemPageSize / 1024d);
        foreach (var child in ChildrenOf(process.Pid))
        {
            if (ReadStat(child) is { } backend)
            {
                ticks += backend.User + backend.System;
                memoryKiB += ProportionalKiB(child) ?? (backend.ResidentPages * Environment.SystemPageSize / 1024d);
            }
        }

        return (ticks / TicksPerSecond, memoryKiB / 1024d);
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ReadStat(pid) is { } stat && stat.ParentPid == parent)
            {
                yield return pid;
            }
        }
    }

    private sealed record Stat(int ParentPid, long User, long System, long ReapedChildren, long ResidentPages);

    /// <summary>Fields of <c>/proc/pid/stat</c> (proc(5)); the command name may hold spaces, so fields count from its closing parenthesis.</summary>
    private static Stat? ReadStat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
            return new Stat((int)Field(4), Field(14), Field(15), Field(16) + Field(17), Field(24));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static double? ProportionalKiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/smaps_rollup").FirstOrDefault(static line => line.StartsWith("Pss:", StringComparison.Ordinal));
            return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static string? ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? FindRunFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var run = Path.Combine(folder.FullName, ".local", "run");
                if (Directory.Exists(run))
                {
                    return run;
                }
            }
        }

        return null;
    }
}
