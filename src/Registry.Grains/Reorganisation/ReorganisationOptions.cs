namespace Registry.Grains.Reorganisation;

/// <summary>How reorganisation runs pace their work; bound from the silo's <c>Reorganisation</c> configuration section.</summary>
public sealed class ReorganisationOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Reorganisation";

    /// <summary>Residents read from the read model and moved per timer tick; the run's place is stored after each.</summary>
    public int PageSize { get; set; } = 1_000;

    /// <summary>Residents moved at once: enough to keep the silos busy, few enough to leave room for normal traffic.</summary>
    public int Concurrency { get; set; } = 64;

    /// <summary>How often the reminder wakes a run whose silo was lost, or a scheduled one to see whether its day has come.</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
