using Registry.Contracts.Provinces;

namespace Registry.Grains.Provinces;

/// <summary>Stored state of a province: its communes and wards. Its counters are in the ledger, by shard.</summary>
public sealed record ProvinceState
{
    /// <summary>Communes and wards by code.</summary>
    public IReadOnlyDictionary<string, Commune> Communes { get; init; } = new Dictionary<string, Commune>(StringComparer.Ordinal);
}
