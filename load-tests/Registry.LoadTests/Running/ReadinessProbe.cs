using System.Diagnostics;
using Registry.LoadTests.Scenarios;

namespace Registry.LoadTests.Running;

/// <summary>
/// Waits for <c>GET /health/ready</c> to answer 200 before loading the API: load sent to a cluster that is
/// still starting measures its start-up, not its throughput.
/// </summary>
internal static class ReadinessProbe
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PauseBetweenAttempts = TimeSpan.FromMilliseconds(500);

    /// <returns>Whether the API became ready within <paramref name="patience"/>, and if not, what the last attempt saw.</returns>
    public static async Task<(bool Ready, string? LastProblem)> WaitAsync(HttpClient http, TimeSpan patience, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        string? lastProblem = null;
        do
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(AttemptTimeout);
            try
            {
                using var response = await http.GetAsync("health/ready", attempt.Token);
                if (response.IsSuccessStatusCode)
                {
                    return (true, null);
                }

                lastProblem = RequestOutcome.StatusLabel(response.StatusCode);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastProblem = $"no answer within {AttemptTimeout.TotalSeconds:F0} s";
            }
            catch (Exception exception) when (TransportFailure.TryClassify(exception, cancellationToken, out var failure))
            {
                lastProblem = failure.Detail is null ? failure.Label : $"{failure.Label} ({failure.Detail})";
            }

            await Task.Delay(PauseBetweenAttempts, cancellationToken);
        }
        while (Stopwatch.GetElapsedTime(started) < patience);

        return (false, lastProblem);
    }
}
