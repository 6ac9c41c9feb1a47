namespace Registry.LoadTests.Planning;

/// <summary>How the traffic came back after a fault, in seconds of the run.</summary>
/// <param name="FaultSecond">When the fault was injected.</param>
/// <param name="RateBefore">Successes per second from the start of the traffic to the fault.</param>
/// <param name="FirstSuccess">The first second from the fault on with a success (the fault's own second included); null if none.</param>
/// <param name="BackToRate">The end of the first window of <see cref="Recovery.Window"/> seconds from the fault on whose average is at least <see cref="Recovery.Share"/> of <see cref="RateBefore"/>; null if never.</param>
/// <param name="FailedUntilRecovered">Failures from the fault's second up to <see cref="BackToRate"/> (or the end).</param>
internal sealed record RecoveryTime(double FaultSecond, double RateBefore, int? FirstSuccess, int? BackToRate, long FailedUntilRecovered)
{
    /// <summary>Seconds from the fault to the first success after it.</summary>
    public double? ToFirstSuccess => FirstSuccess is { } second ? Math.Max(0, second - Math.Floor(FaultSecond)) : null;

    /// <summary>Seconds from the fault until the moving average was back near the earlier rate.</summary>
    public double? ToEarlierRate => BackToRate is { } second ? Math.Max(0, second + 1 - Math.Floor(FaultSecond)) : null;
}

/// <summary>
/// The time a fault cost, read from the successes per second of the run: a planner asks "how long until it works again"
/// (first success after the fault) and "how long until it works as before" (the moving average back within a share of the
/// rate before the fault). Pure, so the arithmetic is tested on synthetic time lines.
/// </summary>
internal static class Recovery
{
    /// <summary>Seconds of the moving average.</summary>
    public const int Window = 5;

    /// <summary>Share of the earlier rate that counts as back.</summary>
    public const double Share = 0.8;

    /// <param name="succeeded">Successes started in each second of the run.</param>
    /// <param name="failed">Failures started in each second of the run.</param>
    /// <param name="trafficStart">The second the traffic began (seconds before it are seeding, not the rate).</param>
    /// <param name="faultSecond">When the fault was injected.</param>
    public static RecoveryTime Compute(IReadOnlyList<long> succeeded, IReadOnlyList<long> failed, double trafficStart, double faultSecond)
    {
        var start = (int)Math.Floor(trafficStart);
        var fault = (int)Math.Floor(faultSecond);
        long At(IReadOnlyList<long> series, int second) => second >= 0 && second < series.Count ? series[second] : 0;

        // Whole seconds only: the fault's own second is partly before and partly after.
        var before = Enumerable.Range(start, Math.Max(0, fault - start)).Select(second => At(succeeded, second)).ToArray();
        var rate = before.Length == 0 ? 0 : before.Average();
        int? first = null;
        for (var second = fault; second < succeeded.Count; second++)
        {
            if (At(succeeded, second) > 0)
            {
                first = second;
                break;
            }
        }

        int? back = null;
        for (var end = fault + Window - 1; end < succeeded.Count; end++)
        {
            if (Enumerable.Range(end - Window + 1, Window).Average(second => At(succeeded, second)) >= Share * rate && rate > 0)
            {
                back = end;
                break;
            }
        }

        var last = back ?? Math.Max(succeeded.Count, failed.Count) - 1;
        var failures = Enumerable.Range(fault, Math.Max(0, last - fault + 1)).Sum(second => At(failed, second));
        return new RecoveryTime(faultSecond, rate, first, back, failures);
    }
}
