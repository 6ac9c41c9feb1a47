using System.ComponentModel.DataAnnotations;

namespace Registry.Grains.ResidenceSweep;

/// <summary>How often the residence sweep runs; bound from the silo's <c>ResidenceSweep</c> configuration section.</summary>
public sealed class ResidenceSweepOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string Section = "ResidenceSweep";

    /// <summary>The reminder's period: a day; a province's sweep of a day runs once however often it fires.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often a province's sweep that is under way is woken if its silo was lost.</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>One message per unusable setting, naming its configuration key; checked when the silo starts.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Without a positive period the daily reminder cannot be registered, and no permanent residence would ever be
        // deleted after 12 months away (Law on Residence 68/2020).
        if (Period <= TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(Period)} must be positive, e.g. 1.00:00:00.", [nameof(Period)]);
        }

        if (ReminderPeriod <= TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(ReminderPeriod)} must be positive, e.g. 00:01:00.", [nameof(ReminderPeriod)]);
        }
    }
}
