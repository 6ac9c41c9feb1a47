namespace Registry.Grains.Resumption;

/// <summary>How the sweep of unfinished work runs; bound from the silo's <c>UnfinishedWork</c> configuration section.</summary>
public sealed class UnfinishedWorkOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "UnfinishedWork";

    /// <summary>How often the sweep runs (its reminder's period); also the period of a household move's reminder.</summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a mark must be old before the sweep wakes its citizen: a change normally finishes within milliseconds,
    /// and a citizen still working on its change must not be disturbed.
    /// </summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Citizens woken per sweep at most; the next sweep takes the rest.</summary>
    public int MaxPerSweep { get; set; } = 10_000;
}
