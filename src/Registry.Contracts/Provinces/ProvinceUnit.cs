namespace Registry.Contracts.Provinces;

/// <summary>A provincial-level unit as it stands now: the code it kept and its current name.</summary>
/// <param name="Code">Three-digit code; the province grain's key.</param>
/// <param name="Name">Vietnamese name, NFC: that of the latest plan naming the unit, else that of 2024.</param>
[GenerateSerializer, Immutable, Alias("registry.ProvinceUnit")]
public sealed record ProvinceUnit([property: Id(0)] string Code, [property: Id(1)] string Name);

/// <summary>How a unit stopped existing on its own.</summary>
/// <param name="Code">The absorbed unit's code; it stays valid inside personal ID numbers (Decree 137/2015).</param>
/// <param name="Into">The code of the unit that absorbed it (which may itself have been absorbed later).</param>
/// <param name="PlanId">The plan that merged it.</param>
/// <param name="EffectiveOn">The first day it no longer existed on its own.</param>
[GenerateSerializer, Immutable, Alias("registry.ProvinceAbsorption")]
public sealed record ProvinceAbsorption(
    [property: Id(0)] string Code,
    [property: Id(1)] string Into,
    [property: Id(2)] string PlanId,
    [property: Id(3)] DateOnly EffectiveOn);
