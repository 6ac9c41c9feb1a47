using System.ComponentModel.DataAnnotations;

namespace Registry.Grains.Provinces;

/// <summary>How province counter shards keep their checkpoints; bound from the silo's <c>ProvinceCounters</c> configuration section.</summary>
public sealed class ProvinceCounterOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string Section = "ProvinceCounters";

    /// <summary>
    /// Changes a shard records (or finds after its checkpoint on activation) before it writes a checkpoint. An activation
    /// reads at most about this many ledger rows after a crash (after a clean stop, none): smaller makes failovers
    /// cheaper and costs one more checkpoint statement per so many changes.
    /// </summary>
    public int CheckpointEvery { get; set; } = 10_000;

    /// <summary>One message per unusable setting, naming its configuration key; checked when the silo starts.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CheckpointEvery <= 0)
        {
            yield return new($"{Section}:{nameof(CheckpointEvery)} must be positive, e.g. 10000.", [nameof(CheckpointEvery)]);
        }
    }
}
