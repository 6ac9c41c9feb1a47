using Orleans.Concurrency;
using Registry.Contracts.Identity;

namespace Registry.Contracts.Provinces;

/// <summary>
/// One province, keyed by its current 3-digit code. Holds counters, never the list of its residents:
/// with millions of residents a list would make every write O(N).
/// </summary>
public interface IProvinceGrain : IGrainWithStringKey
{
    /// <summary>Applies a change to the resident count once, however often the same operation is sent.</summary>
    /// <returns>True when this call applied it, false when it had been applied before.</returns>
    Task<bool> ApplyResidentChangeAsync(ResidentCountChange change);

    /// <summary>The province's counters now.</summary>
    [ReadOnly]
    Task<ProvinceCounts> GetCountsAsync();
}

/// <summary>Why a province's resident count changes.</summary>
[GenerateSerializer, Alias("registry.ResidentCountReason")]
public enum ResidentCountReason
{
    /// <summary>A newly registered person takes up permanent residence here.</summary>
    Registration = 0,

    /// <summary>A resident died.</summary>
    Death = 1,
}

/// <summary>A +1 or −1 on a province's resident count, identified by <paramref name="OperationId"/>.</summary>
/// <param name="OperationId">Unique per change; a repeated id is counted once.</param>
/// <param name="PersonalIdNumber">Whose residence changed.</param>
/// <param name="Delta">+1 or −1.</param>
/// <param name="Reason">Why.</param>
[GenerateSerializer, Immutable, Alias("registry.ResidentCountChange")]
public sealed record ResidentCountChange(
    [property: Id(0)] string OperationId,
    [property: Id(1)] PersonalIdNumber PersonalIdNumber,
    [property: Id(2)] int Delta,
    [property: Id(3)] ResidentCountReason Reason);

/// <summary>A province's counters.</summary>
/// <param name="ProvinceCode">The province.</param>
/// <param name="Residents">People whose permanent residence is here.</param>
[GenerateSerializer, Immutable, Alias("registry.ProvinceCounts")]
public sealed record ProvinceCounts([property: Id(0)] string ProvinceCode, [property: Id(1)] long Residents);
