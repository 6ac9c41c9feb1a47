using System.ComponentModel.DataAnnotations;

namespace Registry.Grains.Cards;

/// <summary>How the daily card expiry sweep runs; bound from the silo's <c>CardExpirySweep</c> configuration section.</summary>
public sealed class CardExpirySweepOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string Section = "CardExpirySweep";

    /// <summary>The scheduler's period: a day; a province's sweep of a day runs once however often it is started.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often a province's sweep that is under way is woken if its silo was lost: the longest a lost sweep waits.</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Cards per page: each page is one query and this many citizen calls, then one write of the sweep's progress. The
    /// 63 provinces' sweeps start together and share the silos, so a page of one sweep gets about a 63rd of the
    /// cluster: measured on 2 cores, 1,000 cards took about 40 s a page that way, longer than a grain call's 30 s that
    /// a caller (the reminder's wake-up, a start) may wait behind it; 250 keeps a page to seconds, and the progress
    /// writes, one per page, stay negligible.
    /// </summary>
    public int PageSize { get; set; } = 250;

    /// <summary>The pause between pages: short, only to let calls (progress queries) in between them.</summary>
    public TimeSpan PagePause { get; set; } = PagedWork.PagedRun.ShortPause;

    /// <summary>One message per unusable setting, naming its configuration key; checked when the silo starts.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Without a positive period the daily reminder cannot be registered, and no card's expiry would ever be recorded
        // nor its cardExpired event published.
        if (Period <= TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(Period)} must be positive, e.g. 1.00:00:00.", [nameof(Period)]);
        }

        if (ReminderPeriod <= TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(ReminderPeriod)} must be positive, e.g. 00:01:00.", [nameof(ReminderPeriod)]);
        }

        if (PageSize is < 1 or > 10_000)
        {
            yield return new($"{Section}:{nameof(PageSize)} must be 1 to 10000, e.g. 1000.", [nameof(PageSize)]);
        }

        if (PagePause < TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(PagePause)} must not be negative, e.g. 00:00:00.010.", [nameof(PagePause)]);
        }
    }
}
