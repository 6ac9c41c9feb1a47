using System.ComponentModel.DataAnnotations;

namespace Registry.Grains.Batches;

/// <summary>How batch grains pace their work; bound from the silo's <c>Batches</c> configuration section.</summary>
public sealed class BatchProcessingOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Batches";

    /// <summary>
    /// Rows read, processed and written back per timer tick. A chunk costs two round trips to PostgreSQL whatever its
    /// size; a smaller chunk loses less work to a crash and lets the grain answer other calls sooner.
    /// </summary>
    public int ChunkSize { get; set; } = 256;

    /// <summary>
    /// Rows of a chunk in flight at once. Every row is a registration or amendment conversation among grains; this
    /// bounds how much of the cluster one batch takes from interactive requests.
    /// </summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>Pause between the end of one chunk and the start of the next.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Period of the reminder a running batch keeps: after a silo is lost, the batch resumes elsewhere within about
    /// this long. Orleans refuses periods under a minute unless the reminder service is told otherwise (tests are).
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest pause after a chunk in which every row failed transiently (the pause doubles from a second).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>One message per unusable setting, naming its configuration key; checked when the silo starts.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A chunk is read, processed and written back within one timer tick; beyond these bounds a tick would hold the
        // grain, and the cluster's interactive traffic, for too long.
        if (ChunkSize is < 1 or > 5_000)
        {
            yield return new($"{Section}:{nameof(ChunkSize)} must be between 1 and 5000, e.g. 256.", [nameof(ChunkSize)]);
        }

        if (Concurrency is < 1 or > 1_000)
        {
            yield return new($"{Section}:{nameof(Concurrency)} must be between 1 and 1000, e.g. 32.", [nameof(Concurrency)]);
        }

        if (TickInterval < TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(TickInterval)} must not be negative, e.g. 00:00:00.010.", [nameof(TickInterval)]);
        }

        if (ReminderPeriod <= TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(ReminderPeriod)} must be positive, e.g. 00:01:00.", [nameof(ReminderPeriod)]);
        }

        // The pause doubles from a second up to this bound, so a shorter bound is no bound at all.
        if (MaxBackoff < TimeSpan.FromSeconds(1))
        {
            yield return new($"{Section}:{nameof(MaxBackoff)} must be at least one second, e.g. 00:00:30.", [nameof(MaxBackoff)]);
        }
    }
}
