using System.ComponentModel.DataAnnotations;

namespace Registry.Grains.Resumption;

/// <summary>How the sweep of unfinished work runs; bound from the silo's <c>UnfinishedWork</c> configuration section.</summary>
public sealed class UnfinishedWorkOptions : IValidatableObject
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

    /// <summary>One message per unusable setting, naming its configuration key; checked when the silo starts.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Without a positive period the reminder never wakes the sweep again, and a sweep taking nobody leaves every
        // interrupted change unfinished: acknowledged writes would never reach the provinces.
        if (SweepPeriod <= TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(SweepPeriod)} must be positive, e.g. 00:01:00.", [nameof(SweepPeriod)]);
        }

        if (GracePeriod < TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(GracePeriod)} must not be negative, e.g. 00:00:30.", [nameof(GracePeriod)]);
        }

        if (MaxPerSweep <= 0)
        {
            yield return new($"{Section}:{nameof(MaxPerSweep)} must be positive, e.g. 10000.", [nameof(MaxPerSweep)]);
        }
    }
}
