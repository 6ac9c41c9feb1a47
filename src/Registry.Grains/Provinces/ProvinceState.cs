using Registry.Contracts.Provinces;

namespace Registry.Grains.Provinces;

/// <summary>Stored state of a province: its communes and wards, and whether a reorganisation absorbed it. Its counters are in the ledger, by shard.</summary>
public sealed record ProvinceState
{
    /// <summary>The reorganisation that absorbed this province; null while it exists on its own.</summary>
    public ProvinceAbsorption? AbsorbedBy { get; init; }

    /// <summary>Communes and wards by code.</summary>
    public IReadOnlyDictionary<string, Commune> Communes { get; init; } = new Dictionary<string, Commune>(StringComparer.Ordinal);
}
