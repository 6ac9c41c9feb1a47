using System.ComponentModel.DataAnnotations;
using Registry.Domain.Residents;

namespace Registry.Grains.Residents;

/// <summary>How long proposals wait for a second official; bound from the silo's <c>Proposals</c> configuration section.</summary>
public sealed class ProposalOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Proposals";

    /// <summary>The longest period a deployment may set: a proposal older than a quarter is no longer the case it was.</summary>
    public static readonly TimeSpan MaxOpenFor = TimeSpan.FromDays(90);

    /// <summary>
    /// How long an open proposal can be approved. Long enough for a second official to be on duty, short enough that a
    /// forgotten proposal does not wait to be approved by someone who no longer knows the case.
    /// </summary>
    public TimeSpan OpenFor { get; set; } = Proposals.DefaultOpenFor;

    /// <summary>One message per unusable setting, naming its configuration key; checked when the silo starts.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OpenFor <= TimeSpan.Zero || OpenFor > MaxOpenFor)
        {
            yield return new($"{Section}:{nameof(OpenFor)} must be positive and at most 90 days, e.g. 7.00:00:00.", [nameof(OpenFor)]);
        }
    }
}
