using System.Diagnostics;
using System.Net;

namespace Registry.TestSupport;

/// <summary>What the registry's processes started by tests share: where their build is, and waiting until they are ready.</summary>
internal static class ProcessReadiness
{
    private static readonly HttpClient Health = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>
    /// Waits until <paramref name="readiness"/> answers 200, polling; throws when <paramref name="process"/> exits first
    /// or <paramref name="patience"/> runs out, naming <paramref name="who"/> and its log.
    /// </summary>
    public static async Task WaitAsync(Process process, Uri readiness, string who, string logPath, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{who} exited with {process.ExitCode}; see {logPath}.");
            }

            try
            {
                using var response = await Health.GetAsync(readiness);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{who} was not ready within {patience}; see {logPath}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>
    /// A project's assembly built in this test assembly's configuration: <c>&lt;repo&gt;/src/&lt;project&gt;/bin/&lt;configuration&gt;/&lt;tfm&gt;/&lt;project&gt;.dll</c>.
    /// </summary>
    public static string BuiltAssembly(string project)
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(SiloProcess.RepositoryRoot(), "src", project, "bin", testDirectory.Parent!.Name, testDirectory.Name, project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing; build the solution first.");
    }
}
