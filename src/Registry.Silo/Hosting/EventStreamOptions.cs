using System.ComponentModel.DataAnnotations;
using Orleans.Configuration;

namespace Registry.Silo.Hosting;

/// <summary>
/// The timings of the event stream's queue in PostgreSQL (<see cref="AdoNetStreamOptions"/>), bound from the silo's
/// <c>EventStream</c> configuration section. The provider's connection is not configurable here: it is the registry's.
/// </summary>
public sealed class EventStreamOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string Section = "EventStream";

    private static readonly AdoNetStreamOptions OrleansDefaults = new();

    /// <summary>
    /// A taken row is handed out again after this if it was not confirmed: how long events from a dead silo wait. It
    /// matches the pulling agent's default MaxEventDeliveryTime (1 minute), so a delivery still being retried is not
    /// handed out a second time meanwhile.
    /// </summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Handed out that often without a confirmation, a row goes to <c>orleansstreamdeadletter</c> instead of blocking
    /// the queue; the ledger still has its events.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// How long a row may wait before it is dead-lettered whatever its attempts. Orleans' default (10 minutes) would
    /// dead-letter batches that wait out a longer outage of the whole cluster; a day covers an outage repaired overnight.
    /// </summary>
    public TimeSpan ExpiryTimeout { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a dead-lettered row is kept (Orleans' default, 7 days).</summary>
    public TimeSpan DeadLetterEvictionTimeout { get; set; } = OrleansDefaults.DeadLetterEvictionTimeout;

    /// <summary>How often expired rows are dead-lettered and old dead letters removed, cluster-wide (Orleans' default).</summary>
    public TimeSpan EvictionInterval { get; set; } = OrleansDefaults.EvictionInterval;

    /// <summary>Rows moved or removed per eviction at most (Orleans' default).</summary>
    public int EvictionBatchSize { get; set; } = OrleansDefaults.EvictionBatchSize;

    /// <summary>Copies the timings onto the provider's options.</summary>
    public void ApplyTo(AdoNetStreamOptions provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        provider.VisibilityTimeout = VisibilityTimeout;
        provider.MaxAttempts = MaxAttempts;
        provider.ExpiryTimeout = ExpiryTimeout;
        provider.DeadLetterEvictionTimeout = DeadLetterEvictionTimeout;
        provider.EvictionInterval = EvictionInterval;
        provider.EvictionBatchSize = EvictionBatchSize;
    }

    /// <summary>One message per unusable setting, naming its configuration key; checked when the silo starts.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Zero would hand a row to a second silo while the first still delivers it: every event twice, at least.
        if (VisibilityTimeout <= TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(VisibilityTimeout)} must be positive, e.g. 00:01:00.", [nameof(VisibilityTimeout)]);
        }

        if (MaxAttempts <= 0)
        {
            yield return new($"{Section}:{nameof(MaxAttempts)} must be positive, e.g. 5.", [nameof(MaxAttempts)]);
        }

        if (ExpiryTimeout <= TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(ExpiryTimeout)} must be positive, e.g. 1.00:00:00.", [nameof(ExpiryTimeout)]);
        }

        if (DeadLetterEvictionTimeout <= TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(DeadLetterEvictionTimeout)} must be positive, e.g. 7.00:00:00.", [nameof(DeadLetterEvictionTimeout)]);
        }

        if (EvictionInterval <= TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(EvictionInterval)} must be positive, e.g. 00:01:00.", [nameof(EvictionInterval)]);
        }

        if (EvictionBatchSize <= 0)
        {
            yield return new($"{Section}:{nameof(EvictionBatchSize)} must be positive, e.g. 1000.", [nameof(EvictionBatchSize)]);
        }
    }
}
