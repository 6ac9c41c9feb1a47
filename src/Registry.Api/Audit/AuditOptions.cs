using System.ComponentModel.DataAnnotations;
using Registry.Domain.Access;

namespace Registry.Api.Audit;

/// <summary>The audit log's settings; bound from <c>Registry:Audit</c>.</summary>
public sealed class AuditOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Registry:Audit";

    /// <summary>
    /// Writers of this process, each appending to a chain of its own. One writer commits a few thousand rows a second
    /// in batches; two let one batch be written while the next forms, and more only add chains to verify.
    /// </summary>
    public int Chains { get; set; } = 2;

    /// <summary>
    /// How often each chain's end is sealed. A cut of rows appended after the last seal cannot be told from rows never
    /// written, so this is the span of the log that a deletion of the tail could hide; each seal is one small row.
    /// </summary>
    public TimeSpan SealPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a request waits for its audit row before it is answered 503 without its data: a PostgreSQL that stalls
    /// must not hold every reader's connection open.
    /// </summary>
    public TimeSpan AppendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an access under a covert purpose stays out of the person's access log unless released.</summary>
    public TimeSpan CovertHidingPeriod { get; set; } = CovertDisclosure.DefaultHidingPeriod;

    /// <summary>
    /// Serves personal data without auditing it, so that a benchmark can measure what the audit costs beside the same
    /// reads with it on (the README's figure). Honoured only in the <see cref="AuditHosting.BenchmarkEnvironment"/>
    /// environment, which no deployment runs: anywhere else the API refuses to start with it set.
    /// </summary>
    public bool OffForBenchmark { get; set; }

    /// <summary>One message per unusable setting, naming its configuration key; checked when the API starts.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Chains is < 1 or > 64)
        {
            yield return new($"{Section}:{nameof(Chains)} must be between 1 and 64, e.g. 2.", [nameof(Chains)]);
        }

        if (SealPeriod <= TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(SealPeriod)} must be positive, e.g. 00:01:00.", [nameof(SealPeriod)]);
        }

        if (AppendTimeout <= TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(AppendTimeout)} must be positive, e.g. 00:00:10.", [nameof(AppendTimeout)]);
        }

        if (CovertHidingPeriod < TimeSpan.Zero)
        {
            yield return new($"{Section}:{nameof(CovertHidingPeriod)} must not be negative, e.g. 365.00:00:00.", [nameof(CovertHidingPeriod)]);
        }
    }
}
