using Orleans.Concurrency;

namespace Registry.Contracts.Residents;

/// <summary>
/// One person, keyed by their 12-digit personal ID number: the source of truth for their record.
/// Named after the design's Citizen grain; it also holds people whose nationality is undetermined.
/// </summary>
public interface ICitizenGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records a newly registered person under this number and counts them in their province. Repeating
    /// the call with the same record is harmless; a different record for a taken number is refused.
    /// </summary>
    Task<ResidentRecord> CreateAsync(ResidentRecord record);

    /// <summary>The person's record, or null when nobody holds this number.</summary>
    [ReadOnly]
    Task<ResidentRecord?> GetAsync();
}
