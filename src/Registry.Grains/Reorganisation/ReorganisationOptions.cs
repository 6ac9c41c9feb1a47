using System.ComponentModel.DataAnnotations;

namespace Registry.Grains.Reorganisation;

/// <summary>How reorganisation runs pace their work; bound from the silo's <c>Reorganisation</c> configuration section.</summary>
public sealed class ReorganisationOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Reorganisation";

    /// <summary>Residents read from the read model and moved per timer tick; the run's place is stored after each.</summary>
    public int PageSize { get; set; } = 1_000;

    /// <summary>Residents moved at once: enough to keep the silos busy, few enough to leave room for normal traffic.</summary>
    public int Concurrency { get; set; } = 64;

    /// <summary>How often the reminder wakes a run whose silo was lost, or a scheduled one to see whether its day has come.</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>One message per unusable setting, naming its configuration key; checked when the silo starts.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // An empty page or no worker would stop a run without ending it; a run whose silo was lost resumes only by its
        // reminder.
        if (PageSize <= 0)
        {
            yield return new($"{Section}:{nameof(PageSize)} must be positive, e.g. 1000.", [nameof(PageSize)]);
        }

        if (Concurrency <= 0)
        {
            yield return new($"{Section}:{nameof(Concurrency)} must be positive, e.g. 64.", [nameof(Concurrency)]);
        }

        if (ReminderPeriod <= TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(ReminderPeriod)} must be positive, e.g. 00:01:00.", [nameof(ReminderPeriod)]);
        }
    }
}
