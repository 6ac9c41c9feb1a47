using System.Text.Json.Serialization;

namespace Registry.Contracts.Provinces;

/// <summary>What a provincial-level unit is (Constitution Art. 110: provinces and centrally run cities).</summary>
[GenerateSerializer, Alias("registry.ProvinceKind")]
public enum ProvinceKind
{
    /// <summary>A province (tỉnh); <c>province</c> in a plan's CSV.</summary>
    Province = 0,

    /// <summary>A centrally run city (thành phố trực thuộc trung ương); <c>city</c> in a plan's CSV.</summary>
    City = 1,
}

/// <summary>
/// One unit as a reorganisation leaves it: it keeps <paramref name="SurvivingCode"/> and takes in the units of
/// <paramref name="AbsorbedCodes"/>, whose counters it inherits and whose residents' addresses move to it. With no
/// absorbed codes the unit goes on as it was, under the name and kind given here.
/// </summary>
/// <param name="SurvivingCode">
/// The code the unit keeps: that of the old unit holding the new seat (our assumption for Resolution 202/2025/QH15,
/// so the mapping is data, not code).
/// </param>
/// <param name="Name">Vietnamese name from the effective date, NFC and trimmed.</param>
/// <param name="Kind">Province or centrally run city.</param>
/// <param name="AbsorbedCodes">The other units merged into this one, in the plan's order; never the surviving code itself.</param>
[GenerateSerializer, Immutable, Alias("registry.UnitMerger")]
public sealed record UnitMerger(
    [property: Id(0)] string SurvivingCode,
    [property: Id(1)] string Name,
    [property: Id(2)] ProvinceKind Kind,
    [property: Id(3)] IReadOnlyList<string> AbsorbedCodes)
{
    /// <summary>The codes the unit is formed from, its own first: the <c>formed_from</c> column of a plan's CSV.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> FormedFrom => [SurvivingCode, .. AbsorbedCodes];

    /// <summary>Whether <paramref name="other"/> is the same merger, absorbed codes compared in order.</summary>
    public bool Equals(UnitMerger? other) =>
        other is not null
        && SurvivingCode == other.SurvivingCode
        && Name == other.Name
        && Kind == other.Kind
        && AbsorbedCodes.SequenceEqual(other.AbsorbedCodes, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(SurvivingCode, Name, Kind, AbsorbedCodes.Count);
}

/// <summary>
/// A reorganisation of the provincial-level units, effective on one date: which units survive under which name and
/// kind, and which units each absorbs. Applying it hands the absorbed units' counters to the survivors and moves their
/// residents' addresses there; personal ID numbers keep their old codes for ever (Decree 137/2015), and the old codes
/// stay resolvable through the domain's province units. A plan is data, read from CSV by the domain's plan parser,
/// which also holds the real one of 1 July 2025 (Resolution 202/2025/QH15).
/// </summary>
/// <param name="Id">The plan's identifier and the run's idempotency key, e.g. <c>2025-07-01-resolution-202</c>.</param>
/// <param name="EffectiveOn">The first day on which the new units exist.</param>
/// <param name="Mergers">One entry per unit the plan names, in the order of its CSV; units it does not name stay as they are.</param>
[GenerateSerializer, Immutable, Alias("registry.ReorganisationPlan")]
public sealed record ReorganisationPlan(
    [property: Id(0)] string Id,
    [property: Id(1)] DateOnly EffectiveOn,
    [property: Id(2)] IReadOnlyList<UnitMerger> Mergers)
{
    /// <summary>Every code the plan absorbs into another unit, in the plan's order.</summary>
    [JsonIgnore]
    public IEnumerable<string> AbsorbedCodes => Mergers.SelectMany(merger => merger.AbsorbedCodes);

    /// <summary>
    /// The merger that <paramref name="code"/> takes part in, as the surviving or an absorbed unit; null when the plan
    /// leaves the unit as it is.
    /// </summary>
    public UnitMerger? MergerOf(string? code) =>
        code is null ? null : Mergers.FirstOrDefault(merger => merger.SurvivingCode == code || merger.AbsorbedCodes.Contains(code, StringComparer.Ordinal));

    /// <summary>Whether <paramref name="other"/> is the same plan, mergers compared in order.</summary>
    public bool Equals(ReorganisationPlan? other) =>
        other is not null
        && Id == other.Id
        && EffectiveOn == other.EffectiveOn
        && Mergers.SequenceEqual(other.Mergers);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, EffectiveOn, Mergers.Count);
}
