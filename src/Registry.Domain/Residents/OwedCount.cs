using Registry.Contracts.Provinces;

namespace Registry.Domain.Residents;

/// <summary>A count change owed to a province: a relocation owes one to the province left and one to the one entered.</summary>
/// <param name="ProvinceCode">The province (current code) whose counter shard takes it.</param>
/// <param name="Change">The change, with its operation id.</param>
public sealed record OwedCount(string ProvinceCode, ResidentCountChange Change);
