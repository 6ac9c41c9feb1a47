using System.Runtime;
using System.Runtime.InteropServices;

namespace Registry.LoadTests.Reporting;

/// <summary>The machine a run was measured on; figures mean nothing without it.</summary>
internal sealed record MachineInfo(
    int LogicalCores, long MemoryBytes, string? CpuModel, string OperatingSystem, string Architecture, string Runtime, string GarbageCollector)
{
    public static MachineInfo Collect() => new(
        Environment.ProcessorCount,
        // What this process may use, so a container's memory limit shows rather than the host's RAM.
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        ReadCpuModel(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.OSArchitecture.ToString(),
        RuntimeInformation.FrameworkDescription,
        (GCSettings.IsServerGC ? "server" : "workstation") + (GCSettings.LatencyMode == GCLatencyMode.Batch ? ", non-concurrent" : ", concurrent"));

    /// <summary>The "model name" line of /proc/cpuinfo on Linux; null elsewhere or when unreadable.</summary>
    private static string? ReadCpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        try
        {
            if (!File.Exists(cpuInfo))
            {
                return null;
            }

            return File.ReadLines(cpuInfo)
                .Where(static line => line.StartsWith("model name", StringComparison.Ordinal))
                .Select(static line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
                .FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
