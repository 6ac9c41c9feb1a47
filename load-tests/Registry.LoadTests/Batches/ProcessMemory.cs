using System.Globalization;

namespace Registry.LoadTests.Batches;

/// <summary>
/// The resident memory of another process on this machine (the API), read from <c>/proc/{pid}/status</c>: what the
/// kernel gives it, managed heap and everything else together.
/// </summary>
internal sealed class ProcessMemory(int pid)
{
    /// <summary>The largest resident set seen by <see cref="Sample"/>.</summary>
    public long PeakSampledBytes { get; private set; }

    /// <summary>The API's process id from the pid file <c>cluster-config/up.sh</c> writes, or null.</summary>
    public static ProcessMemory? OfApi(string? pidFile)
    {
        if (pidFile is null || !File.Exists(pidFile)
            || !int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !File.Exists($"/proc/{pid}/status"))
        {
            return null;
        }

        return new ProcessMemory(pid);
    }

    /// <summary>The process id.</summary>
    public int Pid => pid;

    /// <summary>Reads the current resident set and keeps the peak; returns it (0 when the process is gone).</summary>
    public long Sample()
    {
        var current = Read("VmRSS:");
        PeakSampledBytes = Math.Max(PeakSampledBytes, current);
        return current;
    }

    /// <summary>The kernel's high-water mark of the resident set since the process started.</summary>
    public long HighWaterMark() => Read("VmHWM:");

    private long Read(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(line => line.StartsWith(field, StringComparison.Ordinal));
            var kib = line?[field.Length..].Trim().Split(' ')[0];
            return kib is not null && long.TryParse(kib, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value * 1024 : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
