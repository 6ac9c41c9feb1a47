using System.ComponentModel.DataAnnotations;

namespace Registry.Grains.Batches;

/// <summary>How batch grains pace their work; bound from the silo's <c>Batches</c> configuration section.</summary>
public sealed class BatchProcessingOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Batches";

    /// <summary>
    /// Rows read, processed and written back per timer tick. A chunk costs two round trips to PostgreSQL whatever its
    /// size; a smaller chunk loses less work to a crash and lets the grain answer other calls sooner.
    /// </summary>
    [Range(1, 5_000)]
    public int ChunkSize { get; set; } = 256;

    /// <summary>
    /// Rows of a chunk in flight at once. Every row is a registration or amendment conversation among grains; this
    /// bounds how much of the cluster one batch takes from interactive requests.
    /// </summary>
    [Range(1, 1_000)]
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
}
